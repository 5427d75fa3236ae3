"""Where a sheet's table ends, which cells lie so far beyond it that they are strays, and
which lie past Excel's grid altogether.

A sheet becomes a rectangular grid from A1, so one cell at XFD1048576 would make it 17
billion cells. A cell separated from everything above (left of) it by more than
`stray_gap_rows` empty rows (`stray_gap_columns` empty columns) is a stray: typed there by
accident (Ctrl+↓ then a key). Strays are reported with their value and not read into the grid.

A cell past the grid (row 1,048,576 or column XFD), or at no place on it (row 0), is one no
spreadsheet program can hold: a faulty writer or a forged file (`A2147483648` would make
calamine allocate a 480 GB grid and abort the process). Every scanner sets such cells aside
before calamine sees the sheet (`past_grid`, `PastGrid`); they are reported, never read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from xlcompare.files.cells import a1
from xlcompare.files.limits import Limits
from xlcompare.files.refuse import refuse
from xlcompare.messages import Message

__all__ = ["MAX_COLS", "MAX_ROWS", "PAST", "Block", "PastGrid", "Stray", "block_end",
           "past_grid", "past_grid_message", "place", "ref_position", "stray_message"]

STRAYS_NAMED = 5  # strays named in a message; the rest are counted
# Excel's grid since 2007 (.xlsx, and what LibreOffice and WPS allow): 1,048,576 rows × XFD
MAX_ROWS = 1_048_576
MAX_COLS = 16_384
# a row or column index standing for "past the grid", whatever the file wrote (a reference
# with more digits than int() converts is never converted)
PAST = 1 << 62


def past_grid(row: int, col: int) -> bool:
    """0-based (row, col) outside Excel's grid (or before its first row or column)."""
    return not (0 <= row < MAX_ROWS and 0 <= col < MAX_COLS)


def place(row: int, col: int) -> str:
    """A 0-based place, on the grid or past it, as an A1 reference ("?" when it is beyond
    anything a reference could name)."""
    return a1(row, col) if 0 <= row < 10**12 and 0 <= col < 10**12 else "?"


def ref_position(letters: bytes, digits: bytes) -> tuple[int, int]:
    """An A1 reference's 0-based (row, col), PAST for a part beyond any grid: the digits are
    converted only when few enough to mean something (and never past int()'s own limit)."""
    col = 0
    if len(letters) > 4:
        col = PAST
    else:
        for ch in letters.upper():
            col = col * 26 + ch - 64
        col -= 1
    row = int(digits) - 1 if len(digits) <= 9 else PAST
    return row, col


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


@dataclass
class PastGrid:
    """Cells at no place on Excel's grid: how many, and the first few as the file wrote them
    (the reference, and the value where it was read)."""

    count: int = 0
    named: list[tuple[str, str]] = field(default_factory=list)

    def add(self, ref: str, text: str = "", times: int = 1) -> None:
        self.count += times
        if len(self.named) < STRAYS_NAMED:
            self.named.append((ref[:24], text))


def past_grid_message(past: PastGrid) -> Message:
    shown = [f"{ref} ({_short(text)})" if text else ref for ref, text in past.named]
    more = (Message("note.more", n=past.count - len(past.named))
            if past.count > len(past.named) else "")
    return Message("cell-past-grid.cells", n=past.count, shown=shown, more=more)


@dataclass(frozen=True)
class Block:
    """The grid a sheet is read into: rows [0, rows) × columns [0, cols)."""

    rows: int
    cols: int

    @property
    def cells(self) -> int:
        return self.rows * self.cols

    def holds(self, row: int, col: int) -> bool:
        return 0 <= row < self.rows and 0 <= col < self.cols


def stray_message(stray: Stray, block: Block) -> Message:
    shown = [f"{a1(r, c)} ({_short(t)})" for r, c, t in stray.named]
    more = (Message("note.more", n=stray.count - len(stray.named))
            if stray.count > len(stray.named) else "")
    return Message("stray-cells.far", n=stray.count, shown=shown, more=more,
                   where=a1(max(block.rows - 1, 0), max(block.cols - 1, 0)))


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
        raise refuse(Message("too-many-cells.limit", limit=limits.max_cells), "too_large", name,
                     sheet)
    block = Block(block_end(row_runs, limits.stray_gap_rows),
                  block_end(col_runs, limits.stray_gap_columns))
    if block.cells > limits.max_sheet_cells:
        raise refuse(Message("sheet-too-large.spans", rows=block.rows, cols=block.cols,
                             limit=limits.max_sheet_cells), "too_large", name, sheet)
    return total, block
