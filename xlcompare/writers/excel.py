"""What every workbook xlcompare writes shares: safe strings, status colours, widths that fit
Chinese text, print setup, and an atomic save.

Text that came from a station's workbook is always written with `write_string`, and the
workbook is opened with strings_to_formulas / strings_to_urls off, so a name like `=HYPERLINK(…)`
or `+86…` stays text in the reader's Excel.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from xlcompare.errors import OutputError
from xlcompare.judge import Status

__all__ = [
    "STATUS_COLOURS",
    "Target",
    "CellWriter",
    "Formats",
    "atomic_workbook",
    "display_width",
    "fit_columns",
    "number_format",
    "number_writer",
    "print_setup",
    "safe_sheet_name",
    "status_conditional_formats",
    "text_writer",
    "wrapped_height",
    "write_number",
    "write_text",
]

# Excel's own "good / neutral / bad" palette, which district staff already read at a glance
STATUS_COLOURS: dict[Status, tuple[str, str]] = {
    Status.ON_TRACK: ("#C6EFCE", "#006100"),
    Status.BROADLY: ("#FFEB9C", "#9C5700"),
    Status.LAGGING: ("#FFC7CE", "#9C0006"),
    Status.WELL_AHEAD: ("#DDEBF7", "#1F4E78"),
    Status.NO_TARGET: ("#EDEDED", "#595959"),
}
EXCEL_CELL_LIMIT = 32767
FONT = "等线"  # Excel's default CJK font; WPS and LibreOffice substitute cleanly


def safe_sheet_name(name: str, taken: set[str]) -> str:
    """A sheet name made from input text (a station's name): without []:*?/\\, at most 31
    characters, not starting or ending with a quote, and unique in `taken` (which it joins)."""
    base = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'") or "Sheet"
    base = base[:31]
    candidate, n = base, 1
    while candidate.lower() in {t.lower() for t in taken}:
        n += 1
        suffix = f"({n})"
        candidate = base[: 31 - len(suffix)] + suffix
    taken.add(candidate)
    return candidate


class _CharWidths(dict[str, int]):
    """The column units of each character met so far: a summary measures tens of thousands of
    cells drawn from a few thousand distinct characters, and a dict lookup is many times
    quicker than asking unicodedata again."""

    def __missing__(self, ch: str) -> int:
        width = self[ch] = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        return width


_CHAR_WIDTHS = _CharWidths()


def display_width(text: str) -> int:
    """Width in Excel column units: CJK and full-width characters take two."""
    if text.isascii():  # no ASCII character is wide
        return len(text)
    return sum(map(_CHAR_WIDTHS.__getitem__, text))


def wrapped_height(cells: Sequence[tuple[str | None, float]], line: float = 14.0) -> float:
    """Row height for wrapped text: `cells` are (text, column width); Excel and LibreOffice
    do not grow rows for wrapped text in a generated file, so the height is set."""
    lines = 1
    for text, width in cells:
        if text:
            per_line = max(1.0, width - 1.5)
            lines = max(lines, sum(-(-display_width(part) // int(per_line)) or 1
                                   for part in str(text).split("\n")))
    return max(15.0, line * lines + 2)


def number_format(value: float | None) -> str:
    return "#,##0" if value is None or float(value).is_integer() else "#,##0.0#"


class Formats:
    """The formats of one workbook, made once."""

    def __init__(self, book: Workbook) -> None:
        base = {"font_name": FONT, "font_size": 10, "valign": "vcenter"}
        self.book = book
        self.title = book.add_format({**base, "bold": True, "font_size": 14})
        self.subtitle = book.add_format({**base, "font_color": "#595959"})
        self.header = book.add_format({**base, "bold": True, "bg_color": "#D9E1F2", "border": 1,
                                       "align": "center", "text_wrap": True})
        self.text = book.add_format({**base, "border": 1})
        self.wrap = book.add_format({**base, "border": 1, "text_wrap": True})
        self.paragraph = book.add_format({**base, "text_wrap": True, "valign": "top"})
        self.bold = book.add_format({**base, "bold": True})
        self.percent = book.add_format({**base, "border": 1, "num_format": "0.00%"})
        self.points = book.add_format({**base, "border": 1, "num_format": "+0.00;-0.00;0.00"})
        self.integer = book.add_format({**base, "border": 1, "num_format": "#,##0"})
        self.decimal = book.add_format({**base, "border": 1, "num_format": "#,##0.0#"})
        self.status = book.add_format({**base, "border": 1, "align": "center"})
        self.status_fill = {
            status: book.add_format({"bg_color": bg, "font_color": fg})
            for status, (bg, fg) in STATUS_COLOURS.items()
        }

    def number(self, value: float | None) -> Any:
        return self.integer if number_format(value) == "#,##0" else self.decimal


def write_text(sheet: Worksheet, row: int, col: int, text: str | None, fmt: Any = None,
               problems: list[str] | None = None) -> None:
    """Write text as text, never as a formula or link; over-long text is cut and reported."""
    text = "" if text is None else str(text)
    if len(text) > EXCEL_CELL_LIMIT:
        if problems is not None:
            problems.append(f"{sheet.name}!{xlsxwriter.utility.xl_rowcol_to_cell(row, col)}: "
                            f"text of {len(text)} characters cut to Excel's limit")
        text = text[: EXCEL_CELL_LIMIT - 1] + "…"
    if text:
        sheet.write_string(row, col, text, fmt)
    else:
        sheet.write_blank(row, col, None, fmt)


def write_number(sheet: Worksheet, row: int, col: int, value: float | None, fmt: Any) -> None:
    if value is None:
        sheet.write_blank(row, col, None, fmt)
    else:
        sheet.write_number(row, col, value, fmt)


CellWriter = Callable[[int, int, Any, Any], None]


def _undecorated(sheet: Worksheet, name: str) -> Callable[..., Any]:
    # xlsxwriter's public write_* first test whether the cell is given in A1 notation, about a
    # quarter of the cost of a cell in constant_memory mode; the undecorated twins take row and
    # column numbers, as every caller here gives. The public method should a version drop them.
    return getattr(sheet, f"_{name}", None) or getattr(sheet, name)


def text_writer(sheet: Worksheet, problems: list[str] | None) -> CellWriter:
    """`write_text` for the many cells of a table, as writer(row, col, text, fmt): plain text
    within Excel's limit goes straight to the sheet, anything else through `write_text`."""
    string = _undecorated(sheet, "write_string")

    def write(row: int, col: int, text: Any, fmt: Any) -> None:
        if text.__class__ is str and 0 < len(text) <= EXCEL_CELL_LIMIT:
            string(row, col, text, fmt)
        else:
            write_text(sheet, row, col, text, fmt, problems)

    return write


def number_writer(sheet: Worksheet) -> CellWriter:
    """`write_number` for the many cells of a table, as writer(row, col, value, fmt)."""
    number = _undecorated(sheet, "write_number")
    blank = _undecorated(sheet, "write_blank")

    def write(row: int, col: int, value: Any, fmt: Any) -> None:
        if value is None:
            blank(row, col, None, fmt)
        else:
            number(row, col, value, fmt)

    return write


def status_conditional_formats(sheet: Worksheet, formats: Formats, first_row: int,
                               last_row: int, status_col: int, cols: list[int]) -> None:
    """Colour `cols` of each row by the status word in `status_col` (a rule, not a fill, so
    the colour follows if someone edits the status)."""
    if last_row < first_row:
        return
    status_ref = xlsxwriter.utility.xl_rowcol_to_cell(first_row, status_col, col_abs=True)
    for col in cols:
        for status, fmt in formats.status_fill.items():
            sheet.conditional_format(first_row, col, last_row, col, {
                "type": "formula",
                "criteria": f'={status_ref}="{status.value}"',
                "format": fmt,
            })


def fit_columns(sheet: Worksheet, widths: dict[int, int], minimum: int = 6,
                maximum: int = 60) -> None:
    for col, width in widths.items():
        sheet.set_column(col, col, max(minimum, min(maximum, width + 2)))


def print_setup(sheet: Worksheet, header_rows: tuple[int, int] | None = None) -> None:
    """Landscape A4, one page wide, header rows repeated, page numbers in the footer."""
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.set_footer("&C第 &P 页，共 &N 页")
    if header_rows is not None:
        sheet.repeat_rows(*header_rows)


_BOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
}

Target = str | Path | IO[bytes]


@contextmanager
def atomic_workbook(path: Target, constant_memory: bool = False) -> Iterator[Workbook]:
    """An xlsxwriter Workbook written to a temporary file beside `path` and moved into place
    only when complete, so a crash or a full disk leaves the previous output intact. `path`
    may also be a binary stream (a web response, a BytesIO), which gets the finished bytes.

    `constant_memory` streams each row to disk as the next begins (rows must then be written
    in order), so a province-sized summary does not hold every cell in memory."""
    if not isinstance(path, str | Path):
        # written to a file first, with the same options, so that a stream gets the very
        # bytes a path would (xlsxwriter's in-memory mode caches chart data that the
        # constant-memory mode cannot)
        with tempfile.TemporaryDirectory(prefix="xlcompare-") as scratch:
            written = Path(scratch) / "out.xlsx"
            with atomic_workbook(written, constant_memory) as book:
                yield book
            with written.open("rb") as finished:
                shutil.copyfileobj(finished, path)
        return
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError("the output folder does not exist", code="output-folder-missing",
                          file=str(target))
    handle, temp = tempfile.mkstemp(prefix=".~xlcompare-", suffix=".xlsx", dir=folder)
    os.close(handle)
    book = xlsxwriter.Workbook(temp, {**_BOOK_OPTIONS, "constant_memory": constant_memory})
    try:
        yield book
        book.close()
        try:
            os.replace(temp, target)
        except PermissionError:
            raise OutputError("cannot replace the file: it is open in another program "
                              "(Excel/WPS?); close it and run again", code="output-locked",
                              file=str(target)) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    finally:
        Path(temp).unlink(missing_ok=True)
