"""报送情况 for a summary: who of the roster reported for each month, who did not, who was
late — the roster a file named 站点名单 in the folder, or one given, else the stations the
summary shows (said so)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from xlcompare.errors import XlcompareError
from xlcompare.paths import ROSTER_STEM, PathArg
from xlcompare.quality import Arrival, reporting
from xlcompare.summary import FileStatus, Summary

__all__ = ["ROSTER_SUFFIXES", "find_roster", "with_reporting"]

ROSTER_SUFFIXES = (".xlsx", ".xls", ".xlsm", ".ods", ".csv")
S = TypeVar("S", bound=Summary)
# files whose station and cut-off count as reported (a superseded file still arrived)
_ARRIVED = {FileStatus.READ, FileStatus.HISTORY, FileStatus.DUPLICATE}


def find_roster(folder: PathArg) -> Path | None:
    """站点名单.xlsx (or .xls, .ods, .csv) in the folder itself, if there is one."""
    for suffix in ROSTER_SUFFIXES:
        candidate = Path(folder) / f"{ROSTER_STEM}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def with_reporting(summary: S, roster: PathArg | None = None) -> S:
    """The summary with its 报送情况. A file arrived when it was last written where it lies
    (its modification time): never later than when xlcompare first saw it, so adopting the
    tool on an old folder makes no report late."""
    from xlcompare.readers.roster import read_roster

    path = Path(roster) if roster is not None else find_roster(summary.folder)
    names: list[str] | None = None
    known = False
    note = ""
    if path is not None:
        try:
            names = [entry.station for entry in read_roster(path)]
            note = f"站点名单：{path.name}，{len(names)} 个站点"
            known = True
        except XlcompareError as exc:
            note = f"站点名单 {path.name} 无法读取（{exc.message}），以本次汇总中的站点代替"
    if names is None:
        names = list(dict.fromkeys(s.name for s in summary.summaries))
        note = note or ("未提供站点名单（站点名单.xlsx）：以本次汇总中出现的站点代替，"
                        "只统计最近一个月")
    arrivals = []
    for record in summary.files:
        if record.status not in _ARRIVED or not record.station or record.cutoff is None:
            continue
        try:
            seen = datetime.fromtimestamp((summary.folder / record.path).stat().st_mtime)
        except OSError:
            continue
        arrivals += [Arrival(station, record.cutoff, seen)
                     for station in record.station.split("、")]
    months = reporting(arrivals, names, summary.settings.quality.report_deadline_days)
    if not known:  # who should have reported a month is not known: only the latest is told
        months = months[-1:]
    return replace(summary, reporting=tuple(months), roster_note=note, roster_known=known)
