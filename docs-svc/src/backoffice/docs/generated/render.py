"""Templates (Jinja2, sandboxed, every field required) rendered to PDF with fpdf2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

TEMPLATES = Path(__file__).parent / "templates"
KINDS = (
    "contract_letter",
    "payslip",
    "payroll_register",
    "warning_letter",
    "termination_letter",
    "remittance_advice",
    "call_message",
)
ENV = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


class TemplateProblem(ValueError):
    """A template that does not parse, or names a field its documents do not have."""


def default_template(kind: str) -> str:
    return (TEMPLATES / f"{kind}.html.j2").read_text()


def render_html(source: str, context: dict[str, Any]) -> str:
    try:
        return ENV.from_string(source).render(**context)
    except UndefinedError as exc:
        raise TemplateProblem(f"unknown field: {exc.message}") from None
    except TemplateError as exc:
        raise TemplateProblem(f"the template is not valid: {exc}") from None
    except Exception as exc:  # arithmetic and type errors inside the template's expressions
        raise TemplateProblem(f"the template fails: {type(exc).__name__}: {exc}") from None


def html_to_pdf(html: str, title: str) -> bytes:
    from fpdf import FPDF

    class _NoImages(FPDF):
        """Templates are edited by office staff: an <img> could read the service's files or fetch a URL."""

        def image(self, *args: Any, **kwargs: Any) -> Any:
            raise TemplateProblem("templates cannot embed images (<img>): letters carry text and tables only")

    pdf = _NoImages(format="A4")
    pdf.set_title(title)
    pdf.set_creator("Backoffice")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    # The built-in fonts cover Latin-1; other characters are shown as '?', not refused.
    try:
        pdf.write_html(html.encode("latin-1", "replace").decode("latin-1"))
        return bytes(pdf.output())
    except TemplateProblem:
        raise
    except Exception as exc:  # fpdf2 refuses some HTML (unknown fonts, malformed tables)
        raise TemplateProblem(f"the letter cannot be laid out as a PDF: {type(exc).__name__}: {exc}") from None
