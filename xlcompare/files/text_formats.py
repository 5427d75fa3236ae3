"""Workbooks that are really text: an HTML table, SpreadsheetML 2003 XML or a CSV file.

Government web systems export "Excel" as an HTML page or as Excel 2003 XML named .xls;
scripts write CSV and name it .xlsx; Excel itself saves "single file web pages" (MHTML).
Each is turned into the same sparse cells + merged ranges the rest of the reader uses:
HTML with the stdlib html.parser (rowspan/colspan → merges), SpreadsheetML with defusedxml
(ss:Index, ss:MergeAcross/MergeDown, ss:Formula), CSV with the csv module.
"""

from __future__ import annotations

import csv
import email
import email.policy
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

from defusedxml import ElementTree as SafeET

from xlcompare.files.limits import Limits
from xlcompare.files.ooxml import Formula
from xlcompare.files.refuse import Kind, refuse
from xlcompare.files.sniff import decode_text
from xlcompare.files.zipcheck import check_dtd
from xlcompare.messages import Message

__all__ = ["RawSheet", "read_csv", "read_html", "read_mhtml", "read_spreadsheetml"]

# HTML's own caps on spans (the HTML standard clamps colspan to 1000 and rowspan to 65534)
_MAX_COLSPAN = 1000
_MAX_ROWSPAN = 65534


@dataclass
class RawSheet:
    """A sheet as sparse cells (0-based row, col → value) with merges and formulas."""

    name: str
    cells: dict[tuple[int, int], object] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    formulas: dict[tuple[int, int], Formula] = field(default_factory=dict)
    hidden: bool = False


def _text(path: Path, encoding: str | None, name: str) -> str:
    data = path.read_bytes()
    text, _ = decode_text(data, declared=encoding)
    if text is None:
        raise refuse(Message("unknown-encoding.save"), "unsupported", name)
    return text.lstrip("\ufeff")


# ------------------------------------------------------------------------------ HTML


class _TableParser(HTMLParser):
    """Every <table> of a page stacked top to bottom, with the page's headings and
    paragraphs outside tables kept as one-cell rows (titles and 统计时间 lines live there)."""

    _BLOCKS: ClassVar[frozenset[str]] = frozenset(
        {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "title", "li", "center"})

    def __init__(self, sheet: RawSheet, limits: Limits, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.sheet = sheet
        self.limits = limits
        self.name = name
        self.row = 0  # next free row of the sheet
        self.depth = 0  # table nesting
        self.table_row = -1  # current row inside the current table (sheet row)
        self.col = 0
        self.spans: list[tuple[int, int, int, int]] = []  # from row, to row, first col, last col
        self.cell: list[str] | None = None
        self.cell_attrs: dict[str, str | None] = {}
        self.loose: list[str] = []  # text outside tables
        self.skip = 0  # inside <script>/<style>
        self.count = 0
        self.title = ""
        self.in_title = False
        self.first_merge = 0  # the current table's first entry in sheet.merges

    # -- outside tables
    def _flush_loose(self) -> None:
        text = " ".join("".join(self.loose).split())
        self.loose = []
        if text and self.depth == 0:
            self.sheet.cells[(self.row, 0)] = text
            self.row += 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
            return
        if tag == "title":
            self.in_title = True
        if tag == "br":
            self.handle_data("\n")
            return
        if tag == "table":
            if self.depth == 0:
                self._flush_loose()
                self.spans = []
                self.table_row = self.row - 1
                self.first_merge = len(self.sheet.merges)
            self.depth += 1
            return
        if self.depth == 0:
            if tag in self._BLOCKS:
                self._flush_loose()
            return
        if self.depth > 1:  # a table inside a cell: its text belongs to the outer cell
            if tag in ("td", "th", "tr"):
                self.handle_data(" ")
            return
        if tag == "tr":
            self._end_cell()
            self.table_row += 1
            self.col = 0
            self.spans = [s for s in self.spans if s[1] >= self.table_row]
        elif tag in ("td", "th"):
            self._end_cell()
            self.table_row = max(self.table_row, self.row)  # a cell before any <tr>
            self.cell = []
            self.cell_attrs = dict(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
            return
        if tag == "title":
            self.in_title = False
        if tag == "table" and self.depth:
            self.depth -= 1
            if self.depth == 0:
                self._end_cell()
                # a rowspan reaching past the last row stops there, as in a browser
                last = max(self.table_row, self.row - 1)
                self.sheet.merges[self.first_merge:] = [
                    (r0, c0, min(r1, last), c1)
                    for r0, c0, r1, c1 in self.sheet.merges[self.first_merge:]]
                self.row = last + 2  # a blank row after each table
            return
        if self.depth == 0:
            if tag in self._BLOCKS:
                self._flush_loose()
            return
        if self.depth == 1 and tag in ("td", "th"):
            self._end_cell()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.in_title:
            self.title += data
            return
        if self.cell is not None:
            self.cell.append(data)
        elif self.depth == 0:
            self.loose.append(data)

    def _end_cell(self) -> None:
        if self.cell is None:
            return
        text = "".join(self.cell)
        if "\n" in text or "  " in text or "\t" in text or "\r" in text or "\xa0" in text:
            text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
        text = text.strip("\n ")
        attrs, self.cell = self.cell_attrs, None
        row = self.table_row
        while self.spans and any(r0 < row <= r1 and c0 <= self.col <= c1
                                 for r0, r1, c0, c1 in self.spans):
            self.col += 1
        rowspan = min(_span(attrs.get("rowspan")), _MAX_ROWSPAN)
        colspan = min(_span(attrs.get("colspan")), _MAX_COLSPAN)
        col = self.col
        value: object = text
        number = attrs.get("x:num")
        if number:
            try:
                value = float(number)
            except ValueError:
                value = text
        if text:
            self.count += 1
            if self.count > self.limits.max_cells:
                raise refuse(Message("too-many-cells.limit", limit=self.limits.max_cells),
                             "too_large", self.name)
            self.sheet.cells[(row, col)] = value
        if rowspan > 1 or colspan > 1:
            self.sheet.merges.append((row, col, row + rowspan - 1, col + colspan - 1))
            if rowspan > 1:
                self.spans.append((row, row + rowspan - 1, col, col + colspan - 1))
        self.col += colspan

    def close(self) -> None:
        super().close()
        self._end_cell()
        self._flush_loose()


def _span(value: str | None) -> int:
    if not value:
        return 1
    try:
        return max(1, int(value.strip()))
    except ValueError:
        return 1


def _html_sheet(text: str, limits: Limits, name: str, sheet_name: str) -> RawSheet:
    sheet = RawSheet(sheet_name)
    parser = _TableParser(sheet, limits, name)
    parser.feed(text)
    parser.close()
    if parser.title.strip() and sheet_name == "Sheet1":
        sheet.name = " ".join(parser.title.split())[:31]
    return sheet


def read_html(path: Path, encoding: str | None, limits: Limits,
              name: str | None = None) -> list[RawSheet]:
    name = name or str(path)
    text = _text(path, encoding, name)
    if "<table" not in text.lower():
        raise refuse(Message("no-table.web-page"), "unsupported", name)
    return [_html_sheet(text, limits, name, "Sheet1")]


def read_mhtml(path: Path, limits: Limits, name: str | None = None) -> list[RawSheet]:
    """Excel's "single file web page": a MIME message with one HTML part per sheet."""
    name = name or str(path)
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    pages: list[str] = []
    for part in message.walk():
        if part.get_content_type() == "text/html":
            try:
                pages.append(part.get_content())
            except (LookupError, UnicodeDecodeError):
                continue
    names: list[str] = []
    for page in pages:
        names += re.findall(r"<x:Name>([^<]+)</x:Name>", page)
    sheets = [_html_sheet(page, limits, name, "Sheet1")
              for page in pages if "<table" in page.lower()]
    if not sheets:
        raise refuse(Message("no-table.web-archive"), "unsupported", name)
    if len(names) == len(sheets):
        for sheet, sheet_name in zip(sheets, names, strict=True):
            sheet.name = sheet_name
    elif len(sheets) > 1:
        for i, sheet in enumerate(sheets, start=1):
            sheet.name = f"Sheet{i}"
    return sheets


# ------------------------------------------------------------------------------ SpreadsheetML 2003

_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
_X = "{urn:schemas-microsoft-com:office:excel}"
_R1C1 = re.compile(r"(?<![A-Za-z_$])R(\[-?\d+\]|\d+)?C(\[-?\d+\]|\d+)?(?![A-Za-z_(\d])")


def r1c1_to_a1(formula: str, row: int, col: int) -> str:
    """`=RC[-2]/RC[-1]` in the cell at (row, col) → `E7/F7` (0-based row/col; no '=')."""
    from xlcompare.files.cells import a1

    def part(text: str | None, here: int) -> int:
        if not text:
            return here
        if text.startswith("["):
            return here + int(text[1:-1])
        return int(text) - 1

    def convert(match: re.Match[str]) -> str:
        r, c = part(match.group(1), row), part(match.group(2), col)
        return a1(r, c) if r >= 0 and c >= 0 else match.group(0)

    return _R1C1.sub(convert, formula).lstrip("=")


def read_spreadsheetml(path: Path, limits: Limits) -> list[RawSheet]:
    name = str(path)
    data = path.read_bytes()
    check_dtd(data, "XML", name)
    try:
        root = SafeET.fromstring(data)
    except SafeET.ParseError as exc:
        kind: Kind = "truncated" if "no element found" in str(exc) else "corrupt"
        said = Message("truncated.xml" if kind == "truncated" else "corrupt.xml-2003",
                       detail=str(exc))
        raise refuse(said, kind, name) from None
    except Exception as exc:  # noqa: BLE001 - defusedxml's refusals (entities, external refs)
        raise refuse(Message("entity-declaration.xml", kind=type(exc).__name__), "unsafe",
                     name) from None
    sheets = []
    count = 0
    for number, worksheet in enumerate(root.iter(f"{_SS}Worksheet"), start=1):
        sheet = RawSheet(worksheet.get(f"{_SS}Name") or f"Sheet{number}")
        visible = worksheet.find(f"{_X}WorksheetOptions/{_X}Visible")
        sheet.hidden = visible is not None and (visible.text or "").strip() != "SheetVisible"
        table = worksheet.find(f"{_SS}Table")
        row = -1
        for row_el in (table.iter(f"{_SS}Row") if table is not None else ()):
            row = _index(row_el, row)
            col = -1
            for cell in row_el.iter(f"{_SS}Cell"):
                col = _index(cell, col)
                across = _int(cell.get(f"{_SS}MergeAcross"))
                down = _int(cell.get(f"{_SS}MergeDown"))
                if across or down:
                    sheet.merges.append((row, col, row + min(down, _MAX_ROWSPAN),
                                         col + min(across, _MAX_COLSPAN)))
                data_el = cell.find(f"{_SS}Data")
                formula = cell.get(f"{_SS}Formula")
                if data_el is not None:
                    value = _ss_value(data_el)
                    if value is not None and value != "":
                        count += 1
                        if count > limits.max_cells:
                            raise refuse(Message("too-many-cells.limit",
                                                 limit=limits.max_cells), "too_large", name)
                        sheet.cells[(row, col)] = value
                elif formula:
                    sheet.formulas[(row, col)] = Formula(r1c1_to_a1(formula, row, col), False)
                col += across
        sheets.append(sheet)
    if not sheets:
        raise refuse(Message("no-worksheets.xml"), "unsupported", name)
    return sheets


def _index(element, previous: int) -> int:
    index = _int(element.get(f"{_SS}Index"))
    return index - 1 if index > previous + 1 else previous + 1


def _int(value: str | None) -> int:
    try:
        return max(0, int(value or 0))
    except ValueError:
        return 0


def _ss_value(data_el) -> object:
    kind = data_el.get(f"{_SS}Type", "String")
    text = "".join(data_el.itertext())
    if kind == "Number":
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "DateTime":
        try:
            return datetime.fromisoformat(text.strip()[:19])
        except ValueError:
            return text
    if kind == "Boolean":
        return text.strip() in ("1", "true", "TRUE")
    return text  # String, and Error (#DIV/0!), which the figure reader reports


# ------------------------------------------------------------------------------ CSV


def read_csv(path: Path, encoding: str | None, limits: Limits) -> list[RawSheet]:
    text = _text(path, encoding, str(path))
    # the separator used most in the first lines: tab (Excel's "Unicode text"), comma,
    # semicolon (European exports) or bar; csv.Sniffer guesses wrong on Chinese text
    sample = text[:16384]
    delimiter = max(("\t", ",", ";", "|"), key=lambda d: (sample.count(d), d == "\t"))
    dialect = csv.excel_tab if delimiter == "\t" else csv.excel
    # the csv module refuses fields over 128 KiB; the cell-length limit is applied later
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_file_bytes))
    sheet = RawSheet(path.stem[:31] or "Sheet1")
    count = 0
    try:
        rows = csv.reader(io.StringIO(text, newline=""), dialect, delimiter=delimiter)
        for r, record in enumerate(rows):
            for c, value in enumerate(record):
                if value.strip():
                    count += 1
                    if count > limits.max_cells:
                        raise refuse(Message("too-many-cells.limit", limit=limits.max_cells),
                                     "too_large", str(path))
                    sheet.cells[(r, c)] = value.strip()
    except csv.Error as exc:
        raise refuse(Message("corrupt.csv", detail=str(exc)), "corrupt", str(path)) from None
    return [sheet]
