"""The long tail of what stations, townships and other programmes write (issue 14): each
shape is built as a station would send it (some as .xls), read, and compared with the
canonical figures of tests/builders.py or the seeds (tests/data/seed_figures.json).

- Traditional characters in headers, meta lines, row kinds and station names;
- meta values in the cell beside or below their label, as date cells or day numbers;
  month-only cut-offs, contract lines as other programmes phrase them, and cut-offs that
  say "now" (never a date);
- station names of every administrative unit (街道, 镇, 乡, 社区, 村);
- targets and completions written as words (≥700人次, 约7.62万元, 探访774人次), compound cells;
- header synonyms of public completion tables;
- a change of operator inside the contract year (官洲街), per-period totals, a 合计 over both.
The user's own layout file is tested in tests/test_layout_user.py.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import builders as b
import pytest
import zhconv_rs
from builders import (
    ATTENDANCE_TOTALS,
    CONTRACT_END,
    CONTRACT_START,
    CUTOFF,
    INDICATORS,
    MONTH_KEYS,
    OPERATOR,
    STATION,
    Grid,
)
from harness import cli

from xlcompare import StationReport, read_station
from xlcompare.comparison import judge_station

ROOT = Path(__file__).resolve().parents[1]
SEEDS = {s["street"]: s for s in json.loads(
    (ROOT / "tests/data/seed_figures.json").read_text("utf-8"))["stations"]}
WRITERS = {"xlsx": b.write_openpyxl, "xls": b.write_xlwt}


def traditional(text: object) -> object:
    """A cell as a Hong Kong or Taiwan station would type it."""
    return zhconv_rs.zhconv(text, "zh-hant") if isinstance(text, str) else text


def codes(report: StationReport) -> list[str]:
    return [p.code for p in report.problems]


def assert_canonical_figures(report: StationReport) -> None:
    assert len(report.indicators) == len(INDICATORS)
    for expected, row in zip(INDICATORS, report.indicators, strict=True):
        assert (row.target, row.completed) == (expected.target, expected.completed), row
    assert report.attendance is not None
    assert tuple(m.month for m in report.attendance.months) == MONTH_KEYS
    assert report.attendance.totals == ATTENDANCE_TOTALS


# ------------------------------------------------------------- Traditional characters


@pytest.mark.parametrize("suffix", sorted(WRITERS))
def test_a_workbook_in_traditional_characters_reads_the_canonical_figures(
        tmp_path: Path, suffix: str) -> None:
    """The canonical workbook with every text cell in Traditional characters (指標名稱,
    協議指標量, 應到 / 實到, 項目周期, 統計時間, 廣州市素社街…): headers, meta lines, row kinds
    (合計) and the station name are matched as Simplified; names are kept as written."""
    grids = [b.canonical_annex1(), b.canonical_annex2()]
    for grid in grids:
        grid.rows = [[traditional(v) for v in row] for row in grid.rows]
    path = WRITERS[suffix](tmp_path / f"素社街.{suffix}", grids)
    report = read_station(path)
    assert report.station == STATION
    assert report.operator == traditional(OPERATOR)  # kept as written
    assert (report.contract_start, report.contract_end, report.cutoff) == (
        CONTRACT_START, CONTRACT_END, CUTOFF)
    assert_canonical_figures(report)
    assert report.indicators[0].name == "電話訪問"  # as written; the taxonomy matches it
    assert codes(report) == []
    assert not any(m.of("unread") for m in report.cell_maps)


def test_ruibao_in_traditional_characters_reads_to_the_seed_and_the_verdict(
        tmp_path: Path) -> None:
    """The 瑞宝街 sample with every text cell in Traditional characters reads to the seed
    figures, and the evaluators' verdict holds: only 发展志愿者队伍 lags."""
    import openpyxl

    book = openpyxl.load_workbook(ROOT / "sample_workbooks/瑞宝街_2023-2024_中期.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = traditional(cell.value)
    path = tmp_path / "瑞寶街_2023-2024_中期.xlsx"
    book.save(path)
    seed = SEEDS["瑞宝街"]
    report = read_station(path)
    assert report.station == "瑞宝街"
    assert zhconv_rs.zhconv(report.operator, "zh-hans") == seed["operator"]
    assert (str(report.contract_start), str(report.contract_end), str(report.cutoff)) == (
        seed["contract_start"], seed["contract_end"], seed["cutoff"])
    assert [(r.completed, r.target) for r in report.indicators] == [
        (i["completed"], i["target"]) for i in seed["indicators"]]
    assert report.attendance is not None and report.attendance.totals == seed["attendance"]
    assert report.staffing is not None and report.staffing.supervision_hours == 18
    result = judge_station(report)
    assert [r.row.id for r in result.lagging] == ["volunteer_teams"]
    assert [zhconv_rs.zhconv(r.row.row.name, "zh-hans") for r in result.lagging] == [
        "发展志愿者队伍"]


# ------------------------------------------------------- meta values beside and below


def _annex1_with_meta(meta: list[list[object]], name: str = "附件1") -> Grid:
    """The canonical 附件1 with its title, then `meta` rows in place of its three meta lines."""
    g = Grid(name)
    g.add(b.TITLE_ANNEX1, span=7)
    for row in meta:
        g.add(*row)
    b.canonical_header(g)
    b.indicator_rows(g, b.CANONICAL_COLUMNS, b.plain_cell())
    return g


def _read_meta(tmp_path: Path, meta: list[list[object]], suffix: str = "xlsx",
               **overrides: object) -> StationReport:
    path = WRITERS[suffix](tmp_path / f"素社街.{suffix}", [_annex1_with_meta(meta)])
    return read_station(path, **overrides)  # type: ignore[arg-type]


def test_label_and_value_in_adjacent_cells(tmp_path: Path) -> None:
    """`项目承接单位 | 某某中心`, `合同期限 | 2024年6月1日至2025年5月31日`, `统计截止日期 | a date
    cell`: each value is read, and its cell is meta in the cell map (not unread)."""
    report = _read_meta(tmp_path, [
        ["项目承接单位", None, OPERATOR],
        ["合同期限", None, "2024年6月1日至2025年5月31日"],
        ["统计截止日期：", None, datetime(2024, 12, 31)],
    ])
    assert report.operator == OPERATOR
    assert (report.contract_start, report.contract_end, report.cutoff) == (
        CONTRACT_START, CONTRACT_END, CUTOFF)
    assert codes(report) == []
    (cell_map,) = report.cell_maps
    assert cell_map.of("unread") == ()
    assert "C4" in ",".join(cell_map.of("meta"))


def test_label_above_its_value_and_a_day_number_for_a_date(tmp_path: Path) -> None:
    """.xls from a script that lost the date format: the cut-off is Excel's day number
    45657 (2024-12-31) beside its label; the operator's name stands below its label."""
    report = _read_meta(tmp_path, [
        ["承办机构"],
        [OPERATOR],
        ["项目周期：2024年6月1日至2025年5月31日"],
        ["统计截止日期", None, 45657],
    ], suffix="xls")
    assert report.operator == OPERATOR
    assert report.cutoff == CUTOFF
    assert report.contract_start == CONTRACT_START
    assert "unread-cells" not in codes(report)


@pytest.mark.parametrize(("line", "cutoff", "period_start"), [
    ("报表月份：2024年12月", date(2024, 12, 31), None),
    ("报表月份：2024.12", date(2024, 12, 31), None),
    ("统计月份：2024年6月—12月", date(2024, 12, 31), date(2024, 6, 1)),
    ("截至2024年11月", date(2024, 11, 30), None),
])
def test_a_cut_off_given_as_a_month_is_its_last_day(tmp_path: Path, line: str, cutoff: date,
                                                    period_start: date | None) -> None:
    report = _read_meta(tmp_path, [[b.LINE_CONTRACT], [line]])
    assert report.cutoff == cutoff
    assert report.period_start == period_start
    assert "no-cutoff" not in codes(report)


def test_a_month_without_its_year_is_placed_in_the_contract_year(tmp_path: Path) -> None:
    """`报表月份：12月` in a contract year 2024-06-01…2025-05-31 is 2024-12-31; `3月` would be
    2025-03-31."""
    report = _read_meta(tmp_path, [[b.LINE_CONTRACT], ["报表月份：12月"]])
    assert report.cutoff == CUTOFF
    report = _read_meta(tmp_path, [[b.LINE_CONTRACT], ["报表月份：3月"]])
    assert report.cutoff == date(2025, 3, 31)


@pytest.mark.parametrize(("line", "start", "end"), [
    ("实施期限：2024年1月23日至2025年1月22日，实施周期为1年", date(2024, 1, 23), date(2025, 1, 22)),
    ("实施期限：自2024年1月23日起，实施周期为1年", date(2024, 1, 23), date(2025, 1, 22)),
    ("合同期限：2024年6月1日至2025年5月31日", CONTRACT_START, CONTRACT_END),
    ("服务周期：2024.06.01-2025.05.31", CONTRACT_START, CONTRACT_END),
    ("項目周期：2024年6月1日至2025年5月31日", CONTRACT_START, CONTRACT_END),
])
def test_contract_lines_as_other_programmes_write_them(tmp_path: Path, line: str, start: date,
                                                       end: date) -> None:
    report = _read_meta(tmp_path, [[line], [b.LINE_PERIOD]])
    assert (report.contract_start, report.contract_end) == (start, end)
    assert "contract-days-assumed" not in codes(report)


def test_a_contract_given_in_months_has_its_days_assumed_and_said(tmp_path: Path) -> None:
    """`项目周期 2024年10月—2025年10月` is one year from 2024-10-01; a problem says the days
    were assumed and how to give them."""
    report = _read_meta(tmp_path, [["项目周期 2024年10月—2025年10月"],
                                   ["截至2024年12月31日"]])
    assert (report.contract_start, report.contract_end) == (date(2024, 10, 1),
                                                            date(2025, 9, 30))
    (assumed,) = [p for p in report.problems if p.code == "contract-days-assumed"]
    assert assumed.cell == "A2" and "--contract-start" in assumed.message


@pytest.mark.parametrize("line", ["截至目前", "截至评估时", "统计时间：2024年上半年",
                                  "统计时间：2024年6月1日至今", "截止到目前为止"])
def test_a_cut_off_that_says_now_is_never_a_date(tmp_path: Path, line: str) -> None:
    """No expected progress rather than a wrong one: the cut-off stays unknown, one error
    names the line and says how to give it, and --cutoff settles it."""
    report = _read_meta(tmp_path, [[b.LINE_CONTRACT], [line]])
    assert report.cutoff is None
    (problem,) = [p for p in report.problems if p.severity == "error"]
    assert problem.code == "relative-cutoff"
    assert (problem.sheet, problem.cell) == ("附件1", "A3")
    assert "--cutoff" in problem.message
    given = _read_meta(tmp_path, [[b.LINE_CONTRACT], [line]], cutoff=CUTOFF)
    assert given.cutoff == CUTOFF and "relative-cutoff" not in codes(given)


def test_a_cut_off_that_says_now_with_a_dated_file_name_is_a_warning(tmp_path: Path) -> None:
    """The file name's month is used, as before, but never silently: the line said "now"."""
    path = b.write_openpyxl(tmp_path / "素社街2024年12月报表.xlsx", [_annex1_with_meta(
        [[b.LINE_CONTRACT], ["截至目前"]])])
    report = read_station(path)
    assert report.cutoff == CUTOFF
    (problem,) = [p for p in report.problems if p.code == "relative-cutoff"]
    assert problem.severity == "warning" and "文件名" in problem.message


# --------------------------------------------------------------------- station names


@pytest.mark.parametrize(("title", "station"), [
    ("广州市海珠区瑞宝街道社工站指标完成情况统计表", "瑞宝街"),
    ("广州市从化区鳌头镇社工服务站指标完成情况统计表", "鳌头镇"),
    ("清远市连南县涡水乡社会工作服务站指标完成情况统计表", "涡水乡"),
    ("广州市南沙区黄阁镇大塘社区社工站指标完成情况统计表", "大塘社区"),
    ("广州市增城区派潭镇高滩村社工站指标完成情况统计表", "高滩村"),
    ("廣州市從化區鰲頭鎮社工服務站指標完成情況統計表", "鳌头镇"),
])
def test_station_names_of_every_administrative_unit(tmp_path: Path, title: str,
                                                    station: str) -> None:
    g = _annex1_with_meta([[b.LINE_CONTRACT], [b.LINE_PERIOD]])
    g.rows[0][0] = title
    path = b.write_openpyxl(tmp_path / "报表.xlsx", [g])
    assert read_station(path).station == station
    assert read_station(path, station="另一站").station == "另一站"  # --station still wins


def test_a_township_named_only_in_the_file_name(tmp_path: Path) -> None:
    g = _annex1_with_meta([[b.LINE_CONTRACT], [b.LINE_PERIOD]])
    g.rows[0][0] = "指标完成情况统计表"
    path = b.write_openpyxl(tmp_path / "涡水乡社工站2024年报表.xlsx", [g])
    assert read_station(path).station == "涡水乡"


# ------------------------------------------------------------ figures written as words


def _township(rows: list[tuple[str, str, object, object]], suffix: str = "xlsx",
              tmp: Path | None = None) -> StationReport:
    """A township's table: 服务内容 | 单位 | 年度任务数 | 完成情况, targets and completions
    written as the station types them."""
    g = Grid("附件1")
    g.add("广州市从化区鳌头镇社工服务站2024年度服务指标完成情况", span=4)
    g.add("项目周期：2024年6月1日至2025年5月31日", span=4)
    g.add("统计时间：2024年6月1日至2024年12月31日", span=4)
    g.add("服务内容", "单位", "年度任务数", "完成情况")
    for row in rows:
        g.add(*row)
    assert tmp is not None
    return read_station(WRITERS[suffix](tmp / f"鳌头镇.{suffix}", [g]))


@pytest.mark.parametrize("suffix", sorted(WRITERS))
def test_targets_and_completions_written_as_words(tmp_path: Path, suffix: str) -> None:
    report = _township([
        ("社区探访", "", "≥700人次", "探访774人次"),
        ("小组活动", "次", "4次", "3"),
        ("链接社会资源", "", "约7.62万元", "5.1万元"),
        ("大型活动", "场", "不少于2场", "2场"),
    ], suffix, tmp_path)
    rows = {r.name: r for r in report.indicators}
    visits = rows["社区探访"]
    assert (visits.target, visits.completed, visits.unit) == (700, 774, "人次")
    assert (visits.target_text, visits.completed_text) == ("≥700人次", "探访774人次")
    assert (rows["小组活动"].target, rows["小组活动"].completed) == (4, 3)
    money = rows["链接社会资源"]
    assert (money.target, money.completed, money.unit) == (76200, 51000, "元")
    assert (rows["大型活动"].target, rows["大型活动"].completed) == (2, 2)
    (approximate,) = [p for p in report.problems if p.code == "approximate-figure"]
    assert approximate.cell == "C7" and approximate.severity == "info"
    assert [c for c in codes(report) if c != "approximate-figure"] == []


def test_a_compound_cell_is_split_when_each_measure_pairs(tmp_path: Path) -> None:
    """`个案≥4个、个案服务≥20人次` beside `个案5个、个案服务25人次`: two rows, paired by the words
    before each number (and by unit when there are none)."""
    report = _township([
        ("个案服务", "", "个案≥4个、个案服务≥20人次", "个案5个、个案服务25人次"),
        ("长者服务", "", "≥10个、≥40人次", "60人次、12个"),
    ], tmp=tmp_path)
    got = [(r.name, r.category, r.unit, r.target, r.completed) for r in report.indicators]
    assert got == [("个案", "个案服务", "个", 4, 5), ("个案服务", "个案服务", "人次", 20, 25),
                   ("长者服务（个）", "长者服务", "个", 10, 12),
                   ("长者服务（人次）", "长者服务", "人次", 40, 60)]
    assert codes(report) == ["compound-split", "compound-split"]


@pytest.mark.parametrize("completed", ["9", "个案5个", "5个、25个", None])
def test_a_compound_cell_that_cannot_be_paired_is_a_problem_never_a_guess(
        tmp_path: Path, completed: object) -> None:
    report = _township([("个案服务", "", "个案≥4个、个案服务≥20人次", completed),
                        ("电话访问", "个", 100, 60)], tmp=tmp_path)
    assert [r.name for r in report.indicators] == ["电话访问"]
    (problem,) = [p for p in report.problems if p.code == "compound-cell"]
    assert problem.cell == "C5"


@pytest.mark.parametrize(("unit", "completed", "value"), [
    ("人次", "已探访774人次，其中长者500人", 774),
    ("户", "入户探访320户，服务1200人次", 320),
    ("", "全年完成探访774人次", 774),
])
def test_a_completion_in_prose_is_read_when_one_number_fits(tmp_path: Path, unit: str,
                                                            completed: str, value: int) -> None:
    report = _township([("入户探访", unit, 800, completed)], tmp=tmp_path)
    (row,) = report.indicators
    assert row.completed == value
    assert row.completed_text == completed


@pytest.mark.parametrize(("unit", "completed"), [
    ("", "已探访774人次，其中长者500人"),
    ("人次", "上半年300人次，下半年474人次"),
    ("次", "探访774人次"),
])
def test_a_completion_in_prose_with_no_single_fitting_number_is_not_read(
        tmp_path: Path, unit: str, completed: str) -> None:
    report = _township([("入户探访", unit, 800, completed)], tmp=tmp_path)
    (row,) = report.indicators
    assert row.completed is None
    (problem,) = [p for p in report.problems if p.code == "ambiguous-figure"]
    assert problem.cell == "D5"


def test_a_ceiling_is_not_judged_as_a_target(tmp_path: Path) -> None:
    """`≤2次` (投诉 at most twice) is no amount to reach: no rate, never 滞后."""
    report = _township([("服务投诉", "次", "≤2次", 0)], tmp=tmp_path)
    (row,) = report.indicators
    assert row.target is None and row.rate is None
    assert "upper-bound-target" in codes(report)


def test_a_unit_unlike_the_rows_is_reported(tmp_path: Path) -> None:
    report = _township([("小组活动", "次", "4人次", 3)], tmp=tmp_path)
    assert report.indicators[0].target == 4
    assert "unit-mismatch" in codes(report)


def test_ten_thousand_yuan_is_never_read_as_its_digits(tmp_path: Path) -> None:
    """`7.62万元` typed in a plain figure cell is 76200, not 7.62; a 万元 unit column scales
    its plain numbers to 元 as well."""
    report = _township([("链接资源", "万元", 10, "7.62万元"), ("筹款", "", "2万元", "1.5万")],
                       tmp=tmp_path)
    first, second = report.indicators
    assert (first.target, first.completed, first.unit) == (100000, 76200, "元")
    assert (second.target, second.completed) == (20000, 15000)
    assert first.rate == pytest.approx(0.762)


# ------------------------------------------------------------------- header synonyms


@pytest.mark.parametrize(("suffix", "headers"), [
    ("xlsx", ("项目内容", "年度任务数", "实际服务人数", "当前进度")),
    ("xls", ("绩效指标名称", "绩效指标任务", "已完成绩效指标任务", "完成进度")),
    ("xlsx", ("服务内容", "全年任务", "实际服务总次数", "完成率")),
    ("xls", ("服务量指标", "议定水平（每年）", "实际完成", "完成率")),
    ("xlsx", ("服務量指標", "協定水平（每年）", "實際服務人數", "完成率")),
    ("xlsx", ("指标名称", "计划数", "已完成", "完成率")),
])
def test_header_synonyms_of_public_completion_tables(tmp_path: Path, suffix: str,
                                                     headers: tuple[str, ...]) -> None:
    g = Grid("Sheet1")
    g.add(b.TITLE_ANNEX1, span=4)
    g.add(b.LINE_CONTRACT, span=4)
    g.add(b.LINE_PERIOD, span=4)
    g.add(*headers)
    for ind in INDICATORS:
        g.add(ind.name, ind.target, ind.completed, b.Pct(ind.stated_rate))
    report = read_station(WRITERS[suffix](tmp_path / f"素社街.{suffix}", [g]))
    assert [(r.target, r.completed) for r in report.indicators] == [
        (i.target, i.completed) for i in INDICATORS]
    assert "rate-mismatch" not in codes(report)
    assert all(r.sheet_rate is not None for r in report.indicators)


# ------------------------------------------------------------- a change of operator

GZ = SEEDS["官洲街"]
MINGXIN = GZ["previous_operator"]["name"]
SUIQING = GZ["operator"]
# the first operator's one row (2024-06-09…07-08), then the seed's six months
FIRST_PERIOD = (18, 17, 9, 12, 5)
SECOND_PERIOD = [(18, 18, 9, c, 18 - c) for c in (12.5, 13, 13, 13, 13, 13)]


def _guanzhou_annex1(g: Grid) -> None:
    g.add("服务类别", "服务指标", "单位", "协议指标量", "已完成", "完成率")
    for ind in GZ["indicators"]:
        g.add("", ind["name"], ind["unit"], ind["target"], ind["completed"], b.Pct(ind["rate"]))


def _period_header(g: Grid) -> None:
    h = g.add("月份", "社工总人数", None, "持证社工", None, "非持证社工")
    g.add(None, "应到", "实到", "应到", "实到", "实到")
    g.merge(h, 0, h + 1, 0)
    g.merge(h, 1, h, 2)
    g.merge(h, 3, h, 4)


def build_guanzhou(directory: Path, *, sections: bool = False, suffix: str = "xlsx",
                   grand_total: tuple[float, ...] | None = None) -> Path:
    """官洲街 2024—2025 as sent after its change of operator. 附件1: the seed figures.
    附件2: an operator line naming both with their dates, then two period tables — 明心
    (one row, 2024年6月9日至7月8日, its 小计) and 穗青 (July to December, the seed's months,
    its 小计) — and a 合计 over both (126, 125, 63, 89.5, 35.5). `sections`: one header
    instead, the periods as section rows between the months."""
    a1 = Grid("附件1")
    a1.add("广州市官洲街“双百工程”社工站购买服务项目指标完成情况统计表", span=6)
    a1.add(f"承办机构：{MINGXIN}（2024年6月9日至2024年7月8日）、{SUIQING}（2024年7月9日起）", span=6)
    a1.add("合同期：2024年6月9日至2025年6月8日", span=6)
    a1.add("截至2024年12月31日", span=6)
    _guanzhou_annex1(a1)
    a2 = Grid("附件2")
    a2.add("广州市官洲街“双百工程”社工站社工到岗情况统计表", span=6)
    a2.add("截至2024年12月31日", span=6)
    first = f"一、{MINGXIN}承办期间（2024年6月9日至2024年7月8日）"
    second = f"二、{SUIQING}承办期间（2024年7月9日起）"
    if sections:
        _period_header(a2)
        a2.add(first, span=6)
    else:
        a2.add(first, span=6)
        _period_header(a2)
    a2.add("2024年6月9日至7月8日", *FIRST_PERIOD)
    a2.add("小计", *FIRST_PERIOD)
    a2.add(second, span=6)
    if not sections:
        _period_header(a2)
    for month, figures in zip(range(7, 13), SECOND_PERIOD, strict=True):
        a2.add(f"2024年{month}月", *figures)
    second_totals = [sum(f[i] for f in SECOND_PERIOD) for i in range(5)]
    a2.add("小计", *second_totals)
    totals = grand_total or tuple(a + b for a, b in zip(FIRST_PERIOD, second_totals,
                                                        strict=True))
    a2.add("合计", *totals)
    a2.blank()
    for label, value in (("协议规定配置社工人数", 18), ("持续在岗社工", 11)):
        a2.add(label, None, None, value)
    return WRITERS[suffix](directory / f"官洲街_2024-2025_中期.{suffix}", [a1, a2])


@pytest.mark.parametrize(("sections", "suffix"), [(False, "xlsx"), (True, "xlsx"),
                                                  (False, "xls")])
def test_a_change_of_operator_reads_both_with_their_periods(
        tmp_path: Path, sections: bool, suffix: str) -> None:
    report = read_station(build_guanzhou(tmp_path, sections=sections, suffix=suffix))
    assert report.operator == SUIQING  # the operator at the cut-off
    previous, current = report.operators
    assert (previous.name, str(previous.start), str(previous.end)) == (
        MINGXIN, GZ["previous_operator"]["from"], GZ["previous_operator"]["to"])
    assert (current.name, str(current.start)) == (SUIQING, "2024-07-09")
    assert report.attendance is not None
    first, second = report.attendance.periods
    assert first.months == ("2024-06-09…2024-07-08",)
    assert second.months == tuple(f"2024-{m:02d}" for m in range(7, 13))
    one, other = (report.attendance.of_period(p) for p in (first, second))
    assert tuple(one.totals.values()) == FIRST_PERIOD
    assert one.average_staff == 17
    assert other.totals == GZ["attendance"]  # the seed's 108, 108, 54, 77.5, 30.5
    assert other.average_staff == GZ["staffing"]["average_staff"]
    # the 合计 covers both tables and checks: no false total-mismatch
    assert report.attendance.totals["expected_total"] == 126
    assert "total-mismatch" not in codes(report)
    assert codes(report) == []
    # the seed figures and verdict, judged from the contract's start
    result = judge_station(report)
    assert sorted(r.row.id for r in result.lagging) == ["case_closed", "volunteers_new"]


def test_a_grand_total_that_matches_neither_is_still_a_mismatch(tmp_path: Path) -> None:
    report = read_station(build_guanzhou(tmp_path, grand_total=(127, 125, 63, 89.5, 35.5)))
    (problem,) = [p for p in report.problems if p.code == "total-mismatch"]
    assert "126" in problem.message  # the sum over both period tables


def test_diff_and_batch_show_both_operators(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    guanzhou = build_guanzhou(folder)
    ruibao = folder / "瑞宝街.xlsx"
    ruibao.write_bytes((ROOT / "sample_workbooks/瑞宝街_2023-2024_中期.xlsx").read_bytes())
    diff = cli("diff", ruibao, guanzhou, "-o", tmp_path / "diff.xlsx")
    assert diff.returncode == 0, diff.stderr
    assert MINGXIN in diff.stdout and SUIQING in diff.stdout
    import openpyxl

    notes = {r[0]: r[1] for r in openpyxl.load_workbook(tmp_path / "diff.xlsx")["说明"]
             .iter_rows(values_only=True) if r and r[0]}
    assert notes["官洲街 承办机构"] == (f"{MINGXIN}（2024-06-09…2024-07-08）；"
                                   f"{SUIQING}（2024-07-09 起）")
    assert notes["官洲街 结论"].startswith(f"2024年6月9日至2024年7月8日由{MINGXIN}运营，"
                                         f"2024年7月9日起由{SUIQING}运营。截至2024年12月31日")
    done = cli("batch", folder, "-o", tmp_path / "summary.xlsx", "-q")
    assert done.returncode == 0, done.stderr
    sheet = openpyxl.load_workbook(tmp_path / "summary.xlsx")["评语"]
    text = "".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
    assert MINGXIN in text and SUIQING in text


def test_the_guanzhou_sample_states_its_change_of_operator_in_a_note() -> None:
    """Why the 官洲街 sample's reading changed with this issue: its note `2024年6月9日至2024年7月8日
    由…明心…运营，2024年7月9日起由…穗青…运营` is read as the two operators' periods (and is a
    meta line of the cell map). Its 附件2 starts in July: all six months are 穗青's."""
    report = read_station(ROOT / "sample_workbooks/官洲街_2024-2025_中期.xlsx")
    assert [(p.name, str(p.start), str(p.end)) for p in report.operators] == [
        (MINGXIN, "2024-06-09", "2024-07-08"), (SUIQING, "2024-07-09", "None")]
    assert report.operator == SUIQING
    assert report.attendance is not None
    first, second = report.attendance.periods
    assert first.months == ()
    assert report.attendance.of_period(second).totals == GZ["attendance"]


def test_the_nanhuaxi_samples_month_line_is_a_meta_line() -> None:
    """Why the 南华西街 sample's cell map changed with this issue: `统计月份：2024年7月—12月`
    (附件2!A2) names a cut-off month, so it is a meta line now, no longer prose; the cut-off
    still comes from 附件1's `统计截止日期` (the first statement wins), and nothing else of
    its reading changed."""
    report = read_station(ROOT / "sample_workbooks/南华西街社工站2024-2025年度指标完成情况.xls")
    annex2 = next(m for m in report.cell_maps if m.sheet == "附件2")
    assert "A2" in annex2.of("meta") and "A2" not in ",".join(annex2.of("note"))
    assert report.cutoff == date(2024, 12, 31)
    assert any("统计截止(cut-off) 来自 (from) 附件1!D3" in n for n in report.notes)
    assert report.operators == () and report.attendance is not None
    assert report.attendance.periods == ()


def test_a_note_on_an_earlier_years_operator_does_not_replace_the_operator(
        tmp_path: Path) -> None:
    """Only the operator whose period holds the cut-off is the report's operator."""
    report = _read_meta(tmp_path, [
        [b.LINE_OPERATOR], [b.LINE_CONTRACT], [b.LINE_PERIOD],
        ["注：2023年6月1日至2024年5月31日由广州市旧时社会工作服务中心运营。"]])
    assert report.operator == OPERATOR
    assert report.attendance is None or report.attendance.periods == ()


def test_operator_periods_survive_the_history(tmp_path: Path) -> None:
    """A reading kept in the history (packed, then unpacked on the next run) has the same
    operators, period rows and per-period months as a fresh one."""
    from xlcompare.batch import summarise

    folder = tmp_path / "drop"
    folder.mkdir()
    build_guanzhou(folder)
    db = tmp_path / "h.sqlite"
    fresh = summarise(folder, db=db).stations[0].report
    again = summarise(folder, db=db)
    assert again.read == 0
    kept = again.stations[0].report
    assert kept.operators == fresh.operators
    assert kept.attendance == fresh.attendance
    assert kept.attendance is not None and len(kept.attendance.periods) == 2
