"""Names people give files and folders: shown in lists, sent back in ``Content-Disposition`` and mail headers,
joined into folder paths. A name keeps no directory part, and none is ``.``/``..``, blank, or holds control
characters (CR/LF would split a header) or bidirectional overrides (U+202E makes ``evil\u202etxt.exe`` read as
``evilexe.txt``)."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls, DEL, and the bidirectional embeddings, overrides, isolates and marks.
_REFUSED = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


# check_name as a pattern, for the API description: no refused character, '/' or '\\', not blank, not '.' or '..'.
NAME_PATTERN = r"^(?!\s*\.{1,2}\s*$)(?=.*\S)[^/\\\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+$"


def check_name(name: str, what: str) -> str:
    """``name`` without surrounding blanks; ValueError naming the problem when it is not a usable name."""
    bad = _REFUSED.search(name)
    if bad is not None:
        label = unicodedata.name(bad.group(), f"U+{ord(bad.group()):04X}")
        raise ValueError(f"the {what} holds a control or text-direction character ({label}): remove it")
    cleaned = name.strip()
    if not cleaned:
        raise ValueError(f"the {what} is blank: give it a name")
    if cleaned in (".", ".."):
        raise ValueError(f"the {what} cannot be '.' or '..'")
    if "/" in cleaned or "\\" in cleaned:
        raise ValueError(f"the {what} cannot hold '/' or '\\'")
    return cleaned


def base_name(filename: str) -> str:
    """The last part of a path a browser or a script sent as a file name (``../../etc/cron.d/x`` is ``x``,
    ``C:\\Users\\a\\b.pdf`` is ``b.pdf``), checked like any name."""
    return check_name(re.split(r"[/\\]", filename)[-1], "file name")


def tidy_name(raw: str, limit: int = 200) -> str:
    """A usable name made from text that is not a name (an employee's, from an event): separators become '-',
    refused characters go, and what is left blank or a dot name is '-'."""
    name = " ".join(_REFUSED.sub(" ", raw.replace("/", "-").replace("\\", "-")).split())[:limit]
    return "-" if name in ("", ".", "..") else name
