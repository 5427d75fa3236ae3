"""OpenDocument spreadsheets (.ods) checked before calamine reads them.

content.xml is walked with a tokenizer, following `number-rows-repeated` and
`number-columns-repeated` without expanding them (LibreOffice writes a million repeated
empty rows at the end of every sheet; a hostile file repeats a value a billion times).
Found: each table's extent of cells holding a value, the number of such cells, and error
cells (calamine reads `#DIV/0!` as blank). Cells past Excel's grid (a value repeated to row
2,147,483,648) are set aside and reported (`cell-past-grid`). A table with cells far outside
its table, or past the grid, is cut to its table in an in-memory copy of content.xml (rows
and cells beyond it left out, repeats that cross its edge shortened), which calamine reads
in-process: without that it would allocate the whole rectangle. Only markup the tokenizer
could not follow sends the file to the isolated child (see isolate.py).

Parts no reader here parses (LibreOffice Basic modules and dialogs, whose XML declares a
`<!DOCTYPE script:module>`, embedded objects, pictures) are not unpacked: only the parts at
the top of the package and META-INF/ are checked for DTDs, and the copy holds only those.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
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
        raise refuse("corrupt: an OpenDocument file without content (文件已损坏)", "corrupt", name)
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


def _repeat(pattern: re.Pattern[bytes], attrs: bytes) -> int | None:
    match = pattern.search(attrs)
    if match is None:
        return 1
    try:
        return max(1, int(match.group(1)))
    except ValueError:
        return None


def _walk(data: bytes, limits: Limits, name: str) -> tuple[list[TableScan], bool]:
    tables: list[TableScan] = []
    odd = False
    table: TableScan | None = None
    nested = 0  # tables inside cells: their cells are the outer cell's content
    row = 0
    rows_rep = 1
    col = 0
    pos = 0
    while True:
        match = _TAG.search(data, pos)
        if match is None:
            break
        closing, kind, attrs, empty = match.groups()
        pos = match.end()
        if kind == b"table":
            if closing:
                if nested:
                    nested -= 1
                else:
                    table = None
            elif table is not None:
                nested += 0 if empty else 1
            elif not empty:
                found = _NAME.search(attrs)
                table_name = html.unescape(found.group(1).decode("utf-8", "replace")) if found else ""
                table = TableScan(table_name or f"Sheet{len(tables) + 1}")
                tables.append(table)
                row = 0
            continue
        if table is None or nested:
            continue
        if kind == b"table-row":
            if closing:
                row += rows_rep
                continue
            repeat = _repeat(_ROWS_REPEATED, attrs)
            if repeat is None:
                odd, repeat = True, 1
            rows_rep, col = repeat, 0
            if empty:
                row += rows_rep
            continue
        if closing:
            continue
        repeat = _repeat(_COLS_REPEATED, attrs)
        if repeat is None:
            odd, repeat = True, 1
        inner = b""
        if not empty:
            end = _END[kind].search(data, pos)
            if end is None:
                odd = True
                break
            inner = data[pos:end.start()]
            pos = end.end()
        if kind == b"table-cell" and b"-spanned" in attrs:
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
                raise refuse(f"too large: more than {limits.max_cells} cells with values "
                             "(文件过大)", "too_large", name, table.name, code="too-many-cells")
            if rows_in * cols_in:
                table.row_runs.append((row, row + rows_in))
                table.col_runs.append((col, col + cols_in))
            if b'value-type="error"' in attrs and rows_in * cols_in <= 100:
                message = html.unescape(text.decode("utf-8", "replace")) or "#ERROR"
                for r in range(row, row + rows_in):
                    for c in range(col, col + cols_in):
                        table.errors[(r, c)] = message
        col += repeat
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
    its edge shortened. Positions follow _walk's reading exactly."""
    out: list[bytes] = []
    cursor = 0
    index = -1
    block: Block | None = None
    table: TableScan | None = None
    inside = False
    nested = 0
    row = 0
    rows_rep = 1
    col = 0
    pos = 0
    while True:
        match = _TAG.search(data, pos)
        if match is None:
            break
        closing, kind, attrs, empty = match.groups()
        pos = match.end()
        if kind == b"table":
            if closing:
                if nested:
                    nested -= 1
                else:
                    inside = False
            elif inside:
                nested += 0 if empty else 1
            elif not empty:
                index += 1
                inside, row = True, 0
                block = blocks[index] if index < len(blocks) else None
                table = tables[index] if index < len(tables) else None
            continue
        if not inside or nested or block is None or table is None:
            continue
        if kind == b"table-row":
            if closing:
                row += rows_rep
                continue
            rows_rep, col = _repeat(_ROWS_REPEATED, attrs) or 1, 0
            end = match.end() if empty else _element_end(data, pos, b"table-row")
            if row >= block.rows:
                _note_strays(data[match.end():end] if not empty else b"", row, rows_rep, table)
                out.append(data[cursor:match.start()])
                cursor = pos = end
                row += rows_rep
            elif row + rows_rep > block.rows:
                out.append(data[cursor:match.start()])
                out.append(_set_repeat(match.group(0), _ROWS_REPEATED, block.rows - row))
                cursor = match.end()
                rows_rep = block.rows - row
            if empty and row < block.rows:
                row += rows_rep
            continue
        if closing:
            continue
        repeat = _repeat(_COLS_REPEATED, attrs) or 1
        end = match.end() if empty else _element_end(data, pos, kind)
        if col >= block.cols:
            _note_cell(table, data[match.start():end], attrs, row, col, repeat * rows_rep)
            out.append(data[cursor:match.start()])
            cursor = end
        elif col + repeat > block.cols:
            out.append(data[cursor:match.start()])
            out.append(_set_repeat(match.group(0), _COLS_REPEATED, block.cols - col))
            cursor = match.end()
        pos = end
        col += repeat
    out.append(data[cursor:])
    return b"".join(out)


def _element_end(data: bytes, pos: int, kind: bytes) -> int:
    """Where the element opened just before `pos` ends (its closing tag's end)."""
    found = _END[kind].search(data, pos)
    return found.end() if found else len(data)


def _set_repeat(tag: bytes, pattern: re.Pattern[bytes], count: int) -> bytes:
    found = pattern.search(tag)
    assert found is not None
    return tag[:found.start(1)] + str(count).encode() + tag[found.end(1):]


def _note_strays(row_xml: bytes, row: int, rows_rep: int, table: TableScan) -> None:
    """The valued cells of a row left out below the block, as strays (on the grid)."""
    col = 0
    for match in _TAG.finditer(row_xml):
        closing, kind, attrs, empty = match.groups()
        if closing or kind not in (b"table-cell", b"covered-table-cell"):
            continue
        repeat = _repeat(_COLS_REPEATED, attrs) or 1
        end = match.end() if empty else _element_end(row_xml, match.end(), kind)
        _note_cell(table, row_xml[match.start():end], attrs, row, col, repeat * rows_rep)
        col += repeat


def _note_cell(table: TableScan, element: bytes, attrs: bytes, row: int, col: int,
               times: int) -> None:
    if row >= MAX_ROWS or col >= MAX_COLS:
        return  # counted as past the grid by _walk
    inner = element[element.find(b">") + 1:] if not element.endswith(b"/>") else b""
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
        raise refuse(f"an OpenDocument {what}, not a spreadsheet (不是电子表格)",
                     "unsupported", name, code="odf-not-spreadsheet")
    scan = scan_ods(box, limits)
    facts = {t.name: SheetFacts(errors={k: e for k, e in t.errors.items() if t.block.holds(*k)},
                                merges=t.merges, stray=t.strays if t.strays.count else None,
                                block=t.block, past=t.past)
             for t in scan.tables}
    if scan.needs_isolation:
        far = next(((t.name, t.last) for t in scan.tables if t.stray), None)
        return ContainerScan("ods", facts, far=far,
                             isolate="有表格的结构无法逐一核对 (a table whose markup could not "
                                     "be followed)")
    return ContainerScan("ods", facts, cleaned=scan.cleaned)
