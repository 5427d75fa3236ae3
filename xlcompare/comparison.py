"""Judge one station, or two side by side: plain results that every writer renders.

Nothing here formats for a medium; the terminal, the workbook and the prose read the same
results, so a notebook user gets exactly what the CLI shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlcompare.judge import (
    Judgement,
    JudgeSettings,
    Measure,
    Progress,
    Status,
    expected_progress,
    figure_judge,
    judge_figures,
    judge_staffing,
    load_settings,
)
from xlcompare.model import StationReport
from xlcompare.taxonomy import NormalisedRow, Taxonomy, align, normalise

__all__ = ["ComparedRow", "Comparison", "JudgedRow", "StationResult", "compare", "judge_station"]


@dataclass(frozen=True, slots=True)
class JudgedRow:
    row: NormalisedRow
    judgement: Judgement

    @property
    def status(self) -> Status:
        return self.judgement.status


@dataclass(frozen=True)
class StationResult:
    """One station's report, its names matched and every indicator and ratio judged."""

    report: StationReport
    progress: Progress | None
    rows: tuple[JudgedRow, ...]
    measures: tuple[Measure, ...]

    @property
    def name(self) -> str:
        return self.report.station or (self.report.sources[0] if self.report.sources else "?")

    def with_status(self, *statuses: Status) -> tuple[JudgedRow, ...]:
        return tuple(r for r in self.rows if r.status in statuses)

    @property
    def lagging(self) -> tuple[JudgedRow, ...]:
        return self.with_status(Status.LAGGING)

    @property
    def unmatched(self) -> tuple[NormalisedRow, ...]:
        return tuple(r.row for r in self.rows if r.row.id is None)


def _judge(row: NormalisedRow | None, progress: Progress | None,
           settings: JudgeSettings) -> Judgement | None:
    if row is None:
        return None
    return judge_figures(row.completed, row.target, row.row.sheet_rate, progress,
                         settings.indicators)


def judge_station(report: StationReport, taxonomy: Taxonomy | None = None,
                  settings: JudgeSettings | None = None) -> StationResult:
    """Match names and judge each indicator against the time elapsed in the contract year."""
    settings = settings or load_settings()
    progress = expected_progress(report.contract_start, report.contract_end, report.cutoff)
    judge = figure_judge(progress, settings.indicators)
    rows = tuple(
        JudgedRow(n, judge(n.row.completed, n.row.target, n.row.sheet_rate))
        for n in normalise(report.indicators, taxonomy)
    )
    return StationResult(report, progress, rows, judge_staffing(report, settings.attendance))


@dataclass(frozen=True, slots=True)
class ComparedRow:
    """One aligned indicator: station A beside station B, each judged."""

    id: str | None
    name: str
    category: str | None
    a: NormalisedRow | None
    b: NormalisedRow | None
    judgement_a: Judgement | None
    judgement_b: Judgement | None
    note: str | None = None

    @property
    def difference_pp(self) -> float | None:
        """B's rate minus A's, in percentage points."""
        ra = self.judgement_a.rate if self.judgement_a else None
        rb = self.judgement_b.rate if self.judgement_b else None
        if ra is None or rb is None:
            return None
        return (rb - ra) * 100

    @property
    def derived(self) -> bool:
        return bool((self.a and self.a.derived) or (self.b and self.b.derived))


@dataclass(frozen=True)
class Comparison:
    a: StationResult
    b: StationResult
    rows: tuple[ComparedRow, ...]
    settings: JudgeSettings


def compare(a: StationReport, b: StationReport, taxonomy: Taxonomy | None = None,
            settings: JudgeSettings | None = None) -> Comparison:
    """Line up two stations (or two years of one) indicator by indicator, roll-ups included."""
    settings = settings or load_settings()
    result_a = judge_station(a, taxonomy, settings)
    result_b = judge_station(b, taxonomy, settings)
    rows = tuple(
        ComparedRow(
            pair.id, pair.name, pair.category_name, pair.a, pair.b,
            _judge(pair.a, result_a.progress, settings),
            _judge(pair.b, result_b.progress, settings),
            pair.note,
        )
        for pair in align([r.row for r in result_a.rows], [r.row for r in result_b.rows],
                          taxonomy, labels=_labels(result_a, result_b))
    )
    return Comparison(result_a, result_b, rows, settings)


def _labels(a: StationResult, b: StationResult) -> tuple[str, str]:
    """How notes name the two sides: by station, or by cut-off for two years of one station."""
    if a.name != b.name:
        return a.name, b.name
    return (f"{a.name}（{a.report.cutoff}）", f"{b.name}（{b.report.cutoff}）")
