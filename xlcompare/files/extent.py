"""Where a sheet's table ends, and which cells lie so far beyond it that they are strays.

A sheet becomes a rectangular grid from A1, so one cell at XFD1048576 would make it 17
billion cells. A cell separated from everything above (left of) it by more than
`stray_gap_rows` empty rows (`stray_gap_columns` empty columns) is a stray: typed there by
accident (Ctrl+↓ then a key). Strays are reported with their value and not read into the grid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from xlcompare.files.cells import a1
from xlcompare.files.limits import Limits
from xlcompare.files.refuse import refuse

__all__ = ["Block", "Stray", "block_end", "stray_message"]

STRAYS_NAMED = 5  # strays named in a message; the rest are counted


def block_end(occupied: Iterable[tuple[int, int]], gap: int) -> int:
    """End (exclusive) of the leading run of `occupied` index intervals [start, end) in
    which no two neighbours are more than `gap` apart; the run starts at index 0, so a first
    interval further than `gap` from 0 leaves an empty block."""
    end = 0
    for start, stop in sorted(occupied):
        if start - end > gap:
            break
        end = max(end, stop)
    return end


@dataclass
class Stray:
    """Cells outside the block: how many, and the first few with their text."""

    count: int = 0
    named: list[tuple[int, int, str]] = field(default_factory=list)

    def add(self, row: int, col: int, text: str, times: int = 1) -> None:
        self.count += times
        if len(self.named) < STRAYS_NAMED:
            self.named.append((row, col, text))


@dataclass(frozen=True)
class Block:
    """The grid a sheet is read into: rows [0, rows) × columns [0, cols)."""

    rows: int
    cols: int

    @property
    def cells(self) -> int:
        return self.rows * self.cols

    def holds(self, row: int, col: int) -> bool:
        return row < self.rows and col < self.cols


def stray_message(stray: Stray, block: Block) -> str:
    shown = ", ".join(f"{a1(r, c)} ({_short(t)})" for r, c, t in stray.named)
    more = f" and {stray.count - len(stray.named)} more" if stray.count > len(stray.named) else ""
    where = f"beyond {a1(max(block.rows - 1, 0), max(block.cols - 1, 0))}"
    return (f"{stray.count} cell(s) far outside the table ({where}) were not read: {shown}{more}; "
            "delete them or move them into the table (表格外远处有内容，未读取)")


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return repr(text if len(text) <= 30 else text[:29] + "…")


def bound_sheet(total: int, cells: int, row_runs: Iterable[tuple[int, int]],
                col_runs: Iterable[tuple[int, int]], limits: Limits, name: str,
                sheet: str) -> tuple[int, Block]:
    """Add a sheet's cells to the workbook's running `total` and find the block its table
    occupies; refuse (too_large) past the cell limits, before any reader allocates a grid."""
    total += cells
    if total > limits.max_cells:
        raise refuse(f"too large: more than {limits.max_cells} cells with values (文件过大)",
                     "too_large", name, sheet, code="too-many-cells")
    block = Block(block_end(row_runs, limits.stray_gap_rows),
                  block_end(col_runs, limits.stray_gap_columns))
    if block.cells > limits.max_sheet_cells:
        raise refuse(f"too large: the sheet spans {block.rows} rows × {block.cols} columns "
                     f"(limit {limits.max_sheet_cells} cells) (表格过大)", "too_large", name,
                     sheet, code="sheet-too-large")
    return total, block
