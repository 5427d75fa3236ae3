"""Station name, operator, contract period and cut-off from title and period lines.

Each fact records where it was found, so `inspect` can say "cut-off from 附件1!A2". Lines
are matched in Simplified characters (統計時間 is 统计时间); what the model keeps (the
operator's name) is the text as written.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from xlcompare.files.cells import match_text, text_of
from xlcompare.model import OperatorPeriod
from xlcompare.readers.dates import find_dates, find_months, month_end
from xlcompare.readers.layout import Layout
from xlcompare.readers.periods import operator_periods

__all__ = ["Meta", "TextLine", "fact_name", "label_pattern", "line_role", "meta_from_filename",
           "read_meta", "station_from_text"]

# what precedes the street's name in titles: city, district, years, quotes, annex numbers
_PREFIX = re.compile(
    r"附件\s*[0-9一二]?[:：.、]?|[\u4e00-\u9fff]{2,3}[省市]"
    r"|(19|20)\d{2}\s*[-—–~至年度]*\s*((19|20)\d{2})?\s*年?度?"
    r"|[“”\"'《》「」『』()（）_\-\s]"
)
_DISTRICT = re.compile(r"^[\u4e00-\u9fff]{2,3}(区|县|旗)")
# the administrative units a station serves: 街道 / 街, 镇, 乡, 社区, 村
_UNIT = re.compile(r"([\u4e00-\u9fff]{1,6}?)(街道|街|镇|乡|社区|村)(?![道坊口民委里])")
# a 社区 or 村 names the station only right before the station's own word (…村社工站)
_STATION_WORD = re.compile(r"^(社工|社会工作|服务站|工作站|双百|站|综合服务)")
# words that look like a unit's name but are not one (城乡, 农村, 大型社区活动)
_NOT_A_PLACE = re.compile(r"^(城|乡|农|各|全|本|该|此|大型|中小型|小型|城市|乡镇|镇|街|村|社区)$")
_YEAR_MONTH_ONLY = re.compile(r"(20\d{2})\s*[年.\-_]\s*(\d{1,2})\s*月?(?!\d)")
_BARE_MONTH = re.compile(r"(?<![\d年./\-])(1[0-2]|0?[1-9])\s*月(?!\s*\d)")
# "for a year", "for 12 months": a contract line stating its length beside its start
_DURATION = re.compile(r"(?:周期|期限|为期|期)\s*(?:为|是)?\s*(\d{1,2}|一|两|二|三)\s*(个月|年)")
_CN_NUMBER = {"一": 1, "两": 2, "二": 2, "三": 3}
# a range that ends "now": 2024年1月1日至今, …至目前, …到现在
_TO_NOW = re.compile(r"[至到\-—–~]\s*(今|目前|现在|当前|评估)")


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
    # each operator with the days it ran the station, when a line states them
    operators: list[OperatorPeriod] = field(default_factory=list)
    # a cut-off line that says "now" (截至目前), where: never a date of its own
    relative: tuple[str, str] | None = None
    # a cut-off stated as a month without its year (报表月份：12月), placed in the contract
    # year once that is known
    cutoff_month: tuple[int, str] | None = None
    # (code, message, where) of what was assumed or doubted; made Problems of the report
    doubts: list[tuple[str, str, str]] = field(default_factory=list)

    def notes(self) -> list[str]:
        return [f"{fact_name(fact)} 来自 (from) {_WHERE.get(where, where)}"
                for fact, where in self.found.items()]


# what a Chinese reader calls each fact, in the notes `inspect -v` prints
_FACT_NAMES = {"station": "站点", "operator": "承办机构", "contract period": "合同期",
               "contract_start": "合同开始", "contract_end": "合同结束",
               "period_start": "统计开始", "cut-off": "统计截止", "cutoff": "统计截止",
               "operators": "承办机构及其期间"}
_WHERE = {"file name": "文件名 (file name)",
          "file name (end of the month it names)": "文件名，取所写月份的月末 (file name, end of "
                                                   "the month it names)"}


def fact_name(fact: str) -> str:
    """`统计截止(cut-off)`"""
    name = _FACT_NAMES.get(fact)
    return f"{name}({fact})" if name else fact


def station_from_text(text: str) -> str | None:
    """The street, town, township, community or village a title names:
    `广州市瑞宝街“双百工程”社工站…` → 瑞宝街, `…鳌头镇社工服务站` → 鳌头镇, `…龙潭乡社工站` →
    龙潭乡, `…派潭镇高滩村社工站` → 高滩村 (the unit right before the station's own word is
    the one it serves). Matched in Simplified characters: 瑞寶街 is 瑞宝街."""
    cleaned = _DISTRICT.sub("", _PREFIX.sub("", match_text(text)))
    first: str | None = None
    for match in _UNIT.finditer(cleaned):
        name, unit = match.group(1), match.group(2)
        if _NOT_A_PLACE.match(name):
            continue
        before_station = bool(_STATION_WORD.match(cleaned[match.end():]))
        if unit in ("社区", "村") and not (before_station or match.end() == len(cleaned)):
            continue  # 社区活动, 村民: not the station's place
        place = name + ("街" if unit == "街道" else unit)
        if before_station:
            return place
        if first is None and (unit not in ("社区", "村", "乡") or len(name) >= 2):
            first = place
    return first


@lru_cache(maxsize=8)
def label_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _segments(text: str, words: tuple[str, ...]) -> list[tuple[str, str]]:
    """Split a line at each label word: "项目周期：A至B 统计时间：C至D" → two labelled parts."""
    parts = []
    matches = list(label_pattern(words).finditer(text))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        parts.append((match.group(0), text[match.end():end]))
    return parts


_TITLE = re.compile(r"社工|服务站|双百|统计表|情况表")


def line_role(text: str, layout: Layout) -> str | None:
    """How a text line outside the tables counts in the cell map: `title` (the sheet's
    heading), `meta` (an operator, contract or cut-off line), or None (prose)."""
    clean = match_text(text)
    if _segments(clean, layout.cutoff_words + layout.contract_words + layout.operator_words):
        return "meta"
    if operator_periods(text):  # 2024年6月9日至7月8日由明心运营，…: who ran the station when
        return "meta"
    if _TITLE.search(clean) or any(p.search(clean) for p in layout.annex1_title + layout.annex2_title):
        return "title"
    return None


def _operator_name(rest: str) -> str | None:
    name = re.match(r"[:：]?\s*([^;；,，、(（]+?)(?=$|[;；,，、(（]|项目|统计|截至|截止)", rest)
    return name.group(1) if name and len(name.group(1)) >= 4 else None


def _as_written(original: str, matched: str, part: str) -> str:
    """`part` of the Simplified `matched` text, as the `original` writes it (same length:
    the conversion is character for character), else as matched."""
    at = matched.find(part)
    if at < 0 or len(original) != len(matched):
        return part
    return original[at:at + len(part)]


def _months_to_range(months: list[tuple[int, int]]) -> tuple[date, date]:
    (y0, m0), (y1, m1) = months[0], months[-1]
    return date(y0, m0, 1), month_end(y1, m1)


def _one_year_on(start: date, years: int = 1, months: int = 0) -> date:
    total = start.month - 1 + months
    year, month = start.year + years + total // 12, total % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) - timedelta(days=1)


def _contract(meta: Meta, rest: str, where: str) -> None:
    """A contract line: two dates; a start and a length (`实施周期为1年`); or two months
    (`项目周期 2024年10月—2025年10月`: the days are then assumed, and said so)."""
    dates = find_dates(rest)
    if len(dates) >= 2:
        meta.contract_start, meta.contract_end = dates[0], dates[-1]
        meta.found["contract period"] = where
        return
    if len(dates) == 1:
        duration = _DURATION.search(rest)
        starts = re.search(r"(自|从)?\s*$", rest[:rest.find(str(dates[0].year))])
        if duration or re.search(r"\d\s*日?\s*(起|开始)", rest) or (starts and starts.group(1)):
            meta.contract_start = dates[0]
            if duration:
                count = duration.group(1)
                n = int(count) if count.isdigit() else _CN_NUMBER[count]
                years, extra = (n, 0) if duration.group(2) == "年" else divmod(n, 12)
                meta.contract_end = _one_year_on(dates[0], years, extra)
            meta.found["contract period"] = where
        return
    months = find_months(rest)
    if len(months) >= 2:
        start, end = _months_to_range(months)
        (y0, m0), (y1, m1) = months[0], months[-1]
        if (y1 - y0) * 12 + m1 - m0 == 12:
            end = _one_year_on(start)  # 2024年10月—2025年10月 is one year from October
        meta.contract_start, meta.contract_end = start, end
        meta.found["contract period"] = where
        meta.doubts.append((
            "contract-days-assumed",
            f"合同期只写到月份（{rest.strip('：: ')}），按 {start} 至 {end} 计；如有具体日期，请用 "
            "--contract-start / --contract-end 指定", where))


def _cutoff(meta: Meta, label: str, rest: str, where: str, layout: Layout) -> None:
    """A cut-off line: a date (a range gives the statistics period too), a month (its last
    day), or a phrase that says "now" — never turned into a date."""
    dates = find_dates(rest)
    relative = next((w for w in layout.relative_words if w in rest), None)
    if dates and _TO_NOW.search(rest[rest.rfind(str(dates[-1].year)):]):
        # 2024年1月1日至今: the range starts on a date and ends "now", which is no date
        meta.relative = meta.relative or (label + rest, where)
        return
    if dates:
        meta.cutoff = dates[-1]
        if len(dates) >= 2:
            meta.period_start = dates[0]
        meta.found["cut-off"] = where
        return
    months = find_months(rest)
    if months and not relative:
        start, end = _months_to_range(months)
        meta.cutoff = end
        if len(months) >= 2:
            meta.period_start = start
        meta.found["cut-off"] = f"{where}（只写到月份，取月末 (a month: its last day)）"
        return
    if relative:
        meta.relative = meta.relative or (label + rest, where)
        return
    bare = _BARE_MONTH.findall(rest)
    if bare and meta.cutoff_month is None:
        meta.cutoff_month = (int(bare[-1]), where)


def read_meta(lines: list[TextLine], layout: Layout) -> Meta:
    """Facts from the text around the tables, in reading order; the first statement wins."""
    meta = Meta()
    labels = layout.cutoff_words + layout.contract_words + layout.operator_words
    operators: list[OperatorPeriod] = []
    for line in lines:
        original = text_of(line.text)
        text = match_text(line.text)
        segments = _segments(text, labels)
        labelled = any(label in layout.operator_words for label, _ in segments)
        for period in operator_periods(line.text, labelled=labelled):
            if not any(p.name == period.name for p in operators):
                meta.found.setdefault("operators", line.where)
            operators.append(period)
        for label, rest in segments:
            if label in layout.operator_words:
                name = _operator_name(rest)
                if name and meta.operator is None:
                    meta.operator = _as_written(original, text, name)
                    meta.found["operator"] = line.where
                continue
            if label in layout.contract_words:
                if meta.contract_start is None:
                    _contract(meta, rest, line.where)
            elif meta.cutoff is None:
                _cutoff(meta, label, rest, line.where, layout)
        if meta.station is None and _TITLE.search(text):
            station = station_from_text(text)
            if station:
                meta.station = station
                meta.found["station"] = line.where
    meta.operators = operators
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
