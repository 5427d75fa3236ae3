"""Readable terminal tables of what was read (`xlcompare inspect`).

The lines around the tables are said in the language of the run (catalogue keys `ui.…`);
the tables' own headings are the annexes' words (指标, 完成率, 月份), as in the workbooks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from xlcompare.comparison import Comparison
from xlcompare.display import number, percent, visible
from xlcompare.judge import Judgement, Status
from xlcompare.messages import say
from xlcompare.model import Period, StationReport
from xlcompare.prose import station_paragraph
from xlcompare.readers.accounting import describe as describe_cells
from xlcompare.readers.layout import load_layout
from xlcompare.summary import Summary
from xlcompare.taxonomy import Match, NormalisedRow, Taxonomy

__all__ = ["describe_match", "print_batch", "print_comparison", "print_report",
           "print_taxonomy", "progress_bar"]

def _t(text: object) -> str:
    """Input text for a place rich reads as markup: shown as it is, never as markup (an
    indicator named `[/x]` or `[link=…]`), with control characters made visible."""
    return escape(visible(text))


_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}

# how a column of a terminal table behaves in a narrow terminal: a name is kept whole up to
# this many cells (a longer one wraps), a figure is never broken, other text wraps
_NAME_CELLS = 12
_TEXT_CELLS = 6


def _wrapping_table(title: str, columns: list[tuple[str, str]], rows: list[list[str]],
                    console: Console) -> Table:
    """A table that wraps its cells in a narrow terminal instead of cutting them to `电话…`:
    `columns` are (header, kind) — `name` (kept whole up to _NAME_CELLS), `num` (right
    aligned, never broken), `text` (wraps) — and `rows` are their cells (markup). Where the
    usual table is too wide for the terminal, the columns are set apart by a space instead
    of lines, figures and names keep their width, headers break between characters, and
    the text columns share what is left, in an even number of cells (a Chinese character
    takes two)."""
    widest = [max((Text.from_markup(row[col]).cell_len for row in rows), default=0)
              for col in range(len(columns))]
    table = Table(title=title, title_justify="left")
    for (header, kind), width in zip(columns, widest, strict=True):
        if kind == "num":
            table.add_column(header, justify="right", no_wrap=True, min_width=width)
        else:
            table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*row)
    unbounded = console.options.update_width(1 << 16)  # Measurement clamps to the width given
    if Measurement.get(console, unbounded, table).minimum <= console.width:
        return table
    fixed: dict[int, int] = {}
    for col, ((header, kind), width) in enumerate(zip(columns, widest, strict=True)):
        if kind == "num":
            fixed[col] = max(width, min(cell_len(header), 4))
        elif kind == "name":
            fixed[col] = _even(max(4, min(width, _NAME_CELLS)))
    texts = [col for col, (_, kind) in enumerate(columns) if kind not in ("num", "name")]
    # every text column gets 4 cells, and what is left goes to them as they need it
    spare = console.width - (len(columns) - 1) - sum(fixed.values()) - 4 * len(texts)
    wanted = sum(max(0, widest[col] - 4) for col in texts) or 1
    for col in texts:
        more = min(widest[col] - 4, max(0, spare) * max(0, widest[col] - 4) // wanted)
        fixed[col] = _even(4 + max(0, more))
    # no padding: SIMPLE_HEAD's column separator is itself a space
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, padding=0,
                  show_edge=False)
    for col, (header, kind) in enumerate(columns):
        table.add_column(_folded(header, fixed[col]), width=fixed[col],
                         justify="right" if kind == "num" else "left",
                         overflow="fold", no_wrap=kind == "num")
    for row in rows:
        table.add_row(*row)
    return table


def _even(cells: int) -> int:
    return cells - cells % 2


def _folded(header: str, cells: int) -> str:
    """`header` in lines of at most `cells` terminal cells (a line of Chinese has no space
    for a terminal table to break it at)."""
    lines, line = [], ""
    for ch in header:
        if line and cell_len(line + ch) > cells:
            lines.append(line)
            line = ""
        line += ch
    return "\n".join([*lines, line])


# how a name matched, as the 匹配 column says it
_HOW = {"exact": "ui.match-exact", "alias": "ui.match-alias", "cleaned": "ui.match-cleaned",
        "context": "ui.match-context", "fuzzy": "ui.match-fuzzy",
        "suggestion": "ui.match-suggestion", "unmatched": "ui.match-unmatched",
        "derived": "ui.match-derived"}


def describe_match(match: Match) -> str:
    """How a name matched, briefly: 别名 (alias), 近似 86 (fuzzy 86),
    未识别（可能是 volunteers_new 72）."""
    return say(_HOW[match.how], score=match.score or 0, suggestion=match.suggestion or "")


def print_report(console: Console, report: StationReport,
                 normalised: tuple[NormalisedRow, ...] | None = None, *,
                 verbose: bool = False) -> None:
    """Station, period, indicators (with their canonical ids when `normalised` is given),
    attendance, staffing and problems, as tables."""
    title = _t(report.station) if report.station else say("ui.no-station")
    console.rule(f"[bold]{title}")
    period = (f"{report.contract_start} … {report.contract_end}"
              if report.contract_start else "—")
    console.print(say("ui.operator", operator=_t(report.operator or "—")))
    if len(report.operators) > 1:  # a change of operator: each with its days
        console.print(say("ui.operator-periods", periods=_t(report.operators_text)))
    console.print(say("ui.period", period=period, cutoff=report.cutoff or "—"))
    console.print(say("ui.sources", files=", ".join(_t(s) for s in report.sources)))
    if report.indicators:
        console.print(_indicator_table(report, normalised, console))
        unmatched = [n for n in normalised or () if n.id is None]
        if unmatched:
            console.print("[bold yellow]" + say("ui.unmatched", n=len(unmatched)) + "[/] "
                          + "、".join(f"{_t(n.row.name)}（{_t(describe_match(n.match))}）"
                                     for n in unmatched) + say("ui.unmatched-hint"))
    if report.attendance is not None:
        console.print(_attendance_table(report))
        if report.attendance.periods:  # each operator's months: their average staffing
            console.print(say("ui.period-staff", periods="；".join(
                f"{_t(p.operator)}（{_period_days(p)}）"
                f"{number(report.attendance.of_period(p).average_staff)}"
                for p in report.attendance.periods)))
    if report.attendance is not None and report.attendance.persons:
        console.print(_persons_table(report))
    if report.staffing is not None:
        labels = load_layout().staffing.labels  # the names layout.toml gives the facts
        facts = [f"{_t(labels.get(f.name, f.name))} {number(getattr(report.staffing, f.name))}"
                 for f in fields(report.staffing)
                 if getattr(report.staffing, f.name) is not None]
        console.print(say("ui.staffing", facts="；".join(facts)))
    shown = [p for p in report.problems if verbose or p.severity != "info"]
    if shown:
        console.print("[bold]" + say("ui.problems", n=len(shown)))
        for problem in shown:
            level = f"[{_SEVERITY_STYLE[problem.severity]}]{problem.level}[/]"
            console.print("  " + say("ui.problem", level=level, code=escape(f"[{problem.code}]"),
                                     text=_t(problem)), highlight=False, markup=True)
    else:
        console.print(say("ui.no-problems"))
    if verbose:
        console.print("[bold]" + say("ui.detected"))
        for note in report.notes:
            console.print(f"  {visible(note)}", highlight=False, markup=False)
        console.print("[bold]" + say("ui.cells"))
        for cell_map in report.cell_maps:
            console.print(f"  {visible(describe_cells(cell_map))}", highlight=False,
                          markup=False)


def _indicator_table(report: StationReport, normalised: tuple[NormalisedRow, ...] | None,
                     console: Console) -> Table:
    show_midterm = any(r.midterm_target is not None for r in report.indicators)
    columns = [("类别", "text"), ("指标", "name"), ("单位", "text"), ("协议指标量", "num"),
               ("完成量", "num"), ("完成率", "num"), ("表内完成率", "num")]
    if show_midterm:
        columns.append(("中期指标", "num"))
    if normalised is not None:
        columns += [("标准指标", "text"), ("匹配", "text")]
    columns.append(("单元格", "text"))
    rows = []
    for n, row in enumerate(report.indicators):
        cells = [_t(row.category or ""), _t(row.name), _t(row.unit or ""), number(row.target),
                 number(row.completed), percent(row.rate), percent(row.sheet_rate)]
        if show_midterm:
            cells.append(number(row.midterm_target))
        if normalised is not None:
            match = normalised[n].match
            cells += [_t(match.id or "—"), _t(describe_match(match))]
        cells.append(_t(f"{row.source.sheet}!{row.source.cell}") if row.source else "")
        rows.append(cells)
    return _wrapping_table(f"附件1 指标完成情况 ({len(report.indicators)} 项)", columns, rows,
                           console)


def _persons_table(report: StationReport) -> Table:
    persons = report.attendance.persons  # type: ignore[union-attr]
    table = Table(title=say("ui.persons"), title_justify="left")
    table.add_column("姓名")
    table.add_column("持证")
    months = [label for label, _ in persons[0].months]
    for label in months:
        table.add_column(_t(label), justify="right")
    for person in persons:
        table.add_row(_t(person.name), "是" if person.certified else "否",
                      *(number(v) for _, v in person.months))
    return table


def _period_days(period: Period) -> str:
    if period.start and period.end:
        return f"{period.start}…{period.end}"
    return f"{period.start} 起" if period.start else f"至 {period.end}" if period.end else ""


def _attendance_table(report: StationReport) -> Table:
    attendance = report.attendance
    assert attendance is not None
    kind = f"，按人员汇总 {attendance.people} 人" if attendance.person_level else ""
    table = Table(title=f"附件2 社工到岗情况{kind}", title_justify="left")
    for header in ("月份", "总应到", "总实到", "持证应到", "持证实到", "非持证实到"):
        table.add_column(header, justify="left" if header == "月份" else "right")
    figures = ("expected_total", "actual_total", "expected_certified", "actual_certified",
               "actual_uncertified")
    periods = {m: n for n, period in enumerate(attendance.periods) for m in period.months}
    for i, month in enumerate(attendance.months):
        following = attendance.months[i + 1].month if i + 1 < len(attendance.months) else None
        table.add_row(_t(month.month), *(number(getattr(month, f)) for f in figures))
        mine = periods.get(month.month)
        if mine is not None and (following is None or periods.get(following) != mine):
            period = attendance.periods[mine]
            part = attendance.of_period(period)
            table.add_row(f"小计 {_period_days(period)}",
                          *(number(part.totals[f]) for f in figures), end_section=True)
    totals = attendance.totals
    table.add_row("[bold]合计", *(f"[bold]{number(totals[f])}" for f in figures), end_section=True)
    return table


def print_taxonomy(console: Console, taxonomy: Taxonomy) -> None:
    """The canonical indicators by category, with their aliases and the roll-ups."""
    table = Table(title=say("ui.taxonomy", n=len(taxonomy),
                            sources=_t(", ".join(taxonomy.sources))), title_justify="left")
    for header in ("类别", "id", "标准名称", "English", "单位", say("ui.aliases")):
        table.add_column(header)
    for ind in taxonomy:
        context = [f"{'/'.join(v)}（{k}）" for k, v in ind.contextual_aliases.items()]
        table.add_row(*(_t(text) for text in (
            taxonomy.category(ind.category).name, ind.id, ind.name, ind.label, ind.unit or "",
            "、".join([*ind.aliases, *ind.unit_aliases, *context]))))
    console.print(table)
    for rollup in taxonomy.rollups:
        console.print(say("ui.rollup", whole=_t(rollup.whole), parts=_t(" + ".join(rollup.parts))))


_STATUS_STYLE = {Status.ON_TRACK: "green", Status.BROADLY: "yellow", Status.LAGGING: "bold red",
                 Status.WELL_AHEAD: "blue", Status.NO_TARGET: "dim",
                 Status.CONCERN: "dark_orange"}


def _status_cell(judgement: Judgement | None) -> str:
    if judgement is None:
        return "[dim]—[/]"
    return f"[{_STATUS_STYLE[judgement.status]}]{judgement.status.value}[/]"


def print_comparison(console: Console, comparison: Comparison,
                     taxonomy: Taxonomy | None = None) -> None:
    """The 对比 sheet as a terminal table, flags coloured, then a paragraph per station."""
    a, b = comparison.a, comparison.b
    for result in (a, b):
        progress = (f"已过 {result.progress.describe()}" if result.progress
                    else "缺合同期或截止日期")
        console.print(f"[bold]{_t(result.name)}[/] 截至 {result.report.cutoff or '—'}，{progress}",
                      highlight=False)
        if len(result.report.operators) > 1:
            console.print("  " + say("ui.operators", periods=_t(result.report.operators_text)),
                          highlight=False)
    table = Table(title="指标对比", title_justify="left")
    table.add_column("指标")
    for result in (a, b):
        name = result.name if a.name != b.name else f"{result.name} {result.report.cutoff}"
        table.add_column(f"{_t(name)}\n完成/指标", justify="right")
        table.add_column("完成率", justify="right")
        table.add_column("状态", justify="center")
    table.add_column("差(百分点)", justify="right")
    table.add_column("备注")
    for row in comparison.rows:
        cells = [_t(row.name)]
        for norm, judgement in ((row.a, row.judgement_a), (row.b, row.judgement_b)):
            if norm is None:
                cells += ["—", "—", _status_cell(None)]
            else:
                cells += [f"{number(norm.completed)}/{number(norm.target)}",
                          percent(judgement.rate if judgement else None), _status_cell(judgement)]
        diff = row.difference_pp
        cells += ["—" if diff is None else f"{diff:+.2f}", _t(row.note or "")]
        table.add_row(*cells)
    console.print(table)
    for result in (a, b):
        lagging = [r for r in result.rows if r.status is Status.LAGGING]
        if lagging:
            console.print(f"[bold red]{_t(result.name)} 滞后:[/] " + "；".join(
                f"{_t(r.row.name)}（{_t(r.judgement.why)}）" for r in lagging), highlight=False)
        console.print(_t(station_paragraph(result, taxonomy)), highlight=False)


@contextmanager
def progress_bar(console: Console, enabled: bool = True) -> Iterator[Callable[[int, int, str], None] | None]:
    """A bar with the file count and the current file, on a terminal; nothing otherwise."""
    if not enabled or not console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("读取"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=console, transient=True) as bar:
        task = bar.add_task("", total=None)

        def update(done: int, total: int, path: str) -> None:
            bar.update(task, completed=done, total=total, description=_t(Path(path).name))

        yield update


def print_batch(console: Console, result: Summary) -> None:
    """The first printed page of the 总览 sheet, as a table: the same stations in the same
    order (ranked by 达标率), the same columns and counts (超额 apart from 达标), taken from
    the one table both are made of; the rate of each key indicator is on the sheet."""
    from xlcompare.writers.summary_tables import overview_table

    overview = overview_table(result)
    shown = [n for n, c in enumerate(overview.columns) if c.group != "rates"]
    kinds = {"int": "num", "pct": "num", "date": "num"}
    columns = [(overview.columns[n].header,
                "name" if overview.columns[n].header == "站点"
                else kinds.get(overview.columns[n].kind, "text")) for n in shown]
    lagging_col = next(n for n in shown if overview.columns[n].header == Status.LAGGING.value)
    rows = []
    for values in overview.rows:
        cells = []
        for n in shown:
            value, kind = values[n], overview.columns[n].kind
            if kind == "pct":
                cells.append(percent(value))
            elif kind == "date":
                cells.append(str(value or "—"))
            elif kind == "int":
                cells.append(f"[bold red]{value}[/]" if n == lagging_col and value else str(value))
            else:
                cells.append(_t(value or ""))
        rows.append(cells)
    title = (f"{_t(result.folder)} — {len(result.summaries)} 个站点"
             "（排名按达标率；各指标完成率见汇总表“总览”）")
    console.print(_wrapping_table(title, columns, rows, console))
    from xlcompare.writers.summary_tables import reporting_lines

    # who has not reported, beside who lags: when a roster says who must
    for line in reporting_lines(result) if result.roster_known else ():
        console.print(_t(line), style="bold red" if "低于" in line else None)
