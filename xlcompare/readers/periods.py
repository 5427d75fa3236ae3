"""A change of operator inside one contract year: who ran the station when, and which months
of 附件2 fall to whom.

官洲街 (the seeds): 广州市明心社会工作服务中心 from 2024-06-09 to 2024-07-08, then 广州市越秀区穗青
社会工作服务中心 from 2024-07-09. Stations say it on an operator line naming both with their dates
(`承办机构：A（2024年6月9日至2024年7月8日）、B（2024年7月9日起）`), in a note (`2024年6月9日至2024年7月8日
由A运营，2024年7月9日起由B运营`), or above each of two period tables of 附件2.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import lru_cache

from xlcompare.files.cells import simplified, text_of
from xlcompare.model import AttendanceMonth, OperatorPeriod, Period
from xlcompare.readers.dates import find_range

__all__ = ["assign_periods", "merge_periods", "operator_at", "operator_periods",
           "range_label"]

# an organisation's name ends in one of these (社会工作服务中心, 协会, 服务社, 有限公司 …)
_ORG = re.compile(r"[\u4e00-\u9fff()]{2,40}?(?:中心|协会|服务社|事务所|公司|基金会|研究院|服务站)")
# what runs a station, in a clause that names an organisation and its dates
_RUNS = re.compile(r"运营|承办|承接|接手|负责|接管")
# where one operator's clause ends and the next begins
_CLAUSE = re.compile(r"[;；,，、。](?![^()]*\))")
_DATE_TEXT = re.compile(
    r"(19|20)\d{2}\s*[年./\-]\s*\d{1,2}\s*[月./\-]\s*\d{1,2}\s*日?"
    r"(\s*[至到\-—–~－]+\s*(\d{1,2}\s*[月./\-]\s*\d{1,2}\s*日?))?")
_NOT_NAME = re.compile(r"^(由|自|从|于|起|至|止|到|并|已|现|原|后|前|期间|开始|负责|运营|承办|承接|机构|单位)+")


def _org(clause: str) -> str | None:
    """The organisation a clause names (its dates, labels and verbs taken out), or None."""
    text = _DATE_TEXT.sub("|", clause)
    text = re.sub(r"[:：]", "|", text)
    text = re.sub(r"(承办机构|承办方|承办单位|运营机构|承接机构|承接单位|服务机构|运营单位)", "|", text)
    text = re.sub(r"\(\s*[|起至止前后到]*\s*\)", "|", text)  # the parentheses the dates were in
    names = []
    for part in re.split(r"[|\s]", text):
        part = _NOT_NAME.sub("", part.strip("()"))
        match = _ORG.search(part)
        if match:
            names.append(_NOT_NAME.sub("", match.group(0)).strip("()"))
    names = [n for n in names if len(n) >= 4]
    return names[0] if len(names) == 1 else None


def operator_periods(text: str, *, labelled: bool = False) -> list[OperatorPeriod]:
    """Each organisation a line names with the dates it ran the station. `labelled`: the
    line is an operator line (承办机构：…), so a clause needs no verb (运营, 承办) to count.
    A clause with one organisation and no date is kept (as an operator with no dates) only
    when another clause of the line has dates. [] when the line states no period."""
    if not isinstance(text, str) or not _MAYBE.search(simplified(text)):
        return []  # no date and no organisation: most lines, at once
    return list(_operator_periods(text, labelled))


# a line that may state a period holds a year and an organisation's ending
_MAYBE = re.compile(r"(19|20)\d{2}.*(中心|协会|服务社|事务所|公司|基金会|研究院|服务站)"
                    r"|(中心|协会|服务社|事务所|公司|基金会|研究院|服务站).*(19|20)\d{2}", re.S)


@lru_cache(maxsize=1 << 12)
def _operator_periods(text: str, labelled: bool) -> tuple[OperatorPeriod, ...]:
    clean = text_of(text)
    matched = simplified(clean)
    if len(clean) != len(matched):  # the Traditional and Simplified texts differ in length
        clean = matched
    periods: list[OperatorPeriod] = []
    dated = False
    start_at = 0
    for part in _CLAUSE.split(matched) + [""]:
        end_at = start_at + len(part)
        original = clean[start_at:end_at]
        start_at = end_at + 1
        if not part:
            continue
        if not labelled and not _RUNS.search(part):
            continue
        name = _org(part)
        if name is None:
            continue
        name = original[part.index(name):part.index(name) + len(name)] or name
        dates = find_range(part)
        start = end = None
        if len(dates) >= 2:
            start, end = dates[0], dates[-1]
        elif len(dates) == 1:
            at = _DATE_TEXT.search(part)
            after = part[at.end():] if at else ""
            before = part[:at.start()] if at else ""
            if re.match(r"\s*(起|开始|以后|后|之后)", after) or re.search(r"(自|从|于)\s*$", before):
                start = dates[0]
            elif re.search(r"(至|到|止|截至|截止)\s*$", before) or re.match(r"\s*(止|前|为止)", after):
                end = dates[0]
            else:
                continue  # a date that is neither a start nor an end: not a period
        dated = dated or start is not None or end is not None
        periods.append(OperatorPeriod(name, start, end))
    return tuple(periods) if dated else ()


def merge_periods(found: Iterable[OperatorPeriod]) -> list[OperatorPeriod]:
    """One period per operator (the same name stated twice is one, its dates combined),
    in the order of their starts; an open end is closed by the next operator's start."""
    by_name: dict[str, OperatorPeriod] = {}
    for period in found:
        key = simplified(period.name)
        seen = by_name.get(key)
        if seen is None:
            by_name[key] = period
        else:
            by_name[key] = OperatorPeriod(seen.name, seen.start or period.start,
                                          seen.end or period.end)
    ordered = sorted(by_name.values(), key=lambda p: (p.start or p.end or date.min))
    closed: list[OperatorPeriod] = []
    for i, period in enumerate(ordered):
        after = ordered[i + 1] if i + 1 < len(ordered) else None
        end = period.end
        if end is None and after is not None and after.start is not None:
            end = after.start - timedelta(days=1)
        start = period.start
        if start is None and i > 0 and closed[-1].end is not None:
            start = closed[-1].end + timedelta(days=1)
        closed.append(OperatorPeriod(period.name, start, end))
    return closed


def operator_at(periods: Sequence[OperatorPeriod], day: date | None) -> OperatorPeriod | None:
    """The operator running the station on `day` (the cut-off); without a day, the latest;
    None when no period holds the day (a note about an earlier year's operator)."""
    if not periods:
        return None
    if day is None:
        return periods[-1]
    for period in periods:
        if (period.start is None or period.start <= day) and (
                period.end is None or day <= period.end):
            return period
    return None


def range_label(start: date, end: date) -> str:
    """A 附件2 row covering days rather than a month: `2024-06-09…2024-07-08`."""
    return f"{start.isoformat()}…{end.isoformat()}"


_RANGE_LABEL = re.compile(r"^(\d{4}-\d{2}-\d{2})…(\d{4}-\d{2}-\d{2})$")
_MONTH_LABEL = re.compile(r"^(\d{4})-(\d{2})$")


def _days(label: str) -> tuple[date, date] | None:
    match = _RANGE_LABEL.match(label)
    if match:
        return date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2))
    match = _MONTH_LABEL.match(label)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        first = date(year, month, 1)
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        return first, last
    return None


def _overlap(span: tuple[date, date], period: OperatorPeriod) -> int:
    start = max(span[0], period.start or date.min)
    end = min(span[1], period.end or date.max)
    return (end - start).days + 1 if end >= start else 0


def assign_periods(months: Sequence[AttendanceMonth], periods: Sequence[OperatorPeriod],
                   hints: dict[str, str]) -> tuple[list[Period], list[str]]:
    """The months of each operator's period, and notes on how each was decided: by the
    operator its table or section names (`hints`: month → the text above it), else by the
    days it shares with each period (a month the change falls in goes to the operator who
    ran most of it: 2024-07 to 穗青, from the 9th)."""
    chosen: dict[str, list[str]] = {p.name: [] for p in periods}
    notes: list[str] = []
    for month in months:
        hint = simplified(hints.get(month.month, ""))
        named = [p for p in periods if hint and simplified(p.name) in hint]
        if len(named) == 1:
            chosen[named[0].name].append(month.month)
            continue
        span = _days(month.month)
        if span is None:
            notes.append(f"{month.month} 无法判断属于哪个承办机构的期间 (not placed in a period)")
            continue
        shares = [(_overlap(span, p), n) for n, p in enumerate(periods)]
        best, index = max(shares)
        if best == 0:
            notes.append(f"{month.month} 不在任何承办机构的期间内 (outside every operator's period)")
            continue
        if sum(1 for share, _ in shares if share) > 1:
            notes.append(f"{month.month} 跨两个承办机构的期间，按天数多者计入 "
                         f"{periods[index].name} (the change falls in this month)")
        chosen[periods[index].name].append(month.month)
    return [Period(p.name, p.start, p.end, tuple(chosen[p.name])) for p in periods], notes
