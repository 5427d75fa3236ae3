"""`xlcompare diff`: the lagging sets the evaluators found, the sentences that name them, and a
workbook that reopens with its values, formats, colour rules and chart — and holds no formula
smuggled in from an input."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from harness import cli

from xlcompare import read_station
from xlcompare.comparison import compare, judge_station
from xlcompare.judge import Status, load_settings
from xlcompare.prose import station_paragraph
from xlcompare.writers.diff_xlsx import write_diff

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_workbooks"
RUIBAO = SAMPLES / "瑞宝街_2023-2024_中期.xlsx"
GUANZHOU = SAMPLES / "官洲街_2024-2025_中期.xlsx"
# DOMAIN.md: the evaluators' own conclusions
LAGGING = {"瑞宝街": {"volunteer_teams"}, "官洲街": {"case_closed", "volunteers_new"}}
SENTENCES = {
    "瑞宝街": "从以上数据可知，瑞宝街社工站除发展志愿者队伍数量未能达到预期进度外，其余指标基本完成。",
    "官洲街": "从以上数据可知，官洲街社工站除个案结案数、新登记志愿者数量未能达到预期进度外，其余指标基本完成。",
}


@pytest.mark.parametrize("path", [RUIBAO, GUANZHOU], ids=["瑞宝街", "官洲街"])
def test_lagging_set_is_the_evaluators(path: Path) -> None:
    result = judge_station(read_station(path))
    assert {r.row.id for r in result.lagging} == LAGGING[result.name]
    assert SENTENCES[result.name] in station_paragraph(result)


def test_case_intake_at_44_percent_is_not_lagging_but_closures_at_31_are() -> None:
    result = judge_station(read_station(GUANZHOU))
    status = {r.row.id: r.status for r in result.rows}
    assert status["case_intake"] is Status.BROADLY
    assert status["case_closed"] is Status.LAGGING
    assert result.progress.days_elapsed == 206 and result.progress.days_total == 365


def test_tolerance_is_a_setting() -> None:
    strict = load_settings(basic_share=0.95)
    result = judge_station(read_station(RUIBAO), settings=strict)
    # at 0.95 × 54.64% = 51.9%, the 50% indicators lag too
    assert {"case_intake", "case_closed", "volunteer_teams"} <= {r.row.id for r in result.lagging}


def test_paragraph_wording_when_nothing_or_everything_lags() -> None:
    report = read_station(RUIBAO)
    ahead = report.with_changes(indicators=tuple(
        replace(r, completed=r.target, sheet_rate=1.0) for r in report.indicators if r.target))
    assert "各项指标均达到预期进度" in station_paragraph(judge_station(ahead))
    behind = report.with_changes(indicators=tuple(
        replace(r, completed=0, sheet_rate=0.0) for r in report.indicators))
    assert "各项指标均未能达到预期进度" in station_paragraph(judge_station(behind))
    undated = report.with_changes(cutoff=None)
    assert "无法按时间进度判断" in station_paragraph(judge_station(undated))


@pytest.fixture(scope="module")
def diff_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("diff") / "diff.xlsx"
    result = cli("diff", RUIBAO, GUANZHOU, "-o", out)
    assert result.returncode == 0, result.stderr  # 0 whatever the flags
    assert "滞后" in result.stdout and SENTENCES["官洲街"][:20] in result.stdout
    return out


def _rows(sheet) -> dict[str, tuple]:
    return {row[1].value: row for row in sheet.iter_rows(min_row=6) if row[1].value}


def test_compare_sheet_values_and_formats(diff_book: Path) -> None:
    book = openpyxl.load_workbook(diff_book)
    assert book.sheetnames == ["对比", "到岗", "图表", "说明"]
    sheet = book["对比"]
    assert sheet.freeze_panes == "C6"
    assert sheet["C4"].value == "瑞宝街" and sheet["H4"].value == "官洲街"
    assert [c.value for c in sheet[5][2:7]] == ["协议指标量", "完成量", "完成率", "状态", "说明"]
    rows = _rows(sheet)
    phone = rows["电话访问"]
    assert [c.value for c in phone[2:4]] == [6028, 3092]
    assert phone[4].value == pytest.approx(3092 / 6028) and phone[4].number_format == "0.00%"
    assert phone[5].value == "基本完成" and phone[10].value == "达标"
    assert phone[12].value == pytest.approx((1842 / 2001 - 3092 / 6028) * 100)
    closed = rows["个案结案"]
    assert closed[10].value == "滞后"
    assert closed[11].value == "完成31.67%，按时间应达56.44%，低于基本完成线39.51%"
    events = rows["社区活动次数"]
    assert [events[2].value, events[3].value, events[7].value, events[8].value] == [80, 58, 60, 60]
    assert "大型社区活动 + 中小型社区活动 合计" in events[13].value
    attendance = rows["社区活动人次"]
    assert [attendance[7].value, attendance[8].value] == [2200, 8679]
    lagging = {name for name, row in rows.items() if "滞后" in (row[5].value, row[10].value)}
    assert lagging == {"志愿者队伍", "个案结案", "新登记志愿者"}
    assert sheet.page_setup.orientation == "landscape"
    # both stations side by side on one page, at 80% (8 pt text): test_print checks them all
    assert sheet.page_setup.scale == 80 and not sheet.col_breaks.brk
    # the paragraphs under the table, broken into lines that fit the page
    texts = [c.value.replace("\n", "") for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str)]
    assert any(SENTENCES["瑞宝街"] in t for t in texts)


def test_status_colours_are_conditional_rules(diff_book: Path) -> None:
    sheet = openpyxl.load_workbook(diff_book)["对比"]
    rules = [(str(rng.sqref), rule.formula[0], rule.dxf.fill.bgColor.rgb)
             for rng in sheet.conditional_formatting for rule in rng.rules]
    lagging = [r for r in rules if r[1].endswith('="滞后"')]
    assert {r[0] for r in lagging} >= {"E6:E22", "F6:F22", "J6:J22", "K6:K22"}
    assert all(r[2].endswith("FFC7CE") for r in lagging)
    assert any(r[1].endswith('="达标"') and r[2].endswith("C6EFCE") for r in rules)


def test_chart_and_notes(diff_book: Path) -> None:
    with zipfile.ZipFile(diff_book) as archive:
        names = archive.namelist()
        chart = next(n for n in names if n.startswith("xl/charts/chart"))
        xml = archive.read(chart).decode()
    book = openpyxl.load_workbook(diff_book)
    # the chart's data: a table under the chart, its header on the page after it
    header = next(r for r in range(1, 60) if book["图表"].cell(r, 1).value == "指标")
    assert book["图表"].row_breaks.brk[0].id == header - 1
    data = f"图表!$B${header + 1}:$B${header + 17}"
    assert "<c:barChart>" in xml and "<c:lineChart>" in xml and data in xml
    notes = book["说明"]
    values = {row[0].value: row[1].value for row in notes.iter_rows(min_row=3) if row[0].value}
    assert values["瑞宝街 统计截止"] == datetime(2023, 12, 31)  # a date cell
    assert "0.7 × 应完成为基本完成" in values["判断规则"]
    assert values["官洲街 未识别指标"] == "无"


@pytest.mark.parametrize("evil", ["=HYPERLINK(\"http://x\",\"y\")", "+86 1234", "-1+2", "@SUM(A1)",
                                  "external:C:\\\\a.xlsx", "file:///etc/passwd"])
def test_input_strings_never_become_formulas_or_links(tmp_path: Path, evil: str) -> None:
    report = read_station(RUIBAO)
    first = report.indicators[0]
    poisoned = report.with_changes(
        station=evil, operator=evil,
        indicators=(replace(first, name=evil, category=evil, remarks=evil), *report.indicators[1:]))
    out = tmp_path / "evil.xlsx"
    write_diff(compare(poisoned, read_station(GUANZHOU)), out)
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            data = archive.read(name).decode("utf-8", "replace")
            if name.startswith("xl/worksheets/sheet"):
                assert "<f>" not in data, name
                assert "<hyperlink" not in data, name
            assert "hyperlink" not in name.lower() or not data, name
    book = openpyxl.load_workbook(out)
    found = [c for s in book for row in s.iter_rows() for c in row if c.value == evil]
    assert found and all(c.data_type == "s" for c in found)


def test_diff_needs_two_stations() -> None:
    result = cli("diff", RUIBAO)
    assert result.returncode == 2 and "恰好两个站点" in result.stderr
    assert "Traceback" not in result.stderr


def test_output_is_replaced_atomically(tmp_path: Path) -> None:
    out = tmp_path / "diff.xlsx"
    out.write_bytes(b"previous output")
    comparison = compare(read_station(RUIBAO), read_station(GUANZHOU))

    class Boom(Exception):
        pass

    import xlcompare.writers.diff_xlsx as module
    original = module._chart_sheet
    module._chart_sheet = lambda *a, **k: (_ for _ in ()).throw(Boom())
    try:
        with pytest.raises(Boom):
            write_diff(comparison, out)
    finally:
        module._chart_sheet = original
    assert out.read_bytes() == b"previous output"
    assert [p.name for p in tmp_path.iterdir()] == ["diff.xlsx"]  # no temporary left behind
    write_diff(comparison, out)
    assert zipfile.is_zipfile(out)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_opens_the_diff_workbook(diff_book: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1",
         "--outdir", str(tmp_path), str(diff_book)],
        capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    csv = next(tmp_path.glob("diff*.csv")).read_text("utf-8")
    assert "个案结案" in csv and "滞后" in csv and re.search(r"31\.67", csv)
