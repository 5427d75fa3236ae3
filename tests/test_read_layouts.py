"""read_station on every layout a station sends gives the same report.

Each layout (see builders.LAYOUTS and each builder's docstring) writes the canonical 素社街
figures in another shape; every test here is parametrised over the layouts, so a failure
names the shape the reader does not handle. The later tests make a workbook disagree with
itself and check that the reader says so, with the sheet and cell.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import builders as b
import pytest
from builders import (
    ATTENDANCE_TOTALS,
    CONTRACT_END,
    CONTRACT_STAFF,
    CONTRACT_START,
    CUTOFF,
    INDICATOR_COUNT,
    INDICATORS,
    MONTH_KEYS,
    MONTHS,
    OPERATOR,
    PEOPLE,
    PEOPLE_COUNT,
    PERIOD_START,
    STATION,
    Layout,
)

from xlcompare import IndicatorRow, Problem, StationReport, read_reports, read_station

ALL = [pytest.param(x, id=x.key) for x in b.LAYOUTS]
# words that only a row that is not an indicator carries
NOT_INDICATORS = (
    "小计", "合计", "总计", "以上数据", "注：", "填表人", "审核人", "统计时间", "截至",
)


def read(layout: Layout, directory: Path) -> tuple[list[Path], StationReport]:
    paths = layout.build(directory)
    report = read_station(paths[0] if len(paths) == 1 else paths)
    assert isinstance(report, StationReport)
    return paths, report


def paired(report: StationReport) -> list[tuple[b.Indicator, IndicatorRow]]:
    """The read rows beside the expected ones, in sheet order (13 of each)."""
    names = [row.name for row in report.indicators]
    assert len(report.indicators) == INDICATOR_COUNT, names
    for expected, row in zip(INDICATORS, report.indicators, strict=True):
        # loosely: a unit written inside the name may stay there (电话访问（个）)
        assert expected.name in (row.name or ""), names
    return list(zip(INDICATORS, report.indicators, strict=True))


def warnings(report: StationReport) -> list[Problem]:
    return [p for p in report.problems if p.severity != "info"]


def at(problems: list[Problem], sheet: str, row: int) -> list[Problem]:
    """The problems that name `sheet` and a cell (or row) on `row`."""
    return [p for p in problems if p.sheet == sheet and row in b.rows_in(p.cell)]


def codes_at(problems: list[Problem], sheet: str, row: int) -> list[str]:
    """The codes of the problems at `sheet` and `row`."""
    return [p.code for p in at(problems, sheet, row)]


def indicator_row_numbers(path: Path, sheet: str) -> dict[str, int]:
    """Excel row of each indicator in a built file (first cell containing its name)."""
    rows = b.sheet_rows(path)[sheet]
    found: dict[str, int] = {}
    for ind in INDICATORS:
        found[ind.name] = next(
            r for r, cells in enumerate(rows, start=1)
            if any(ind.name in str(v) for v in cells)
        )
    return found


# --------------------------------------------------------------------------------------
# The same figures from every layout
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ALL)
def test_layout_gives_station_and_cutoff(layout: Layout, tmp_path: Path) -> None:
    _, report = read(layout, tmp_path)
    assert report.station == STATION
    assert report.cutoff == CUTOFF
    if layout.period_start is not None:
        assert report.period_start == PERIOD_START


@pytest.mark.parametrize("layout", [p for p in ALL if p.values[0].metadata])
def test_layout_gives_operator_and_contract_period(layout: Layout, tmp_path: Path) -> None:
    """承办机构 and 项目周期 are read from their own lines, and the 项目周期 end date
    (2025-05-31) is not mistaken for the cut-off (2024-12-31)."""
    _, report = read(layout, tmp_path)
    assert report.operator == OPERATOR
    assert (report.contract_start, report.contract_end) == (CONTRACT_START, CONTRACT_END)
    assert report.cutoff == CUTOFF


@pytest.mark.parametrize("layout", ALL)
def test_layout_gives_exactly_the_indicator_rows(layout: Layout, tmp_path: Path) -> None:
    """13 rows in sheet order: no title, header, blank, 小计, 合计 or note row among them,
    and every row carries its (merged, forward-filled or repeated) category."""
    _, report = read(layout, tmp_path)
    for expected, row in paired(report):
        assert row.name and row.name.strip()
        assert not any(word in row.name for word in NOT_INDICATORS), row.name
        assert row.category == expected.category, row


@pytest.mark.parametrize("layout", ALL)
def test_layout_gives_targets_completed_and_rates(layout: Layout, tmp_path: Path) -> None:
    _, report = read(layout, tmp_path)
    for expected, row in paired(report):
        assert row.target == expected.target, row
        assert row.completed == expected.completed, row
        assert row.rate == pytest.approx(expected.rate, abs=1e-9), row
        if layout.unit_column:
            assert row.unit == expected.unit, row
        else:
            # the unit is only inside the name; if the reader takes it out, it must be right
            assert row.unit in (None, expected.unit), row
        if layout.midterm:
            assert row.midterm_target == expected.midterm, row
        else:
            assert row.midterm_target is None, row
        if layout.remarks and expected.remarks:
            assert expected.remarks in (row.remarks or ""), row
        else:
            assert not row.remarks, row


@pytest.mark.parametrize("layout", ALL)
def test_layout_keeps_the_rate_the_sheet_states(layout: Layout, tmp_path: Path) -> None:
    """sheet_rate is a fraction whatever the sheet wrote: 0.5425, `54.25%`, 54.25, `58.33`,
    or the cached result of `=G9/F9`. Stated rates are rounded to 0.01%."""
    _, report = read(layout, tmp_path)
    for expected, row in paired(report):
        assert row.sheet_rate == pytest.approx(expected.rate, abs=6e-5), row


@pytest.mark.parametrize("layout", ALL)
def test_layout_gives_attendance_totals(layout: Layout, tmp_path: Path) -> None:
    """7 months (no 合计 or note row among them) and the canonical totals."""
    _, report = read(layout, tmp_path)
    attendance = report.attendance
    assert attendance is not None
    assert len(attendance.months) == len(MONTHS), [m.month for m in attendance.months]
    assert attendance.person_level is layout.person_level
    totals = attendance.totals
    if layout.person_level:
        # a per-person sheet states only who was present; 应到 may be derived from the
        # contract staff (16 × 7, half of it certified) or left unknown, never guessed else
        for figure in ("actual_total", "actual_certified", "actual_uncertified"):
            assert totals[figure] == ATTENDANCE_TOTALS[figure], (figure, totals)
        for figure in ("expected_total", "expected_certified"):
            assert totals[figure] in (None, ATTENDANCE_TOTALS[figure]), (figure, totals)
    else:
        assert totals == ATTENDANCE_TOTALS
    if layout.month_keys:
        assert tuple(m.month for m in attendance.months) == MONTH_KEYS
    for month, expected in zip(attendance.months, MONTHS, strict=True):
        assert month.actual_total == expected.actual_total, month


@pytest.mark.parametrize("layout", ALL)
def test_consistent_layout_reports_no_warnings(layout: Layout, tmp_path: Path) -> None:
    """Every layout's figures agree with themselves (stated rates up to rounding to 0.01%,
    小计 / 合计 rows, certified + uncertified = total), so nothing above `info`."""
    _, report = read(layout, tmp_path)
    assert [str(p) for p in warnings(report)] == []


@pytest.mark.parametrize("layout", ALL)
def test_layout_rows_name_their_source(layout: Layout, tmp_path: Path) -> None:
    """report.sources names every file read; each indicator row names its file, sheet and
    (a cell on) its own row."""
    paths, report = read(layout, tmp_path)
    assert {Path(s).name for s in report.sources} == {p.name for p in paths}
    annex1_file = paths[0]
    excel_rows = indicator_row_numbers(annex1_file, layout.annex1_sheet)
    for expected, row in paired(report):
        assert row.source is not None, row
        assert Path(row.source.file).name == annex1_file.name, row.source
        assert row.source.sheet == layout.annex1_sheet, row.source
        assert excel_rows[expected.name] in b.rows_in(row.source.cell), row.source


@pytest.mark.parametrize("layout", ALL)
def test_reading_leaves_the_files_unchanged(layout: Layout, tmp_path: Path) -> None:
    """Same bytes (sha256) after reading, and no file added beside them (no lock file, no
    converted copy)."""
    layout.build(tmp_path)
    before = b.files_in(tmp_path)
    paths = [tmp_path / name for name in before]
    read_station(paths[0] if len(paths) == 1 else paths)
    assert b.files_in(tmp_path) == before


# --------------------------------------------------------------------------------------
# What particular layouts pin down
# --------------------------------------------------------------------------------------


def test_midterm_target_is_never_the_denominator(tmp_path: Path) -> None:
    """Layout e puts 中期指标 before 协议指标量: the rate is completed ÷ the annual target,
    and 中期指标 is kept beside it (None where the sheet leaves it blank)."""
    _, report = read(b.layout("e_midterm_column"), tmp_path)
    for expected, row in paired(report):
        assert row.target == expected.target, row
        assert row.midterm_target == expected.midterm, row
        assert row.rate == pytest.approx(expected.completed / expected.target, abs=1e-9), row


def test_person_level_attendance_is_aggregated_without_names(tmp_path: Path) -> None:
    """Layout j: 18 people (13 certified) with 1 / 0.5 / 0 a month aggregate to the
    canonical monthly actual figures; the 合计 row is not a person; the staffing line gives
    the contract staff; no worker's name is copied into the report."""
    _, report = read(b.layout("j_person_level"), tmp_path)
    attendance = report.attendance
    assert attendance is not None
    assert attendance.person_level
    assert attendance.people == PEOPLE_COUNT
    assert [(m.actual_total, m.actual_certified, m.actual_uncertified)
            for m in attendance.months] == [
        (m.actual_total, m.actual_certified, m.actual_uncertified) for m in MONTHS]
    assert report.staffing is not None
    assert report.staffing.contract_staff == CONTRACT_STAFF
    text = repr(report)
    assert [p.name for p in PEOPLE if p.name in text] == []


def test_two_files_of_one_station_merge_into_one_report(tmp_path: Path) -> None:
    """Layout h through read_reports: 附件1 and 附件2 apart, same station and cut-off, give
    one report with both annexes and no error."""
    paths = b.layout("h_two_files").build(tmp_path)
    reports, errors = read_reports(paths)
    assert errors == []
    assert len(reports) == 1
    report = reports[0]
    assert (report.station, report.cutoff) == (STATION, CUTOFF)
    assert len(report.indicators) == INDICATOR_COUNT
    assert report.attendance is not None
    assert report.attendance.totals == ATTENDANCE_TOTALS


def test_keyword_arguments_override_what_the_workbook_states(tmp_path: Path) -> None:
    (path,) = b.build_canonical(tmp_path)
    report = read_station(
        path, station="素社街（复核）", cutoff=date(2024, 11, 30),
        contract_start=date(2024, 5, 1), contract_end=date(2025, 4, 30),
    )
    assert report.station == "素社街（复核）"
    assert report.cutoff == date(2024, 11, 30)
    assert (report.contract_start, report.contract_end) == (date(2024, 5, 1), date(2025, 4, 30))
    assert len(report.indicators) == INDICATOR_COUNT  # the figures are still read


# --------------------------------------------------------------------------------------
# Workbooks that disagree with themselves: reported with sheet and cell, never smoothed
# --------------------------------------------------------------------------------------


def test_stated_rate_that_disagrees_is_reported_with_sheet_and_cell(tmp_path: Path) -> None:
    """Canonical, but 入户探访 (row 8) states 64.25% while 651 ÷ 1200 = 54.25%."""
    (path,) = b.build_canonical(tmp_path, rates={"入户探访": 0.6425})
    row_number = b.find_row(path, "附件1", "入户探访")
    assert row_number == 8
    report = read_station(path)

    assert codes_at(warnings(report), "附件1", row_number) == ["rate-mismatch"], [
        str(p) for p in report.problems]
    # the rounded rates of the other rows are not disagreements
    others = set(range(7, 20)) - {row_number}
    assert [str(p) for p in warnings(report)
            if p.sheet == "附件1" and b.rows_in(p.cell) & others] == []
    # both figures stay visible: the stated one and the recomputed one
    row = next(r for r in report.indicators if "入户探访" in r.name)
    assert (row.target, row.completed) == (1200, 651)
    assert row.sheet_rate == pytest.approx(0.6425, abs=1e-9)
    assert row.rate == pytest.approx(651 / 1200, abs=1e-9)


def test_grand_total_that_disagrees_is_reported(tmp_path: Path) -> None:
    """Layout f1, but the 合计 row's 完成量 is 10 more than the sum of the 13 rows."""
    path = b.build_bad_grand_total(tmp_path)
    total_row = b.find_row(path, "指标完成情况", "合计")
    report = read_station(path)

    assert codes_at(warnings(report), "指标完成情况", total_row) == ["total-mismatch"], [
        str(p) for p in report.problems]
    assert [r.completed for r in report.indicators] == [x.completed for x in INDICATORS]


def test_attendance_total_row_that_disagrees_is_reported(tmp_path: Path) -> None:
    """Canonical, but 附件2's 合计 row states 实到 120 while the months add up to 117."""
    (path,) = b.build_canonical(tmp_path, total_row={"actual_total": 120})
    total_row = b.find_row(path, "附件2", "合计")
    assert total_row == 12
    report = read_station(path)

    assert codes_at(warnings(report), "附件2", total_row) == ["total-mismatch"], [
        str(p) for p in report.problems]
    assert report.attendance is not None
    # totals are the months' sum; the 合计 row is not a month
    assert report.attendance.totals["actual_total"] == 117
    assert len(report.attendance.months) == len(MONTHS)


def test_certified_plus_uncertified_not_total_is_reported(tmp_path: Path) -> None:
    """Canonical, but 2024年9月 states 实到 17 while 持证 12 + 非持证 4 = 16 (the 合计 row
    is the sum of the months as written)."""
    months = list(MONTHS)
    months[3] = replace(MONTHS[3], actual_total=17)
    (path,) = b.build_canonical(tmp_path, months=months)
    september = b.find_row(path, "附件2", "2024年9月")
    assert september == 8
    report = read_station(path)

    assert codes_at(warnings(report), "附件2", september) == ["attendance-split-mismatch"], [
        str(p) for p in report.problems]
    other_months = set(range(5, 12)) - {september}
    assert [str(p) for p in warnings(report)
            if p.sheet == "附件2" and b.rows_in(p.cell) & other_months] == []
    assert report.attendance is not None
    assert report.attendance.months[3].actual_total == 17  # read as written, not "fixed"


def test_formula_without_cached_value_is_recomputed_or_reported(tmp_path: Path) -> None:
    """电话访问's 完成量 (附件1!E7) is `=SUM(明细!B2,明细!B3)` written by openpyxl with no
    cached result. The reader gives 1842, or gives None and a problem naming E7's row;
    it never reads it as 0 or blank without saying so."""
    path = b.build_uncached_formula(tmp_path)
    report = read_station(path)
    row = next(r for r in report.indicators if "电话访问" in r.name)
    if row.completed is None:
        assert codes_at(list(report.problems), "附件1", 7) == ["uncomputed-formula"], [
            str(p) for p in report.problems]
    else:
        assert row.completed == 1842
    others = [r.completed for r in report.indicators if "电话访问" not in r.name]
    assert others == [x.completed for x in INDICATORS[1:]]


# --------------------------------------------------------------------------------------
# The fixtures themselves: each builder wrote the figures where the tests expect them
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ALL)
def test_builder_writes_the_canonical_figures(layout: Layout, tmp_path: Path) -> None:
    """Independent of the reader: python-calamine finds, for every indicator, a row with
    its name, target and completed; and the attendance figures of every month."""
    paths = layout.build(tmp_path)
    rows = [[b.cell_text(v) for v in row]
            for path in paths for sheet in b.sheet_rows(path).values() for row in sheet]
    for ind in INDICATORS:
        assert any(
            any(ind.name in v for v in row)
            and b.cell_text(ind.target) in row and b.cell_text(ind.completed) in row
            for row in rows
        ), ind
    if layout.person_level:
        flags = [row[2] for row in rows if len(row) > 2 and row[2] in ("是", "否")]
        assert (flags.count("是"), flags.count("否")) == (13, 5)
        return
    for m in MONTHS:
        wanted = [b.cell_text(getattr(m, f)) for f in b.ATTENDANCE_FIGURES]
        assert any(row[i:i + len(wanted)] == wanted for row in rows for i in range(len(row))), m
