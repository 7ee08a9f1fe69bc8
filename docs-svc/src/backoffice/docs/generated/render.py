"""Templates (Jinja2, sandboxed, every field required, bounded) rendered to PDF with fpdf2.

Templates are edited by office staff, so a template is untrusted code: besides the sandbox (no attribute of
Python's internals, no change to lists and dicts), what one render may build is bounded. No value longer than
``MAX_OUTPUT`` characters is made (repetition, concatenation, ``%`` and ``format`` widths, filters and macro
arguments are checked before the work is done), no number beyond ``MAX_NUMBER_BITS`` bits, no loop runs past the
render's deadline, and the output stops at ``MAX_OUTPUT`` characters. Templates whose expressions multiply by a
huge constant are refused when saved, before any sample is rendered."""

from __future__ import annotations

import contextvars
import inspect
import operator
import re
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError, UndefinedError, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import Environment
from jinja2.nodes import EvalContext
from jinja2.runtime import Context, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range

TEMPLATES = Path(__file__).parent / "templates"
KINDS = (
    "contract_letter",
    "payslip",
    "payroll_register",
    "warning_letter",
    "termination_letter",
    "remittance_advice",
    "call_message",
    "password_reset_notice",
    "pay_register",
)
MAX_OUTPUT = 1_000_000  # characters of one rendered letter, and of any value built on the way
MAX_NUMBER_BITS = 4096  # integers a template computes (10 ** 1000 is 3,322 bits)
MAX_CONSTANT = 1_000_000  # the largest number a template may write, or pass to a filter or function
RENDER_SECONDS = 2.0  # one render's time
MAX_SOURCE = 100_000  # characters of a template

_deadline: contextvars.ContextVar[float] = contextvars.ContextVar("template_deadline", default=float("inf"))
# A width or precision in a %-format ("%0100000000d") or a str.format field ("{:>100000000}").
_PERCENT_WIDTH = re.compile(r"%(\([^)]*\))?[-#0 +]*(\*|\d{7,}|\d*\.(\*|\d{7,}))")
_FORMAT_WIDTH = re.compile(r"\{[^{}]*:[^{}]*?\d{7,}[^{}]*\}")


class LetterTemplateError(ValueError):
    """A template that does not parse, names a field its documents do not have, or goes beyond a bound."""


def _check_time() -> None:
    if time.monotonic() > _deadline.get():
        raise LetterTemplateError(f"the template takes longer than {RENDER_SECONDS:g} s to render")


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple) else 0


def _check_size(value: Any, what: str) -> Any:
    if _size(value) > MAX_OUTPUT:
        raise LetterTemplateError(f"{what} would make a value of more than {MAX_OUTPUT:,} characters")
    if isinstance(value, int) and value.bit_length() > MAX_NUMBER_BITS:
        raise LetterTemplateError(f"{what} would make a number larger than {MAX_NUMBER_BITS} bits")
    return value


def _check_format(pattern: Any, what: str) -> None:
    if isinstance(pattern, str) and (_PERCENT_WIDTH.search(pattern) or _FORMAT_WIDTH.search(pattern)):
        raise LetterTemplateError(f"{what}: a format width or precision above 999,999 (or given as '*') is not allowed")


def _check_arguments(args: Iterable[Any], what: str) -> None:
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_CONSTANT:
            raise LetterTemplateError(f"{what}: a number argument above {MAX_CONSTANT:,} is not allowed ({arg})")
        _check_size(arg, what)


def _grown_size(name: str, value: Any, args: list[Any]) -> int:
    """How long the result of the filter or str method ``name`` on ``value`` would be, where it can grow."""
    if name == "join":
        items = list(value) if isinstance(value, list | tuple) else []
        sep = args[0] if args and isinstance(args[0], str) else ""
        return sum(len(str(item)) for item in items) + len(sep) * len(items)
    if not isinstance(value, str):
        return 0
    width = args[0] if args else 0
    if name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        found = value.count(args[0]) if args[0] else len(value) + 1
        return len(value) + found * len(args[1])
    if name == "indent":
        step = width if isinstance(width, int) else len(str(width))
        return len(value) + (value.count("\n") + 1) * step
    if name in ("center", "ljust", "rjust", "zfill") and isinstance(width, int):
        return width
    if name == "expandtabs":
        return len(value) + value.count("\t") * (width if isinstance(width, int) else 8)
    return 0


def _check_growth(name: str, value: Any, args: list[Any]) -> None:
    if _grown_size(name, value, args) > MAX_OUTPUT:
        raise LetterTemplateError(f"{name} would make a value of more than {MAX_OUTPUT:,} characters")


def _repeat_size(left: Any, right: Any) -> int:
    """How long ``left * right`` would be when it repeats a sequence (0 when it is arithmetic)."""
    if _size(left) and isinstance(right, int):
        return _size(left) * max(right, 0)
    if _size(right) and isinstance(left, int):
        return _size(right) * max(left, 0)
    return 0


def _checked_binop(op: str, left: Any, right: Any) -> Any:
    _check_time()
    what = f"'{op}'"
    if op == "*":
        if _repeat_size(left, right) > MAX_OUTPUT:
            raise LetterTemplateError(f"{what} would make a value of more than {MAX_OUTPUT:,} characters")
        both_int = isinstance(left, int) and isinstance(right, int)
        if both_int and left.bit_length() + right.bit_length() > MAX_NUMBER_BITS:
            raise LetterTemplateError(f"{what} would make a number larger than {MAX_NUMBER_BITS} bits")
    elif op == "**":
        if isinstance(left, int) and isinstance(right, int) and abs(left) > 1:
            if right * left.bit_length() > MAX_NUMBER_BITS:
                raise LetterTemplateError(f"{what} would make a number larger than {MAX_NUMBER_BITS} bits")
        elif isinstance(right, int | float) and abs(right) > MAX_CONSTANT:
            raise LetterTemplateError(f"{what}: an exponent above {MAX_CONSTANT:,} is not allowed")
    elif op == "+":
        if _size(left) + _size(right) > MAX_OUTPUT:
            raise LetterTemplateError(f"{what} would make a value of more than {MAX_OUTPUT:,} characters")
    elif op == "%":
        _check_format(left, what)
        _check_arguments(right if isinstance(right, tuple) else (right,), what)
    return _check_size(_BINOPS[op](left, right), what)


_BINOPS: dict[str, Callable[[Any, Any], Any]] = {
    "*": operator.mul,
    "**": operator.pow,
    "+": operator.add,
    "%": operator.mod,
    "//": operator.floordiv,
}


def _bounded_join(parts: Iterable[Any]) -> str:
    """``environment.concat``: the output of a block, a macro or a template, refused when too long."""
    items = list(parts)
    _check_time()
    if sum(len(p) for p in items if isinstance(p, str)) > MAX_OUTPUT:
        raise LetterTemplateError(f"the template's output would be more than {MAX_OUTPUT:,} characters")
    return "".join(items)


class _BoundedRange:
    """``range`` whose iteration watches the render's deadline (loops with no output and no call are still
    bounded in time)."""

    def __init__(self, *args: int) -> None:
        _check_arguments(args, "range")
        self._range = safe_range(*args)

    def __iter__(self) -> Iterator[int]:
        return _watched(self._range)

    def __len__(self) -> int:
        return len(self._range)

    def __getitem__(self, index: Any) -> Any:
        return self._range[index]

    def __contains__(self, value: object) -> bool:
        return value in self._range

    def __reversed__(self) -> Iterator[int]:
        return _watched(reversed(self._range))


def _watched(iterable: Iterable[Any]) -> Iterator[Any]:
    for n, item in enumerate(iterable):
        if n % 256 == 0:
            _check_time()
        yield item


def _bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _check_time()
        values = [a for a in args if not isinstance(a, Context | EvalContext | Environment)]  # passed by Jinja
        _check_arguments([*values[1:], *kwargs.values()], f"filter {name}")
        if name == "format" and values:
            _check_format(values[0], f"filter {name}")
        if values:
            _check_growth(name, values[0], [*values[1:], *kwargs.values()])
        return _check_size(func(*args, **kwargs), f"filter {name}")

    for attribute in ("jinja_pass_arg",):  # how Jinja knows to pass the context or environment first
        if hasattr(func, attribute):
            setattr(bounded, attribute, getattr(func, attribute))
    return bounded


class _BoundedCodeGenerator(CodeGenerator):
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        # 'a ~ b': joined by the environment, which checks the length first
        self.write("environment.bounded_concat(context, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, with every way of building a large value or a long loop checked (see the module)."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset(_BINOPS)
    concat = staticmethod(_bounded_join)

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = {name: _bounded_filter(name, func) for name, func in self.filters.items()}
        self.filters["bounded_iterable"] = _watched
        self.globals["range"] = _BoundedRange
        del self.globals["lipsum"]  # one call makes any amount of text

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):  # every loop watches the deadline, whatever it iterates over
            loop.iter = nodes.Filter(loop.iter, "bounded_iterable", [], [], None, None, lineno=loop.lineno)
        return tree

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        return _checked_binop(operator, left, right)

    def bounded_concat(self, context: Any, parts: tuple[Any, ...]) -> Any:
        _check_time()
        if sum(len(str(p)) for p in parts) > MAX_OUTPUT:
            raise LetterTemplateError(f"'~' would make a value of more than {MAX_OUTPUT:,} characters")
        return markup_join(parts) if context.eval_ctx.autoescape else str_join(parts)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _check_time()
        what = getattr(__obj, "__name__", None) or type(__obj).__name__
        _check_arguments([*args, *kwargs.values()], what)
        method = inspect.unwrap(__obj)
        owner = getattr(method, "__self__", None)
        if isinstance(owner, str):
            if what in ("format", "format_map"):
                _check_format(owner, what)
            if what == "join":
                _check_growth(what, args[0] if args else None, [owner])
            else:
                _check_growth(what, owner, list(args))
        return _check_size(super().call(__context, __obj, *args, **kwargs), what)

    def getattr(self, obj: Any, attribute: str) -> Any:
        _check_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _check_time()
        return super().getitem(obj, argument)


ENV = BoundedEnvironment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def default_template(kind: str) -> str:
    """The template this service ships for a kind of letter."""
    return (TEMPLATES / f"{kind}.html.j2").read_text()


def check_source(source: str) -> None:
    """What is refused before any render: an empty or oversized template, one that does not parse, and
    expressions that repeat or raise to a literal beyond the bounds (``'a' * 100000000``, ``range(10**9)``)."""
    if not source.strip():
        raise LetterTemplateError("the template is empty: write the letter's text")
    if len(source) > MAX_SOURCE:
        raise LetterTemplateError(f"the template has {len(source):,} characters, over {MAX_SOURCE:,}")
    try:
        tree = ENV.parse(source)
    except TemplateError as exc:
        raise LetterTemplateError(f"the template is not valid: {exc}") from None
    for const in tree.find_all(nodes.Const):
        value = const.value
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_CONSTANT:
            raise LetterTemplateError(
                f"line {const.lineno}: the number {value} is above {MAX_CONSTANT:,}, the largest a template may "
                "use in an expression (write long numbers as text)"
            )
    power = next(tree.find_all(nodes.Pow), None)
    if power is not None:
        raise LetterTemplateError(f"line {power.lineno}: '**' is not allowed in templates")


def render_html(source: str, context: dict[str, Any]) -> str:
    """The template rendered, within ``RENDER_SECONDS`` and ``MAX_OUTPUT`` characters (LetterTemplateError if not)."""
    token = _deadline.set(time.monotonic() + RENDER_SECONDS)
    try:
        out: list[str] = []
        length = 0
        for piece in ENV.from_string(source).generate(**context):
            length += len(piece)
            if length > MAX_OUTPUT:
                raise LetterTemplateError(f"the template's output is more than {MAX_OUTPUT:,} characters")
            out.append(piece)
        return "".join(out)
    except LetterTemplateError:
        raise
    except UndefinedError as exc:
        raise LetterTemplateError(f"unknown field: {exc.message}") from None
    except TemplateError as exc:
        raise LetterTemplateError(f"the template is not valid: {exc}") from None
    except Exception as exc:  # arithmetic and type errors inside the template's expressions
        raise LetterTemplateError(f"the template fails: {type(exc).__name__}: {exc}") from None
    finally:
        _deadline.reset(token)


def html_to_pdf(html: str, title: str) -> bytes:
    """The letter's HTML rendered as a PDF titled ``title``; images are refused."""
    from fpdf import FPDF

    class _NoImages(FPDF):
        """Templates are edited by office staff: an <img> could read the service's files or fetch a URL."""

        def image(self, *args: Any, **kwargs: Any) -> Any:
            raise LetterTemplateError("templates cannot embed images (<img>): letters carry text and tables only")

    pdf = _NoImages(format="A4")
    pdf.set_title(title)
    pdf.set_creator("Backoffice")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    # The built-in fonts cover Latin-1; other characters are shown as '?', not refused.
    try:
        pdf.write_html(html.encode("latin-1", "replace").decode("latin-1"))
        return bytes(pdf.output())
    except LetterTemplateError:
        raise
    except Exception as exc:  # fpdf2 refuses some HTML (unknown fonts, malformed tables)
        raise LetterTemplateError(f"the letter cannot be laid out as a PDF: {type(exc).__name__}: {exc}") from None
