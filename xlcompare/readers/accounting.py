"""Every cell of a sheet accounted for: read into the model in a role, or reported as unread.

The table readers mark what they take (header rows, the data cells of each field, totals,
notes); the meta and staffing lines mark theirs. What is left is looked at once: text on its
own is prose (a note), but numbers nobody read, or a block of cells shaped like a table,
become an `unread-cells` problem naming the range, so that a layout the reader does not know
ends as a named doubt, never as a confident figure with the rest of the sheet dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta

from xlcompare.files.cells import a1, parse_number
from xlcompare.files.workbook import Sheet
from xlcompare.messages import Message
from xlcompare.model import CellMap, Problem

__all__ = ["ROLES", "account", "columns_span", "describe", "ranges"]

# the roles of a cell, in the order a sheet's map lists them; "unread" is what is left
ROLES = ("title", "meta", "header", "data", "total", "note", "unread")

Cell = tuple[int, int]


def _numeric(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float | date | datetime | time | timedelta):
        return True
    return isinstance(value, str) and parse_number(value).value is not None


def ranges(cells: Iterable[Cell]) -> list[str]:
    """A1 ranges covering `cells`: runs along each row, then equal runs of adjacent rows
    joined into rectangles (`A7:G19`)."""
    boxes: list[list[int]] = []  # r0, c0, r1, c1
    open_boxes: dict[tuple[int, int], list[int]] = {}  # a run of the row above → its box
    row, start, prev = -1, -1, -2
    runs: list[tuple[int, int]] = []

    def close_row() -> None:
        nonlocal open_boxes
        still: dict[tuple[int, int], list[int]] = {}
        for run in runs:
            box = open_boxes.get(run)
            if box is not None and box[2] == row - 1:
                box[2] = row
            else:
                box = [row, run[0], row, run[1]]
                boxes.append(box)
            still[run] = box
        open_boxes = still

    for r, c in sorted(set(cells)):
        if r != row:
            if row >= 0:
                runs.append((start, prev))
                close_row()
            row, start, prev, runs = r, c, c, []
        elif c == prev + 1:
            prev = c
        else:
            runs.append((start, prev))
            start = prev = c
    if row >= 0:
        runs.append((start, prev))
        close_row()
    boxes.sort()
    return [a1(r0, c0) if (r0, c0) == (r1, c1) else f"{a1(r0, c0)}:{a1(r1, c1)}"
            for r0, c0, r1, c1 in boxes]


def _regions(cells: set[Cell]) -> Iterator[set[Cell]]:
    """Groups of nearby cells: a cell joins its neighbours one row or two columns away."""
    left = set(cells)
    while left:
        seed = left.pop()
        region, todo = {seed}, [seed]
        while todo:
            r, c = todo.pop()
            for dr in (-1, 0, 1):
                for dc in (-2, -1, 0, 1, 2):
                    near = (r + dr, c + dc)
                    if near in left:
                        left.discard(near)
                        region.add(near)
                        todo.append(near)
        yield region


def _box(region: set[Cell]) -> tuple[int, int, int, int]:
    rows = [r for r, _ in region]
    cols = [c for _, c in region]
    return min(rows), min(cols), max(rows), max(cols)


def account(file: str, sheet: Sheet, roles: dict[Cell, str], meta_cells: dict[Cell, str]
            ) -> tuple[CellMap, list[Problem]]:
    """The sheet's map from the roles the readers marked (`roles`) and the meta lines'
    cells (`meta_cells`: cell → title or meta); a filled cell left over is prose (a note)
    or unread, and unread cells become `unread-cells` problems by region."""
    # the readers' marks cover the empty cells of the rows they read too: the map says
    # "data A7:G19", not a range for every filled stretch
    height, width = sheet.height, sheet.width
    by_role: dict[str, list[Cell]] = {}
    for cell, role in roles.items():
        if cell[0] < height and cell[1] < width:
            by_role.setdefault(role, []).append(cell)
    left: set[Cell] = set()
    for r, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            if value is None or value == "" or (r, c) in roles:
                continue
            if isinstance(value, str) and not value.strip():
                continue
            line = meta_cells.get((r, c))
            if line is None:
                left.add((r, c))
            else:
                by_role.setdefault(line, []).append((r, c))
    problems: list[Problem] = []
    for region in sorted(_regions(left), key=_box):
        numbers = [cell for cell in region if _numeric(sheet.raw(*cell))]
        r0, c0, r1, c1 = _box(region)
        table_like = r1 > r0 and c1 > c0 and len(region) >= 4
        if not numbers and not (table_like and r1 - r0 >= 2 and len(region) >= 6):
            by_role.setdefault("note", []).extend(region)  # text on its own: prose
            continue
        by_role.setdefault("unread", []).extend(region)
        span = a1(r0, c0) if (r0, c0) == (r1, c1) else f"{a1(r0, c0)}:{a1(r1, c1)}"
        if table_like:
            message = Message("unread-cells.table", span=span)
        else:
            message = Message("unread-cells.numbers", span=span, n=len(numbers),
                              shown=tuple(ranges(numbers)[:4]))
        problems.append(Problem(file, message, sheet.name, span))
    mapped = tuple((role, tuple(ranges(by_role[role]))) for role in ROLES if role in by_role)
    return CellMap(file, sheet.name, mapped), problems


def columns_span(columns: Iterable[int]) -> range:
    """The table's columns: from its first to its last read column."""
    cols = list(columns)
    return range(min(cols), max(cols) + 1) if cols else range(0)


def describe(cell_map: CellMap) -> str:
    """`附件1: title A1; meta A2:A4; header A5:G6; data A7:G19; note A21:A22`"""
    parts = [f"{role} {', '.join(spans)}" for role, spans in cell_map.roles]
    return f"{cell_map.sheet}: " + "; ".join(parts)

