"""How figures are shown to people, the same in the terminal, in prose and in notes."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["number", "percent", "visible", "width", "wrap"]

# what a terminal acts on rather than shows: C0 and C1 controls (ESC starts colour, title and
# clear-screen sequences; BEL ends an OSC), DEL, and the bidirectional overrides and isolates
# that make text read in another order than it is stored (U+202E "Trojan source"), plus the
# Unicode line and paragraph separators
_UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                      "\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _shown(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: object) -> str:
    """Text from an input as a terminal may print it: every control character, bidi override
    and line separator written as its escape (ESC → `\\x1b`, a newline → `\\n`), so input can
    neither drive the terminal nor break one line into two. Everything else is unchanged."""
    shown = str(text)
    return _UNSHOWN.sub(_shown, shown) if _UNSHOWN.search(shown) else shown



def number(value: float | None, blank: str = "—") -> str:
    """3092 → "3,092"; 121.5 → "121.5"; None → "—"."""
    if value is None:
        return blank
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def percent(value: float | None, blank: str = "—") -> str:
    """0.5129 → "51.29%" (two decimals, as the evaluators write)."""
    if value is None:
        return blank
    return f"{value:.2%}"


def width(text: str) -> int:
    """Columns `text` takes in a terminal: a Chinese character (or any wide or full-width
    one) two, a combining mark none, anything else one."""
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return total


# a line may break before a Chinese character (never before closing punctuation) and at a
# space: the units between breaks
_CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CLOSE = "，。；：、）」』》？！"
_TOKENS = re.compile(rf"\s+|[{_CJK}][{_CLOSE}]*[^\s{_CJK}]*[{_CLOSE}]*|[^\s{_CJK}]+[{_CLOSE}]*")


def wrap(text: str, columns: int, first: str = "", rest: str = "") -> list[str]:
    """`text` as lines of at most `columns` terminal columns (where a word allows), the
    first line starting with `first` and the others with `rest`: Chinese breaks between
    characters, other text at spaces."""
    lines: list[str] = []
    line, used, spaced = first, width(first), False
    fresh = True
    for token in _TOKENS.findall(text):
        if token.isspace():
            spaced = not fresh
            continue
        gap = 1 if spaced else 0
        size = width(token)
        if not fresh and used + gap + size > columns:
            lines.append(line)
            line, used, gap = rest, width(rest), 0
        line += " " * gap + token
        used += gap + size
        fresh, spaced = False, False
    lines.append(line)
    return lines
