"""OpenDocument spreadsheets (.ods) checked before calamine reads them.

content.xml is walked with a tokenizer, following `number-rows-repeated` and
`number-columns-repeated` without expanding them (LibreOffice writes a million repeated
empty rows at the end of every sheet; a hostile file repeats a value a billion times).
Found: each table's extent of cells holding a value, the number of such cells, and error
cells (calamine reads `#DIV/0!` as blank). A sheet with cells far outside its table cannot
be read by calamine without allocating the whole rectangle, so it is read in the isolated
child (see isolate.py).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from xlcompare.files.extent import Block, bound_sheet
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
                                                                    b"covered-table-cell")}
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


@dataclass
class OdsScan:
    tables: list[TableScan]
    needs_isolation: bool  # stray cells far away, or markup the tokenizer could not follow


def scan_ods(box: ZipBox, limits: Limits) -> OdsScan:
    name = str(box.path)
    manifest = box.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in box.parts else b""
    if b"encryption-data" in manifest:
        raise refuse(PASSWORD_MESSAGE, "encrypted", name)
    for part in box.parts:
        if part.endswith(".xml"):
            check_dtd(box.read(part), part, name)
    if "content.xml" not in box.parts:
        raise refuse("corrupt: an OpenDocument file without content (文件已损坏)", "corrupt", name)
    content = box.read("content.xml")
    check_well_formed(content, "content.xml", name)
    tables, odd = _walk(content, limits, name)
    isolate = odd
    total = 0
    for table in tables:
        total, table.block = bound_sheet(total, table.cells, table.row_runs, table.col_runs,
                                         limits, name, table.name)
        last_row = max((stop for _, stop in table.row_runs), default=0)
        last_col = max((stop for _, stop in table.col_runs), default=0)
        table.stray = last_row > table.block.rows or last_col > table.block.cols
        table.last = (max(last_row - 1, 0), max(last_col - 1, 0))
        isolate = isolate or table.stray
    return OdsScan(tables, isolate)


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
            table.cells += repeat * rows_rep
            if table.cells > limits.max_cells:
                raise refuse(f"too large: more than {limits.max_cells} cells with values "
                             "(文件过大)", "too_large", name, table.name, code="too-many-cells")
            table.row_runs.append((row, row + rows_rep))
            table.col_runs.append((col, col + repeat))
            if b'value-type="error"' in attrs and repeat * rows_rep <= 100:
                message = html.unescape(text.decode("utf-8", "replace")) or "#ERROR"
                for r in range(row, row + rows_rep):
                    for c in range(col, col + repeat):
                        table.errors[(r, c)] = message
        col += repeat
    return tables, odd


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
                                merges=t.merges)
             for t in scan.tables}
    far = next(((t.name, t.last) for t in scan.tables if t.stray), None)
    why = "表格之外远处还有单元格 (cells far outside the table)" if scan.needs_isolation else None
    return ContainerScan("ods", facts, isolate=why, far=far)
