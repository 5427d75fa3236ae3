"""Recompute the simple formulas stations use (=C5/B5, =SUM(C5:C9), =B5*0.5) when a file
carries no cached value, so a script-written workbook does not read as blanks.

Anything beyond arithmetic on same-sheet cells and SUM/AVERAGE/MIN/MAX gives None, and the
caller reports the cell instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from xlcompare.files.cells import parse_number

__all__ = ["evaluate"]

_TOKEN = re.compile(
    r"\s*(?:(?P<range>\$?[A-Z]{1,3}\$?\d+:\$?[A-Z]{1,3}\$?\d+)|(?P<ref>\$?[A-Z]{1,3}\$?\d+)"
    r"|(?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?%?)|(?P<func>SUM|AVERAGE|MIN|MAX)\s*\("
    r"|(?P<op>[-+*/(),]))"
)
_FUNCS: dict[str, Callable[[list[float]], float]] = {
    "SUM": sum,
    "AVERAGE": lambda xs: sum(xs) / len(xs),
    "MIN": min,
    "MAX": max,
}

CellValue = Callable[[int, int], float | None]


def _ref(text: str) -> tuple[int, int]:
    match = re.match(r"\$?([A-Z]+)\$?(\d+)", text)
    assert match
    col = 0
    for ch in match.group(1):
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)) - 1, col - 1


class _Unsupported(Exception):
    pass


def _tokens(formula: str) -> list[tuple[str, str]]:
    pos, out = 0, []
    text = formula.strip().lstrip("=").upper()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise _Unsupported(text[pos:])
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


def evaluate(formula: str, cell: CellValue) -> float | None:
    """The value of `formula`, reading other cells through `cell(row, col)`; None if unsupported
    or when a referenced cell has no number (a blank would otherwise count as 0)."""
    try:
        tokens = _tokens(formula)
        value, pos = _expr(tokens, 0, cell)
        if pos != len(tokens):
            return None
        return value
    except (_Unsupported, ZeroDivisionError, ValueError, IndexError):
        return None


def _expr(tokens, pos, cell):
    value, pos = _term(tokens, pos, cell)
    while pos < len(tokens) and tokens[pos] in (("op", "+"), ("op", "-")):
        op = tokens[pos][1]
        rhs, pos = _term(tokens, pos + 1, cell)
        value = value + rhs if op == "+" else value - rhs
    return value, pos


def _term(tokens, pos, cell):
    value, pos = _factor(tokens, pos, cell)
    while pos < len(tokens) and tokens[pos] in (("op", "*"), ("op", "/")):
        op = tokens[pos][1]
        rhs, pos = _factor(tokens, pos + 1, cell)
        value = value * rhs if op == "*" else value / rhs
    return value, pos


def _number(row: int, col: int, cell: CellValue) -> float:
    value = cell(row, col)
    if value is None:
        raise _Unsupported(f"no number at {row},{col}")
    return value


def _factor(tokens, pos, cell):
    kind, text = tokens[pos]
    if kind == "op" and text == "-":
        value, pos = _factor(tokens, pos + 1, cell)
        return -value, pos
    if kind == "op" and text == "(":
        value, pos = _expr(tokens, pos + 1, cell)
        if tokens[pos] != ("op", ")"):
            raise _Unsupported("unbalanced")
        return value, pos + 1
    if kind == "num":
        parsed = parse_number(text)
        if parsed.value is None:
            raise _Unsupported(text)
        return parsed.value, pos + 1
    if kind == "ref":
        return _number(*_ref(text), cell), pos + 1
    if kind == "func":
        args: list[float] = []
        pos += 1
        while tokens[pos] != ("op", ")"):
            if tokens[pos] == ("op", ","):
                pos += 1
                continue
            if tokens[pos][0] == "range":
                (r0, c0), (r1, c1) = (_ref(p) for p in tokens[pos][1].split(":"))
                for r in range(min(r0, r1), max(r0, r1) + 1):
                    for c in range(min(c0, c1), max(c0, c1) + 1):
                        value = cell(r, c)
                        if value is not None:  # SUM skips blanks, as Excel does
                            args.append(value)
                pos += 1
            else:
                value, pos = _expr(tokens, pos, cell)
                args.append(value)
        if not args:
            return 0.0, pos + 1
        return _FUNCS[text](args), pos + 1
    raise _Unsupported(text)
