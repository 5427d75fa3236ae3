"""A file's reading packed for storage and for the wait until its station is judged: JSON,
compressed, and back. Workers' names (reading.persons) are never packed."""

from __future__ import annotations

import zlib
from datetime import date

import orjson

from xlcompare.files.cells import shared_text
from xlcompare.model import CellMap, IndicatorRow, OperatorPeriod, Problem, Source
from xlcompare.readers.annex2 import MonthFigures
from xlcompare.readers.meta import Meta
from xlcompare.readers.station import FileReading

__all__ = ["pack_readings", "reading_facts", "unpack_readings"]


def pack_readings(readings: list[FileReading]) -> bytes:
    """A file's readings (one per station it holds) as the history stores them and the
    batch holds them until their stations are judged: JSON, compressed (1.4 KB for a
    two-annex workbook, against 8.8 KB of objects or 9.9 KB of JSON text; measured on the
    bench's workbooks)."""
    # orjson writes the dataclasses field by field and dates as ISO text; workers' names
    # (reading.persons) are never stored
    return zlib.compress(orjson.dumps([{
        "path": reading.path,
        "meta": reading.meta,
        "indicators": reading.indicators,
        "months": reading.months,
        "people": reading.people,
        "staffing": reading.staffing,
        "problems": reading.problems,
        "notes": reading.notes,
        "cell_maps": reading.cell_maps,
    } for reading in readings]), 1)


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def reading_facts(packed: bytes) -> list[tuple[str | None, date | None, int]]:
    """Each stored reading's station, cut-off and number of problems, without rebuilding
    them."""
    return [(data["meta"]["station"], _date(data["meta"]["cutoff"]), len(data["problems"]))
            for data in orjson.loads(zlib.decompress(packed))]


def unpack_readings(packed: bytes, path: str) -> list[FileReading]:
    """A file's stored readings, with `path` as the file is now called (it may have moved)."""
    return [_unpack(data, path) for data in orjson.loads(zlib.decompress(packed))]


def _unpack(data: dict, path: str) -> FileReading:
    meta_data = data["meta"]
    meta = Meta(
        station=meta_data["station"], operator=meta_data["operator"],
        contract_start=_date(meta_data["contract_start"]),
        contract_end=_date(meta_data["contract_end"]),
        period_start=_date(meta_data["period_start"]), cutoff=_date(meta_data["cutoff"]),
        found=meta_data["found"],
        operators=[OperatorPeriod(p["name"], _date(p["start"]), _date(p["end"]))
                   for p in meta_data.get("operators", ())],
        relative=tuple(meta_data["relative"]) if meta_data.get("relative") else None,
        cutoff_month=tuple(meta_data["cutoff_month"]) if meta_data.get("cutoff_month") else None,
        doubts=[tuple(d) for d in meta_data.get("doubts", ())],
    )
    old = data["path"]

    # the parsed dicts are this function's own, so they are completed in place; names, units,
    # sheets and cells repeat across files: one string object each
    def source(raw: dict | None) -> Source | None:
        if not raw:
            return None
        if raw["file"] == old:
            raw["file"] = path
        raw["sheet"], raw["cell"] = shared_text(raw["sheet"]), shared_text(raw["cell"])
        return Source(**raw)

    def indicator(raw: dict) -> IndicatorRow:
        for key in ("name", "category", "unit"):
            raw[key] = shared_text(raw[key])
        raw["source"] = source(raw["source"])
        return IndicatorRow(**raw)

    indicators = [indicator(r) for r in data["indicators"]]
    months = [(sheet, kind, [MonthFigures(**m) for m in found])
              for sheet, kind, found in data["months"]]
    # every stored Problem has its code: a reading stored before problems had codes was made
    # by other code, and the batch reads such files again before unpacking anything (CODE_KEY)
    problems = [Problem(**{**p, "file": path if p["file"] == old else p["file"]})
                for p in data["problems"]]
    cell_maps = [CellMap(path if m["file"] == old else m["file"], m["sheet"],
                         tuple((role, tuple(spans)) for role, spans in m["roles"]))
                 for m in data["cell_maps"]]
    return FileReading(path, meta, indicators, months, people=data["people"],
                       staffing=data["staffing"], problems=problems, notes=data["notes"],
                       cell_maps=cell_maps)
