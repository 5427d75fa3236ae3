"""Station reports as JSON-ready dicts, for scripts (`xlcompare inspect --json`)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from xlcompare.model import StationReport
from xlcompare.taxonomy import NormalisedRow

__all__ = ["report_to_dict"]


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def report_to_dict(report: StationReport,
                   normalised: tuple[NormalisedRow, ...] | None = None) -> dict[str, Any]:
    """Every field of the report, plus the recomputed rates, the attendance totals and,
    given the normalised rows, how each indicator name matched."""
    data = dataclasses.asdict(report)
    for n, (row, out) in enumerate(zip(report.indicators, data["indicators"], strict=True)):
        out["rate"] = row.rate
        if normalised is not None:
            out["match"] = dataclasses.asdict(normalised[n].match)
    if report.attendance is not None:
        data["attendance"]["totals"] = report.attendance.totals
        for period, out in zip(report.attendance.periods, data["attendance"]["periods"],
                               strict=True):
            part = report.attendance.of_period(period)
            out["totals"], out["average_staff"] = part.totals, part.average_staff
    if report.staffing is not None:
        data["staffing"]["retention_rate"] = report.staffing.retention_rate
    # every sheet's cells by role: {"data": ["A7:G19"], "unread": [...], ...}
    data["cell_maps"] = [{"file": m.file, "sheet": m.sheet,
                          "roles": {role: list(spans) for role, spans in m.roles}}
                         for m in report.cell_maps]
    return _plain(data)
