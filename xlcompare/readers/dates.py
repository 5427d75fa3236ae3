"""Dates and months as stations write them: 2023年6月15日, 2023.06.15, 2023-6-15, 7月, 2023.07."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from xlcompare.files.cells import text_of

__all__ = ["date_of_cell", "find_dates", "find_months", "find_range", "month_end",
           "month_label", "parse_month"]

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


def month_end(year: int, month: int) -> date:
    """The last day of a month: a cut-off stated as a month (`报表月份：2024年12月`)."""
    return date(year, month, calendar.monthrange(year, month)[1])


# 2024年7月, 2024.07, 2024-7, 2024/07 (not followed by a day), or a bare 12月 after one of
# those in the same line (2024年7月—12月: the year carries over)
_MONTH_IN_LINE = re.compile(
    r"(?:(?P<year>20\d{2}|19\d{2})\s*[年./\-]\s*|(?<![\d.]))(?P<month>\d{1,2})(?!\d)\s*"
    r"(?P<word>月份?)?(?![\d.月])(?!\s*[日号\d])")


def find_months(text: str) -> list[tuple[int, int]]:
    """Every (year, month) a line names without a day, in order: `2024年7月—12月` →
    [(2024, 7), (2024, 12)]. A month without its year takes the year before it (the next
    year when it is earlier: 2024年11月至2月 ends in 2025); one with no year before it is
    not a month of any year, and is left out."""
    text = text_of(text)
    found: list[tuple[int, int]] = []
    year: int | None = None
    for match in _MONTH_IN_LINE.finditer(text):
        month = int(match.group("month"))
        if not 1 <= month <= 12:
            continue
        if match.group("year"):
            year = int(match.group("year"))
        elif not match.group("word") or year is None:
            continue  # a bare number is not a month; nor is 12月 without a year before it
        elif found and month < found[-1][1] and year == found[-1][0]:
            year += 1
        found.append((year, month))
    return found


# the end of a range written without its year, after a full date: 2024年6月9日至7月8日,
# 2024.6.9-7.8
_PARTIAL_END = re.compile(r"^\s*[至到\-—–~－]+\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?(?![\d])")


def find_range(text: str) -> list[date]:
    """find_dates, with the end of a range that leaves out its year read too
    (`2024年6月9日至7月8日` → 2024-06-09, 2024-07-08)."""
    text = text_of(text)
    found = find_dates(text)
    if len(found) != 1:
        return found
    match = _FULL_DATE.search(text) or _COMPACT_DATE.search(text)
    if match is None:
        return found
    partial = _PARTIAL_END.match(text[match.end():])
    if partial is None:
        return found
    start = found[0]
    try:
        end = date(start.year, int(partial.group(1)), int(partial.group(2)))
    except ValueError:
        return found
    if end < start:
        try:
            end = end.replace(year=end.year + 1)
        except ValueError:
            return found
    return [start, end]


def date_of_cell(value: object) -> date | None:
    """A cell beside a date label as the date it holds: a date cell, or an Excel day
    number (a date that lost its format: 45657 is 2024-12-31), or None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and float(value).is_integer() and int(value) in _SERIALS:
        return _EXCEL_EPOCH + timedelta(days=int(value))
    serial = _SERIAL_TEXT.match(text_of(value)) if isinstance(value, str) else None
    if serial and int(serial.group(1)) in _SERIALS:
        return _EXCEL_EPOCH + timedelta(days=int(serial.group(1)))
    return None


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
