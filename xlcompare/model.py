"""The typed model of one station report: plain frozen data, no I/O.

Readers build these; normalise, judge, compare and the writers only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

__all__ = [
    "Attendance",
    "AttendanceMonth",
    "CellMap",
    "IndicatorRow",
    "OperatorPeriod",
    "PersonAttendance",
    "Period",
    "Problem",
    "Source",
    "Staffing",
    "StationReport",
]

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a figure was read: file, sheet and an A1 cell or row reference."""

    file: str
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(self.sheet)
        if self.cell:
            parts.append(self.cell)
        return " / ".join(parts)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a reader found wrong or doubtful, with the place it was found.

    `code` is the doubt in one stable word (`rate-mismatch`, `stray-cells`; codes.py lists
    them all): what a filter, a test or a translation keys on. It is keyword-only and has no
    default, so every Problem names its code: `Problem(file, message, sheet, cell, severity,
    code="rate-mismatch")`."""

    file: str
    message: str
    sheet: str | None = None
    cell: str | None = None
    severity: Severity = "warning"
    code: str = field(kw_only=True)

    def __str__(self) -> str:
        where = str(Source(self.file, self.sheet, self.cell))
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class CellMap:
    """One sheet's non-empty cells by the role they were read in: (role, A1 ranges) for
    title, meta, header, data, total, note, and unread (readers/accounting.py)."""

    file: str
    sheet: str
    roles: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def of(self, role: str) -> tuple[str, ...]:
        """The ranges of one role."""
        return next((spans for name, spans in self.roles if name == role), ())


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """One row of 附件1 as the sheet states it (names not yet normalised)."""

    name: str
    category: str | None = None
    unit: str | None = None
    target: float | None = None  # 协议指标量: the annual target, denominator of the rate
    completed: float | None = None
    sheet_rate: float | None = None  # the rate the sheet itself states, as a fraction
    midterm_target: float | None = None  # 中期指标: shown, never used as the denominator
    remarks: str | None = None
    source: Source | None = None
    # the cell as written when its figure was read out of words (`≥700人次`, `探访774人次`,
    # `约7.62万元`); None for a cell holding a plain number
    target_text: str | None = None
    completed_text: str | None = None

    @property
    def rate(self) -> float | None:
        """Completion rate recomputed as completed ÷ annual target; None without a target."""
        if self.completed is None or not self.target:
            return None
        return self.completed / self.target


@dataclass(frozen=True, slots=True)
class AttendanceMonth:
    """One month of 附件2 (person-level sheets are aggregated to this)."""

    month: str  # "2023-07" when the label parses, else the label as written
    expected_total: float | None = None
    actual_total: float | None = None
    expected_certified: float | None = None
    actual_certified: float | None = None
    actual_uncertified: float | None = None
    source: Source | None = None


_ATTENDANCE_FIGURES = (
    "expected_total",
    "actual_total",
    "expected_certified",
    "actual_certified",
    "actual_uncertified",
)


@dataclass(frozen=True, slots=True)
class PersonAttendance:
    """One worker of a per-person 附件2, kept only when names are asked for (--with-names)."""

    name: str
    certified: bool
    months: tuple[tuple[str, float | None], ...]  # (month as the sheet labels it, 1 / 0.5 / 0)


@dataclass(frozen=True, slots=True)
class OperatorPeriod:
    """One operator (承办机构) of the contract year and the days it ran the station, as the
    workbook states them (官洲街: 明心 2024-06-09…2024-07-08, then 穗青 from 2024-07-09)."""

    name: str  # as written
    start: date | None = None
    end: date | None = None  # None: to the end of the contract, or not stated

    def __str__(self) -> str:
        if self.start and self.end:
            return f"{self.name}（{self.start}…{self.end}）"
        if self.start:
            return f"{self.name}（{self.start} 起）"
        if self.end:
            return f"{self.name}（至 {self.end}）"
        return self.name


@dataclass(frozen=True, slots=True)
class Period:
    """The months of 附件2 that fall to one operator (one period table, or the months its
    dates cover); their totals are `Attendance.of_period(period).totals`."""

    operator: str
    start: date | None = None
    end: date | None = None
    months: tuple[str, ...] = ()  # AttendanceMonth.month labels


@dataclass(frozen=True, slots=True)
class Attendance:
    """附件2: the months read, and the totals over them."""

    months: tuple[AttendanceMonth, ...] = ()
    person_level: bool = False  # aggregated from a per-person sheet
    people: int | None = None  # number of people on a per-person sheet
    # names and per-person figures: empty unless read with names (privacy by default)
    persons: tuple[PersonAttendance, ...] = ()
    # after a change of operator, the months of each (empty with one operator)
    periods: tuple[Period, ...] = ()

    def of_period(self, period: Period) -> Attendance:
        """The months of one operator's period, with their own totals and average staff."""
        labels = set(period.months)
        return Attendance(tuple(m for m in self.months if m.month in labels),
                          self.person_level)

    @property
    def average_staff(self) -> float | None:
        """Workers present per month on average (总实到 ÷ months): the staffing the
        evaluators state per period (官洲街 108 ÷ 6 = 18)."""
        total = self.total("actual_total")
        months = sum(1 for m in self.months if m.actual_total is not None)
        return total / months if total is not None and months else None

    def total(self, figure: str) -> float | None:
        """Sum of one figure over the months; None when no month states it."""
        if figure not in _ATTENDANCE_FIGURES:
            raise ValueError(f"unknown attendance figure {figure!r}")
        values = [getattr(m, figure) for m in self.months if getattr(m, figure) is not None]
        return sum(values) if values else None

    @property
    def totals(self) -> dict[str, float | None]:
        return {name: self.total(name) for name in _ATTENDANCE_FIGURES}


@dataclass(frozen=True, slots=True)
class Staffing:
    """Staffing facts, when the workbook states them."""

    contract_staff: float | None = None  # 协议要求配备社工人数
    average_staff: float | None = None
    certified: float | None = None
    two_years_plus: float | None = None
    continuously_in_post: float | None = None  # basis of 稳岗率
    training_hours_required: float | None = None
    training_hours_done: float | None = None
    supervision_hours: float | None = None

    @property
    def retention_rate(self) -> float | None:
        if self.continuously_in_post is None or not self.contract_staff:
            return None
        return self.continuously_in_post / self.contract_staff


@dataclass(frozen=True, slots=True)
class StationReport:
    """What one station reported for one cut-off date, from one or more files."""

    station: str | None = None  # street, town, township, community or village (街道/镇/乡/社区/村)
    operator: str | None = None  # 承办机构 (at the cut-off, when it changed)
    contract_start: date | None = None
    contract_end: date | None = None
    period_start: date | None = None  # start of the statistics period, when stated
    cutoff: date | None = None
    sources: tuple[str, ...] = ()
    indicators: tuple[IndicatorRow, ...] = ()
    attendance: Attendance | None = None
    staffing: Staffing | None = None
    problems: tuple[Problem, ...] = ()
    # what the readers detected (header rows, column mapping, where the cut-off was found),
    # so an odd layout can be understood from `inspect` rather than from a debugger
    notes: tuple[str, ...] = field(default=(), compare=False)
    # every sheet's cells by role, so that what was not read can be named (inspect -v, JSON)
    cell_maps: tuple[CellMap, ...] = field(default=(), compare=False)
    # each operator of the contract year with its dates, when the workbook states them
    operators: tuple[OperatorPeriod, ...] = ()

    @property
    def operators_text(self) -> str | None:
        """The operator as people read it: after a change of operator, each with its days
        (`广州市明心社会工作服务中心（2024-06-09…2024-07-08）；广州市越秀区穗青…（2024-07-09 起）`)."""
        if len(self.operators) > 1:
            return "；".join(str(p) for p in self.operators)
        return self.operator

    def with_changes(self, **changes: Any) -> StationReport:
        return replace(self, **changes)
