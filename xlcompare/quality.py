"""Data quality: figures of one report that cannot all be true, by validation rules kept as
data (data/rules.toml, and a district's `xlcompare-rules.toml` beside the workbooks) — each
violation said as 请核实 with its figures and the cells they stand in, never as 滞后.

A rule is `left <op> right`, each side a sum of products of terms: an indicator's 完成量 by
its taxonomy id (`case_closed`), its target (`target:case_closed`), an 附件2 total
(`attendance.actual_total`), a staffing fact (`staffing.contract_staff`), `months`, or a
number. A term ending in `?` counts as 0 when absent; any other absent term skips the rule,
so a report that does not state a figure is never accused of breaking a rule about it.
"""

from __future__ import annotations

import calendar
import hashlib
import operator
import re
import statistics
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from xlcompare.display import number
from xlcompare.errors import ConfigError
from xlcompare.messages import Message
from xlcompare.model import Source
from xlcompare.paths import PathArg, read_user_toml

if TYPE_CHECKING:  # judge.py holds the rules in its settings; comparison imports judge
    from xlcompare.comparison import StationResult

__all__ = ["RULES_NAME", "Arrival", "Flag", "MonthReporting", "ReportFigures", "Rule", "check_rules",
           "load_rules", "modified_z", "reporting", "series_flags", "district_flags"]

RULES_NAME = "xlcompare-rules.toml"  # a district's own rules, beside the workbooks

_OPS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le, ">=": operator.ge, "==": operator.eq, "<": operator.lt, ">": operator.gt}
_TERM = re.compile(r"^(?:target:)?[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?\??$|^\d+(?:\.\d+)?$")
_ATTENDANCE = ("expected_total", "actual_total", "expected_certified", "actual_certified",
               "actual_uncertified")
_STAFFING = ("contract_staff", "average_staff", "certified", "two_years_plus",
             "continuously_in_post", "training_hours_required", "training_hours_done",
             "supervision_hours")

# a side: terms added or taken away, each a product of factors
Side = tuple[tuple[int, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Rule:
    id: str
    left: Side
    op: str
    right: Side
    message: str
    tolerance: float = 0.01
    text: str = ""  # as written: `case_closed <= case_intake + case_carried_over?`


@dataclass(frozen=True)
class Flag:
    """Something in a report to check with the station (请核实): what, with the figures, and
    the cells they come from."""

    station: str
    cutoff: date | None
    code: str  # codes.QUALITY_CODES
    rule: str  # the rule's id, or what found it
    message: str
    sources: tuple[Source, ...] = ()
    subject: str = ""  # the indicator it is about, where the rule alone does not say
    verified: str | None = None  # an officer's note, once marked 已核实

    @property
    def key(self) -> str:
        """What identifies the flag across runs: its station, report, rule and subject (an
        已核实 mark is kept under it)."""
        return f"{self.station}|{self.cutoff}|{self.code}|{self.rule}|{self.subject}"

    @property
    def ident(self) -> str:
        """A short name for the flag that an officer can type (`xlcompare verify … Q1A2B3`)."""
        return "Q" + hashlib.sha1(self.key.encode()).hexdigest()[:6].upper()

    @property
    def where(self) -> str:
        return "；".join(f"{Path(s.file).name} {s.sheet}!{s.cell}" if s.sheet else Path(s.file).name
                        for s in self.sources)


def _side(text: str, where: str) -> Side:
    terms: list[tuple[int, tuple[str, ...]]] = []
    for sign, chunk in re.findall(r"([+-]?)\s*([^+-]+)", text.strip()):
        factors = tuple(f.strip() for f in chunk.split("*"))
        if not factors or not all(_TERM.match(f) for f in factors):
            raise ConfigError(Message("config-invalid.rule-term", where=where,
                                      term=chunk.strip()), file=where.split(" ")[0])
        terms.append((-1 if sign == "-" else 1, factors))
    if not terms:
        raise ConfigError(Message("config-invalid.rule-empty", where=where),
                          file=where.split(" ")[0])
    return tuple(terms)


def _rules_of(data: dict, source: str) -> list[Rule]:
    rules = []
    for n, entry in enumerate(data.get("rule", []), start=1):
        where = f"{source} [[rule]] {n}"
        try:
            rule_id, op, message = entry["id"], entry["op"], entry["message"]
            left, right = entry["left"], entry["right"]
        except KeyError as missing:
            raise ConfigError(Message("config-invalid.rule-missing", where=where,
                                      key=missing.args[0]), file=source) from None
        if op not in _OPS:
            raise ConfigError(Message("config-invalid.rule-op", where=where, ops=" ".join(_OPS),
                                      op=op), file=source)
        rules.append(Rule(rule_id, _side(left, where), op, _side(right, where), message,
                          float(entry.get("tolerance", 0.01)), f"{left} {op} {right}"))
    return rules


@cache
def _packaged() -> tuple[Rule, ...]:
    text = resources.files("xlcompare").joinpath("data/rules.toml").read_text("utf-8")
    return tuple(_rules_of(tomllib.loads(text), "rules.toml"))


def load_rules(extra: Iterable[PathArg] = ()) -> tuple[Rule, ...]:
    """The packaged rules, then each user file's: a rule with a packaged id replaces it."""
    rules = {r.id: r for r in _packaged()}
    for path in extra:
        data = read_user_toml(path, "config-invalid.rules-unreadable")
        rules.update((r.id, r) for r in _rules_of(data, str(path)))
    return tuple(rules.values())


class _Figures:
    """A report's figures by the names rules use, with the cell of each."""

    def __init__(self, result: StationResult) -> None:
        self.completed: dict[str, tuple[float, Source | None]] = {}
        self.targets: dict[str, tuple[float, Source | None]] = {}
        for judged in result.rows:
            row = judged.row
            if row.id is None or row.duplicate or row.derived:
                continue  # an indicator stated twice is already a problem of its own
            if row.row.completed is not None:
                self.completed.setdefault(row.id, (row.row.completed, row.row.source))
            if row.row.target is not None:
                self.targets.setdefault(row.id, (row.row.target, row.row.source))
        self.report = result.report

    def value(self, name: str) -> tuple[float, Source | None] | None:
        if re.match(r"^\d", name):
            return float(name), None
        if name.startswith("target:"):
            return self.targets.get(name[len("target:"):])
        if name == "months":
            att = self.report.attendance
            return (float(len(att.months)), None) if att and att.months else None
        kind, _, fact = name.partition(".")
        if kind == "attendance" and fact in _ATTENDANCE:
            att = self.report.attendance
            total = att.total(fact) if att else None
            first = att.months[0].source if att and att.months else None
            return (total, first) if total is not None else None
        if kind == "staffing" and fact in _STAFFING:
            value = getattr(self.report.staffing, fact, None) if self.report.staffing else None
            return (value, None) if value is not None else None
        return self.completed.get(name)


def _evaluate(side: Side, figures: _Figures) -> tuple[float, list[tuple[str, float, Source | None]]] | None:
    total, used = 0.0, []
    for sign, factors in side:
        product = 1.0
        for factor in factors:
            optional = factor.endswith("?")
            name = factor.rstrip("?")
            found = figures.value(name)
            if found is None:
                if not optional:
                    return None
                product = 0.0
                continue
            value, source = found
            product *= value
            if not re.match(r"^\d", name):
                used.append((name, value, source))
        total += sign * product
    return total, used


def check_rules(result: StationResult, rules: Sequence[Rule],
                names: Callable[[str], str] | None = None) -> tuple[Flag, ...]:
    """Every rule the report's figures break, as a Flag with both sides' figures and cells.
    `names` turns an indicator id into the name people know (the taxonomy's)."""
    figures = _Figures(result)
    flags = []
    for rule in rules:
        left, right = _evaluate(rule.left, figures), _evaluate(rule.right, figures)
        if left is None or right is None:
            continue
        (lv, lused), (rv, rused) = left, right
        holds = (abs(lv - rv) <= rule.tolerance if rule.op == "=="
                 else _OPS[rule.op](lv, rv) or (rule.op in ("<=", ">=")
                                                and abs(lv - rv) <= rule.tolerance))
        if holds:
            continue
        said = "，".join(f"{_named(name, names)} {number(value)}" for name, value, _ in
                        dict.fromkeys((n, v, s) for n, v, s in lused + rused))
        sources = tuple(dict.fromkeys(s for _, _, s in lused + rused if s is not None))
        flags.append(Flag(result.name, result.report.cutoff, code="rule-violated", rule=rule.id,
                          message=f"{rule.message}（{said}），请核实", sources=sources))
    return tuple(flags)


_WORDS = {"attendance.expected_total": "总应到", "attendance.actual_total": "总实到",
          "attendance.expected_certified": "持证应到", "attendance.actual_certified": "持证实到",
          "attendance.actual_uncertified": "非持证实到", "staffing.contract_staff": "协议配备社工",
          "staffing.average_staff": "平均配备社工", "staffing.certified": "持证社工",
          "staffing.two_years_plus": "从业两年以上", "staffing.continuously_in_post": "持续在岗",
          "staffing.training_hours_required": "继续教育要求时数",
          "staffing.training_hours_done": "继续教育完成时数",
          "staffing.supervision_hours": "督导时数", "months": "月数"}


def _named(name: str, names: Callable[[str], str] | None) -> str:
    if name in _WORDS:
        return _WORDS[name]
    if name.startswith("target:"):
        return f"{_named(name[len('target:'):], names)}协议指标量"
    return names(name) if names else name


# ---------------------------------------------------------------- across a station's reports


@dataclass(frozen=True)
class ReportFigures:
    """What the checks across reports need of one report of a station: its cut-off, its
    contract year, and each indicator's completed figure and target with their cell."""

    cutoff: date
    contract_start: date | None
    completed: dict[str, tuple[float, Source | None]]
    targets: dict[str, tuple[float, Source | None]]

    @classmethod
    def of(cls, result: StationResult) -> ReportFigures | None:
        report = result.report
        if report.cutoff is None:
            return None
        figures = _Figures(result)
        return cls(report.cutoff, report.contract_start, figures.completed, figures.targets)


def _months_between(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def series_flags(station: str, reports: Sequence[ReportFigures],
                 names: Callable[[str], str] | None = None, *,
                 threshold: float = 3.5, min_increases: int = 5,
                 min_relative: float = 0.5) -> tuple[Flag, ...]:
    """Checks across one station's reports, oldest first, within each contract year: a
    cumulative figure that falls from one report to the next, an annual target that changes,
    and a monthly increase far outside the station's own (modified z-score over the median
    and MAD of its increases, above `threshold`; from `min_increases` increases on; and off
    the usual increase by at least `min_relative` of it, since a station whose months are
    nearly alike has a tiny MAD that would make an ordinary month look extreme)."""
    flags: list[Flag] = []
    ordered = sorted(reports, key=lambda r: r.cutoff)
    years: dict[date | None, list[ReportFigures]] = {}
    for report in ordered:
        years.setdefault(report.contract_start, []).append(report)
    for year in years.values():
        for before, after in zip(year, year[1:], strict=False):
            flags += _falls_and_changes(station, before, after, names)
        flags += _outliers(station, year, names, threshold, min_increases, min_relative)
    return tuple(flags)


def _falls_and_changes(station: str, before: ReportFigures, after: ReportFigures,
                       names: Callable[[str], str] | None) -> list[Flag]:
    flags = []
    for kind, old, new in (("completed", before.completed, after.completed),
                           ("target", before.targets, after.targets)):
        for key, (value, source) in new.items():
            if key not in old:
                continue
            previous, previous_source = old[key]
            sources = tuple(s for s in (previous_source, source) if s is not None)
            name = _named(key, names)
            if kind == "completed" and value < previous - 0.01:
                flags.append(Flag(station, after.cutoff, code="cumulative-fell", rule="累计数下降",
                                  subject=key,
                                  message=f"{name}：{before.cutoff} 累计完成 {number(previous)}，"
                                          f"{after.cutoff} 为 {number(value)}，累计数不应减少，请核实",
                                  sources=sources))
            elif kind == "target" and abs(value - previous) > 0.01:
                flags.append(Flag(station, after.cutoff, code="target-changed", rule="年度指标变更",
                                  subject=key,
                                  message=f"{name}：协议指标量由 {number(previous)}（{before.cutoff}）"
                                          f"改为 {number(value)}（{after.cutoff}），请核实是否经过批准",
                                  sources=sources))
    return flags


def _outliers(station: str, year: list[ReportFigures], names: Callable[[str], str] | None,
              threshold: float, min_increases: int, min_relative: float) -> list[Flag]:
    flags = []
    keys = dict.fromkeys(k for r in year for k in r.completed)
    for key in keys:
        steps = []  # (report, monthly increase, previous report)
        for before, after in zip(year, year[1:], strict=False):
            if key in before.completed and key in after.completed:
                months = max(1, _months_between(before.cutoff, after.cutoff))
                gain = (after.completed[key][0] - before.completed[key][0]) / months
                steps.append((after, gain, before))
        if len(steps) < min_increases:
            continue
        usual, far = far_out([g for _, g, _ in steps], threshold, min_relative)
        for n, score in far:
            after, gain, before = steps[n]
            source = after.completed[key][1]
            flags.append(Flag(
                station, after.cutoff, code="unusual-increase", rule="增量异常", subject=key,
                message=f"{_named(key, names)}：{before.cutoff} 至 {after.cutoff} 每月增加 "
                        f"{number(gain)}，本站通常每月 {number(usual)}（修正Z值 {score:.1f}，"
                        f"阈值 {number(threshold)}），请核实",
                sources=(source,) if source else ()))
    return flags


def far_out(values: Sequence[float], threshold: float, min_relative: float
            ) -> tuple[float, list[tuple[int, float]]]:
    """The median of `values`, and (index, modified z-score) of each value beyond
    `threshold` that is also off the median by at least `min_relative` of it: values that
    are nearly alike have a tiny MAD, under which an ordinary value would score high."""
    median = statistics.median(values)
    return median, [(n, score) for n, (value, score) in enumerate(zip(values, modified_z(values),
                                                                      strict=True))
                    if abs(score) > threshold and abs(value - median) >= min_relative * abs(median)]


def modified_z(values: Sequence[float]) -> list[float]:
    """Iglewicz and Hoaglin's modified z-score of each value: 0.6745 (x − median) / MAD.
    Where half the values or more are equal the MAD is 0, and the mean absolute deviation
    stands in for it (× 1.253314, as IBM SPSS does); all values equal: all 0."""
    median = statistics.median(values)
    deviations = [abs(v - median) for v in values]
    mad = statistics.median(deviations)
    if mad:
        return [0.6745 * (v - median) / mad for v in values]
    mean_ad = statistics.fmean(deviations)
    if not mean_ad:
        return [0.0 for _ in values]
    return [(v - median) / (1.253314 * mean_ad) for v in values]


# ---------------------------------------------------------------- who has reported


@dataclass(frozen=True)
class Arrival:
    """A report as it arrived: whose, for which cut-off, and when its file first appeared."""

    station: str
    cutoff: date
    first_seen: datetime


@dataclass(frozen=True)
class MonthReporting:
    """One reporting month (the cut-off's month) against the roster: WHO's and DHIS2's
    completeness (received ÷ expected) and timeliness (received by the deadline ÷ expected)."""

    month: str  # 2024-12
    expected: tuple[str, ...]
    received: tuple[str, ...]
    missing: tuple[str, ...]
    late: tuple[tuple[str, datetime], ...]  # station, when its file first appeared
    deadline: date

    @property
    def rate(self) -> float | None:
        return len(self.received) / len(self.expected) if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        if not self.expected:
            return None
        return (len(self.received) - len(self.late)) / len(self.expected)


def reporting(arrivals: Sequence[Arrival], roster: Sequence[str], deadline_days: int
              ) -> list[MonthReporting]:
    """Per reporting month, oldest first: who of `roster` reported, who did not, and who
    reported after the deadline (`deadline_days` after the month's end). A station reporting
    outside the roster counts as received, never as expected."""
    by_month: dict[str, dict[str, datetime]] = {}
    ends: dict[str, date] = {}
    for a in arrivals:
        month = f"{a.cutoff.year}-{a.cutoff.month:02d}"
        seen = by_month.setdefault(month, {})
        seen[a.station] = min(seen.get(a.station, a.first_seen), a.first_seen)
        ends[month] = date(a.cutoff.year, a.cutoff.month,
                           calendar.monthrange(a.cutoff.year, a.cutoff.month)[1])
    out = []
    for month in sorted(by_month):
        seen = by_month[month]
        deadline = ends[month] + timedelta(days=deadline_days)
        expected = tuple(roster)
        received = tuple(s for s in expected if s in seen)
        late = tuple((s, seen[s]) for s in received if seen[s].date() > deadline)
        out.append(MonthReporting(month, expected, received,
                                  tuple(s for s in expected if s not in seen), late, deadline))
    return out


# ---------------------------------------------------------------- against the district


def district_flags(stations: Sequence[tuple[str, date | None, dict[str, float]]],
                   names: Callable[[str], str] | None = None, *, threshold: float = 3.5,
                   min_stations: int = 8, min_relative: float = 0.5) -> tuple[Flag, ...]:
    """A completion rate far outside the other stations' of the same reporting month:
    (station, cut-off, rate by indicator id) each; the modified z-score of the rate among
    that month's stations beyond `threshold`, from `min_stations` stations on, and off
    their median by at least `min_relative` of it. Said as 请核实, never as 滞后: a rate
    can be far out because a figure was mistyped, or because the station is different."""
    months: dict[str, list[tuple[str, date | None, dict[str, float]]]] = {}
    for station, cutoff, rates in stations:
        if cutoff is not None:
            months.setdefault(f"{cutoff.year}-{cutoff.month:02d}", []).append(
                (station, cutoff, rates))
    flags = []
    for month, rows in sorted(months.items()):
        keys = dict.fromkeys(k for _, _, rates in rows for k in rates)
        for key in keys:
            have = [(station, cutoff, rates[key]) for station, cutoff, rates in rows
                    if key in rates]
            if len(have) < min_stations:
                continue
            median, far = far_out([rate for _, _, rate in have], threshold, min_relative)
            for n, score in far:
                station, cutoff, rate = have[n]
                side = "高于" if rate > median else "低于"
                flags.append(Flag(
                    station, cutoff, code="district-outlier", rule="与本区差异大", subject=key,
                    message=f"{_named(key, names)}：完成率 {rate:.2%}，远{side}本区 {month} "
                            f"其他站点（中位数 {median:.2%}，{len(have)} 个站点，修正Z值 "
                            f"{score:.1f}），请核实"))
    return tuple(flags)
