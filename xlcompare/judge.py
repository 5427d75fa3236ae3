"""Judge progress: completion against the time elapsed in the contract year.

The rule reproduces the evaluators' conclusions (DOMAIN.md): expected progress is the share of
the contract year elapsed at the cut-off; 达标 at or above it, 基本完成 at or above
`basic_share` × it, 滞后 below. The numbers live in data/judge.toml, not here.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import date
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import Any

from xlcompare.display import number, percent
from xlcompare.errors import ConfigError
from xlcompare.messages import Message
from xlcompare.model import StationReport
from xlcompare.paths import PathArg, read_user_toml
from xlcompare.quality import Rule, load_rules

__all__ = [
    "AttendanceSettings",
    "IndicatorSettings",
    "QualitySettings",
    "Judgement",
    "Measure",
    "Progress",
    "JudgeSettings",
    "Status",
    "SummarySettings",
    "TrainingRequirement",
    "expected_progress",
    "figure_judge",
    "judge_figures",
    "judge_staffing",
    "load_settings",
    "training_requirement",
]


class Status(StrEnum):
    ON_TRACK = "达标"
    BROADLY = "基本完成"
    LAGGING = "滞后"
    WELL_AHEAD = "超额"
    NO_TARGET = "无目标"
    # a staffing measure that meets its requirement but is one the evaluators still list
    # under 需要关注 (稳岗率 65%): never given to an indicator
    CONCERN = "需关注"


@dataclass(frozen=True)
class IndicatorSettings:
    basic_share: float = 0.7
    over_multiple: float = 2.0
    use_sheet_rate_without_target: bool = True


@dataclass(frozen=True)
class AttendanceSettings:
    basic_share: float = 0.9
    actual_vs_expected: float = 1.0
    certified_actual_vs_expected: float = 1.0
    certified_share: float = 0.5
    staffing_vs_contract: float = 1.0
    two_years_share: float = 0.5
    retention_rate: float = 0.6
    training_hours: float = 1.0
    supervision_hours_per_staff: float = 0.0
    # supervision hours ÷ training hours below this: 需关注 (0 = not judged)
    supervision_vs_training: float = 0.0
    # training required = contract staff × this × months covered ÷ 12, when the sheet gives
    # none; checked against the sheet when it does (0 = neither)
    training_hours_per_staff_year: float = 0.0
    # requirement setting → the line under which a met requirement is still 需关注
    concern: tuple[tuple[str, float], ...] = ()
    # measure key → the advice said with its 需关注
    advice: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SummarySettings:
    key_indicators: tuple[str, ...] = ()


@dataclass(frozen=True)
class QualitySettings:
    outlier_threshold: float = 3.5  # modified z-score of a monthly increase
    outlier_min_increases: int = 5  # fewer increases than this: no outlier is judged
    outlier_min_relative: float = 0.5  # and off the usual increase by at least this share
    district_min_stations: int = 8  # stations reporting an indicator in the month, at least
    report_deadline_days: int = 10  # after the reporting month's end
    reporting_rate_line: float = 0.9  # WHO's benchmark for complete reporting


@dataclass(frozen=True)
class JudgeSettings:
    indicators: IndicatorSettings = IndicatorSettings()
    attendance: AttendanceSettings = AttendanceSettings()
    summary: SummarySettings = SummarySettings()
    quality: QualitySettings = QualitySettings()
    # validation rules (data/rules.toml and a district's own): what cannot all be true
    rules: tuple[Rule, ...] = ()


def load_settings(path: PathArg | None = None, **overrides: float | None) -> JudgeSettings:
    """The packaged judge.toml, then a user file over it, then explicit overrides
    (`basic_share=0.75`, `over_multiple=3` apply to indicators)."""
    text = resources.files("xlcompare").joinpath("data/judge.toml").read_text("utf-8")
    settings = _apply(JudgeSettings(rules=load_rules()), tomllib.loads(text), "judge.toml")
    if path is not None:
        data = read_user_toml(path, "config-invalid.settings-unreadable")
        settings = _apply(settings, data, str(path))
    given: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
    if given:
        settings = replace(settings, indicators=replace(settings.indicators, **given))
    _check_lines(settings.indicators, str(path) if path is not None else None)
    return settings


def _check_lines(lines: IndicatorSettings, source: str | None) -> None:
    """基本完成 is a share of expected progress (0 < share ≤ 1) and 超额 a multiple above it
    (> 1): 70 for 70% would judge almost every indicator 滞后."""
    if not 0 < lines.basic_share <= 1:
        raise ConfigError(Message("config-invalid.basic-share", value=f"{lines.basic_share:g}"),
                          file=source)
    if not lines.over_multiple > 1:
        raise ConfigError(Message("config-invalid.over-multiple",
                                  value=f"{lines.over_multiple:g}"), file=source)


def _apply(settings: JudgeSettings, data: dict, source: str) -> JudgeSettings:
    unknown = set(data) - {"indicators", "attendance", "summary", "quality"}
    if unknown:
        raise ConfigError(Message("config-invalid.unknown-section", section=sorted(unknown)[0]),
                          file=source)
    keys = data.get("summary", {}).get("key_indicators")
    if keys is not None:
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise ConfigError(Message("config-invalid.key-indicators"), file=source)
        settings = replace(settings, summary=SummarySettings(tuple(keys)))
    for section in ("indicators", "attendance", "quality"):
        if section not in data:
            continue
        current = getattr(settings, section)
        known = {f.name: f.type for f in fields(current) if f.name not in ("concern", "advice")}
        values: dict[str, Any] = {}
        items = dict(data[section])
        if section == "attendance":
            values.update(_concern_tables(current, items, source))
        for key, value in items.items():
            if key not in known:
                raise ConfigError(Message("config-invalid.unknown-setting", section=section,
                                          key=key), file=source)
            if not isinstance(value, int | float) or value < 0:
                raise ConfigError(Message("config-invalid.not-a-number", section=section, key=key,
                                          value=repr(value)), file=source)
            values[key] = value
        settings = replace(settings, **{section: replace(current, **values)})
    return settings


def _concern_tables(current: AttendanceSettings, items: dict[str, Any], source: str
                    ) -> dict[str, Any]:
    """[attendance.concern] (requirement → line) and [attendance.advice] (measure → words),
    taken out of `items`; each user entry replaces the packaged one of its key."""
    out: dict[str, Any] = {}
    requirements = {key for _, _, _, _, key in _MEASURES}
    concern = items.pop("concern", None)
    if concern is not None:
        merged = dict(current.concern)
        for key, value in dict(concern).items():
            if key not in requirements:
                raise ConfigError(Message("config-invalid.unknown-setting",
                                          section="attendance.concern", key=key), file=source)
            if not isinstance(value, int | float) or not 0 < value <= 10:
                raise ConfigError(Message("config-invalid.concern", key=key, value=repr(value)),
                                  file=source)
            merged[key] = float(value)
        out["concern"] = tuple(merged.items())
    advice = items.pop("advice", None)
    if advice is not None:
        said = dict(current.advice)
        for key, value in dict(advice).items():
            if not isinstance(value, str):
                raise ConfigError(Message("config-invalid.advice", key=key), file=source)
            said[key] = value
        out["advice"] = tuple(said.items())
    return out


@dataclass(frozen=True, slots=True)
class Progress:
    """How far through the contract year the cut-off is."""

    days_elapsed: int
    days_total: int

    @property
    def share(self) -> float:
        return min(1.0, max(0.0, self.days_elapsed / self.days_total))

    def describe(self) -> str:
        return f"{self.days_elapsed}/{self.days_total} 天 = {percent(self.share)}"


def expected_progress(contract_start: date | None, contract_end: date | None,
                      cutoff: date | None) -> Progress | None:
    """Days elapsed at the cut-off ÷ days in the contract year, both counted inclusively
    (瑞宝街 2023-06-15 … 2023-12-31 of 2023-06-15 … 2024-06-14 = 200/366)."""
    if contract_start is None or contract_end is None or cutoff is None:
        return None
    total = (contract_end - contract_start).days + 1
    if total <= 0:
        return None
    elapsed = (cutoff - contract_start).days + 1
    return Progress(max(0, min(elapsed, total)), total)


@dataclass(frozen=True, slots=True)
class Judgement:
    """The status of one figure and why, in words a district officer can forward."""

    status: Status
    rate: float | None  # the rate judged (recomputed, or the sheet's when there is no target)
    expected: float | None
    rate_from_sheet: bool = False
    basic: float | None = None  # the 基本完成 line this judgement used
    over_multiple: float | None = None
    no_target: bool = False  # the annual target is missing or 0

    @property
    def why(self) -> str:
        """「完成31.67%，按时间应达56.44%，低于基本完成线39.51%」 — worded only when asked,
        since a province-sized batch judges far more rows than anyone reads."""
        if self.rate is None:
            return "无协议指标量，未计算完成率" if self.no_target else "无完成量，未计算完成率"
        said = f"完成{percent(self.rate)}" + ("（表内完成率，无协议指标量）"
                                             if self.rate_from_sheet else "")
        if self.expected is None:
            return f"{said}；缺合同期或统计截止日期，无法判断进度"
        due = f"{said}，按时间应达{percent(self.expected)}"
        if self.status is Status.WELL_AHEAD:
            return f"{due}，超过进度{number(self.over_multiple)}倍以上"
        if self.status is Status.ON_TRACK:
            return f"{due}，已达进度"
        if self.status is Status.BROADLY:
            return f"{due}，未达进度但不低于基本完成线{percent(self.basic)}"
        return f"{due}，低于基本完成线{percent(self.basic)}"


def judge_figures(completed: float | None, target: float | None, sheet_rate: float | None,
                  progress: Progress | None, settings: IndicatorSettings) -> Judgement:
    """Status of one indicator from its figures and the contract year's progress."""
    return figure_judge(progress, settings)(completed, target, sheet_rate)


def figure_judge(progress: Progress | None, settings: IndicatorSettings
                 ) -> Callable[[float | None, float | None, float | None], Judgement]:
    """`judge_figures` for one station: (completed, target, sheet_rate) → Judgement.

    The expected share and the lines drawn from it are the station's, not the row's, so they
    are worked out once here rather than for every indicator of a batch.
    """
    expected = progress.share if progress else None
    from_sheet_ok = settings.use_sheet_rate_without_target
    over_multiple = settings.over_multiple
    basic = settings.basic_share * expected if expected is not None else 0.0
    # 超额 is a multiple of the progress expected, so none is due at the very start
    over = over_multiple * expected if expected is not None and expected > 0 else None

    def judge(completed: float | None, target: float | None, sheet_rate: float | None
              ) -> Judgement:
        rate, from_sheet = None, False
        if completed is not None and target:
            rate = completed / target
        elif from_sheet_ok and sheet_rate is not None:
            rate, from_sheet = sheet_rate, True
        if rate is None or expected is None:
            return Judgement(Status.NO_TARGET, rate, expected, from_sheet, no_target=not target)
        if over is not None and rate >= over:
            status = Status.WELL_AHEAD
        elif rate >= expected:
            status = Status.ON_TRACK
        elif rate >= basic:
            status = Status.BROADLY
        else:
            status = Status.LAGGING
        return Judgement(status, rate, expected, from_sheet, basic, over_multiple)

    return judge


@dataclass(frozen=True, slots=True)
class Measure:
    """One attendance or staffing ratio, judged against its requirement."""

    key: str
    label: str
    numerator: float | None
    denominator: float | None
    required: float | None
    status: Status
    why: str
    advice: str | None = None  # said with a 需关注: what the evaluators would advise

    @property
    def ratio(self) -> float | None:
        if self.numerator is None or not self.denominator:
            return None
        return self.numerator / self.denominator


# key, label, numerator, denominator, requirement setting
_MEASURES = (
    ("attendance", "社工实到率（实到÷应到）", "attendance.actual_total", "attendance.expected_total",
     "actual_vs_expected"),
    ("certified_attendance", "持证社工实到率", "attendance.actual_certified",
     "attendance.expected_certified", "certified_actual_vs_expected"),
    ("certified_share", "持证社工占协议配备", "staffing.certified", "staffing.contract_staff",
     "certified_share"),
    ("staffing", "平均配备÷协议配备", "staffing.average_staff", "staffing.contract_staff",
     "staffing_vs_contract"),
    ("two_years", "从业两年以上占协议配备", "staffing.two_years_plus", "staffing.contract_staff",
     "two_years_share"),
    ("retention", "稳岗率（持续在岗÷协议配备）", "staffing.continuously_in_post",
     "staffing.contract_staff", "retention_rate"),
    ("training", "继续教育完成率", "staffing.training_hours_done",
     "staffing.training_hours_required", "training_hours"),
)


def _figure(report: StationReport, path: str) -> float | None:
    kind, name = path.split(".")
    if kind == "attendance":
        return report.attendance.total(name) if report.attendance else None
    return getattr(report.staffing, name) if report.staffing else None


def judge_staffing(report: StationReport, settings: AttendanceSettings) -> tuple[Measure, ...]:
    """Attendance and staffing ratios that the report has the figures for, each with a status."""
    out = []
    concern, advice = dict(settings.concern), dict(settings.advice)
    training = training_requirement(report, settings)
    for key, label, num_path, den_path, setting in _MEASURES:
        numerator, denominator = _figure(report, num_path), _figure(report, den_path)
        if key == "training" and training is not None and not denominator:
            denominator = training.hours  # the sheet gives none: the district's rule does
        if numerator is None or not denominator:
            continue
        required = getattr(settings, setting)
        measure = _measure(key, label, numerator, denominator, required, settings.basic_share,
                           concern.get(setting), advice.get(key))
        if key == "training" and training is not None:
            measure = replace(measure, why=f"{measure.why}；{training.said}")
        out.append(measure)
    staff = report.staffing
    if staff and staff.supervision_hours is not None and staff.contract_staff:
        required = settings.supervision_hours_per_staff
        if required:
            out.append(_measure("supervision", "督导时数÷（协议配备×要求）", staff.supervision_hours,
                                staff.contract_staff * required, 1.0, settings.basic_share))
        else:
            out.append(Measure("supervision", "督导时数", staff.supervision_hours, None, None,
                               Status.NO_TARGET, f"督导{number(staff.supervision_hours)}小时（未设要求）"))
    balance = _supervision_balance(report, settings, advice.get("supervision_balance"))
    if balance is not None:
        out.append(balance)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class TrainingRequirement:
    """The continuing-education hours a report's months call for, by the district's rule."""

    hours: float
    staff: float
    per_year: float
    months: int
    stated: float | None  # what the sheet says, when it says

    @property
    def agrees(self) -> bool | None:
        return None if self.stated is None else abs(self.stated - self.hours) < 0.5

    @property
    def said(self) -> str:
        rule = (f"按规则 {number(self.staff)}人 × {number(self.per_year)}小时 × "
                f"{self.months}/12 = {number(self.hours)}小时")
        if self.stated is None:
            return f"表内未写要求时数，{rule}"
        if self.agrees:
            return f"要求时数与规则一致（{rule}）"
        return f"表内要求 {number(self.stated)} 小时，与规则不符（{rule}），请核实"


def training_requirement(report: StationReport, settings: AttendanceSettings
                         ) -> TrainingRequirement | None:
    """Contract staff × hours per year × months covered ÷ 12 (840 = 20 × 72 × 7/12 for 瑞宝街,
    648 = 18 × 72 × 6/12 for 官洲街): the months are those the 附件2 reports. None without
    the setting, the staff number or the months."""
    staff = report.staffing
    per_year = settings.training_hours_per_staff_year
    months = len(report.attendance.months) if report.attendance else 0
    if not per_year or staff is None or not staff.contract_staff or not months:
        return None
    hours = staff.contract_staff * per_year * months / 12
    return TrainingRequirement(hours, staff.contract_staff, per_year, months,
                               staff.training_hours_required)


def _supervision_balance(report: StationReport, settings: AttendanceSettings,
                         advice: str | None) -> Measure | None:
    """Supervision hours against training hours: 瑞宝街's 18 h against 1,167.5 h is the
    imbalance the evaluators flag. Shown only when it falls below the line."""
    staff, line = report.staffing, settings.supervision_vs_training
    if (not line or staff is None or staff.supervision_hours is None
            or not staff.training_hours_done):
        return None
    ratio = staff.supervision_hours / staff.training_hours_done
    if ratio >= line:
        return None
    why = (f"督导{number(staff.supervision_hours)}小时，仅为继续教育"
           f"{number(staff.training_hours_done)}小时的{percent(ratio)}（关注线{percent(line)}），"
           f"需关注" + (f"：{advice}" if advice else ""))
    return Measure("supervision_balance", "督导时数占继续教育时数", staff.supervision_hours,
                   staff.training_hours_done, line, Status.CONCERN, why, advice)


# The same staff counts and month totals recur across a district's stations, and a Measure is
# immutable, so one worded for a station serves every station with those figures (typed, so
# 16 and 16.0 keep their own Measure).
@lru_cache(maxsize=4096, typed=True)
def _measure(key: str, label: str, numerator: float, denominator: float, required: float,
             basic_share: float, concern: float | None = None, advice: str | None = None
             ) -> Measure:
    ratio = numerator / denominator
    said = f"{number(numerator)}÷{number(denominator)}={percent(ratio)}，要求{percent(required)}"
    if ratio >= required and concern is not None and ratio < concern:
        status = Status.CONCERN
        why = (f"{said}，已达要求但低于关注线{percent(concern)}，需关注"
               + (f"：{advice}" if advice else ""))
    elif ratio >= required:
        status, why = Status.ON_TRACK, f"{said}，达标"
    elif ratio >= basic_share * required:
        status, why = Status.BROADLY, f"{said}，基本达标"
    else:
        status, why = Status.LAGGING, f"{said}，低于要求"
    return Measure(key, label, numerator, denominator, required, status, why,
                   advice if status is Status.CONCERN else None)
