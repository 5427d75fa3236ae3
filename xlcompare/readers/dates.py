"""Dates and months as stations write them: 2023年6月15日, 2023.06.15, 2023-6-15, 7月, 2023.07."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

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


# Excel's day numbers for 2000-01-01 and 2099-12-31: a month cell holding one was typed or
# pasted as a date and lost its date format (45444 is 2024-06-01)
_SERIALS = range(36526, 73051 + 1)
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_month(value: object) -> tuple[int | None, int] | None:
    """A month label → (year or None, month); None when the cell is not a month. Called only
    for cells where a month belongs (a month column or a header of months), so a day number
    there is taken as the date it stands for."""
    if isinstance(value, datetime | date):
        return value.year, value.month
    text = text_of(value)
    if not text:
        return None
    serial = _SERIAL_TEXT.match(text)
    if serial and int(serial.group(1)) in _SERIALS:
        day = _EXCEL_EPOCH + timedelta(days=int(serial.group(1)))
        return day.year, day.month
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


_SERIAL_TEXT = re.compile(r"^(\d{5})(?:\.0+)?$")


def month_label(year: int | None, month: int) -> str:
    return f"{year}-{month:02d}" if year else f"{month:02d}"
