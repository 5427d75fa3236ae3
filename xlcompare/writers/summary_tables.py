"""The batch summary as plain tables: what each sheet holds, independent of Excel.

The xlsx writer renders these tables and `Summary.frames()` turns them into DataFrames,
so the workbook and a notebook always show the same numbers. Each station enters as a
`StationSummary`, taken as soon as the station is judged: a province's batch keeps these few
values per station, not every report, row and judgement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xlcompare.judge import Status
from xlcompare.messages import Message
from xlcompare.model import LEVELS
from xlcompare.summary import (
    ATTENDANCE_FIGURES,
    STATUS_ORDER,
    FileStatus,
    StationSummary,
    Summary,
    district_medians,
    key_indicators,
    standings,
)
from xlcompare.writers.words import settings_in_words

__all__ = ["Column", "Table", "overview_table", "quality_table", "reporting_lines",
           "reporting_table", "summary_frames", "summary_tables"]


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text | int | num | delta | pct | pp | date | status | paragraph
    width: int | None = None
    # columns printed together: a printed page breaks between groups rather than inside one
    group: str = ""


@dataclass
class Table:
    name: str  # the sheet name
    title: str
    subtitle: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    # (row index, column index) → status, to colour a cell
    statuses: dict[tuple[int, int], Status] = field(default_factory=dict)
    # rows shown after the data, apart from it (the district median)
    footer: list[list[Any]] = field(default_factory=list)
    # the leading columns that name a row (排名, 站点), repeated on every printed page
    key_columns: int = 0


def overview_table(batch: Summary) -> Table:
    """The 总览 sheet: what the terminal table of `xlcompare batch` shows too, so that the
    screen and the workbook never disagree (the same rows, order and counts)."""
    summaries = batch.summaries
    tax = batch.taxonomy
    keys = key_indicators(tax, batch.settings)
    # printed as two pages of one sheet, 排名 and 站点 on both: the standing (cut-off,
    # counts per status, the share on track, what lags) and the rate of each key indicator
    columns = [Column("排名", "int", 5), Column("站点", width=10),
               Column("统计截止", "date", 11, "standing"),
               Column("按时间应完成", "pct", 8, "standing")]
    columns += [Column(s.value, "int", 6, "standing") for s in STATUS_ORDER]
    columns += [Column("达标率", "pct", 8, "standing"),
                Column("滞后指标", "paragraph", 30, "standing"),
                Column("未识别指标", "paragraph", 20, "standing"),
                Column("待核实", "int", 6, "standing")]
    columns += [Column(tax[k].name, "pct", 8, "rates") for k in keys]
    table = Table("总览", "各站点指标完成情况总览",
                  "排名按达标率，滞后项少者在前；达标率 = (达标+超额) ÷ 有指标的项数；"
                  "每个站点只列最新一期报表（较早的只用于趋势表）；"
                  "各指标完成率按颜色标出状态：绿 达标，蓝 超额，黄 基本完成，红 滞后，灰 无目标；"
                  "未识别指标：名称未能对应标准指标，未纳入判断（可补充指标别名）；"
                  "待核实：数据质量表中尚未核实的项数；"
                  f"按{settings_in_words(batch.settings)}判断",
                  columns, key_columns=2)
    for n, station in enumerate(standings(summaries)):
        row: list[Any] = [n + 1, station.name, station.cutoff, station.expected]
        row += station.counts
        row += [station.share, "、".join(r.row.name for r in station.lagging),
                "、".join(station.unmatched),
                sum(1 for flag in station.flags if flag.verified is None)]
        for rate, status in station.key_rates:
            if status is not None:
                table.statuses[(n, len(row))] = status
            row.append(rate)
        table.rows.append(row)
    median: list[Any] = ["", "区中位数", None, None]
    median += [None] * len(STATUS_ORDER) + [None, "", "", None]
    median += district_medians(summaries, len(keys))
    table.footer.append(median)
    return table


def _lagging(summaries: tuple[StationSummary, ...]) -> Table:
    table = Table("滞后清单", "滞后指标清单",
                  "每个滞后指标一行：完成率低于 按时间应完成 × 基本完成线；落后最多的排在最前"
                  "（落后 = 按时间应完成 − 完成率，百分点）",
                  [Column("站点", width=10), Column("统计截止", "date", 11), Column("类别", width=8),
                   Column("指标", width=13), Column("协议指标量", "num", 8), Column("完成量", "num", 8),
                   Column("完成率", "pct", 8), Column("按时间应完成", "pct", 8),
                   Column("落后（百分点）", "num", 8), Column("状态", "status", 6),
                   Column("说明", "paragraph", 30)], key_columns=1)
    lagging = [(station, r) for station in summaries for r in station.lagging]
    # furthest behind first; a rate or expected progress that is not known goes last
    lagging.sort(key=lambda item: -(_shortfall(item[1]) or float("-inf")))
    for n, (station, r) in enumerate(lagging):
        table.rows.append([station.name, station.cutoff, r.row.row.category, r.row.name,
                           r.row.target, r.row.completed, r.judgement.rate,
                           r.judgement.expected, _shortfall(r), r.status.value,
                           r.judgement.why])
        table.statuses[(n, 6)] = r.status
        table.statuses[(n, 9)] = r.status
    return table


def _shortfall(row: Any) -> float | None:
    """How far the row is behind its expected progress, in percentage points."""
    judgement = row.judgement
    if judgement.rate is None or judgement.expected is None:
        return None
    return (judgement.expected - judgement.rate) * 100


def _attendance(summaries: tuple[StationSummary, ...]) -> Table:
    keys: list[tuple[str, str]] = []
    for station in summaries:
        for m in station.measures:
            if m.ratio is not None and (m.key, m.label) not in keys:
                keys.append((m.key, m.label))
    columns = [Column("站点", width=10), Column("统计截止", "date", 11)]
    columns += [Column(label, "pct", 12) for _, label in keys]
    columns += [Column(label, "num", 8) for _, label in ATTENDANCE_FIGURES]
    columns += [Column("低于要求", "paragraph", 24), Column("需关注", "paragraph", 30)]
    table = Table("到岗", "社工到岗与人员配置", "比率按判定设置中的到岗与人员要求判断，颜色同总览",
                  columns, key_columns=1)
    for n, station in enumerate(summaries):
        row: list[Any] = [station.name, station.cutoff]
        measures = {m.key: m for m in station.measures}
        for key, _ in keys:
            found = measures.get(key)
            if found is not None and found.ratio is not None:
                table.statuses[(n, len(row))] = found.status
            row.append(found.ratio if found is not None else None)
        row += station.attendance
        row.append("、".join(m.label for m in station.measures if m.status is Status.LAGGING))
        row.append("；".join(f"{m.label}（{m.advice}）" if m.advice else m.label
                            for m in station.measures if m.status is Status.CONCERN))
        table.rows.append(row)
    return table


def _trends(batch: Summary) -> Table:
    table = Table("趋势", "与上次统计相比",
                  "每个站点最新一期报表与其上一期（来自历史记录，同级月份文件夹共用）对比："
                  "完成量及其增加，完成率及其变化，按时间应完成及其变化（百分点）",
                  [Column("站点", width=9), Column("指标", width=13),
                   Column("上次截止", "date", 11, "counts"), Column("本次截止", "date", 11, "counts"),
                   Column("上次完成量", "num", 8, "counts"), Column("本次完成量", "num", 8, "counts"),
                   Column("增加", "delta", 7, "counts"),
                   Column("上次完成率", "pct", 8, "rates"), Column("本次完成率", "pct", 8, "rates"),
                   Column("完成率变化（百分点）", "pp", 8, "rates"),
                   Column("上次应完成", "pct", 8, "rates"), Column("本次应完成", "pct", 8, "rates"),
                   Column("应完成变化（百分点）", "pp", 8, "rates"),
                   Column("上次状态", "status", 6, "rates"), Column("本次状态", "status", 6, "rates")],
                  key_columns=2)
    for t in batch.trends:
        n = len(table.rows)
        table.rows.append([t.station, t.name, t.previous_cutoff, t.cutoff, t.previous_completed,
                           t.completed, t.increase, t.previous_rate, t.rate, t.change_pp,
                           t.previous_expected, t.expected, t.expected_change_pp,
                           t.previous_status, t.status])
        for col, status in ((13, t.previous_status), (14, t.status)):
            if status:
                table.statuses[(n, col)] = Status(status)
    return table


def _paragraphs(summaries: tuple[StationSummary, ...]) -> Table:
    table = Table("评语", "各站点评语", "按评估报告的写法，由数据生成",
                  [Column("站点", width=10), Column("统计截止", "date", 11),
                   Column("评语", "paragraph", 96)])
    for station in summaries:
        table.rows.append([station.name, station.cutoff, station.paragraph])
    return table


def _files(batch: Summary) -> Table:
    counts = {status: 0 for status in FileStatus}
    for f in batch.files:
        counts[f.status] += 1
    said = "，".join(f"{label} {counts[s]}" for s, label in _FILE_COUNTS.items()
                    if counts[s] or s in (FileStatus.READ, FileStatus.HISTORY, FileStatus.FAILED))
    table = Table("文件", "文件清单", f"共 {len(batch.files)} 个文件：{said}",
                  [Column("文件", "paragraph", 32), Column("状态", width=10), Column("站点", width=9),
                   Column("统计截止", "date", 11), Column("问题数", "int", 6),
                   Column("代码", width=16), Column("原因 / 说明", "paragraph", 40)])
    for f in batch.files:
        table.rows.append([f.path, f.status, f.station, f.cutoff, f.problems or None, f.code,
                           f.reason.text("zh") if f.reason else ""])
    return table


# how the 文件 sheet's subtitle counts each status, in this order
_FILE_COUNTS = {FileStatus.READ: "本次读取", FileStatus.HISTORY: "来自历史记录",
                FileStatus.FAILED: "未能读取", FileStatus.NOT_READY: "未就绪",
                FileStatus.DUPLICATE: "被取代", FileStatus.IGNORED: "已忽略"}


def _problems(batch: Summary, summaries: tuple[StationSummary, ...]) -> Table:
    table = Table("问题", "读取时发现的问题", "文件中自相矛盾或存疑之处，附工作表和单元格",
                  [Column("站点", width=9), Column("文件", "paragraph", 26),
                   Column("工作表", "paragraph", 14), Column("单元格", width=8),
                   Column("级别", width=7), Column("代码", width=18),
                   Column("问题", "paragraph", 46)])
    root = str(batch.folder)
    for station in summaries:
        for p in station.problems:
            name = p.file[len(root):].lstrip("/\\") if p.file.startswith(root) else p.file
            table.rows.append([station.name, name, p.sheet, p.cell,
                               Message(LEVELS[p.severity]).text("zh"), p.code, p.text("zh")])
    return table


def quality_table(summaries: tuple[StationSummary, ...]) -> Table:
    """The 数据质量 sheet: each flag of these stations with its 编号, cells and state (the
    page shows one station's with the same builder)."""
    table = Table("数据质量", "数据质量：请与站点核实",
                  "按校验规则不可能同时成立的数字（如个案结案多于接案），累计数下降、年度指标变更、"
                  "本月增量远超本站通常水平；这些不是滞后，而是需要站点说明的数字，附文件、工作表和单元格；"
                  "核实后可按编号标记为已核实，以后不再列为待核实",
                  [Column("编号", width=9), Column("站点", width=10), Column("统计截止", "date", 11),
                   Column("检查", width=22), Column("说明", "paragraph", 60),
                   Column("位置", "paragraph", 40), Column("状态", width=20),
                   Column("代码", width=16)])
    for station in summaries:
        for flag in station.flags:
            state = f"已核实：{flag.verified}" if flag.verified is not None else "待核实"
            table.rows.append([flag.ident, station.name, flag.cutoff, flag.rule, flag.message,
                               flag.where, state, flag.code])
    return table


def reporting_lines(batch: Summary) -> list[str]:
    """报送情况 in one line per month, for the terminal and the sheet's note alike."""
    line = batch.settings.quality.reporting_rate_line
    out = []
    for m in batch.reporting:
        rate = m.rate
        said = (f"报送情况 {m.month}：应报 {len(m.expected)}，已报 {len(m.received)}，"
                f"未报 {len(m.missing)}" + (f"（{'、'.join(m.missing)}）" if m.missing else "")
                + f"，逾期 {len(m.late)}" + (f"（{'、'.join(s for s, _ in m.late)}）" if m.late else "")
                + (f"，报送率 {rate:.0%}" if rate is not None else ""))
        if rate is not None and rate < line:
            said += f"，低于 {line:.0%}"
        out.append(said)
    return out


def reporting_table(batch: Summary) -> Table:
    """The 报送情况 sheet: each month's roster against the reports that arrived."""
    line = batch.settings.quality.reporting_rate_line
    days = batch.settings.quality.report_deadline_days
    table = Table("报送情况", "报送情况：应报、已报、未报、逾期",
                  f"{batch.roster_note}；逾期：文件在月末后 {days} 天仍未出现；"
                  f"报送率低于 {line:.0%} 标红",
                  [Column("月份", width=9), Column("应报", "int", 6), Column("已报", "int", 6),
                   Column("未报", "int", 6), Column("逾期", "int", 6), Column("报送率", "pct", 8),
                   Column("及时率", "pct", 8), Column("报送截止", "date", 11),
                   Column("未报站点", "paragraph", 30), Column("逾期站点（到达时间）", "paragraph", 36)])
    for m in batch.reporting:
        n = len(table.rows)
        if m.rate is not None:
            table.statuses[(n, 5)] = Status.ON_TRACK if m.rate >= line else Status.LAGGING
        table.rows.append([m.month, len(m.expected), len(m.received), len(m.missing),
                           len(m.late), m.rate, m.on_time_rate, m.deadline,
                           "、".join(m.missing),
                           "、".join(f"{s}（{seen:%Y-%m-%d %H:%M}）" for s, seen in m.late)])
    return table


def summary_tables(batch: Summary) -> list[Table]:
    """Every sheet of the summary workbook, in order."""
    summaries = batch.summaries
    return [overview_table(batch), _lagging(summaries), _attendance(summaries),
            _trends(batch), _paragraphs(summaries), quality_table(summaries),
            reporting_table(batch), _files(batch), _problems(batch, summaries)]


def summary_frames(batch: Summary) -> dict[str, Any]:
    """The tables as pandas DataFrames, keyed by sheet name."""
    import pandas as pd

    return {t.name: pd.DataFrame(t.rows + t.footer, columns=[c.header for c in t.columns])
            for t in summary_tables(batch)}

