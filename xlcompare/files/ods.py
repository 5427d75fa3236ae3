"""OpenDocument spreadsheets (.ods) checked before calamine reads them.

content.xml is walked with a tokenizer, following `number-rows-repeated` and
`number-columns-repeated` without expanding them (LibreOffice writes a million repeated
empty rows at the end of every sheet; a hostile file repeats a value a billion times).
Found: each table's extent of cells holding a value, the number of such cells, and error
cells (calamine reads `#DIV/0!` as blank). Cells past Excel's grid (a value repeated to row
2,147,483,648) are set aside and reported (`cell-past-grid`). A table with cells far outside
its table, or past the grid, is cut to its table in an in-memory copy of content.xml (rows
and cells beyond it left out, repeats that cross its edge shortened), which calamine reads
in-process: without that it would allocate the whole rectangle. The scan and the cut read
the markup through one walk (`_markup`), so they place every row and cell alike. Only markup
the tokenizer could not follow sends the file to the isolated child (see isolate.py).

Parts no reader here parses (LibreOffice Basic modules and dialogs, whose XML declares a
`<!DOCTYPE script:module>`, embedded objects, pictures) are not unpacked: only the parts at
the top of the package and META-INF/ are checked for DTDs, and the copy holds only those.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from xlcompare.files.extent import (
    MAX_COLS,
    MAX_ROWS,
    Block,
    PastGrid,
    Stray,
    bound_sheet,
    place,
)
from xlcompare.files.limits import Limits
from xlcompare.files.refuse import PASSWORD_MESSAGE, refuse
from xlcompare.files.zipcheck import ZipBox, check_dtd, check_well_formed
from xlcompare.messages import Message

if TYPE_CHECKING:
    from xlcompare.files.scan import ContainerScan

__all__ = ["OdsScan", "TableScan", "scan_ods"]

_P = rb"(?:[A-Za-z_][\w.\-]*:)?"
_TAG = re.compile(rb"<(/?)" + _P + rb"(table|table-row|table-cell|covered-table-cell)(?=[\s/>])"
                  rb"([^>]*?)(/?)>")
_ROWS_REPEATED = re.compile(rb"number-rows-repeated\s*=\s*[\"']([^\"']*)[\"']")
_COLS_REPEATED = re.compile(rb"number-columns-repeated\s*=\s*[\"']([^\"']*)[\"']")
_VALUE_TYPE = re.compile(rb"\bvalue-type\s*=\s*[\"']([^\"']*)[\"']")
_COLS_SPANNED = re.compile(rb"number-columns-spanned\s*=\s*[\"'](\d+)[\"']")
_ROWS_SPANNED = re.compile(rb"number-rows-spanned\s*=\s*[\"'](\d+)[\"']")
_NAME = re.compile(rb"\bname\s*=\s*[\"']([^\"']*)[\"']")
_MARKUP = re.compile(rb"<[^>]*>")
_END = {kind: re.compile(rb"</" + _P + kind + rb">") for kind in (b"table-cell",
                                                                    b"covered-table-cell",
                                                                    b"table-row")}
_ANNOTATION = re.compile(rb"<" + _P + rb"annotation\b.*?</" + _P + rb"annotation>", re.DOTALL)


@dataclass
class TableScan:
    name: str
    cells: int = 0
    row_runs: list[tuple[int, int]] = field(default_factory=list)
    col_runs: list[tuple[int, int]] = field(default_factory=list)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    block: Block = field(default_factory=lambda: Block(0, 0))
    stray: bool = False
    last: tuple[int, int] = (0, 0)  # the farthest row and column holding a value
    # merged ranges (r0, c0, r1, c1): calamine reports none for .ods
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    past: PastGrid = field(default_factory=PastGrid)  # cells at no place on Excel's grid
    strays: Stray = field(default_factory=Stray)  # cells on the grid far outside the table


@dataclass
class OdsScan:
    tables: list[TableScan]
    needs_isolation: bool  # markup the tokenizer could not follow
    cleaned: bytes | None = None  # the package with its tables cut to their blocks


def _checked_part(part: str) -> bool:
    """Parts at the top of the package and in META-INF/ (content, styles, meta, settings,
    manifest): the ones calamine or this module read. Basic/, Dialogs/, Object 1/ … are not."""
    return "/" not in part or part.lower().startswith("meta-inf/")


def scan_ods(box: ZipBox, limits: Limits) -> OdsScan:
    name = str(box.path)
    manifest = box.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in box.parts else b""
    if b"encryption-data" in manifest:
        raise refuse(PASSWORD_MESSAGE, "encrypted", name)
    checked: dict[str, bytes] = {}
    for part in box.parts:
        if part.lower().endswith(".xml") and _checked_part(part):
            checked[part] = box.read(part)
            check_dtd(checked[part], part, name)
    if "content.xml" not in box.parts:
        raise refuse(Message("corrupt.no-content"), "corrupt", name)
    content_part = box.key("content.xml")
    content = checked[content_part]
    check_well_formed(content, "content.xml", name)
    tables, odd = _walk(content, limits, name)
    total = 0
    for table in tables:
        total, table.block = bound_sheet(total, table.cells, table.row_runs, table.col_runs,
                                         limits, name, table.name)
        last_row = max((stop for _, stop in table.row_runs), default=0)
        last_col = max((stop for _, stop in table.col_runs), default=0)
        table.stray = last_row > table.block.rows or last_col > table.block.cols
        table.last = (max(last_row - 1, 0), max(last_col - 1, 0))
    cleaned = None
    if not odd and any(t.stray or t.past.count for t in tables):
        cut = _cut_to_blocks(content, [t.block if t.stray or t.past.count else None
                                       for t in tables], tables)
        cleaned = _package(box, checked, content_part, cut)
    return OdsScan(tables, odd, cleaned)


def _count(found: re.Match[bytes]) -> int | None:
    """A number-…-repeated attribute's count (at least 1), None when it is not a number. The
    walk calls it only where the attribute is there: the call costs more than the search."""
    try:
        return max(1, int(found.group(1)))
    except ValueError:
        return None


# What _markup yields, one tuple an event: (what, row, col, repeat, rows_rep, tag, attrs, inner,
# end). `what` is one of these; `tag` is the tag's match (for _TABLE_END and _ROW_END the
# closing tag's), `attrs` its attributes, `end` where the event's markup ends.
_CELL, _COVERED, _ROW, _ROW_END, _TABLE, _TABLE_END, _ODD = range(7)
_Event = tuple[int, int, int, int, int, re.Match[bytes], bytes, bytes, int]


def _markup(data: bytes, rows: bool = True) -> Iterator[_Event]:
    """content.xml's tables as the tokenizer reads them, every position worked out here and
    only here, so that the scan (_walk) and the cutter (_cut_to_blocks) cannot disagree.
    Without `rows`, no _ROW and _ROW_END events (the scan needs none: it is quicker so).

    - _TABLE / _TABLE_END: a table opens / closes; a table nested in a cell is not one (its
      markup is that cell's content), nor is an empty `<table:table/>`.
    - _ROW: a row opens at `row`, standing for `rows_rep` rows (its number-rows-repeated);
      _ROW_END: it closes (an empty `<table:table-row/>` yields both), `row` still its first.
    - _CELL / _COVERED: a table-cell / covered-table-cell at (`row`, `col`), repeated `repeat`
      columns across and `rows_rep` rows down, with its content `inner`; it ends at `end`.
    - _ODD, last: markup the tokenizer could not follow (`tag`, the first such): a repeat
      that is not a number (read as 1), or a cell never closed (nothing after it is read).
    """
    search = _TAG.search
    odd: re.Match[bytes] | None = None  # the first tag the tokenizer could not follow
    inside = False
    nested = 0  # tables inside cells
    row = 0
    rows_rep = 1
    col = 0
    pos = 0
    while (tag := search(data, pos)) is not None:
        closing, kind, attrs, empty = tag.groups()
        pos = tag.end()
        if kind == b"table":
            if closing:
                if nested:
                    nested -= 1
                elif inside:
                    inside = False
                    yield _TABLE_END, row, col, 0, rows_rep, tag, attrs, b"", pos
            elif inside:
                nested += 0 if empty else 1
            elif not empty:
                inside, row = True, 0
                yield _TABLE, row, col, 0, rows_rep, tag, attrs, b"", pos
            continue
        if not inside or nested:
            continue
        if kind == b"table-row":
            if closing:
                if rows:
                    yield _ROW_END, row, col, 0, rows_rep, tag, attrs, b"", pos
                row += rows_rep
                continue
            found = _ROWS_REPEATED.search(attrs)
            repeat = 1 if found is None else _count(found)
            if repeat is None:
                odd, repeat = odd or tag, 1
            rows_rep, col = repeat, 0
            if rows:
                yield _ROW, row, col, 0, rows_rep, tag, attrs, b"", pos
                if empty:
                    yield _ROW_END, row, col, 0, rows_rep, tag, attrs, b"", pos
            if empty:
                row += rows_rep
            continue
        if closing:
            continue
        found = _COLS_REPEATED.search(attrs)
        repeat = 1 if found is None else _count(found)
        if repeat is None:
            odd, repeat = odd or tag, 1
        inner = b""
        if not empty:
            found = _END[kind].search(data, pos)
            if found is None:
                odd = odd or tag
                break
            inner = data[pos:found.start()]
            pos = found.end()
        yield (_CELL if kind == b"table-cell" else _COVERED), row, col, repeat, rows_rep, tag, \
            attrs, inner, pos
        col += repeat
    if odd is not None:
        yield _ODD, row, col, 0, rows_rep, odd, odd[3], b"", odd.end()


def _walk(data: bytes, limits: Limits, name: str) -> tuple[list[TableScan], bool]:
    tables: list[TableScan] = []
    odd = False
    table = TableScan("")  # replaced by the first table: cells come only inside one
    for what, row, col, repeat, rows_rep, _, attrs, inner, _ in _markup(data, rows=False):
        if what > _COVERED:
            if what == _TABLE:
                found = _NAME.search(attrs)
                table_name = html.unescape(found.group(1).decode("utf-8", "replace")) if found else ""
                table = TableScan(table_name or f"Sheet{len(tables) + 1}")
                tables.append(table)
            elif what == _ODD:
                odd = True
            continue
        if what == _CELL and b"-spanned" in attrs:
            across = _COLS_SPANNED.search(attrs)
            down = _ROWS_SPANNED.search(attrs)
            width = int(across.group(1)) if across else 1
            height = int(down.group(1)) if down else 1
            if (width > 1 or height > 1) and len(table.merges) < 100_000:
                for r in range(row, row + min(rows_rep, 100)):
                    for c in range(col, col + min(repeat, 100)):
                        table.merges.append((r, c, r + height - 1, c + width - 1))
        value_type = _VALUE_TYPE.search(attrs)
        text = _MARKUP.sub(b"", _ANNOTATION.sub(b"", inner)).strip() if inner else b""
        if value_type is not None or text:
            # the part of a repeated value that lies on the grid; the rest is set aside
            rows_in = max(0, min(row + rows_rep, MAX_ROWS) - row)
            cols_in = max(0, min(col + repeat, MAX_COLS) - col)
            outside = repeat * rows_rep - rows_in * cols_in
            if outside:
                where = (row, col) if not rows_in * cols_in else (
                    (row, MAX_COLS) if cols_in < repeat else (MAX_ROWS, col))
                table.past.add(place(*where), _words(text, value_type, attrs), outside)
            table.cells += rows_in * cols_in
            if table.cells > limits.max_cells:
                raise refuse(Message("too-many-cells.limit", limit=limits.max_cells),
                             "too_large", name, table.name)
            if rows_in * cols_in:
                table.row_runs.append((row, row + rows_in))
                table.col_runs.append((col, col + cols_in))
            if b'value-type="error"' in attrs and rows_in * cols_in <= 100:
                message = html.unescape(text.decode("utf-8", "replace")) or "#ERROR"
                for r in range(row, row + rows_in):
                    for c in range(col, col + cols_in):
                        table.errors[(r, c)] = message
    return tables, odd


_VALUE_ATTR = re.compile(rb"\b(?:value|string-value|date-value|time-value|boolean-value)\s*=\s*"
                         rb"[\"']([^\"']*)[\"']")


def _words(text: bytes, value_type: re.Match[bytes] | None, attrs: bytes) -> str:
    """A cell's value as a message names it: its text, else its value attribute."""
    if not text and value_type is not None:
        found = _VALUE_ATTR.search(attrs)
        text = found.group(1) if found else b""
    return html.unescape(text.decode("utf-8", "replace"))


def _cut_to_blocks(data: bytes, blocks: list[Block | None], tables: list[TableScan]) -> bytes:
    """content.xml with each table that has a block here cut to it: rows and cells beyond it
    left out (the valued ones on the grid noted as the table's strays), repeats that cross
    its edge shortened. It reads the positions _walk read, from the same _markup."""
    edits: list[tuple[int, int, bytes]] = []  # (start, stop, what stands there instead)
    index = -1
    block: Block | None = None
    table: TableScan | None = None
    below: int | None = None  # where a row below the block starts: left out up to its end
    for what, row, col, repeat, rows_rep, tag, attrs, inner, end in _markup(data):
        if what == _TABLE:
            index += 1
            block = blocks[index] if index < len(blocks) else None
            table = tables[index] if index < len(tables) else None
            continue
        if block is None or table is None or what == _ODD:
            continue
        if what == _ROW:
            if row >= block.rows:
                below = tag.start() if below is None else below
            elif row + rows_rep > block.rows:
                edits.append(_shorten(tag, _ROWS_REPEATED, block.rows - row))
        elif what in (_ROW_END, _TABLE_END):
            if below is not None:
                # a row the walk never saw close ends with its table, the table's end kept
                edits.append((below, end if what == _ROW_END else tag.start(), b""))
                below = None
        elif below is not None or col >= block.cols:
            # the rows the cell stands for in the cut (a repeat crossing the edge shortened)
            times = repeat * (block.rows - row if row < block.rows < row + rows_rep else rows_rep)
            _note_cell(table, attrs, inner, row, col, times)
            if below is None:
                edits.append((tag.start(), end, b""))
        elif col + repeat > block.cols:
            edits.append(_shorten(tag, _COLS_REPEATED, block.cols - col))
    if below is not None:
        edits.append((below, len(data), b""))
    out: list[bytes] = []
    cursor = 0
    for start, stop, instead in edits:
        out += (data[cursor:start], instead)
        cursor = stop
    out.append(data[cursor:])
    return b"".join(out)


def _shorten(tag: re.Match[bytes], pattern: re.Pattern[bytes], count: int) -> tuple[int, int, bytes]:
    """The edit that sets the repeat `pattern` finds in `tag` to `count`."""
    text = tag[0]
    found = pattern.search(text)
    assert found is not None
    return tag.start(), tag.end(), text[:found.start(1)] + str(count).encode() + text[found.end(1):]


def _note_cell(table: TableScan, attrs: bytes, inner: bytes, row: int, col: int,
               times: int) -> None:
    if row >= MAX_ROWS or col >= MAX_COLS:
        return  # counted as past the grid by _walk
    text = _MARKUP.sub(b"", _ANNOTATION.sub(b"", inner)).strip()
    value_type = _VALUE_TYPE.search(attrs)
    if value_type is not None or text:
        table.strays.add(row, col, _words(text, value_type, attrs), times)


def _package(box: ZipBox, checked: dict[str, bytes], content_part: str, content: bytes) -> bytes:
    """The OpenDocument package calamine reads: mimetype first and stored, the checked XML
    parts, content.xml replaced."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as out:
        if "mimetype" in box.parts:
            out.writestr("mimetype", box.read("mimetype"))
        for part, data in checked.items():
            out.writestr(part, content if part == content_part else data)
    return buffer.getvalue()


def container_scan(box: ZipBox, limits: Limits, name: str) -> ContainerScan:
    """An OpenDocument spreadsheet checked, in the shape every container scanner gives the
    opener; another OpenDocument kind (a text, a presentation) is refused."""
    from xlcompare.files.scan import ContainerScan, SheetFacts

    mimetype = box.read("mimetype").strip() if "mimetype" in box.parts else b""
    if mimetype and mimetype != b"application/vnd.oasis.opendocument.spreadsheet":
        what = mimetype.decode("ascii", "replace").rsplit(".", 1)[-1]
        raise refuse(Message("odf-not-spreadsheet.kind", kind=what), "unsupported", name)
    scan = scan_ods(box, limits)
    facts = {t.name: SheetFacts(errors={k: e for k, e in t.errors.items() if t.block.holds(*k)},
                                merges=t.merges, stray=t.strays if t.strays.count else None,
                                block=t.block, past=t.past)
             for t in scan.tables}
    if scan.needs_isolation:
        far = next(((t.name, t.last) for t in scan.tables if t.stray), None)
        return ContainerScan("ods", facts, far=far,
                             isolate=Message("note.why-ods-markup"))
    return ContainerScan("ods", facts, cleaned=scan.cleaned)
