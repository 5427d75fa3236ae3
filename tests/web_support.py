"""What the web tests share: the sheets of a workbook and the tables of a page, both as rows
of the text a person sees, so a page can be held against what `xlcompare batch` wrote."""

from __future__ import annotations

from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl

__all__ = ["HEADER_ROW", "html_table", "sheet_rows"]

HEADER_ROW = 4  # the summary's tables: title, subtitle, a blank row, then the header


def _shown(cell: Any) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "%" in (cell.number_format or ""):
            return f"{value:.2%}"
        if float(value).is_integer():
            return f"{int(value):,}"
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def sheet_rows(path: str | Path, sheet: str, header_row: int = HEADER_ROW
               ) -> tuple[list[str], list[list[str]]]:
    """(header, data rows) of one sheet of the summary workbook, as shown text; the data
    ends at the first empty row."""
    book = openpyxl.load_workbook(path)
    try:
        ws = book[sheet]
        header = [_shown(c) for c in ws[header_row]]
        width = max(i for i, h in enumerate(header) if h) + 1
        rows = []
        for row in ws.iter_rows(min_row=header_row + 1):
            shown = [_shown(c) for c in row[:width]]
            if not any(shown):
                break
            rows.append(shown)
        return header[:width], rows
    finally:
        book.close()


class _Tables(HTMLParser):
    def __init__(self, wanted: str) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted, self.depth = wanted, 0
        self.header: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            if self.depth or dict(attrs).get("id") == self.wanted:
                self.depth += 1
            return
        if not self.depth:
            return
        if tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if not self.depth:
            return
        if tag == "table":
            self.depth -= 1
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._in_head:
                self.header = self._row
            else:
                self.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_table(html: str, table_id: str) -> tuple[list[str], list[list[str]]]:
    """(header, body and footer rows) of the table with this id, as the text shown in each
    cell (a two-row header gives its last row)."""
    parser = _Tables(table_id)
    parser.feed(html)
    return parser.header, parser.rows
