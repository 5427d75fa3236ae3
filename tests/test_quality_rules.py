"""Validation rules as data (issue 18): figures of one report that cannot all be true are
flagged 请核实 with both sides' figures and cells, in the 数据质量 sheet; a district adds its
own rules beside the workbooks."""

from __future__ import annotations

from pathlib import Path

import builders as b
import pytest
from harness import english, sample_workbooks

from xlcompare import read_station
from xlcompare.comparison import judge_station
from xlcompare.errors import ConfigError
from xlcompare.judge import load_settings
from xlcompare.quality import check_rules, load_rules
from xlcompare.summary import summarise_station
from xlcompare.taxonomy import default_taxonomy


def _with_completed(name: str, value: float) -> b.Grid:
    grid = b.canonical_annex1()
    (row,) = [r for r in grid.rows if len(r) > 4 and r[1] == name]
    row[4] = value
    row[5] = b.Pct(value / next(i.target for i in b.INDICATORS if i.name == name))
    return grid


def _flags(path: Path, rules=None):
    result = judge_station(read_station(path))
    return check_rules(result, rules if rules is not None else load_rules(),
                       lambda i: default_taxonomy()[i].name)


@pytest.mark.parametrize("path", sample_workbooks(), ids=lambda p: p.stem)
def test_the_samples_break_no_rule(path: Path) -> None:
    assert _flags(path) == ()


def test_more_cases_closed_than_taken_in_is_flagged_with_both_cells(tmp_path: Path) -> None:
    path = b.write_openpyxl(tmp_path / "素社街.xlsx",
                            [_with_completed("个案结案", 30), b.canonical_annex2()])
    (flag,) = _flags(path)
    assert flag.rule == "cases-closed-within-intake" and flag.code == "rule-violated"
    assert flag.message == "个案结案数多于个案接案数（含上年度转入）（个案结案 30，个案接案 27），请核实"
    assert [s.cell for s in flag.sources] == ["B11", "B9"]  # 个案结案's row, then 个案接案's
    assert flag.where == "素社街.xlsx 附件1!B11；素社街.xlsx 附件1!B9"


def test_a_rule_about_a_figure_the_report_lacks_is_not_applied(tmp_path: Path) -> None:
    grid = b.canonical_annex1()
    grid.rows = [r for r in grid.rows if not (len(r) > 1 and r[1] == "个案接案")]
    path = b.write_openpyxl(tmp_path / "素社街.xlsx", [grid, b.canonical_annex2()])
    assert [f.rule for f in _flags(path)] == []


def test_a_district_adds_and_replaces_rules(tmp_path: Path) -> None:
    own = tmp_path / "xlcompare-rules.toml"
    own.write_text('''
[[rule]]
id = "phone-over-home"
left = "phone_visits"
op = ">="
right = "home_visits * 3"
message = "电话访问应不少于入户探访的三倍"

[[rule]]
id = "group-sessions-cover-groups"
left = "group_sessions"
op = ">="
right = "group_count * 10"
message = "每个小组至少十节"
''', "utf-8")
    rules = load_rules([own])
    assert [r.id for r in rules].count("group-sessions-cover-groups") == 1
    path = b.write_openpyxl(tmp_path / "素社街.xlsx", [b.canonical_annex1(), b.canonical_annex2()])
    flags = {f.rule: f for f in _flags(path, rules)}
    assert set(flags) == {"phone-over-home", "group-sessions-cover-groups"}
    assert "（电话访问 1,842，入户探访 651）" in flags["phone-over-home"].message
    assert "（小组节数 80，小组个数 14）" in flags["group-sessions-cover-groups"].message


@pytest.mark.parametrize(("text", "said"), [
    ('[[rule]]\nid = "x"\nleft = "a"\nop = "=>"\nright = "b"\nmessage = "m"\n', "op must be"),
    ('[[rule]]\nid = "x"\nleft = "a + (b"\nop = "<="\nright = "b"\nmessage = "m"\n',
     "cannot read the term"),
    ('[[rule]]\nid = "x"\nleft = "a"\nop = "<="\nmessage = "m"\n', "right is missing"),
])
def test_a_rule_that_cannot_be_read_is_refused_with_its_place(tmp_path: Path, text: str,
                                                              said: str) -> None:
    own = tmp_path / "xlcompare-rules.toml"
    own.write_text(text, "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_rules([own])
    assert said in english(caught.value)


def test_the_station_summary_carries_its_flags(tmp_path: Path) -> None:
    path = b.write_openpyxl(tmp_path / "素社街.xlsx",
                            [_with_completed("个案结案", 30), b.canonical_annex2()])
    summary = summarise_station(judge_station(read_station(path)), default_taxonomy(),
                                load_settings())
    assert [f.rule for f in summary.flags] == ["cases-closed-within-intake"]


def test_batch_lists_the_flags_in_its_quality_sheet_and_reads_the_districts_rules(
        tmp_path: Path, cli) -> None:
    from openpyxl import load_workbook

    folder = tmp_path / "月报"
    folder.mkdir()
    b.write_openpyxl(folder / "素社街.xlsx", [_with_completed("个案结案", 30),
                                            b.canonical_annex2()])
    out = tmp_path / "汇总.xlsx"
    assert cli("batch", str(folder), "-o", str(out), "-q").returncode == 0
    sheet = load_workbook(out)["数据质量"]
    rows = [[c.value for c in row] for row in sheet.iter_rows() if row[0].value]
    rows = rows[next(n for n, row in enumerate(rows) if row[0] == "编号"):]
    assert rows[0] == ["编号", "站点", "统计截止", "检查", "说明", "位置", "状态", "代码"]
    assert [r[3] for r in rows[1:]] == ["cases-closed-within-intake"]
    assert rows[1][5] == "素社街.xlsx 附件1!B11；素社街.xlsx 附件1!B9"
    assert rows[1][6] == "待核实" and rows[1][7] == "rule-violated"
    # a rule beside the workbooks is used on the next run, though no workbook changed
    (folder / "xlcompare-rules.toml").write_text(
        '[[rule]]\nid = "phone-over-home"\nleft = "phone_visits"\nop = ">="\n'
        'right = "home_visits * 3"\nmessage = "电话访问应不少于入户探访的三倍"\n', "utf-8")
    assert cli("batch", str(folder), "-o", str(out), "-q").returncode == 0
    sheet = load_workbook(out)["数据质量"]
    rules = {row[3].value for row in sheet.iter_rows() if row[0].value
             and str(row[0].value).startswith("Q")}
    assert rules == {"cases-closed-within-intake", "phone-over-home"}
