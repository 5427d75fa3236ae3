"""Cleaning indicator names: full-width, numbering, units in brackets, punctuation."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from functools import lru_cache

from xlcompare.files.cells import simplified

__all__ = ["clean_name", "split_unit"]


# --------------------------------------------------------------------------------------
# Cleaning names

# ①-⑳ ⓪ ⓫-⓿ ❶-➓ ㉑-㊿: NFKC turns these into bare digits glued to the name ("1电话访问"),
# which could no longer be told apart from a name starting with a number, so strip them first.
_CIRCLED_NUMBER = re.compile(
    r"^\s*[\u2460-\u2473\u24ea-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]\s*[、.,]?\s*"
)
_NUMERAL = r"(?:\d{1,3}(?:\.\d{1,3})*|[一二三四五六七八九十]{1,3}|[a-zA-Z]|[ivxIVX]{1,4})"
# Leading numbering after NFKC: (1) (一) 【1】 / 1. 1、 一、 1.2 a) iv. / "1 " before a name.
# A numeral must be followed by punctuation or a space, so 一户一档 keeps its 一.
_NUMBERING = re.compile(
    rf"^(?:[(\[【〔]\s*{_NUMERAL}\s*[)\]】〕]|{_NUMERAL}\s*[、.,:;)]|\d{{1,3}}\s+(?=\D))\s*"
)
# A bracketed group whose content may be a unit: 电话访问(个) 小组【节】 (单位:人次).
_BRACKET = re.compile(r"[(\[【〔{]\s*([^()\[\]【】〔〕{}]{1,12}?)\s*[)\]】〕}]")
_UNIT_PREFIX = re.compile(r"^单位\s*[:]?\s*")
_EDGE = " \t\r\n\"'“”‘’「」『』《》"


# full-width → half-width, then traditional → simplified: the reader's own conversion
_normalise_text = simplified


def _clean_unit(text: str | None) -> str | None:
    """A unit as written (`（人次）`, `單位：個`, ` 节 `) → its plain form, or None if blank."""
    if text is None:
        return None
    unit = "".join(_normalise_text(str(text)).split()).strip("()[]【】〔〕{}")
    unit = _UNIT_PREFIX.sub("", unit).casefold()
    return unit or None


def _strip_numbering(text: str) -> str:
    # a name can carry two levels ("1.（一）电话访问"), so strip until nothing changes
    for _ in range(3):
        stripped = _NUMBERING.sub("", text, count=1).strip(_EDGE)
        if stripped == text:
            break
        text = stripped
    return text


def split_unit(raw: str, units: Collection[str] | None = None) -> tuple[str, str | None]:
    """Take a unit in brackets out of a name: `电话访问（个）` → (`电话访问`, `个`).

    The name comes back NFKC-normalised and in simplified characters, otherwise as written.
    Only a bracket holding a known unit (the taxonomy's unit families, by default the packaged
    one) is removed; `社区活动（大型）` keeps its bracket. When several units are bracketed the
    last one is returned.
    """
    known = _packaged_units() if units is None else units
    found: list[str] = []

    def drop(m: re.Match[str]) -> str:
        unit = _clean_unit(m.group(1))
        if unit is None or unit not in known:
            return m.group(0)
        found.append(unit)
        return ""

    name = _BRACKET.sub(drop, _normalise_text(raw)).strip()
    return name, (found[-1] if found else None)


def clean_name(raw: str, units: Collection[str] | None = None) -> str:
    """Reduce a name as written to the form names are compared in.

    Full-width → half-width, traditional → simplified, leading numbering (`1.` `1、` `（一）`
    `一、` `①` `(1)`) and units in brackets removed, then every space, punctuation mark,
    quote and symbol dropped and Latin letters case-folded:
    `（三）電 話 訪 問（個）：` → `电话访问`.
    """
    known = _packaged_units() if units is None else frozenset(units)
    return _clean(raw, known)


@lru_cache(maxsize=8192)
def _clean(raw: str, units: frozenset[str]) -> str:
    # the same few hundred names recur in every station's workbook: cache them
    text = _normalise_text(_CIRCLED_NUMBER.sub("", raw)).strip(_EDGE)
    name, _ = split_unit(_strip_numbering(text), units)
    kept = (ch for ch in name if unicodedata.category(ch)[0] in "LN")
    return "".join(kept).casefold()


def _packaged_units() -> frozenset[str]:
    # the packaged taxonomy knows the units; imported here, not at the top, because the
    # taxonomy is built with these cleaning functions
    from xlcompare.taxonomy.taxonomy import _packaged_units as units

    return units()
