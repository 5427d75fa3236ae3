"""Station reports as JSON-ready dicts, for scripts (`xlcompare inspect --json`)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from xlcompare.model import StationReport

__all__ = ["report_to_dict"]


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def report_to_dict(report: StationReport) -> dict[str, Any]:
    """Every field of the report, plus the recomputed rates and the attendance totals."""
    data = dataclasses.asdict(report)
    for row, out in zip(report.indicators, data["indicators"], strict=True):
        out["rate"] = row.rate
    if report.attendance is not None:
        data["attendance"]["totals"] = report.attendance.totals
    if report.staffing is not None:
        data["staffing"]["retention_rate"] = report.staffing.retention_rate
    return _plain(data)
