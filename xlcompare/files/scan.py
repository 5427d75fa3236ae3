"""The one shape every container scanner returns: what was found of a workbook before calamine
reads it, and how calamine is to read it.

ooxml, ods, biff and the text formats each check their container their own way; what the
opener needs from any of them is the same — the format, the sheets' facts (formulas, error
cells, strays, merges) matched to calamine's grids by name or by position, a cleaned copy to
read instead of the file, and whether calamine must run in a child process — so the opener
is one loop (workbook.py), not one near-copy per container.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xlcompare.files.extent import Block, PastGrid, Stray
from xlcompare.files.grids import Grid
from xlcompare.files.ooxml import Formula
from xlcompare.messages import Message

__all__ = ["ContainerScan", "SheetFacts"]


@dataclass
class SheetFacts:
    """What a scanner found of one sheet, to finish calamine's grid of it."""

    formulas: dict[tuple[int, int], Formula] = field(default_factory=dict)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    stray: Stray | None = None  # cells far beyond the table, set aside
    block: Block | None = None  # the table's extent, when strays were set aside
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # if calamine has none
    past: PastGrid | None = None  # cells at no place on Excel's grid, set aside
    broken: Message | None = None  # why the sheet cannot be read (its part missing, damaged)


@dataclass
class ContainerScan:
    """A container checked: its format, its sheets' facts, and how calamine reads it."""

    format: str  # xlsx, xlsm, xls, ods, xlsb, html, mhtml, spreadsheetml, csv
    by_name: dict[str, SheetFacts] = field(default_factory=dict)
    by_position: list[SheetFacts] = field(default_factory=list)
    cleaned: bytes | None = None  # a safe copy for calamine, when the file itself is not
    isolate: Message | None = None  # why calamine must run in a child process, if it must
    recalc_on_load: bool = False  # the writer asks for recomputing: saved values may be 0s
    notes: list[Message] = field(default_factory=list)
    # set when the grids are already built (text formats are parsed in Python, not calamine)
    grids: list[Grid] | None = None
    # (sheet, last cell) of a table with cells far outside it: the reason to give should the
    # child process fail on the size they make
    far: tuple[str, tuple[int, int]] | None = None
    # sheets the workbook lists that cannot be read and calamine will not list: (name, why)
    unreadable: list[tuple[str, Message]] = field(default_factory=list)

    def facts_for(self, grid: Grid, index: int) -> SheetFacts | None:
        if self.by_name:
            return self.by_name.get(grid.name)
        return self.by_position[index] if index < len(self.by_position) else None
