"""The `xlcompare diff` workbook: 对比, 到岗, 图表, 说明 — made to be forwarded as it is."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from xlsxwriter.worksheet import Worksheet

from xlcompare.comparison import Comparison, StationResult
from xlcompare.display import percent
from xlcompare.judge import Judgement, JudgeSettings, Measure
from xlcompare.messages import Message
from xlcompare.model import LEVELS
from xlcompare.paths import OUTPUT_MARK
from xlcompare.prose import station_paragraph
from xlcompare.taxonomy import NormalisedRow, Taxonomy
from xlcompare.writers.excel import (
    Formats,
    PrintPlan,
    Target,
    atomic_workbook,
    break_lines,
    plan_print,
    print_setup,
    status_conditional_formats,
    wrapped_height,
    write_number,
    write_text,
)
from xlcompare.writers.words import settings_in_words

__all__ = ["write_diff", "rule_text", "SIDE_COLUMNS"]

SIDE_COLUMNS = ("协议指标量", "完成量", "完成率", "状态", "说明")
_HEADER_ROW = 3  # two header rows: 3 (station names) and 4 (figures); data from row 5
_FIRST_DATA = 5
_WHY_WIDTH = 15
_NOTE_WIDTH = 13


def rule_text(settings: JudgeSettings) -> str:
    s = settings.indicators
    return (f"按时间应完成 = 统计截止时合同期已过天数 ÷ 合同期总天数；完成率 ≥ 应完成为达标，"
            f"≥ {s.basic_share:g} × 应完成为基本完成，低于此为滞后；"
            f"≥ {s.over_multiple:g} × 应完成为超额（仅提示）；无协议指标量为无目标"
            + ("（表内有完成率时按表内完成率判断）" if s.use_sheet_rate_without_target else "")
            + "。完成率按 完成量 ÷ 协议指标量 重新计算，不用中期指标。")


def _taxonomy_in_words(taxonomy: Taxonomy | None) -> str:
    """Which indicator names were used, without naming their files."""
    own = len(taxonomy.sources) - 1 if taxonomy is not None else 0
    if own <= 0:
        return Message("setting.taxonomy-packaged").text("zh")
    return Message("setting.taxonomy-own", n=own).text("zh")


def _progress_text(result: StationResult) -> str:
    if result.progress is None:
        return f"{result.name}：缺合同期或截止日期"
    return (f"{result.name}：截至{result.report.cutoff}，已过 {result.progress.describe()}，"
            f"按时间应完成 {percent(result.progress.share)}")


def write_diff(comparison: Comparison, path: Target, taxonomy: Taxonomy | None = None
               ) -> list[Message]:
    """Write the comparison workbook atomically; return problems met while writing."""
    problems: list[Message] = []
    with atomic_workbook(path) as book:
        formats = Formats(book)
        book.set_properties({"title": _title(comparison), "author": OUTPUT_MARK,
                             "comments": "xlcompare diff"})
        _compare_sheet(book.add_worksheet("对比"), formats, comparison, taxonomy, problems)
        _attendance_sheet(book.add_worksheet("到岗"), formats, comparison, problems)
        _chart_sheet(book, book.add_worksheet("图表"), formats, comparison, problems)
        _notes_sheet(book.add_worksheet("说明"), formats, comparison, taxonomy, problems)
    return problems


def _title(comparison: Comparison) -> str:
    a, b = comparison.a, comparison.b
    return f"指标对比：{a.name}（截至{a.report.cutoff}）与 {b.name}（截至{b.report.cutoff}）"


def _side_label(result: StationResult, other: StationResult) -> str:
    if result.name == other.name:
        return f"{result.name}（截至{result.report.cutoff}）"
    return result.name


# printed widths of the 对比 sheet, chosen so A and B stay side by side on one landscape A4
# page at no less than 8 pt (excel.plan_print checks it): category, name, each side's
# target / completed / rate / status / why, the difference, the note
_COMPARE_WIDTHS = (8, 14, *(7, 7, 8, 6, _WHY_WIDTH) * 2, 8, _NOTE_WIDTH)


def _compare_sheet(sheet: Worksheet, f: Formats, comparison: Comparison,
                   taxonomy: Taxonomy | None, problems: list[Message]) -> None:
    a, b = comparison.a, comparison.b
    last_col = 2 + 2 * len(SIDE_COLUMNS) + 1
    widths = dict(enumerate(_COMPARE_WIDTHS))
    total_width = sum(widths.values())
    plan = plan_print(_COMPARE_WIDTHS, 2, ["", "", *["A"] * 5, *["B"] * 5, "d", "d"])

    def text(row: int, col: int, value: str | None, fmt: object) -> None:
        write_text(sheet, row, col, value, fmt, problems)

    def note_row(row: int, value: str, fmt: object, line: float = 14.0) -> None:
        """Text over the whole width, broken into lines that fit it."""
        lines = break_lines(value, total_width)
        sheet.merge_range(row, 0, row, last_col, "", fmt)
        write_text(sheet, row, 0, lines, fmt, problems)
        sheet.set_row(row, wrapped_height([(lines, total_width)], line))

    write_text(sheet, 0, 0, _title(comparison), f.title)
    note_row(1, _progress_text(a) + "\n" + _progress_text(b), f.note)
    note_row(2, "颜色：绿 达标，黄 基本完成，红 滞后，蓝 超额，灰 无目标；"
             "差 = 后者完成率 − 前者完成率（百分点）", f.note)
    for col, header in ((0, "类别"), (1, "指标")):
        sheet.merge_range(_HEADER_ROW, col, _HEADER_ROW + 1, col, header, f.header)
    for side, (result, other) in enumerate(((a, b), (b, a))):
        first = 2 + side * len(SIDE_COLUMNS)
        sheet.merge_range(_HEADER_ROW, first, _HEADER_ROW, first + len(SIDE_COLUMNS) - 1, "",
                          f.header)
        write_text(sheet, _HEADER_ROW, first, _side_label(result, other), f.header)
        for n, header in enumerate(SIDE_COLUMNS):
            write_text(sheet, _HEADER_ROW + 1, first + n, header, f.header)
    sheet.set_row(_HEADER_ROW + 1, wrapped_height(
        [(header, widths[2 + n]) for n, header in enumerate(SIDE_COLUMNS)]))
    diff_col, note_col = last_col - 1, last_col
    sheet.merge_range(_HEADER_ROW, diff_col, _HEADER_ROW + 1, diff_col, "差（百分点）", f.header)
    sheet.merge_range(_HEADER_ROW, note_col, _HEADER_ROW + 1, note_col, "备注", f.header)
    row = _FIRST_DATA
    for item in comparison.rows:
        text(row, 0, item.category, f.wrap)
        text(row, 1, item.name, f.wrap)
        for side, (norm, judgement) in enumerate(((item.a, item.judgement_a),
                                                  (item.b, item.judgement_b))):
            _side_cells(sheet, f, row, 2 + side * len(SIDE_COLUMNS), norm, judgement, text)
        write_number(sheet, row, diff_col, item.difference_pp, f.points)
        note = _row_note(item.a, item.b, item.note)
        text(row, note_col, note, f.wrap)
        sheet.set_row(row, wrapped_height([
            (item.category, widths[0]), (item.name, widths[1]),
            (item.judgement_a.why if item.judgement_a else None, _WHY_WIDTH),
            (item.judgement_b.why if item.judgement_b else None, _WHY_WIDTH),
            (note, _NOTE_WIDTH)]))
        row += 1
    last_data = row - 1
    for side in range(2):
        first = 2 + side * len(SIDE_COLUMNS)
        status_conditional_formats(sheet, f, _FIRST_DATA, last_data, first + 3,
                                   [first + 2, first + 3])
    row += 1
    for col, width in widths.items():
        sheet.set_column(col, col, width)
    for result in (a, b):
        note_row(row, station_paragraph(result, taxonomy), f.paragraph, 16)
        row += 1
    sheet.freeze_panes(_FIRST_DATA, 2)
    sheet.autofilter(_HEADER_ROW + 1, 0, last_data, last_col)
    print_setup(sheet, (_HEADER_ROW, _HEADER_ROW + 1), plan, extent=(f.book, row - 1, last_col))


def _side_cells(sheet: Worksheet, f: Formats, row: int, first: int,
                norm: NormalisedRow | None, judgement: Judgement | None, text: object) -> None:
    if norm is None or judgement is None:
        for n in range(len(SIDE_COLUMNS)):
            sheet.write_blank(row, first + n, None, f.text)
        text(row, first + 4, "（无此指标）", f.wrap)  # type: ignore[operator]
        return
    write_number(sheet, row, first, norm.target, f.number(norm.target))
    write_number(sheet, row, first + 1, norm.completed, f.number(norm.completed))
    write_number(sheet, row, first + 2, judgement.rate, f.percent)
    text(row, first + 3, judgement.status.value, f.status)  # type: ignore[operator]
    text(row, first + 4, judgement.why, f.wrap)  # type: ignore[operator]


def _row_note(a: NormalisedRow | None, b: NormalisedRow | None, note: str | None) -> str:
    parts = [note] if note else []
    for row in (a, b):
        if row is not None and row.row.remarks and not row.derived:
            parts.append(f"备注：{row.row.remarks}")
    return "；".join(parts)


_MEASURE_COLUMNS = ("分子", "分母", "比率", "状态", "说明")
# 项目, then each side's 分子, 分母, 比率, 状态, 说明: both sides on one A4 page at ≥ 8 pt
_MEASURE_WIDTHS = (22, 8, 8, 8, 6, 22)


def _attendance_sheet(sheet: Worksheet, f: Formats, comparison: Comparison,
                      problems: list[Message]) -> None:
    a, b = comparison.a, comparison.b
    write_text(sheet, 0, 0, "社工到岗与人员配置", f.title)
    write_text(sheet, 1, 0, "比率 = 分子 ÷ 分母，按要求判断；要求见“说明”表", f.subtitle)
    header = 3
    sheet.merge_range(header, 0, header + 1, 0, "项目", f.header)
    for side, result in enumerate((a, b)):
        first = 1 + side * len(_MEASURE_COLUMNS)
        sheet.merge_range(header, first, header, first + len(_MEASURE_COLUMNS) - 1, "", f.header)
        write_text(sheet, header, first, _side_label(result, b if side == 0 else a), f.header)
        for n, label in enumerate(_MEASURE_COLUMNS):
            write_text(sheet, header + 1, first + n, label, f.header)
    keys: list[tuple[str, str]] = []
    for result in (a, b):
        for m in result.measures:
            if (m.key, m.label) not in keys:
                keys.append((m.key, m.label))
    row = header + 2
    for key, label in keys:
        write_text(sheet, row, 0, label, f.wrap)
        cells: list[tuple[str | None, float]] = [(label, _MEASURE_WIDTHS[0])]
        for side, result in enumerate((a, b)):
            first = 1 + side * len(_MEASURE_COLUMNS)
            measure = next((m for m in result.measures if m.key == key), None)
            _measure_cells(sheet, f, row, first, measure, problems)
            cells.append((measure.why if measure else None, _MEASURE_WIDTHS[-1]))
        sheet.set_row(row, wrapped_height(cells))
        row += 1
    for side in range(2):
        first = 1 + side * len(_MEASURE_COLUMNS)
        status_conditional_formats(sheet, f, header + 2, row - 1, first + 3, [first + 2, first + 3])
    row += 1
    write_text(sheet, row, 0, "附件2 到岗合计（人次）", f.bold)
    row += 1
    figures = (("expected_total", "社工总人数应到"), ("actual_total", "社工总人数实到"),
               ("expected_certified", "持证社工应到"), ("actual_certified", "持证社工实到"),
               ("actual_uncertified", "非持证社工实到"))
    write_text(sheet, row, 0, "项目", f.header)
    for side, result in enumerate((a, b)):
        write_text(sheet, row, 1 + side * len(_MEASURE_COLUMNS),
                   _side_label(result, b if side == 0 else a), f.header)
    row += 1
    for key, label in figures:
        write_text(sheet, row, 0, label, f.text)
        for side, result in enumerate((a, b)):
            attendance = result.report.attendance
            value = attendance.total(key) if attendance else None
            write_number(sheet, row, 1 + side * len(_MEASURE_COLUMNS), value, f.number(value))
        row += 1
    widths = (_MEASURE_WIDTHS[0], *_MEASURE_WIDTHS[1:] * 2)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(header + 2, 1)
    plan = plan_print(widths, 1, ["", *["A"] * 5, *["B"] * 5])
    print_setup(sheet, (header, header + 1), plan, extent=(f.book, row - 1, len(widths) - 1))


def _measure_cells(sheet: Worksheet, f: Formats, row: int, first: int, m: Measure | None,
                   problems: list[Message]) -> None:
    if m is None:
        for n in range(len(_MEASURE_COLUMNS)):
            sheet.write_blank(row, first + n, None, f.text)
        return
    write_number(sheet, row, first, m.numerator, f.number(m.numerator))
    write_number(sheet, row, first + 1, m.denominator, f.number(m.denominator))
    write_number(sheet, row, first + 2, m.ratio, f.percent)
    write_text(sheet, row, first + 3, m.status.value, f.status, problems)
    write_text(sheet, row, first + 4, m.why, f.wrap, problems)


_CHART_COLUMNS = (22, 16, 16, 16, 16)  # 指标 and the four series of the chart's data
_CHART_HEIGHT = 460  # pixels


def _chart_sheet(book: object, sheet: Worksheet, f: Formats, comparison: Comparison,
                 problems: list[Message]) -> None:
    """The chart on the first page, over exactly the columns of its data, and the data
    below it on a page of its own, both at 100%: a chart is anchored to cells, and across
    the columns it covers LibreOffice draws it a third wider than Excel (column_points), so
    it is given the width of its table, which fits a page in either."""
    a, b = comparison.a, comparison.b
    label_a, label_b = _side_label(a, b), _side_label(b, a)
    write_text(sheet, 0, 0, "完成率对比（柱）与按时间应完成（线）", f.title)
    write_text(sheet, 1, 0, "图中数据见下页的表", f.subtitle)
    for col, width in enumerate(_CHART_COLUMNS):
        sheet.set_column(col, col, width)
    top = 3 + -(-_CHART_HEIGHT // 20) + 1  # the table's header row, under the chart
    headers = ("指标", f"{label_a} 完成率", f"{label_b} 完成率", f"{label_a} 应完成",
               f"{label_b} 应完成")
    for col, header in enumerate(headers):
        write_text(sheet, top, col, header, f.header)
    sheet.set_row(top, wrapped_height([(h, w) for h, w in zip(headers, _CHART_COLUMNS,
                                                             strict=True)]))
    rows = [r for r in comparison.rows
            if (r.judgement_a and r.judgement_a.rate is not None)
            or (r.judgement_b and r.judgement_b.rate is not None)]
    for n, item in enumerate(rows):
        row = top + 1 + n
        write_text(sheet, row, 0, item.name, f.text, problems)
        write_number(sheet, row, 1, item.judgement_a.rate if item.judgement_a else None, f.percent)
        write_number(sheet, row, 2, item.judgement_b.rate if item.judgement_b else None, f.percent)
        write_number(sheet, row, 3, a.progress.share if a.progress else None, f.percent)
        write_number(sheet, row, 4, b.progress.share if b.progress else None, f.percent)
    first, last = top + 1, top + len(rows)
    print_setup(sheet, (top, top), PrintPlan(100))
    sheet.set_h_pagebreaks([top])
    if not rows:
        return
    chart = book.add_chart({"type": "column"})  # type: ignore[attr-defined]
    for col, colour in ((1, "#4472C4"), (2, "#ED7D31")):
        chart.add_series({
            "name": ["图表", top, col],
            "categories": ["图表", first, 0, last, 0],
            "values": ["图表", first, col, last, col],
            "fill": {"color": colour},
            "gap": 80,
        })
    line = book.add_chart({"type": "line"})  # type: ignore[attr-defined]
    for col, colour in ((3, "#1F3864"), (4, "#843C0C")):
        line.add_series({
            "name": ["图表", top, col],
            "categories": ["图表", first, 0, last, 0],
            "values": ["图表", first, col, last, col],
            "line": {"color": colour, "dash_type": "dash", "width": 1.5},
            "marker": {"type": "none"},
        })
    chart.combine(line)
    rates = [j.rate for item in rows for j in (item.judgement_a, item.judgement_b)
             if j is not None and j.rate is not None]
    peak = max(rates, default=1.0)
    chart.set_title({"name": "完成率对比", "name_font": {"name": "等线", "size": 12}})
    chart.set_y_axis({"num_format": "0%", "min": 0, "max": min(2.0, max(1.0, peak)),
                      "num_font": {"name": "等线", "size": 9},
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_x_axis({"num_font": {"rotation": -45, "name": "等线", "size": 9},
                      "interval_unit": 1})
    chart.set_legend({"position": "bottom", "font": {"name": "等线", "size": 9}})
    # Excel's pixels of the columns under the chart (7 a character and 5)
    width = sum(int(w * 7 + 0.5) + 5 for w in _CHART_COLUMNS)
    chart.set_size({"width": width, "height": _CHART_HEIGHT})
    sheet.insert_chart(3, 0, chart)
    if peak > 2.0:
        write_text(sheet, 2, 0, "注：完成率超过200%的柱形在图中截断，数值见下页的表。",
                   f.subtitle)


# 说明: label, value (the problems table: station, message, file, sheet, cell, level, code)
_NOTES_WIDTHS = (16, 54, 20, 12, 7, 7, 16)


def _notes_sheet(sheet: Worksheet, f: Formats, comparison: Comparison,
                 taxonomy: Taxonomy | None, problems: list[Message]) -> None:
    a, b = comparison.a, comparison.b
    write_text(sheet, 0, 0, "说明", f.title)
    rows: list[tuple[str, str | date]] = [
        ("生成", f"xlcompare diff，{datetime.now():%Y-%m-%d %H:%M}"),
        ("判断规则", rule_text(comparison.settings)),
        ("判定设置", settings_in_words(comparison.settings)),
        ("指标名称", _taxonomy_in_words(taxonomy)),
    ]
    for result in (a, b):
        report = result.report
        rows += [
            (f"{result.name} 来源文件", "；".join(Path(s).name for s in report.sources)),
            (f"{result.name} 承办机构", report.operators_text or "—"),
            (f"{result.name} 合同期", f"{report.contract_start or '—'} 至 {report.contract_end or '—'}"),
            (f"{result.name} 统计截止", report.cutoff or "—"),
            (f"{result.name} 进度", _progress_text(result)),
            (f"{result.name} 结论", station_paragraph(result, taxonomy)),
            (f"{result.name} 未识别指标", "、".join(r.row.name for r in result.unmatched) or "无"),
        ]
    label_width, value_width = _NOTES_WIDTHS[0], _NOTES_WIDTHS[1]
    r = 2
    for label, value in rows:
        write_text(sheet, r, 0, label, f.bold_wrap)
        if isinstance(value, date):  # a date cell, for Excel's date filters
            sheet.write_datetime(r, 1, value, f.date)
            value = value.isoformat()
        else:
            write_text(sheet, r, 1, value, f.paragraph, problems)
        sheet.set_row(r, wrapped_height([(label, label_width), (value, value_width)]))
        r += 1
    r += 1
    write_text(sheet, r, 0, "发现的问题", f.bold)
    r += 1
    for col, header in enumerate(("站点", "问题", "文件", "工作表", "单元格", "级别", "代码")):
        write_text(sheet, r, col, header, f.header)
    found = [(result.name, p) for result in (a, b) for p in result.report.problems]
    for name, p in found:
        r += 1
        # the workbook is for the district: always in Chinese
        cells = (name, p.text("zh"), Path(p.file).name, p.sheet or "", p.cell or "",
                 Message(LEVELS[p.severity]).text("zh"), p.code)
        for col, value in enumerate(cells):
            write_text(sheet, r, col, value, f.wrap, problems)
        sheet.set_row(r, wrapped_height(list(zip(cells, _NOTES_WIDTHS, strict=True))))
    if not found:
        r += 1
        write_text(sheet, r, 0, "无", f.text)
    for col, width in enumerate(_NOTES_WIDTHS):
        sheet.set_column(col, col, width)
    print_setup(sheet, plan=plan_print(_NOTES_WIDTHS), extent=(f.book, r, len(_NOTES_WIDTHS) - 1))
