"""What the pages and the JSON API show, taken from the library's results and never worked
out again: the 总览, 滞后清单, 数据质量, 报送情况, 文件 and 问题 tables are the summary workbook's own tables
(writers/summary_tables.py), so the page and `xlcompare batch` cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from xlcompare.batch.trends import EarlierReport
from xlcompare.comparison import StationResult
from xlcompare.display import number, percent, visible
from xlcompare.judge import Status
from xlcompare.summary import (
    STATUS_ORDER,
    FileRecord,
    StationSummary,
    Summary,
    key_indicators,
    standings,
)
from xlcompare.web.uploads import Arrival
from xlcompare.web.workspace import station_key

__all__ = ["STATUS_CLASSES", "cell_text", "ledger_entry", "reporting_payload", "shown",
           "station_payload", "status_class", "summary_payload", "trend_points"]

STATUS_CLASSES = {Status.ON_TRACK: "s-ontrack", Status.WELL_AHEAD: "s-ahead",
                  Status.BROADLY: "s-broadly", Status.LAGGING: "s-lagging",
                  Status.NO_TARGET: "s-none", Status.CONCERN: "s-concern"}


def shown(value: Any) -> Any:
    """Every value a template prints: text from a workbook with its control characters and
    bidirectional overrides written as escapes (as the terminal shows them), None as
    nothing. Markup the templates made themselves passes untouched; autoescaping follows."""
    if value is None:
        return ""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return visible(value)


def status_class(status: Any) -> str:
    if status is None or status == "":
        return ""
    try:
        return STATUS_CLASSES.get(Status(status), "")
    except ValueError:
        return ""


def cell_text(value: Any, kind: str) -> str:
    """A summary table's cell as the workbook shows it (0.00%, 3,092, 2024-12-31)."""
    if value is None or value == "":
        return ""
    if kind == "pct":
        return percent(value)
    if kind == "pp":
        return f"{value:+.2f}"
    if kind in ("num", "int") and isinstance(value, int | float):
        return number(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def station_payload(rank: int, s: StationSummary, summary: Summary) -> dict[str, Any]:
    keys = key_indicators(summary.taxonomy, summary.settings)
    return {
        "rank": rank,
        "name": s.name,
        "key": station_key(s.name, s.cutoff),
        "cutoff": _iso(s.cutoff),
        "expected": s.expected,
        "share": s.share,
        "counts": {status.value: n for status, n in zip(STATUS_ORDER, s.counts, strict=True)},
        "key_indicators": [
            {"id": k, "name": summary.taxonomy[k].name, "rate": rate,
             "status": status.value if status else None}
            for k, (rate, status) in zip(keys, s.key_rates, strict=True)],
        "lagging": [
            {"id": r.row.id, "name": r.row.name, "category": r.row.row.category,
             "target": r.row.target, "completed": r.row.completed, "rate": r.judgement.rate,
             "expected": r.judgement.expected, "why": r.judgement.why}
            for r in s.lagging],
        "unmatched": list(s.unmatched),
        "attendance": [{"key": m.key, "label": m.label, "ratio": m.ratio,
                        "required": m.required, "status": m.status.value, "why": m.why}
                       for m in s.measures],
        "problems": len(s.problems),
        "flags": [{"ident": f.ident, "code": f.code, "rule": f.rule, "message": f.message,
                   "where": f.where, "verified": f.verified} for f in s.flags],
        "paragraph": s.paragraph,
    }


def reporting_payload(summary: Summary) -> list[dict[str, Any]]:
    """The 报送情况 months: who of the roster was expected, reported, did not, or was late."""
    return [{"month": m.month, "expected": list(m.expected), "received": list(m.received),
             "missing": list(m.missing),
             "late": [{"station": s, "arrived": seen.isoformat(timespec="seconds")}
                      for s, seen in m.late],
             "deadline": _iso(m.deadline), "rate": m.rate, "on_time_rate": m.on_time_rate}
            for m in summary.reporting]


def summary_payload(summary: Summary | None, busy: bool, error: tuple[str, str] | None
                    ) -> dict[str, Any]:
    """GET /api/summary: the stations as 总览 ranks them, with what each lags on and its
    数据质量 flags, and the 报送情况 months."""
    payload: dict[str, Any] = {"busy": busy, "error": None, "stations": [], "files": None,
                               "reporting": [], "roster_note": ""}
    if error is not None:
        payload["error"] = {"code": error[0], "message": error[1]}
    if summary is None:
        return payload
    payload["folder"] = str(summary.folder)
    payload["stations"] = [station_payload(n, s, summary)
                           for n, s in enumerate(standings(summary.summaries), start=1)]
    payload["files"] = {"total": len(summary.files), "read": summary.read,
                        "from_history": summary.from_history, "failed": len(summary.failed),
                        "not_ready": len(summary.not_ready)}
    payload["reporting"] = reporting_payload(summary)
    payload["roster_note"] = summary.roster_note
    return payload


def ledger_entry(arrival: Arrival, record: FileRecord | None) -> dict[str, Any]:
    """One file of POST /api/files: what became of the upload, and of its reading."""
    entry: dict[str, Any] = {"name": arrival.name, "saved_as": arrival.saved_as,
                             "inside": arrival.inside, "code": arrival.code,
                             "reason": arrival.reason}
    if record is not None:
        entry.update(status=record.status.value, station=record.station,
                     cutoff=_iso(record.cutoff), problems=record.problems,
                     read_code=record.code,
                     read_reason=record.reason.text() if record.reason else "")
    return entry


@dataclass(frozen=True)
class TrendPoints:
    points: list[tuple[date, dict[str, float | None]]]
    expected: list[float | None]
    names: dict[str, str]  # indicator id → name, for the lines drawn


def trend_points(result: StationResult, earlier: list[EarlierReport],
                 summary: Summary) -> TrendPoints:
    """The key indicators' rates at each earlier report and now, oldest first."""
    keys = key_indicators(summary.taxonomy, summary.settings)
    points: list[tuple[date, dict[str, float | None]]] = []
    expected: list[float | None] = []
    for report in earlier:
        points.append((report.cutoff, {f.indicator_id: f.rate for f in report.figures
                                       if f.indicator_id in keys}))
        expected.append(report.expected)
    if result.report.cutoff:
        points.append((result.report.cutoff, {r.row.id: r.judgement.rate for r in result.rows
                                              if r.row.id in keys}))
        expected.append(result.progress.share if result.progress else None)
    seen = {k for _, values in points for k, v in values.items() if v is not None}
    names = {k: summary.taxonomy[k].name for k in keys if k in seen}
    return TrendPoints(points, expected, names)
