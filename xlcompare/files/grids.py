"""calamine → plain grids (rows of values from A1, merges, visibility), in-process or in the
isolated child.

In-process the input has already been bounded by the pre-checks, so each sheet is read
whole (`to_python`). In the child (`sparse=True`) nothing is trusted: each sheet's extent is
looked at first, the cells far outside the table are found by walking the rows, and only
the table's block is kept.

A sheet calamine cannot read (its part missing, its XML damaged, a reference it cannot
parse) comes back as an empty Grid with the reason in `broken`, and the other sheets are
read: only a password, memory, or a workbook calamine cannot open at all refuse the file.
calamine's messages are put in plain words (`plain_reason`); no Rust debug text
(`Xlsx(Unrecognized { … })`) reaches a person, and a panic is a damaged file, not memory.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import cast

import python_calamine as calamine

from xlcompare.errors import ReadError
from xlcompare.files.extent import (
    MAX_COLS,
    MAX_ROWS,
    Block,
    PastGrid,
    Stray,
    block_end,
    place,
)
from xlcompare.files.limits import Limits
from xlcompare.files.refuse import PASSWORD_MESSAGE, refuse
from xlcompare.messages import Message

__all__ = ["Grid", "calamine_grids", "plain_reason"]


@dataclass
class Grid:
    name: str
    rows: list[list[object]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden: bool = False
    kind: str = "worksheet"  # worksheet, chart, macro, dialog, vba
    stray: Stray = field(default_factory=Stray)
    block: Block | None = None  # set when the grid was cut to its table (sparse reading)
    past: PastGrid = field(default_factory=PastGrid)  # cells at no place on Excel's grid
    broken: Message | None = None  # why calamine could not read the sheet (then rows empty)


_KINDS = {
    str(calamine.SheetTypeEnum.WorkSheet): "worksheet",
    str(calamine.SheetTypeEnum.ChartSheet): "chart",
    str(calamine.SheetTypeEnum.MacroSheet): "macro",
    str(calamine.SheetTypeEnum.DialogSheet): "dialog",
    str(calamine.SheetTypeEnum.Vba): "vba",
}


_SUFFIXES = {"xlsx": (".xlsx", ".xlsm", ".xltx", ".xltm"), "xlsm": (".xlsx", ".xlsm", ".xltm"),
             "xls": (".xls", ".xlt"), "ods": (".ods",), "xlsb": (".xlsb",)}


@contextmanager
def _rust_quiet() -> Iterator[None]:
    """Keep a Rust panic's message off the terminal: calamine reports some damaged files by
    panicking, and the panic hook prints to file descriptor 2 before Python sees the
    PanicException, which becomes the one-line refusal. Costs a few microseconds."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def calamine_grids(source: str | bytes, limits: Limits, name: str, fmt: str = "",
                   sparse: bool = False) -> list[Grid]:
    """Every sheet of a workbook as a Grid; raises a refusal (ReadError with a kind). In
    the child (`sparse`) Rust's messages are left on stderr, which the parent reads to tell
    a failed allocation from a crash (isolate.child_death)."""
    if sparse:
        return _calamine_grids(source, limits, name, fmt, sparse)
    with _rust_quiet():
        return _calamine_grids(source, limits, name, fmt, sparse)


def _calamine_grids(source: str | bytes, limits: Limits, name: str, fmt: str = "",
                    sparse: bool = False) -> list[Grid]:
    """Every sheet of a workbook as a Grid; raises a refusal (ReadError with a kind).
    `fmt` is what the content is (sniffed): calamine's from_path goes by the extension (an
    .xlsx named .xls fails as "invalid OLE"), so a file whose name lies is handed over as
    bytes, for calamine to detect by content."""
    try:
        if isinstance(source, str) and not source.lower().endswith(_SUFFIXES.get(fmt, ("-",))):
            with open(source, "rb") as handle:
                source = handle.read()
        if isinstance(source, bytes):
            book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(source))
        else:
            book = calamine.CalamineWorkbook.from_path(source)
    except BaseException as exc:  # noqa: BLE001 - Rust panics arrive as PanicException
        raise _refusal(exc, name, None) from None
    grids = []
    try:
        for meta in book.sheets_metadata:
            kind = _KINDS.get(str(meta.typ), "worksheet")
            hidden = str(meta.visible) != str(calamine.SheetVisibleEnum.Visible)
            if kind != "worksheet":
                grids.append(Grid(meta.name, [], hidden=hidden, kind=kind))
                continue
            try:
                sheet = book.get_sheet_by_name(meta.name)
                merges = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
                if sparse:
                    grid = _sparse(sheet, meta.name, limits, name)
                else:
                    rows = cast(list[list[object]], sheet.to_python(skip_empty_area=False))
                    grid = Grid(meta.name, rows)
            except ReadError:  # the sheet's own limits (too many cells): the file is refused
                raise
            except BaseException as exc:  # noqa: BLE001
                refusal = _refusal(exc, name, meta.name)
                if refusal.code != "corrupt":  # a password, memory: the file, not the sheet
                    raise refusal from None
                grids.append(Grid(meta.name, [], hidden=hidden, broken=plain_reason(exc)))
                continue
            grid.merges, grid.hidden = merges, hidden
            grids.append(grid)
    finally:
        book.close()
    return grids


def _refusal(exc: BaseException, name: str, sheet: str | None = None):
    if isinstance(exc, KeyboardInterrupt | SystemExit):
        raise exc
    if isinstance(exc, calamine.PasswordError):
        return refuse(PASSWORD_MESSAGE, "encrypted", name)
    # a Rust panic (PanicException, a BaseException) is calamine meeting a structure it did
    # not expect: a damaged file. A failed allocation does not panic (it aborts the process,
    # which only the child can survive: isolate.py) unless it is a size that cannot exist
    # ("capacity overflow"), which is a size the file asked for
    text = str(exc)
    if isinstance(exc, MemoryError) or _SIZE_PANIC.search(text):
        return refuse(Message("out-of-memory.reader"), "too_large", name, sheet)
    said = Message("corrupt.sheet" if sheet else "corrupt.workbook", why=plain_reason(exc))
    return refuse(said, "corrupt", name, sheet)


# zlib-rs reports an allocation that failed while inflating a part as `MemError`
_SIZE_PANIC = re.compile(r"capacity overflow|memory allocation|limit exceeded|out of memory"
                         r"|\bMemError\b", re.IGNORECASE)
# calamine's error variants and what they mean to a person (matched in its message, which
# is often Rust's debug text: `Xlsx(FileNotFound("xl/worksheets/sheet2.xml"))`)
_REASONS = (
    (re.compile(r"WorksheetNotFound|FileNotFound|not found", re.I), "reason.part-needed"),
    (re.compile(r"Range is missing|RangeWithout|DimensionCount|Alphanumeric|CellRef", re.I),
     "reason.cell-reference"),
    (re.compile(r"RelationshipNotFound", re.I), "reason.sheet-not-held"),
    (re.compile(r"Unrecognized.*sheet:type", re.I), "reason.sheet-kind"),
    (re.compile(r"Eof|end of (input|file)|unexpected end|truncated", re.I), "reason.ends-early"),
    (re.compile(r"xml|syntax|tag not closed|not well-formed|encoding|utf-?8", re.I),
     "reason.xml"),
    (re.compile(r"zip|deflate|crc|invalid archive", re.I), "reason.zip"),
    (re.compile(r"cfb|ole|sector|fat\b|biff|record|stream", re.I), "reason.records"),
    (re.compile(r"shared string|sst", re.I), "reason.shared-strings"),
)


def plain_reason(exc: BaseException) -> Message:
    """What calamine's error means, in words (never its Rust debug text)."""
    if not isinstance(exc, Exception) or type(exc).__name__ == "PanicException":
        return Message("reason.damaged")
    text = f"{type(exc).__name__}: {exc}"
    for pattern, key in _REASONS:
        if pattern.search(text):
            return Message(key)
    return Message("reason.unknown")


def _sparse(sheet, sheet_name: str, limits: Limits, name: str) -> Grid:
    """The sheet cut to its table, walking the rows once: rows holding something are kept
    (an empty row costs one C-level count), then the block is found and the rest reported."""
    if sheet.end is None:
        return Grid(sheet_name, [])
    filled: dict[int, list[object]] = {}
    cols: set[int] = set()
    count = 0
    past = PastGrid()
    for r, row in enumerate(sheet.iter_rows()):
        blanks = row.count("")
        if blanks == len(row):
            continue
        if r >= MAX_ROWS or len(row) > MAX_COLS:  # calamine keeps some of those (.ods caps)
            for c in range(len(row)) if r >= MAX_ROWS else range(MAX_COLS, len(row)):
                if row[c] != "":
                    past.add(place(r, c), str(row[c]))
            if r >= MAX_ROWS:
                continue
            row = row[:MAX_COLS]
            if row.count("") == len(row):
                continue
        used = [c for c, v in enumerate(row) if v != ""]
        count += len(used)
        if count > limits.max_cells:
            raise refuse(Message("too-many-cells.limit", limit=limits.max_cells), "too_large",
                         name, sheet_name)
        cols.update(used)
        filled[r] = row
    block = Block(block_end(((r, r + 1) for r in filled), limits.stray_gap_rows),
                  block_end(((c, c + 1) for c in cols), limits.stray_gap_columns))
    if block.cells > limits.max_sheet_cells:
        raise refuse(Message("sheet-too-large.spans", rows=block.rows, cols=block.cols,
                             limit=limits.max_sheet_cells), "too_large", name, sheet_name)
    kept: list[list[object]] = [[""] * block.cols for _ in range(block.rows)]
    stray = Stray()
    for r, row in sorted(filled.items()):
        if r < block.rows:
            kept[r] = list(row[:block.cols])
        for c in range(block.cols if r < block.rows else 0, len(row)):
            if row[c] != "":
                stray.add(r, c, str(row[c]))
    return Grid(sheet_name, kept, stray=stray, block=block, past=past)
