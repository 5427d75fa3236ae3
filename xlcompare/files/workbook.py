"""Open a workbook file of any kind into plain sheets (values + merged ranges + formulas).

Stations' files are identified by content, never by name, and checked before any parser
touches them. The order, cheapest first:

1. the file itself: missing, a folder, 0 bytes or all zero bytes (still being copied),
   larger than `max_file_mb`;
2. its first bytes (sniff.py): zip, CFB (legacy Office), HTML, SpreadsheetML 2003 XML, MIME
   web archive, CSV text, or a PDF / image / archive sent by mistake;
3. zip (.xlsx/.xlsm/.ods, whatever the name): the central directory (zipcheck.py: whole,
   part count, duplicates, unpacked size, compression ratio), then every XML part unpacked
   with its size enforced and refused if it declares a DTD (entity bombs, XXE) — parts no
   reader parses (VBA, macro sheets, Basic) are left packed —, each sheet checked
   well-formed (expat; a damaged one is a problem of its sheet) and tokenized (ooxml.py /
   ods.py): cell count, extent, strays far away, cells past Excel's grid, error cells and
   formulas with their saved values;
   CFB: encrypted (→ "password-protected"), then the BIFF record stream (biff.py): the
   same facts, plus forged counts that would make the reader reserve gigabytes;
   text: parsed in Python (text_formats.py) into the same cells — a web page over
   `isolate_html_from_mb` in the child process (html.parser has quadratic cases);
4. calamine reads the file — or a cleaned in-memory copy without the strays — in-process
   when the checks bound what it will allocate, else in a child process with a memory and
   time limit (isolate.py);
5. each sheet is finished: error cells put back as their text (#DIV/0!, which calamine
   returns as blank) so that the figure reader reports them, over-long text cut, merges
   clipped to the grid, strays and hidden sheets reported, and a formula whose saved value
   is 0 but recomputes to another number (xlsxwriter saves 0 for every formula) replaced by
   the recomputed number and reported.

A file that cannot be read raises ReadError (refuse.py) with a `kind`: "missing", "locked",
"empty", "truncated", "corrupt", "encrypted", "unsupported", "too_large" or "unsafe", and a
`code` saying precisely why (codes.REFUSAL_CODES: `password-protected`, `zip-bomb` ...).
The file is only ever read.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from struct import error as struct_error

import defusedxml  # noqa: F401 - a hard dependency: refuse to run without it

from xlcompare.errors import ReadError
from xlcompare.files.cells import a1, parse_number
from xlcompare.files.extent import (
    Block,
    PastGrid,
    Stray,
    block_end,
    past_grid,
    past_grid_message,
    place,
    stray_message,
)
from xlcompare.files.formats import CONTAINERS, TEXT_KINDS
from xlcompare.files.formulas import evaluate
from xlcompare.files.grids import Grid, calamine_grids
from xlcompare.files.limits import Limits, load_limits
from xlcompare.files.ooxml import Formula
from xlcompare.files.refuse import refuse
from xlcompare.files.scan import ContainerScan, SheetFacts
from xlcompare.files.sniff import HEAD_BYTES, Sniffed, sniff
from xlcompare.files.zipcheck import ZipBox
from xlcompare.messages import Message
from xlcompare.model import Problem
from xlcompare.paths import PathArg

__all__ = [
    "Formula",
    "Sheet",
    "Workbook",
    "check_xml_defences",
    "open_workbook",
]



def check_xml_defences() -> None:
    """defusedxml is installed (imported above) and openpyxl, if anything uses it, parses
    through it: openpyxl.DEFUSEDXML is True exactly when defusedxml is importable and
    OPENPYXL_DEFUSEDXML is not set to something else than "True"."""
    if os.environ.get("OPENPYXL_DEFUSEDXML", "True") != "True":
        raise RuntimeError("OPENPYXL_DEFUSEDXML is set: openpyxl would parse workbooks "
                           "without defusedxml; unset it")
    openpyxl = sys.modules.get("openpyxl")
    if openpyxl is not None and not getattr(openpyxl, "DEFUSEDXML", False):
        raise RuntimeError("openpyxl is not using defusedxml")


check_xml_defences()


@dataclass
class Sheet:
    """One worksheet as a rectangular grid from A1, with merged ranges and formulas."""

    name: str
    rows: list[list[object]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1
    formulas: dict[tuple[int, int], Formula] = field(default_factory=dict)
    hidden: bool = False

    def __post_init__(self) -> None:
        self.width = max((len(r) for r in self.rows), default=0)
        self._owner: dict[tuple[int, int], tuple[int, int]] = {}
        for r0, c0, r1, c1 in self.merges:
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    self._owner[(r, c)] = (r0, c0)

    @property
    def height(self) -> int:
        return len(self.rows)

    def raw(self, row: int, col: int) -> object:
        if row >= len(self.rows) or col >= len(self.rows[row]):
            return None
        return self.rows[row][col]

    def value(self, row: int, col: int) -> object:
        """The cell's value, or for a cell inside a merged range the value of its top-left."""
        owner = self._owner.get((row, col))
        return self.raw(*owner) if owner is not None else self.raw(row, col)

    def merge_span(self, row: int, col: int) -> tuple[int, int, int, int] | None:
        owner = self._owner.get((row, col))
        if owner is None:
            return None
        for merge in self.merges:
            if merge[:2] == owner:
                return merge
        return None

    def is_merged_follower(self, row: int, col: int) -> bool:
        owner = self._owner.get((row, col))
        return owner is not None and owner != (row, col)


@dataclass
class Workbook:
    path: Path
    sheets: list[Sheet]
    # doubts found while opening (strays, hidden sheets, saved zeros, cut text), cell named
    problems: list[Problem] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)
    format: str = ""  # what the content is: xlsx, xls, ods, xlsb, html, spreadsheetml, csv


def open_workbook(path: PathArg, *, limits: Limits | None = None,
                  skip_author: str | None = None) -> Workbook:
    """Open a workbook read-only; raise ReadError (with its kind and code) when it cannot be
    read.

    With `skip_author`, an .xlsx whose document properties name that author is refused
    (kind "own_output") before its sheets are read: a batch over a folder holding its own
    summary tells it apart in the same opening of the zip."""
    limits = limits or load_limits()
    path = Path(path)
    name = str(path)
    try:
        size = _regular_size(os.stat(path), name)
        # O_NONBLOCK: should a FIFO take the file's place since the stat, opening it does not
        # wait for a writer (and the fstat below refuses it)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as handle:
            _regular_size(os.fstat(fd), name)
            head = handle.read(HEAD_BYTES)
    except FileNotFoundError:
        raise refuse(Message("file-not-found"), "missing", name) from None
    except PermissionError:
        raise refuse(Message("file-locked.permission"), "locked", name) from None
    except OSError as exc:
        raise refuse(Message("io-error.reason", reason=exc.strerror or str(exc)), "locked",
                     name) from None
    if size == 0:
        raise refuse(Message("empty-file.copying"), "empty", name)
    if size > limits.max_file_bytes:
        raise refuse(Message("file-too-large.size", mb=size / 2**20, limit=limits.max_file_mb),
                     "too_large", name)
    sniffed = sniff(head)
    kind = sniffed.kind
    if kind == "zeros":
        raise refuse(Message("zero-filled.copying"), "empty", name)
    if kind == "foreign" and sniffed.message is not None:
        raise refuse(sniffed.message, "unsupported", name)
    if kind == "old_biff":
        raise refuse(Message("old-excel.save"), "unsupported", name)
    if kind == "unknown":
        raise refuse(Message("unknown-format.save"), "unsupported", name)
    opened = _Opened(path, limits, skip_author)
    try:
        _OPENERS[kind](opened, sniffed)
    except ReadError:
        raise
    except MemoryError:
        raise refuse(Message("out-of-memory.read"), "too_large", name) from None
    except (OSError, ValueError, LookupError, ArithmeticError, TypeError, AttributeError,
            RecursionError, UnicodeError, struct_error) as exc:
        # a file shaped in a way no check foresaw must still end as one line about the file,
        # not stop the run; the traceback stays chained for whoever debugs it
        raise refuse(Message("unreadable.detail", kind=type(exc).__name__,
                             detail=str(exc)[:100]), "corrupt", name) from exc
    return Workbook(path, opened.sheets, opened.problems, opened.notes, opened.format)


def _regular_size(info: os.stat_result, name: str) -> int:
    """The size of a regular file; a folder, FIFO, socket or device is refused unopened (a
    FIFO would block the reader for ever, a device may never end or act when opened)."""
    if stat.S_ISDIR(info.st_mode):
        raise refuse(Message("is-folder.named"), "unsupported", name)
    if not stat.S_ISREG(info.st_mode):
        raise refuse(Message("special-file.never"), "unsupported", name)
    return info.st_size


class _Opened:
    """The reading of one file: its format, sheets, problems and notes as they are found."""

    def __init__(self, path: Path, limits: Limits, skip_author: str | None = None) -> None:
        self.path = path
        self.name = str(path)
        self.limits = limits
        self.skip_author = skip_author
        self.sheets: list[Sheet] = []
        self.problems: list[Problem] = []
        self.notes: list[Message] = []
        self.format = ""

    # ---------------------------------------------------------------- one loop for every container
    def read(self, scan: ContainerScan) -> None:
        """calamine's grids of a scanned container (or the grids a text format built),
        each finished with what the scan found of its sheet."""
        self.format = scan.format
        self.notes += scan.notes
        grids = scan.grids if scan.grids is not None else self._grids(scan)
        broken = [(sheet, why) for sheet, why in scan.unreadable]
        for index, grid in enumerate(grids):
            facts = scan.facts_for(grid, index)
            if facts is not None and facts.broken is not None:
                grid.broken = facts.broken  # what the scan saw says more than calamine's error
            if grid.broken is not None:
                broken.append((grid.name, grid.broken))
                continue
            if facts is None:
                self._finish(grid, {}, {}, scan.recalc_on_load)
                continue
            if facts.stray is not None and facts.stray.count:
                grid.stray, grid.block = facts.stray, facts.block
            if facts.past is not None and facts.past.count:
                grid.past = facts.past
            if not grid.merges:
                grid.merges = facts.merges
            self._finish(grid, facts.formulas, facts.errors, scan.recalc_on_load)
        if broken and not self.sheets:
            sheet, why = broken[0]
            more = Message("corrupt.more-sheets", n=len(broken) - 1) if len(broken) > 1 else ""
            raise refuse(Message("corrupt.no-sheet", sheet=sheet, why=why, more=more),
                         "corrupt", self.name, sheet)
        for sheet, why in broken:
            self.problems.append(Problem(
                self.name, Message("sheet-unreadable.other-sheets", why=why), sheet, None))

    def _grids(self, scan: ContainerScan) -> list[Grid]:
        if scan.isolate is None and self.limits.isolate != "always":
            # the checks bound what calamine will allocate: read in this process
            return calamine_grids(scan.cleaned or self.name, self.limits, self.name,
                                  scan.format)
        try:
            return self._read_unbounded(scan.isolate or _ALWAYS, scan.cleaned)
        except ReadError as exc:
            if scan.far is None or exc.kind not in ("corrupt", "too_large"):
                raise
            sheet, last = scan.far
            raise refuse(Message("far-cells.up-to", cell=a1(*last)), "too_large", self.name,
                         sheet) from None

    def read_zip(self) -> None:
        from xlcompare.files.zipcheck import open_zip

        box = open_zip(self.path, self.limits)
        try:
            self.read(self._zip_scan(box))
        finally:
            box.close()

    def _zip_scan(self, box: ZipBox) -> ContainerScan:
        parts = box.parts
        if "xl/workbook.xml" in parts or _main_is_spreadsheet(box):
            from xlcompare.files.ooxml import container_scan, made_by

            if self.skip_author and made_by(box, self.skip_author):
                raise refuse(Message("own-output.author", author=self.skip_author),
                             "own_output", self.name)
            return container_scan(box, self.limits)
        if "xl/workbook.bin" in parts:
            return ContainerScan("xlsb", isolate=Message("note.why-xlsb"))
        if "content.xml" in parts or "mimetype" in parts:
            from xlcompare.files.ods import container_scan as ods_scan

            return ods_scan(box, self.limits, self.name)
        if "word/document.xml" in parts:
            raise refuse(Message("word-document.named", suffix=".docx"), "unsupported",
                         self.name)
        if "ppt/presentation.xml" in parts:
            raise refuse(Message("powerpoint.named"), "unsupported", self.name)
        raise refuse(Message("archive.unpack", kind="zip"), "unsupported", self.name)

    def read_cfb(self) -> None:
        from xlcompare.files.biff import container_scan

        self.read(container_scan(self.path, self.limits))

    # ---------------------------------------------------------------- child process
    def _read_unbounded(self, why: Message, data: bytes | None = None) -> list[Grid]:
        """calamine in a child process: for what the checks cannot bound in-process."""
        if self.limits.isolate == "never":
            raise refuse(Message("isolation-forbidden.file", why=why), "unsupported", self.name)
        from xlcompare.files.isolate import read_isolated

        self.notes.append(Message("note.isolated", why=why))
        return read_isolated(self.path, self.limits, self.format, data)

    # ---------------------------------------------------------------- text formats
    def read_text(self, kind: str, encoding: str | None) -> None:
        from xlcompare.files import text_formats

        notes: list[Message] = []
        large = self.path.stat().st_size > self.limits.isolate_html_from_mb * 2**20
        if kind in ("html", "mhtml") and (large or self.limits.isolate == "always"):
            from xlcompare.files.isolate import read_text_isolated

            if self.limits.isolate == "never":
                raise refuse(Message("isolation-forbidden.web-page"), "unsupported", self.name)
            why = Message("note.why-large-page") if large else _ALWAYS
            notes.append(Message("note.isolated", why=why))
            raws = read_text_isolated(self.path, self.limits, kind, encoding)
        elif kind == "html":
            raws = text_formats.read_html(self.path, encoding, self.limits)
        elif kind == "mhtml":
            raws = text_formats.read_mhtml(self.path, self.limits)
        elif kind == "spreadsheetml":
            raws = text_formats.read_spreadsheetml(self.path, self.limits)
        else:
            raws = text_formats.read_csv(self.path, encoding, self.limits)
        notes.append(Message("note.by-content", format=Message(_FORMAT_NAMES[kind])))
        grids = [_grid_of(raw, self.limits, self.name) for raw in raws]  # formulas cut too
        self.read(ContainerScan(kind, by_position=[SheetFacts(raw.formulas) for raw in raws],
                                notes=notes, grids=grids))

    # ---------------------------------------------------------------- finishing a sheet
    def _finish(self, grid: Grid, formulas: dict[tuple[int, int], Formula],
                errors: dict[tuple[int, int], str], recalc: bool) -> None:
        if grid.kind != "worksheet":
            self.notes.append(Message("note.no-cells", kind=grid.kind, sheet=grid.name))
            return
        limits = self.limits
        rows = grid.rows
        if grid.block is not None and grid.stray.count:
            self.problems.append(Problem(self.name, stray_message(grid.stray, grid.block),
                                         grid.name, a1(*grid.stray.named[0][:2])))
        if grid.past.count:
            self.problems.append(Problem(self.name, past_grid_message(grid.past), grid.name,
                                         grid.past.named[0][0] if grid.past.named else None))
        cap = limits.max_cell_chars
        long_cells = [(r, c, len(value)) for r, row in enumerate(rows)
                      for c, value in enumerate(row)
                      if value.__class__ is str and len(value) > cap]
        for r, c, _ in long_cells:
            rows[r][c] = str(rows[r][c])[:cap]
        if long_cells:
            r, c, length = long_cells[0]
            self.problems.append(Problem(
                self.name, Message("text-cut.cells", n=len(long_cells), length=length,
                                   cell=a1(r, c), cap=limits.max_cell_chars), grid.name, a1(r, c)))
        height = len(rows)
        width = max((len(row) for row in rows), default=0)
        merges = []
        for r0, c0, r1, c1 in grid.merges:
            r0, c0 = max(r0, 0), max(c0, 0)
            if r0 >= height or c0 >= width:
                continue
            r1, c1 = min(r1, height - 1), min(c1, width - 1)
            if (r1, c1) != (r0, c0) and r1 >= r0 and c1 >= c0:
                merges.append((r0, c0, r1, c1))
        sheet = Sheet(grid.name, rows, merges, dict(formulas), grid.hidden)
        self._put_errors(sheet, errors)
        if grid.hidden:
            self.problems.append(Problem(self.name, Message("hidden-sheet.read"), grid.name, None,
                                         "info"))
        self._check_saved_zeros(sheet, recalc)
        self.sheets.append(sheet)

    def _put_errors(self, sheet: Sheet, errors: dict[tuple[int, int], str]) -> None:
        """Error cells back as their text, so the figure reader reports them by cell."""
        for (r, c), text in errors.items():
            while len(sheet.rows) <= r:
                sheet.rows.append([])
            row = sheet.rows[r]
            if len(row) <= c:
                row.extend([None] * (c + 1 - len(row)))
            row[c] = text
        if errors:
            sheet.width = max((len(r) for r in sheet.rows), default=0)

    def _check_saved_zeros(self, sheet: Sheet, recalc: bool) -> None:
        """A formula saved as 0 that computes to another number: xlsxwriter (and other
        writers that do not compute) save 0 for every formula. The computed number replaces
        the 0 in the grid and the cell is reported; one that cannot be computed is reported
        when the file asks to be recalculated on opening (its saved values are placeholders)."""
        suspects = [(k, f) for k, f in sheet.formulas.items()
                    if f.cached and f.value == 0 and f.text]
        if not suspects:
            return
        resolving: set[tuple[int, int]] = set()

        def value_at(row: int, col: int) -> float | None:
            formula = sheet.formulas.get((row, col))
            if (formula is not None and formula.text and (row, col) not in resolving
                    and (not formula.cached or formula.value == 0)):
                resolving.add((row, col))
                try:
                    computed = evaluate(formula.text, value_at)
                finally:
                    resolving.discard((row, col))
                if computed is not None or not formula.cached:
                    return computed
            return parse_number(sheet.value(row, col)).value

        replaced: list[str] = []
        doubtful: list[str] = []
        first_replaced = first_doubtful = ""
        for (r, c), formula in suspects:
            resolving.add((r, c))
            try:
                computed = evaluate(formula.text, value_at)
            finally:
                resolving.discard((r, c))
            if computed is not None and abs(computed) > 1e-12:
                sheet.rows[r][c] = computed
                first_replaced = first_replaced or a1(r, c)
                replaced.append(f"{a1(r, c)} ={formula.text} → {computed:g}")
            elif computed is None and recalc:
                first_doubtful = first_doubtful or a1(r, c)
                doubtful.append(f"{a1(r, c)} ={formula.text}")
        if replaced:
            self.problems.append(Problem(
                self.name, Message("saved-zero-formula.used", n=len(replaced),
                                   listing=_listing(replaced)), sheet.name, first_replaced))
        if doubtful:
            self.problems.append(Problem(
                self.name, Message("saved-zero-doubtful.recalc", n=len(doubtful),
                                   listing=_listing(doubtful)), sheet.name, first_doubtful))


def _listing(items: list[str], shown: int = 5) -> Message | tuple[str, ...]:
    if len(items) > shown:
        return Message("note.listing-more", shown=tuple(items[:shown]), more=len(items) - shown)
    return tuple(items)


_FORMAT_NAMES = {"html": "note.format-html", "mhtml": "note.format-mhtml",
                 "spreadsheetml": "note.format-spreadsheetml", "csv": "note.format-csv"}
_ALWAYS = Message("note.why-always")


def _main_is_spreadsheet(box: ZipBox) -> bool:
    """An .xlsx whose workbook part is not at the usual xl/workbook.xml."""
    if "_rels/.rels" not in box.parts:
        return False
    rels = box.read("_rels/.rels")
    return b"officeDocument" in rels and b"workbook" in rels.lower() and any(
        p.lower().endswith(("workbook.xml",)) for p in box.parts)


def _grid_of(raw, limits: Limits, name: str) -> Grid:
    """A text format's sparse cells → the grid of its table, strays and cells past Excel's
    grid (an `ss:Index` of 2147483648, a CSV of two million lines) set aside."""
    past = PastGrid()
    for key in [k for k in raw.cells if past_grid(*k)]:
        past.add(place(*key), str(raw.cells.pop(key)))
    raw.formulas = {k: f for k, f in raw.formulas.items() if not past_grid(*k)}
    occupied = list(raw.cells) + list(raw.formulas)
    block = Block(block_end(((r, r + 1) for r, _ in occupied), limits.stray_gap_rows),
                  block_end(((c, c + 1) for _, c in occupied), limits.stray_gap_columns))
    if block.cells > limits.max_sheet_cells:
        raise refuse(Message("sheet-too-large.spans", rows=block.rows, cols=block.cols,
                             limit=limits.max_sheet_cells), "too_large", name, raw.name)
    rows: list[list[object]] = [[None] * block.cols for _ in range(block.rows)]
    stray = Stray()
    for (r, c), value in sorted(raw.cells.items()):
        if block.holds(r, c):
            rows[r][c] = value
        else:
            stray.add(r, c, str(value))
    raw.formulas = {k: f for k, f in raw.formulas.items() if block.holds(*k)}
    return Grid(raw.name, rows, raw.merges, raw.hidden, "worksheet", stray, block, past)



# one opener per container kind of formats.CONTAINERS, which also gives the folder's suffixes
_OPENERS: dict[str, Callable[[_Opened, Sniffed], None]] = {
    "zip": lambda opened, _: opened.read_zip(),
    "cfb": lambda opened, _: opened.read_cfb(),
    **{kind: lambda opened, sniffed: opened.read_text(sniffed.kind, sniffed.encoding)
       for kind in TEXT_KINDS},
}
assert _OPENERS.keys() == CONTAINERS.keys()
