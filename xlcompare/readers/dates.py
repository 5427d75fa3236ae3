"""Dates and months as stations write them: 2023年6月15日, 2023.06.15, 2023-6-15, 7月, 2023.07."""

from __future__ import annotations

import re
from datetime import date, datetime

from xlcompare.files.cells import text_of

__all__ = ["find_dates", "parse_month", "month_label"]

_FULL_DATE = re.compile(r"(20\d{2}|19\d{2})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?")
_COMPACT_DATE = re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)")
_YEAR_MONTH = re.compile(r"(20\d{2}|19\d{2})\s*[年./\-]\s*(\d{1,2})\s*月?(?![\d.])")
_MONTH_ONLY = re.compile(r"^(\d{1,2})月(份)?")
_CN_MONTHS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
              "十": 10, "十一": 11, "十二": 12}
_CN_MONTH = re.compile(r"^(十一|十二|十|[一二三四五六七八九])月(份)?")


def find_dates(text: str) -> list[date]:
    """Every full date in a line of text, in order of appearance (invalid dates skipped)."""
    text = text_of(text)
    found: list[tuple[int, date]] = []
    for pattern in (_FULL_DATE, _COMPACT_DATE):
        for match in pattern.finditer(text):
            try:
                found.append((match.start(), date(*(int(g) for g in match.groups()))))
            except ValueError:
                continue
        if found:
            break
    return [d for _, d in sorted(found)]


def parse_month(value: object) -> tuple[int | None, int] | None:
    """A month label → (year or None, month); None when the cell is not a month."""
    if isinstance(value, datetime | date):
        return value.year, value.month
    text = text_of(value)
    if not text:
        return None
    match = _YEAR_MONTH.search(text)
    if match and 1 <= int(match.group(2)) <= 12:
        return int(match.group(1)), int(match.group(2))
    match = _MONTH_ONLY.match(text)
    if match and 1 <= int(match.group(1)) <= 12:
        return None, int(match.group(1))
    match = _CN_MONTH.match(text)
    if match:
        return None, _CN_MONTHS[match.group(1)]
    return None


def month_label(year: int | None, month: int) -> str:
    return f"{year}-{month:02d}" if year else f"{month:02d}"
