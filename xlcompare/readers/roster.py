"""The district's station roster (站点名单): who must report. A workbook or CSV with a 站点
column, and optionally 区, 承接机构 and 合同期, read by the same opener as any workbook."""

from __future__ import annotations

from dataclasses import dataclass

from xlcompare.errors import LayoutError
from xlcompare.files.cells import match_text, text_of
from xlcompare.files.workbook import open_workbook
from xlcompare.messages import Message
from xlcompare.paths import ROSTER_STEM, PathArg
from xlcompare.readers.layout import load_layout
from xlcompare.readers.meta import station_from_text

__all__ = ["ROSTER_STEM", "RosterEntry", "read_roster"]



@dataclass(frozen=True)
class RosterEntry:
    station: str
    district: str | None = None
    operator: str | None = None
    contract: str | None = None


def read_roster(path: PathArg) -> list[RosterEntry]:
    """Every station the roster lists, in its order, each once; LayoutError (`no-roster-column`)
    when no sheet has a 站点 column."""
    book = open_workbook(path)
    roles = load_layout().wide  # the same words name a station's column there
    for sheet in book.sheets:
        for r, row in enumerate(sheet.rows[:20]):
            labels = {c: roles.classify(match_text(v)) for c, v in enumerate(row) if text_of(v)}
            # a header's label, not a station's name (素社街社工站 matches 社工站 too)
            station_col = next((c for c, role in labels.items() if role == "station"
                                and not station_from_text(text_of(row[c]))), None)
            if station_col is None or len(labels) < 2:  # a title names 社工站 too
                continue
            district_col = next((c for c, v in enumerate(row) if match_text(v) in ("区", "所属区", "区域")),
                                None)
            columns = {role: c for c, role in labels.items() if role in ("operator", "contract")}
            entries: dict[str, RosterEntry] = {}
            for values in sheet.rows[r + 1:]:
                cell = text_of(values[station_col]) if station_col < len(values) else ""
                if not cell:
                    continue
                name = station_from_text(cell) or cell

                def at(col: int | None, values: list[object] = values) -> str | None:
                    return (text_of(values[col]) or None) if col is not None and col < len(values) else None

                entries.setdefault(name, RosterEntry(name, at(district_col),
                                                     at(columns.get("operator")),
                                                     at(columns.get("contract"))))
            return list(entries.values())
    raise LayoutError(Message("no-roster-column"), file=str(path))
