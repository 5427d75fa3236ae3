"""Turning cell values as stations type them into numbers, text and A1 references."""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from datetime import date, datetime
from functools import lru_cache
from typing import NamedTuple, overload

import zhconv_rs

__all__ = ["Parsed", "a1", "clean_match", "clean_text", "col_letter", "is_blank", "match_text", "parse_number",
           "simplified", "text_of"]

# Cells people fill with a dash or a word when there is nothing to report.
_BLANK_MARKERS = {"", "-", "--", "—", "——", "/", "\\", "无", "暂无", "不适用", "n/a", "na", "nan"}
_UNIT_SUFFIX = re.compile(r"(个|次|节|人次|名|支|人|小时|h|元|户|场|期)$")
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def col_letter(col: int) -> str:
    """0-based column index → Excel letters (0 → A, 27 → AB)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@lru_cache(maxsize=1 << 14)
def a1(row: int, col: int) -> str:
    """0-based row and column → an A1 reference as Excel shows it."""
    return f"{col_letter(col)}{row + 1}"


_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def clean_text(text: str) -> str:
    """text_of for a non-empty str, for loops over many cells that have checked the type."""
    # cached: headers, categories and indicator names repeat across every station's file
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=1 << 16)
def simplified(text: str) -> str:
    """Full-width → half-width (NFKC), then Traditional → Simplified characters (指標名稱 →
    指标名称, 瑞寶街 → 瑞宝街): the one conversion every text xlcompare matches on goes
    through — indicator names (taxonomy), headers, meta labels, row kinds, station names.
    What the model keeps of a text is the text as written; this is only what it is matched
    as. The Rust build converts in under a microsecond; cached, since labels repeat."""
    return zhconv_rs.zhconv(unicodedata.normalize("NFKC", text), "zh-hans")


def match_text(value: object) -> str:
    """text_of, in Simplified characters: what a cell is compared with layout.toml as."""
    if value.__class__ is str:
        return clean_match(value) if value else ""
    if not isinstance(value, str):
        return text_of(value)  # a number or a date: no characters to convert
    text = text_of(value)
    return simplified(text) if text else text


@lru_cache(maxsize=1 << 16)
def clean_match(text: str) -> str:
    """match_text for a non-empty str (clean_text, then simplified), cached as one step."""
    return simplified(clean_text(text))


def text_of(value: object) -> str:
    """A cell as clean text: NFKC (full-width → half-width), inner whitespace removed."""
    if value.__class__ is str:  # most calls, first
        return clean_text(value) if value else ""
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_text(value) if value else ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return clean_text(str(value))


@overload
def shared_text(text: str) -> str: ...
@overload
def shared_text(text: None) -> None: ...
@overload
def shared_text(text: str | None) -> str | None: ...
def shared_text(text: str | None) -> str | None:
    """One string object for text every station repeats: a province's batch holds the same
    ~30 indicator names, categories and units some 10,000 times (issue 7, memory)."""
    return sys.intern(text) if text else text


def is_blank(value: object) -> bool:
    return match_text(value).lower() in _BLANK_MARKERS


class Parsed(NamedTuple):
    """A number read from a cell; `percent` when the cell said so (`51.29%`). A tuple, not a
    frozen dataclass: one is made per figure cell, and a tuple is made in a fifth of the time.
    A non-blank cell that is not a number has an `error` (words) and its `code` (the Problem
    code the reader reports it under: `not-a-number`, `error-value` ...)."""

    value: float | None
    percent: bool = False
    error: str | None = None  # why a non-blank cell is not a number
    code: str | None = None  # that, as a codes.PROBLEM_CODES code


def parse_number(value: object) -> Parsed:
    """Read a figure from a cell: numbers, text numbers, full-width digits, `1,842`, `51.29%`.

    Blank cells and dash markers give value None without error; text that is not a number
    gives value None with an error, so the caller can report the cell rather than use 0.
    """
    if value.__class__ is float and value - value == 0:  # finite: the common case, first
        return Parsed(value)
    if value is None or isinstance(value, bool):
        return Parsed(None)
    if isinstance(value, int | float):
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            return Parsed(None, error=f"不是有限数值 (not a finite number: {value})",
                          code="not-finite")
        return Parsed(number)
    if isinstance(value, datetime | date):
        return Parsed(None, error=f"此处应为数字，却是日期 {value} (a date where a number belongs)",
                      code="date-not-number")
    return _parse_text(str(value))


@lru_cache(maxsize=1 << 16)
def _parse_text(value: str) -> Parsed:
    text = text_of(value)
    if text.lower() in _BLANK_MARKERS or simplified(text).lower() in _BLANK_MARKERS:  # 無
        return Parsed(None)
    if text.startswith("#"):
        return Parsed(None, error=f"错误值 {text} (error value)", code="error-value")
    percent = text.endswith("%") or text.endswith("％")
    core = text.rstrip("%％").replace(",", "").replace("，", "")
    # units typed after the figure ("12个", "3.5小时") are common; the figure is what counts
    core = _UNIT_SUFFIX.sub("", core)
    # 万 is ten thousand, not a unit: "7.62万元" is 76200 (元), never 7.62
    scale = 10000.0 if core.endswith("万") and not percent else 1.0
    core = core[:-1] if scale != 1.0 else core
    if not _NUMBER_RE.match(core):
        return Parsed(None, error=f"不是数字 (not a number): {str(value).strip()!r}",
                      code="not-a-number")
    number = round(float(core) * scale, 6) if scale != 1.0 else float(core)
    if math.isinf(number):
        return Parsed(None, error=f"不是有限数值 (not a finite number): {str(value).strip()!r}",
                      code="not-finite")
    # round away the float noise of /100 (31.67% → 0.3167, not 0.31670000000000004)
    return Parsed(round(number / 100, 12) if percent else number, percent=percent)
