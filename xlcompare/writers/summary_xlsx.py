"""The monthly summary workbook (`xlcompare batch`): one sheet per summary table, a chart of
the district picture, Chinese names, frozen headers, print-ready."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from xlcompare.messages import Message
from xlcompare.paths import OUTPUT_MARK
from xlcompare.summary import STATUS_ORDER, Summary
from xlcompare.writers.excel import (
    STATUS_COLOURS,
    CellWriter,
    Formats,
    Target,
    atomic_workbook,
    display_width,
    number_writer,
    print_setup,
    text_writer,
    wrapped_height,
    write_text,
)
from xlcompare.writers.summary_tables import Table, summary_tables

__all__ = ["write_summary"]

_HEADER_ROW = 3


def write_summary(batch: Summary, path: Target) -> list[Message]:
    """Write the summary atomically; return problems met while writing."""
    problems: list[Message] = []
    tables = summary_tables(batch)
    with atomic_workbook(path, constant_memory=True) as book:
        book.set_properties({"title": "社工站指标完成情况月度汇总", "author": OUTPUT_MARK,
                             "comments": f"xlcompare batch {batch.folder}"})
        formats = Formats(book)
        extra = _extra_formats(book)
        for table in tables:
            _write_table(book.add_worksheet(table.name), formats, extra, table, problems)
            if table.name == "总览":
                _chart(book, book.add_worksheet("图表"), formats, table)
    return problems


def _extra_formats(book: Workbook) -> dict[str, Any]:
    base = {"font_name": "等线", "font_size": 10, "valign": "vcenter", "border": 1}
    return {
        "date": book.add_format({**base, "num_format": "yyyy-mm-dd", "align": "center"}),
        "footer_pct": book.add_format({**base, "num_format": "0.00%", "bold": True,
                                       "bg_color": "#F2F2F2"}),
        "footer_text": book.add_format({**base, "bold": True, "bg_color": "#F2F2F2"}),
        "status_cache": {},  # (kind, status) → format, made on first use
    }


def _status_format(book: Workbook, cache: dict, kind: str, status: Any) -> Any:
    key = (kind, status)
    if key not in cache:
        bg, fg = STATUS_COLOURS[status]
        spec = {"font_name": "等线", "font_size": 10, "valign": "vcenter", "border": 1,
                "bg_color": bg, "font_color": fg}
        if kind == "pct":
            spec["num_format"] = "0.00%"
        else:
            spec["align"] = "center"
        cache[key] = book.add_format(spec)
    return cache[key]


def _write_table(sheet: Worksheet, f: Formats, extra: dict[str, Any], table: Table,
                 problems: list[Message]) -> Worksheet:
    write_text(sheet, 0, 0, table.title, f.title)
    write_text(sheet, 1, 0, table.subtitle, f.subtitle)
    widths: dict[int, int] = {}
    for col, column in enumerate(table.columns):
        write_text(sheet, _HEADER_ROW, col, column.header, f.header)
        widths[col] = column.width or display_width(column.header) + 2
    sheet.set_row(_HEADER_ROW, wrapped_height([(c.header, widths[i])
                                               for i, c in enumerate(table.columns)]))
    writers = _column_writers(sheet, f, extra, table, problems)
    paragraph_cols = [(col, widths[col]) for col, c in enumerate(table.columns)
                      if c.kind == "paragraph"]
    row = _HEADER_ROW + 1
    for n, values in enumerate(table.rows):
        for write, value in zip(writers, values, strict=True):
            write(row, n, value)
        paragraphs = [(str(values[col]), width) for col, width in paragraph_cols if values[col]]
        if paragraphs:
            sheet.set_row(row, wrapped_height(paragraphs))
        row += 1
    last_data = row - 1
    for values in table.footer:
        for col, (column, value) in enumerate(zip(table.columns, values, strict=True)):
            if column.kind == "pct" and value is not None:
                sheet.write_number(row, col, value, extra["footer_pct"])
            elif isinstance(value, str):
                write_text(sheet, row, col, value, extra["footer_text"], problems)
            else:
                sheet.write_blank(row, col, None, extra["footer_text"])
        row += 1
    if not table.rows:
        write_text(sheet, row, 0, "（无）", f.subtitle)
    for col, width in widths.items():
        sheet.set_column(col, col, width)
    sheet.freeze_panes(_HEADER_ROW + 1, 2 if table.name in ("总览", "到岗", "趋势") else 0)
    if table.rows:
        sheet.autofilter(_HEADER_ROW, 0, last_data, len(table.columns) - 1)
    print_setup(sheet, (_HEADER_ROW, _HEADER_ROW))
    return sheet


# writes one data cell as write(sheet row, index of the table row, value)
_ColumnWriter = Callable[[int, int, Any], None]


def _column_writers(sheet: Worksheet, f: Formats, extra: dict[str, Any], table: Table,
                    problems: list[Message]) -> list[_ColumnWriter]:
    """One writer per column, its kind and format settled once rather than for each of a
    province's tens of thousands of cells."""
    text = text_writer(sheet, problems)
    number = number_writer(sheet)
    writers = []
    for col, column in enumerate(table.columns):
        kind = column.kind
        if kind in ("pct", "status"):
            writers.append(_status_writer(f, extra, table, col, kind,
                                          number if kind == "pct" else text))
        elif kind == "date":
            writers.append(_date_writer(text, col, extra["date"]))
        elif kind == "num":
            writers.append(_num_writer(number, col, f))
        else:
            fmt = {"pp": f.points, "int": f.integer, "paragraph": f.wrap}.get(kind, f.text)
            writers.append(_plain_writer(number if kind in ("pp", "int") else text, col, fmt))
    return writers


def _plain_writer(write: CellWriter, col: int, fmt: Any) -> _ColumnWriter:
    return lambda row, n, value: write(row, col, value, fmt)


def _num_writer(number: CellWriter, col: int, f: Formats) -> _ColumnWriter:
    def write(row: int, n: int, value: Any) -> None:
        number(row, col, value, f.number(value))

    return write


def _date_writer(text: CellWriter, col: int, fmt: Any) -> _ColumnWriter:
    """A date as yyyy-mm-dd text; a cell without a date is left blank."""

    def write(row: int, n: int, value: Any) -> None:
        text(row, col, value.isoformat() if isinstance(value, date) else None, fmt)

    return write


def _status_writer(f: Formats, extra: dict[str, Any], table: Table, col: int, kind: str,
                   put: CellWriter) -> _ColumnWriter:
    """A pct or status column, each cell in its status's colours when the table gives one."""
    plain = f.percent if kind == "pct" else f.status
    statuses = table.statuses
    book, cache = f.book, extra["status_cache"]

    def write(row: int, n: int, value: Any) -> None:
        status = statuses.get((n, col))
        put(row, col, value, plain if status is None else _status_format(book, cache, kind, status))

    return write


def _chart(book: Workbook, sheet: Worksheet, f: Formats, overview: Table) -> None:
    """Stacked bars: how many indicators of each station are in each status."""
    write_text(sheet, 0, 0, "全区各站点指标状态分布", f.title)
    write_text(sheet, 1, 0, "每个站点各状态的指标项数（数据见“总览”）", f.subtitle)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 1)
    if not overview.rows:
        write_text(sheet, 3, 0, "（无站点）", f.subtitle)
        return
    first_status = next(i for i, c in enumerate(overview.columns) if c.header == STATUS_ORDER[0].value)
    first, last = _HEADER_ROW + 1, _HEADER_ROW + len(overview.rows)
    chart = book.add_chart({"type": "bar", "subtype": "stacked"})
    for n, status in enumerate(STATUS_ORDER):
        col = first_status + n
        bg, fg = STATUS_COLOURS[status]
        chart.add_series({
            "name": ["总览", _HEADER_ROW, col],
            "categories": ["总览", first, 1, last, 1],
            "values": ["总览", first, col, last, col],
            "fill": {"color": bg}, "border": {"color": fg, "width": 0.5},
            "gap": 60,
        })
    chart.set_title({"name": "全区各站点指标状态", "name_font": {"name": "等线", "size": 12}})
    chart.set_x_axis({"name": "指标项数", "num_font": {"name": "等线", "size": 9}})
    chart.set_y_axis({"reverse": True, "num_font": {"name": "等线", "size": 9}})
    chart.set_legend({"position": "bottom", "font": {"name": "等线", "size": 9}})
    chart.set_size({"width": 900, "height": min(1800, max(320, 24 * len(overview.rows) + 140))})
    sheet.insert_chart(3, 0, chart)
