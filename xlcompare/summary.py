"""What the batch summary shows, as plain data: each station's part (taken as soon as it is
judged), the trends, every file seen with its status, and the summary as a whole.

Judging and roll-ups happen here or below, never in a writer: writers and DataFrames render
a `Summary` and compute nothing that a notebook user would not get from it.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from xlcompare.comparison import JudgedRow, StationResult
from xlcompare.judge import JudgeSettings, Measure, Status, judge_figures
from xlcompare.messages import Message
from xlcompare.model import Problem
from xlcompare.prose import station_paragraph
from xlcompare.quality import Flag, MonthReporting, check_rules
from xlcompare.taxonomy import Taxonomy, derive_wholes

__all__ = ["ATTENDANCE_FIGURES", "STATUS_ORDER", "FileRecord", "FileStatus", "StationSummary",
           "Summary", "Trend", "district_medians", "key_indicators", "standings",
           "summarise_station"]


class FileStatus(StrEnum):
    """What became of a file in a batch (the 文件 sheet's 状态)."""

    READ = "已读取"
    HISTORY = "历史记录"
    IGNORED = "已忽略"
    NOT_READY = "未就绪"
    FAILED = "失败"
    DUPLICATE = "重复（已被取代）"


# the order statuses are counted and charted in
STATUS_ORDER = (Status.ON_TRACK, Status.WELL_AHEAD, Status.BROADLY, Status.LAGGING,
                Status.NO_TARGET)
ATTENDANCE_FIGURES = (("expected_total", "总应到"), ("actual_total", "总实到"),
                       ("expected_certified", "持证应到"), ("actual_certified", "持证实到"),
                       ("actual_uncertified", "非持证实到"))



@dataclass(frozen=True, slots=True)
class FileRecord:
    """Every file seen, and what became of it (the 文件 sheet). A file not read (failed, not
    ready, ignored, superseded) has the `code` of why (codes.py: `password-protected`,
    `lock-file`, `superseded` ...) beside the reason (a Message, said when shown)."""

    path: str  # relative to the folder
    status: FileStatus
    reason: Message | None = None
    station: str | None = None
    cutoff: date | None = None
    problems: int = 0
    code: str | None = None


@dataclass(frozen=True, slots=True)
class Trend:
    """One indicator of one station: its previous report beside the current one — the
    completed counts and their increase, the rates, and the expected progress of each cut-off
    (a count that went from 0 to 1 with no target shows as 0 → 1, not as 0.00% → 0.00%)."""

    station: str
    indicator_id: str | None
    name: str
    previous_cutoff: date
    previous_rate: float | None
    previous_status: str | None
    cutoff: date
    rate: float | None
    status: str | None
    previous_completed: float | None = None
    completed: float | None = None
    previous_target: float | None = None
    target: float | None = None
    previous_expected: float | None = None  # share of the contract year at each cut-off
    expected: float | None = None

    @property
    def change_pp(self) -> float | None:
        if self.rate is None or self.previous_rate is None:
            return None
        return (self.rate - self.previous_rate) * 100

    @property
    def increase(self) -> float | None:
        """Completed now less completed then (negative across a new contract year)."""
        if self.completed is None or self.previous_completed is None:
            return None
        return self.completed - self.previous_completed

    @property
    def expected_change_pp(self) -> float | None:
        if self.expected is None or self.previous_expected is None:
            return None
        return (self.expected - self.previous_expected) * 100


@dataclass(frozen=True, slots=True)
class StationSummary:
    """What the summary's sheets show of one judged station."""

    name: str
    cutoff: date | None
    expected: float | None  # share of the contract year elapsed at the cut-off
    # (rate, status) of each key indicator, in the order of the settings' key_indicators
    key_rates: tuple[tuple[float | None, Status | None], ...]
    counts: tuple[int, ...]  # indicators per status, in STATUS_ORDER
    share: float | None  # of the judged indicators, on track or ahead
    lagging: tuple[JudgedRow, ...]
    unmatched: tuple[str, ...]  # indicator names the taxonomy does not know
    measures: tuple[Measure, ...]
    attendance: tuple[float | None, ...]  # totals, in ATTENDANCE_FIGURES order
    paragraph: str
    problems: tuple[Problem, ...]
    flags: tuple[Flag, ...] = ()  # what to check with the station (数据质量)


def key_indicators(taxonomy: Taxonomy, settings: JudgeSettings) -> list[str]:
    return [k for k in settings.summary.key_indicators if k in taxonomy]


def summarise_station(result: StationResult, taxonomy: Taxonomy,
                      settings: JudgeSettings) -> StationSummary:
    """The station's part of every sheet, from its judged result."""
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for r in result.rows:
        counts[r.status] += 1
    judged = len(result.rows) - counts[Status.NO_TARGET]
    share = (counts[Status.ON_TRACK] + counts[Status.WELL_AHEAD]) / judged if judged else None
    keys = key_indicators(taxonomy, settings)
    by_id = _rates_by_id(result, taxonomy, settings, keys)
    attendance = result.report.attendance
    return StationSummary(
        name=result.name,
        cutoff=result.report.cutoff,
        expected=result.progress.share if result.progress else None,
        key_rates=tuple(by_id.get(k, (None, None)) for k in keys),
        counts=tuple(counts[s] for s in STATUS_ORDER),
        share=share,
        lagging=result.lagging,
        unmatched=tuple(n.row.name for n in result.unmatched),
        measures=result.measures,
        attendance=tuple(attendance.total(k) if attendance else None
                         for k, _ in ATTENDANCE_FIGURES),
        paragraph=station_paragraph(result, taxonomy),
        problems=result.report.problems,
        flags=check_rules(result, settings.rules,
                          lambda i: taxonomy[i].name if i in taxonomy else i),
    )


@dataclass(frozen=True)
class Summary:
    """A folder's summary: every station's part, the trends and every file, with the
    settings and taxonomy it was judged with. What the summary writers render."""

    folder: Path
    files: tuple[FileRecord, ...]
    trends: tuple[Trend, ...]
    settings: JudgeSettings
    taxonomy: Taxonomy
    read: int = 0  # files parsed in this run
    from_history: int = 0  # files whose reading came from the history
    seconds: float = 0.0
    # what the summary shows of each station, by station and cut-off
    summaries: tuple[StationSummary, ...] = ()
    # who of the roster reported for each month (batch.reporting), and whose roster it is
    reporting: tuple[MonthReporting, ...] = ()
    roster_note: str = ""
    roster_known: bool = False  # a roster said who must report (else the stations seen)

    @property
    def failed(self) -> tuple[FileRecord, ...]:
        return tuple(f for f in self.files if f.status is FileStatus.FAILED)

    @property
    def not_ready(self) -> tuple[FileRecord, ...]:
        """Files that look half-copied; the next run (or `watch`) reads them when complete."""
        return tuple(f for f in self.files if f.status is FileStatus.NOT_READY)


def _rates_by_id(result: StationResult, taxonomy: Taxonomy, settings: JudgeSettings,
                 keys: list[str]) -> dict[str, tuple[float | None, Status]]:
    out: dict[str, tuple[float | None, Status]] = {}
    for r in result.rows:
        if r.row.id and r.row.id not in out:
            out[r.row.id] = (r.judgement.rate, r.status)
    if all(k in out for k in keys):
        return out  # every key column is filled: a derived whole would not show
    # a station reporting only 大型 + 中小型社区活动 shows their sum under 社区活动次数; a
    # derived whole depends only on the rows of its roll-up, so only those are passed
    rollup_ids = {i for rollup in taxonomy.rollups for i in (rollup.whole, *rollup.parts)}
    rows = [r.row for r in result.rows if r.row.id in rollup_ids]
    for derived in derive_wholes(rows, taxonomy):
        if derived.derived and derived.id not in out:
            judged = judge_figures(derived.completed, derived.target, None, result.progress,
                                   settings.indicators)
            out[derived.id] = (judged.rate, judged.status)  # type: ignore[index]
    return out


def standings(summaries: tuple[StationSummary, ...]) -> list[StationSummary]:
    """Stations ranked as 总览 ranks them: by the share on track or ahead, then fewer
    lagging indicators, then name."""
    return sorted(summaries, key=lambda s: (-(s.share or 0), len(s.lagging), s.name))


def district_medians(summaries: tuple[StationSummary, ...], keys: int) -> list[float | None]:
    """The median rate of each of the `keys` key indicators over the stations that report it
    (区中位数); None where no station does."""
    medians: list[float | None] = []
    for k in range(keys):
        rates = [rate for s in summaries if (rate := s.key_rates[k][0]) is not None]
        medians.append(statistics.median(rates) if rates else None)
    return medians
