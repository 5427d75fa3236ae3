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
    break_lines,
    display_width,
    number_writer,
    plan_print,
    print_setup,
    printable_height,
    printable_width,
    text_writer,
    width_for_points,
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
        "note": book.add_format({"font_name": "等线", "font_size": 10, "font_color": "#595959",
                                 "text_wrap": True, "valign": "top"}),
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
    widths: dict[int, int] = {col: column.width or display_width(column.header) + 2
                              for col, column in enumerate(table.columns)}
    plan = plan_print(list(widths.values()), table.key_columns,
                      [c.group for c in table.columns])
    write_text(sheet, 0, 0, table.title, f.title)
    # the note under the title, a line per clause, within the first printed page: a long
    # line of Chinese is not broken by every spreadsheet application, and would be cut
    span = max(1, plan.first_page)
    room = sum(widths[c] for c in range(span))
    note = break_lines("\n".join(table.subtitle.split("；")), room)
    sheet.set_row(1, wrapped_height([(note, room)]))
    if span > 1:
        sheet.merge_range(1, 0, 1, span - 1, "", extra["note"])
    write_text(sheet, 1, 0, note, extra["note"])
    for col, column in enumerate(table.columns):
        write_text(sheet, _HEADER_ROW, col, column.header, f.header)
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
    sheet.freeze_panes(_HEADER_ROW + 1, table.key_columns)
    if table.rows:
        sheet.autofilter(_HEADER_ROW, 0, last_data, len(table.columns) - 1)
    last_row = row if not table.rows else row - 1  # （无） or the last row written
    print_setup(sheet, (_HEADER_ROW, _HEADER_ROW), plan,
                extent=(f.book, last_row, len(table.columns) - 1))
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
            writers.append(_date_writer(sheet, col, extra["date"]))
        elif kind == "num":
            writers.append(_num_writer(number, col, f.number))
        elif kind == "delta":
            writers.append(_num_writer(number, col, f.delta))
        else:
            fmt = {"pp": f.points, "int": f.integer, "paragraph": f.wrap}.get(kind, f.text)
            writers.append(_plain_writer(number if kind in ("pp", "int") else text, col, fmt))
    return writers


def _plain_writer(write: CellWriter, col: int, fmt: Any) -> _ColumnWriter:
    return lambda row, n, value: write(row, col, value, fmt)


def _num_writer(number: CellWriter, col: int, format_of: Callable[[Any], Any]
                ) -> _ColumnWriter:
    def write(row: int, n: int, value: Any) -> None:
        number(row, col, value, format_of(value))

    return write


def _date_writer(sheet: Worksheet, col: int, fmt: Any) -> _ColumnWriter:
    """A date as a date cell (yyyy-mm-dd), so Excel's date filters work; a cell without a
    date is left blank."""
    put = sheet.write_datetime
    blank = sheet.write_blank

    def write(row: int, n: int, value: Any) -> None:
        if isinstance(value, date):
            put(row, col, value, fmt)
        else:
            blank(row, col, None, fmt)

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


# the stacked bars of the 图表 sheet, in pixels: a bar per station, a frame around them
_BAR_PIXELS, _FRAME_PIXELS, _ROW_PIXELS = 28, 170, 20


def _chart(book: Workbook, sheet: Worksheet, f: Formats, overview: Table) -> None:
    """Stacked bars: how many indicators of each station are in each status. Printed
    landscape at 100%, as many charts as it takes for each to fit a page, a page each.

    Every chart lies inside column A, made as wide as a page: a chart is anchored to cells,
    and LibreOffice gives a column a third more width than Excel does (column_points), so a
    chart spanning columns would print wider there than its size; within one column both
    place it by its own size."""
    write_text(sheet, 0, 0, "全区各站点指标状态分布", f.title)
    write_text(sheet, 1, 0, "每个站点各状态的指标项数（数据见“总览”）", f.subtitle)
    page_width = width_for_points(printable_width() * 0.98)
    sheet.set_column(0, 0, page_width)
    print_setup(sheet)
    sheet.set_print_scale(100)
    if not overview.rows:
        write_text(sheet, 3, 0, "（无站点）", f.subtitle)
        return
    # Excel's width of column A in pixels (7 a character and 5), less a margin: the widest
    # a chart can be and stay inside it
    width = int(page_width * 7 + 5) - 20
    page_pixels = int(printable_height() / 0.75) - 4 * _ROW_PIXELS
    per_chart = max(1, (page_pixels - _FRAME_PIXELS) // _BAR_PIXELS)
    first_status = next(i for i, c in enumerate(overview.columns)
                        if c.header == STATUS_ORDER[0].value)
    stations = len(overview.rows)
    charts = -(-stations // per_chart)
    per_chart = -(-stations // charts)  # as even as the pages allow
    row, breaks = 3, []
    for k in range(charts):
        first = _HEADER_ROW + 1 + k * per_chart
        last = min(_HEADER_ROW + stations, first + per_chart - 1)
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
        title = "全区各站点指标状态" + (f"（{k + 1}/{charts}）" if charts > 1 else "")
        chart.set_title({"name": title, "name_font": {"name": "等线", "size": 12}})
        chart.set_x_axis({"name": "指标项数", "name_font": {"name": "等线", "size": 10},
                          "num_font": {"name": "等线", "size": 10}})
        chart.set_y_axis({"reverse": True, "num_font": {"name": "等线", "size": 10},
                          "interval_unit": 1})  # every station named, none skipped
        chart.set_legend({"position": "bottom", "font": {"name": "等线", "size": 10}})
        height = _BAR_PIXELS * (last - first + 1) + _FRAME_PIXELS
        chart.set_size({"width": width, "height": height})
        if k:  # a page of its own, the chart a row below the break (its frame not on the
            breaks.append(row)  # page before)
            row += 1
        sheet.insert_chart(row, 0, chart)
        row += -(-height // _ROW_PIXELS) + 1
    if breaks:
        sheet.set_h_pagebreaks(breaks)
