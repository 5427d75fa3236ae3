"""Readers: find the annex tables in real workbooks by their content and build a StationReport."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from os import PathLike
from typing import TypeVar

from xlcompare.errors import XlcompareError
from xlcompare.model import StationReport
from xlcompare.readers.layout import Layout
from xlcompare.readers.station import FileReading, assemble, read_workbook, several_stations_error

__all__ = ["group_by_report", "group_readings", "read_reports", "read_station"]

PathArg = str | PathLike[str]


def read_station(
    paths: PathArg | Sequence[PathArg],
    *,
    station: str | None = None,
    cutoff: date | None = None,
    contract_start: date | None = None,
    contract_end: date | None = None,
    with_names: bool = False,
    layout: Layout | None = None,
) -> StationReport:
    """Read one station's report from one workbook, or from several files (附件1 and 附件2 apart).

    A workbook holding several stations gives the one named by `station`; without it,
    LayoutError (`several-stations`) names them: read_reports reads them all.

    Keyword arguments override what the workbook states (station name, cut-off, contract dates).
    Workers' names on a per-person 附件2 are kept (in `attendance.persons`) only `with_names`.
    `layout`: the packaged layout unless given (`readers.layout.layout_for(paths)` adds the
    user's xlcompare-layout.toml beside the workbooks). Raises ReadError when a file cannot
    be opened as a workbook and LayoutError when no annex table is recognised; problems that
    still leave figures readable go into `report.problems`.
    """
    if isinstance(paths, str | PathLike):
        paths = [paths]
    readings: list[FileReading] = []
    for path in paths:
        parts = read_workbook(path, with_names=with_names, layout=layout)
        if len(parts) > 1:  # a workbook of several stations: only the one asked for
            mine = [r for r in parts if station is not None and r.meta.station == station]
            if not mine:
                raise several_stations_error(str(path), parts)
            parts = mine
        readings.extend(parts)
    return assemble(readings, station=station, cutoff=cutoff, contract_start=contract_start,
                    contract_end=contract_end)


def read_reports(paths: Iterable[PathArg], *, with_names: bool = False,
                 layout: Layout | None = None
                 ) -> tuple[list[StationReport], list[XlcompareError]]:
    """Read many files; files of the same station and cut-off are merged into one report,
    and a workbook holding several stations (a sheet each, titled blocks, the district's
    wide table) gives a report for each.

    Never raises for a bad file: its error is returned beside the reports of the good ones.
    Reports come in the order their first file was given.
    """
    readings: list[FileReading] = []
    errors: list[XlcompareError] = []
    for path in paths:
        try:
            readings.extend(read_workbook(path, with_names=with_names, layout=layout))
        except XlcompareError as exc:
            errors.append(exc)
    return [assemble(group) for group in group_readings(readings)], errors


def group_readings(readings: list[FileReading]) -> list[list[FileReading]]:
    """Files of one station and cut-off belong together. A file that states no cut-off (an
    附件2 sent alone often has none) joins its station's only dated group."""
    return group_by_report(readings, lambda r: (r.meta.station or r.path, r.meta.cutoff))


T = TypeVar("T")


def group_by_report(items: Iterable[T], key: Callable[[T], tuple[str, date | None]]
                    ) -> list[list[T]]:
    """group_readings for anything that knows its (station, cut-off): the batch groups its
    files before it rebuilds their readings. A dated item leads its group."""
    groups: dict[tuple[str, date | None], list[T]] = {}
    undated: list[tuple[str, T]] = []
    for item in items:
        station, cutoff = key(item)
        if cutoff is None:
            undated.append((station, item))
        else:
            groups.setdefault((station, cutoff), []).append(item)
    dated: dict[str, list[tuple[str, date | None]]] = {}  # station → its dated groups' keys
    for group_key in groups:
        dated.setdefault(group_key[0], []).append(group_key)
    for station, item in undated:
        keys = dated.get(station, [])
        groups.setdefault(keys[0] if len(keys) == 1 else (station, None), []).append(item)
    return list(groups.values())
