"""Station name, operator, contract period and cut-off from title and period lines.

Each fact records where it was found, so `inspect` can say "cut-off from 附件1!A2".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from xlcompare.files.cells import text_of
from xlcompare.readers.dates import find_dates
from xlcompare.readers.layout import Layout

__all__ = ["Meta", "TextLine", "fact_name", "line_role", "meta_from_filename", "read_meta",
           "station_from_text"]

# what precedes the street's name in titles: city, district, years, quotes, annex numbers
_PREFIX = re.compile(
    r"附件\s*[0-9一二]?[:：.、]?|[\u4e00-\u9fff]{2,3}市|(19|20)\d{2}\s*[-—–~至年度]*\s*((19|20)\d{2})?\s*年?度?"
    r"|[“”\"'《》「」()（）_\-\s]"
)
_DISTRICT = re.compile(r"^[\u4e00-\u9fff]{2,3}区")
_STATION = re.compile(r"([\u4e00-\u9fff]{1,6}?)(街道|街|镇)(?![道坊])")
_YEAR_MONTH_ONLY = re.compile(r"(20\d{2})\s*[年.\-_]\s*(\d{1,2})\s*月?(?!\d)")


@dataclass(frozen=True)
class TextLine:
    where: str  # "附件1!A2" or "file name"
    text: str
    cell: tuple[int, int] = (-1, -1)  # row and column in its sheet, when it is a cell


@dataclass
class Meta:
    station: str | None = None
    operator: str | None = None
    contract_start: date | None = None
    contract_end: date | None = None
    period_start: date | None = None
    cutoff: date | None = None
    found: dict[str, str] = field(default_factory=dict)  # fact → where it was found

    def notes(self) -> list[str]:
        return [f"{fact_name(fact)} 来自 (from) {_WHERE.get(where, where)}"
                for fact, where in self.found.items()]


# what a Chinese reader calls each fact, in the notes `inspect -v` prints
_FACT_NAMES = {"station": "站点", "operator": "承办机构", "contract period": "合同期",
               "contract_start": "合同开始", "contract_end": "合同结束",
               "period_start": "统计开始", "cut-off": "统计截止", "cutoff": "统计截止"}
_WHERE = {"file name": "文件名 (file name)",
          "file name (end of the month it names)": "文件名，取所写月份的月末 (file name, end of "
                                                   "the month it names)"}


def fact_name(fact: str) -> str:
    """`统计截止(cut-off)`"""
    name = _FACT_NAMES.get(fact)
    return f"{name}({fact})" if name else fact


def station_from_text(text: str) -> str | None:
    """The street or town a title names: `广州市瑞宝街“双百工程”社工站…` → 瑞宝街."""
    cleaned = _DISTRICT.sub("", _PREFIX.sub("", text_of(text)))
    match = _STATION.search(cleaned)
    if not match:
        return None
    return match.group(1) + ("镇" if match.group(2) == "镇" else "街")


@lru_cache(maxsize=8)
def _label_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _segments(text: str, words: tuple[str, ...]) -> list[tuple[str, str]]:
    """Split a line at each label word: "项目周期：A至B 统计时间：C至D" → two labelled parts."""
    parts = []
    matches = list(_label_pattern(words).finditer(text))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        parts.append((match.group(0), text[match.end():end]))
    return parts


_TITLE = re.compile(r"社工|服务站|双百|统计表|情况表")


def line_role(text: str, layout: Layout) -> str | None:
    """How a text line outside the tables counts in the cell map: `title` (the sheet's
    heading), `meta` (an operator, contract or cut-off line), or None (prose)."""
    clean = text_of(text)
    if _segments(clean, layout.cutoff_words + layout.contract_words + layout.operator_words):
        return "meta"
    if _TITLE.search(clean) or any(p.search(clean) for p in layout.annex1_title + layout.annex2_title):
        return "title"
    return None


def read_meta(lines: list[TextLine], layout: Layout) -> Meta:
    """Facts from the text around the tables, in reading order; the first statement wins."""
    meta = Meta()
    labels = layout.cutoff_words + layout.contract_words + layout.operator_words
    for line in lines:
        text = text_of(line.text)
        for label, rest in _segments(text, labels):
            if label in layout.operator_words:
                name = re.match(r"[:：]?\s*([^;；,，、]+?)(?=$|[;；,，、]|项目|统计|截至|截止)", rest)
                if name and meta.operator is None and len(name.group(1)) >= 4:
                    meta.operator = name.group(1)
                    meta.found["operator"] = line.where
                continue
            dates = find_dates(rest)
            if not dates:
                continue
            if label in layout.contract_words:
                if meta.contract_start is None and len(dates) >= 2:
                    meta.contract_start, meta.contract_end = dates[0], dates[-1]
                    meta.found["contract period"] = line.where
            elif meta.cutoff is None:
                meta.cutoff = dates[-1]
                if len(dates) >= 2:
                    meta.period_start = dates[0]
                meta.found["cut-off"] = line.where
        if meta.station is None and _TITLE.search(text):
            station = station_from_text(text)
            if station:
                meta.station = station
                meta.found["station"] = line.where
    return meta


def meta_from_filename(name: str, meta: Meta) -> None:
    """Fill what the content did not state from the file name (staff name files sensibly)."""
    if meta.station is None:
        station = station_from_text(name)
        if station:
            meta.station = station
            meta.found["station"] = "file name"
    if meta.cutoff is None:
        dates = find_dates(name)
        if dates:
            meta.cutoff = dates[-1]
            meta.found["cut-off"] = "file name"
        else:
            match = _YEAR_MONTH_ONLY.search(text_of(name))
            if match and 1 <= int(match.group(2)) <= 12:
                year, month = int(match.group(1)), int(match.group(2))
                meta.cutoff = date(year, month, calendar.monthrange(year, month)[1])
                meta.found["cut-off"] = "file name (end of the month it names)"
