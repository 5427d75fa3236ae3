"""Never silently wrong (issue 13): every filled cell of a workbook is read in a role or
reported as unread, so a layout the reader does not know ends as a named doubt.

Each layout below is built as a station (or a district) would send it. Before this change
every one of them gave a plausible reading and no word: the second table beside the first
was dropped, the first area's column was read as 完成量, attendance with months across the
columns was a table of no months, two stations in one workbook became one, and a month
stated in two sheets was counted twice.
"""

from __future__ import annotations

from pathlib import Path

import builders as b
import pytest
from harness import sample_workbooks
from openpyxl.utils import range_boundaries

from xlcompare import LayoutError, read_reports, read_station
from xlcompare.batch import summarise
from xlcompare.files.workbook import open_workbook
from xlcompare.model import StationReport

WRITERS = {"xlsx": b.write_openpyxl, "xls": b.write_xlwt}


def _write(tmp_path: Path, grids: list[b.Grid], fmt: str = "xlsx", name: str = "报表") -> Path:
    return WRITERS[fmt](tmp_path / f"{name}.{fmt}", grids)


def _unread(report: StationReport) -> list[tuple[str | None, str | None]]:
    return [(p.sheet, p.cell) for p in report.problems if p.code == "unread-cells"]


def _completed(report: StationReport) -> dict[str, float | None]:
    return {r.name: r.completed for r in report.indicators}


CANONICAL_COMPLETED = {i.name: float(i.completed) for i in b.INDICATORS}


# ------------------------------------------------------------------------------ the samples


def _cells(spans: tuple[str, ...]) -> set[tuple[int, int]]:
    cells = set()
    for span in spans:
        c0, r0, c1, r1 = range_boundaries(span)
        cells |= {(r - 1, c - 1) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    return cells


@pytest.mark.parametrize("path", sample_workbooks(), ids=lambda p: p.stem)
def test_every_cell_of_every_sample_is_accounted_for(path: Path) -> None:
    report = read_station(path)
    assert _unread(report) == []
    maps = {m.sheet: m for m in report.cell_maps}
    for sheet in open_workbook(path).sheets:
        accounted = set().union(*(_cells(spans) for role, spans in maps[sheet.name].roles
                                  if role != "unread"))
        filled = {(r, c) for r, row in enumerate(sheet.rows) for c, v in enumerate(row)
                  if v is not None and str(v).strip()}
        assert filled <= accounted, (sheet.name, sorted(filled - accounted)[:5])


def test_the_map_names_each_part_of_the_canonical_workbook(tmp_path: Path) -> None:
    (path,) = b.build_canonical(tmp_path)
    annex1 = next(m for m in read_station(path).cell_maps if m.sheet == "附件1")
    assert annex1.of("title") == ("A1",)
    assert annex1.of("meta") == ("A2:A4",)
    assert annex1.of("header") == ("A5:G6",)
    assert annex1.of("data") == ("A7:G19",)
    assert annex1.of("unread") == ()


# ------------------------------------------------------------------------------ side by side


def _beside(left: b.Grid, right: b.Grid, gap: int = 1, down: int = 0) -> b.Grid:
    """`right` placed `gap` columns to the right of `left`, shifted `down` rows."""
    width = max(len(r) for r in left.rows)
    out = b.Grid(left.name)
    rows = max(len(left.rows), len(right.rows) + down)
    for r in range(rows):
        mine = list(left.rows[r]) if r < len(left.rows) else []
        theirs = right.rows[r - down] if 0 <= r - down < len(right.rows) else []
        if theirs:
            mine += [None] * (width + gap - len(mine)) + list(theirs)
        out.rows.append(mine)
    out.merges = list(left.merges) + [(r1 + down, c1 + width + gap, r2 + down, c2 + width + gap)
                                      for r1, c1, r2, c2 in right.merges]
    return out


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_an_annex2_beside_annex1_is_read_too(tmp_path: Path, fmt: str) -> None:
    """附件2 to the right of 附件1, both headers on row 5 (before: dropped, no word): both
    tables are read, with their own cell references, and every cell is accounted for."""
    grid = _beside(b.canonical_annex1(), b.canonical_annex2(), gap=1, down=2)
    report = read_station(_write(tmp_path, [grid], fmt))
    assert _completed(report) == CANONICAL_COMPLETED
    assert report.attendance is not None
    assert report.attendance.total("actual_total") == sum(m.actual_total for m in b.MONTHS)
    assert report.attendance.months[0].source.cell == "I7"
    assert _unread(report) == []
    (cells,) = report.cell_maps
    assert cells.of("header") == ("A5:G6", "I5:N6") and cells.of("data") == ("A7:G19", "I7:N13")


def test_a_table_beside_that_is_no_annex_is_named(tmp_path: Path) -> None:
    """Beside 附件1, a cross table the reader does not know: named, not dropped."""
    grid = _beside(b.canonical_annex1(), _pivot(), gap=1, down=6)
    report = read_station(_write(tmp_path, [grid]))
    assert _completed(report) == CANONICAL_COMPLETED
    assert _unread(report) == [("附件1", "I7:M12")]


# ------------------------------------------------------------------------------ per-area columns


def _areas_annex1(total: bool, disagree: str | None = None) -> b.Grid:
    """完成情况 over A片区 / B片区 / C片区 (/ 合计) / 完成率: the completed figure of each
    indicator split in three areas, the 合计 their sum (off by 5 in `disagree`'s row)."""
    g = b.Grid("附件1")
    for line in (b.TITLE_ANNEX1, b.LINE_OPERATOR, b.LINE_CONTRACT, b.LINE_PERIOD):
        g.add(line, span=9)
    subs = ["A片区", "B片区", "C片区"] + (["合计"] if total else [])
    h = g.add("服务类别", "指标名称", "单位", "协议指标量", "完成情况", *[None] * (len(subs) - 1),
              "完成率")
    g.add(None, None, None, None, *subs, None)
    for c in (0, 1, 2, 3, 4 + len(subs)):
        g.merge(h, c, h + 1, c)
    g.merge(h, 4, h, 3 + len(subs))
    for ind in b.INDICATORS:
        a = ind.completed // 3
        parts = [a, a, ind.completed - 2 * a]
        whole = ind.completed + (5 if ind.name == disagree else 0)
        g.add(ind.category, ind.name, ind.unit, ind.target, *parts,
              *([whole] if total else []), ind.stated_rate)
    return g


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_per_area_columns_are_read_by_their_total(tmp_path: Path, fmt: str) -> None:
    """Before: the A片区 column was read as 完成量 (six indicators falsely 滞后, no word).
    Now the 合计 sub-column is read, and the areas are checked against it row by row."""
    report = read_station(_write(tmp_path, [_areas_annex1(total=True), b.canonical_annex2()],
                                 fmt))
    assert _completed(report) == CANONICAL_COMPLETED
    (chosen,) = [p for p in report.problems if p.code == "column-chosen"]
    assert "13/13" in chosen.message and chosen.cell == "H5"
    assert _unread(report) == []


def test_areas_that_do_not_add_up_are_said(tmp_path: Path) -> None:
    report = read_station(_write(tmp_path, [_areas_annex1(True, disagree="小组节数"),
                                            b.canonical_annex2()]))
    (differ,) = [p for p in report.problems if p.code == "parts-differ-from-total"]
    assert differ.severity == "warning" and differ.cell is not None and differ.cell.startswith("H")


def test_areas_without_a_total_are_named_as_unread(tmp_path: Path) -> None:
    """No 合计 column: no evidence which column is 完成量. The first is kept (as before)
    but the other areas' figures are named, never dropped in silence."""
    report = read_station(_write(tmp_path, [_areas_annex1(total=False), b.canonical_annex2()]))
    (region,) = _unread(report)
    assert region == ("附件1", "F6:G19")  # the other areas' labels and figures
    assert report.problems[0].severity == "warning"


# ------------------------------------------------------------------------------ months


def _months_across() -> b.Grid:
    """附件2 turned on its side: the months across the columns, the figures down the rows."""
    g = b.Grid("附件2")
    g.add(b.TITLE_ANNEX2, span=9)
    g.add(b.LINE_PERIOD, span=9)
    g.add("项目", *(b.month_label(m) for m in b.MONTHS), "合计")
    for label, key in (("总应到", "expected_total"), ("总实到", "actual_total"),
                       ("持证应到", "expected_certified"), ("持证实到", "actual_certified"),
                       ("非持证实到", "actual_uncertified")):
        values = [getattr(m, key) for m in b.MONTHS]
        g.add(label, *values, sum(values))
    return g


CANONICAL_TOTALS = {key: float(sum(getattr(m, key) for m in b.MONTHS))
                    for key in ("expected_total", "actual_total", "expected_certified",
                                "actual_certified", "actual_uncertified")}


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_months_across_the_columns_are_read(tmp_path: Path, fmt: str) -> None:
    """Before: read as an attendance of no months, with no problem. Now each column is a
    month, each row a figure, and the 合计 column is checked."""
    report = read_station(_write(tmp_path, [b.canonical_annex1(), _months_across()], fmt))
    assert report.attendance is not None
    assert [m.month for m in report.attendance.months] == [m.key for m in b.MONTHS]
    assert report.attendance.totals == CANONICAL_TOTALS
    assert _unread(report) == [] and report.problems == ()
    (_, annex2) = report.cell_maps
    assert annex2.of("total") == ("I4:I8",)


def test_a_wrong_total_across_is_said(tmp_path: Path) -> None:
    grid = _months_across()
    grid.rows[-1][-1] += 1  # 非持证实到's 合计
    report = read_station(_write(tmp_path, [b.canonical_annex1(), grid]))
    (problem,) = report.problems
    assert problem.code == "total-mismatch" and problem.cell == "I8"


def _dated(months: str) -> b.Grid:
    """The canonical 附件2 with its months as date cells or as Excel day numbers (a date
    that lost its format), down the month column or across the header."""
    from datetime import date

    grid = _months_across() if months.endswith("across") else b.canonical_annex2()
    for row in grid.rows:
        for c, value in enumerate(row):
            for m in b.MONTHS:
                if value == b.month_label(m):
                    day = date(int(m.key[:4]), int(m.key[5:]), 1)
                    row[c] = day if months.startswith("date") else (day - date(1899, 12, 30)).days
    return grid


@pytest.mark.parametrize(("fmt", "months"), [
    ("xlsx", "date"), ("xlsx", "serial"), ("xlsx", "date_across"),
    ("xls", "serial"),  # the builder's .xls writer has no date cells
])
def test_months_as_dates_or_day_numbers_are_read(tmp_path: Path, months: str,
                                                 fmt: str) -> None:
    """Before: a month column of day numbers (45444 for June 2024) ended the table at its
    first row, and the months were lost with no word."""
    report = read_station(_write(tmp_path, [b.canonical_annex1(), _dated(months)], fmt))
    assert report.attendance is not None
    assert [m.month for m in report.attendance.months] == [m.key for m in b.MONTHS]
    assert report.attendance.totals == CANONICAL_TOTALS
    assert _unread(report) == []


# ------------------------------------------------------------------------------ several stations


OTHER = "瑞宝街"


def _retitled(grid: b.Grid, station: str | None, halve: bool = False) -> b.Grid:
    """The grid with its title naming `station` (None: a title naming no station), its
    numbers under the header halved when `halve`, so each station's figures are its own."""
    title = str(grid.rows[0][0])
    grid.rows[0][0] = (title.replace(b.STATION, station) if station
                       else "附件2 社工到岗情况统计表" if "到岗" in title else "附件1 指标完成情况统计表")
    if halve:  # completed (column E) and its rate (F)
        for row in grid.rows[6:]:
            if len(row) > 5 and isinstance(row[4], int | float):
                row[4] = row[4] / 2
                if isinstance(row[5], b.Pct):
                    row[5] = b.Pct(row[5].value / 2)
    return grid


def _stacked(name: str, grids: list[b.Grid]) -> b.Grid:
    """Several tables one under another on one sheet, a blank row between them."""
    out = b.Grid(name)
    for grid in grids:
        if out.rows:
            out.blank()
        top = len(out.rows)
        out.rows.extend(list(row) for row in grid.rows)
        out.merges.extend((r1 + top, c1, r2 + top, c2) for r1, c1, r2, c2 in grid.merges)
    return out


def _two_stations(layout: str) -> list[b.Grid]:
    first = [b.canonical_annex1("素社街附件1"), b.canonical_annex2("素社街附件2")]
    second = [_retitled(b.canonical_annex1("瑞宝街附件1"), OTHER, halve=True),
              _retitled(b.canonical_annex2("瑞宝街附件2"), OTHER)]
    if layout == "a sheet each":
        return first + second
    if layout == "annex 2 untitled":  # each street's 附件2 sheet follows its titled 附件1
        return [first[0], _retitled(first[1], None), second[0], _retitled(second[1], None)]
    return [_stacked("各站", first[:1] + second[:1]), _stacked("到岗", first[1:] + second[1:])]


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
@pytest.mark.parametrize("layout", ["a sheet each", "annex 2 untitled", "titled blocks"])
def test_several_stations_in_one_workbook_are_a_report_each(tmp_path: Path, fmt: str,
                                                            layout: str) -> None:
    """Before: merged into one station, the second's indicators beside the first's and the
    attendance of both summed."""
    path = _write(tmp_path, _two_stations(layout), fmt)
    reports, errors = read_reports([path])
    assert errors == []
    by_station = {r.station: r for r in reports}
    assert sorted(by_station) == sorted([b.STATION, OTHER])
    mine, other = by_station[b.STATION], by_station[OTHER]
    assert _completed(mine) == CANONICAL_COMPLETED
    assert _completed(other) == {k: v / 2 for k, v in CANONICAL_COMPLETED.items()}
    for report in (mine, other):
        assert report.cutoff == b.CUTOFF and report.contract_start == b.CONTRACT_START
        assert report.attendance is not None
        assert report.attendance.totals == CANONICAL_TOTALS
        assert _unread(report) == []
        assert not [p for p in report.problems if p.code in (
            "duplicate-month", "duplicate-indicator", "low-confidence", "rate-mismatch")]
        assert any("本工作簿含 2 个站点" in note for note in report.notes)
    if layout != "titled blocks":  # each station's map is of its own sheets
        assert {m.sheet for m in other.cell_maps} == {"瑞宝街附件1", "瑞宝街附件2"}


def test_one_station_of_several_is_read_only_when_named(tmp_path: Path) -> None:
    path = _write(tmp_path, _two_stations("a sheet each"))
    with pytest.raises(LayoutError) as caught:
        read_station(path)
    assert caught.value.code == "several-stations"
    assert b.STATION in caught.value.message and OTHER in caught.value.message
    report = read_station(path, station=OTHER)
    assert report.station == OTHER
    assert _completed(report) == {k: v / 2 for k, v in CANONICAL_COMPLETED.items()}


def test_a_workbook_of_several_stations_is_a_row_each_in_the_summary(tmp_path: Path) -> None:
    folder = tmp_path / "月报"
    folder.mkdir()
    _write(folder, _two_stations("a sheet each"), name="全街道汇总")
    result = summarise(folder, use_history=False)
    assert sorted(s.name for s in result.summaries) == sorted([b.STATION, OTHER])
    (record,) = result.files
    assert record.station == f"{b.STATION}、{OTHER}"
    # the history keeps both: a rerun takes them from it
    again = summarise(folder, db=tmp_path / "h.sqlite")
    again = summarise(folder, db=tmp_path / "h.sqlite")
    assert again.from_history == 1
    assert sorted(s.name for s in again.summaries) == sorted([b.STATION, OTHER])


def test_a_month_in_two_sheets_is_counted_once(tmp_path: Path) -> None:
    """Before: the two sheets' months were summed, doubling the attendance."""
    report = read_station(_write(tmp_path, [b.canonical_annex1(), b.canonical_annex2(),
                                            b.canonical_annex2("附件2（续）")]))
    assert report.attendance is not None
    assert report.attendance.total("actual_total") == sum(m.actual_total for m in b.MONTHS)
    duplicates = [p for p in report.problems if p.code == "duplicate-month"]
    assert len(duplicates) == len(b.MONTHS) and duplicates[0].sheet == "附件2（续）"


# ------------------------------------------------------------------------------ what cannot be used


def _pivot() -> b.Grid:
    g = b.Grid("透视表")
    g.add("求和项:服务人次", "列标签")
    g.add("行标签", "2024-10", "2024-11", "2024-12", "总计")
    for street in ("素社街", "瑞宝街", "官洲街"):
        g.add(street, 120, 130, 140, 390)
    g.add("总计", 360, 390, 420, 1170)
    return g


def _text_table() -> b.Grid:
    g = b.Grid("Sheet1")
    g.add("活动名称", "负责人", "地点", "备注")
    for n in range(1, 6):
        g.add(f"活动{n}", f"社工{n}", "社区服务中心", "已完成")
    return g


def _prose() -> b.Grid:
    g = b.Grid("工作总结")
    g.add("本季度社工站开展了大量服务，具体如下。")
    g.add("电话访问", None, 774)
    g.add("其中独居长者占比较高，需要持续跟进。")
    g.add(None, None, None, None, 58)
    return g


@pytest.mark.parametrize(("grid", "where"), [
    (_pivot, "透视表!A1:E6"),
    (_text_table, "Sheet1!A1:D6"),
    (_prose, "工作总结!A2:C3, 工作总结!E4"),
], ids=["pivot", "text_only", "prose"])
@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_a_layout_the_reader_cannot_use_names_its_ranges(tmp_path: Path, grid, where: str,
                                                         fmt: str) -> None:
    """No figure at all, and the refusal names what was not read."""
    path = _write(tmp_path, [grid()], fmt)
    with pytest.raises(LayoutError) as refused:
        read_station(path)
    assert refused.value.code == "no-annex-table"
    assert where in refused.value.message


# ------------------------------------------------------------------------------ confidence


def test_each_table_says_how_far_its_own_arithmetic_bears_it_out(tmp_path: Path) -> None:
    (path,) = b.build_canonical(tmp_path)
    report = read_station(path)
    said = [n for n in report.notes if "可信度" in n]
    assert len(said) == 2 and all("高 (high)" in n for n in said)
    assert "13/13 行完成率与 完成量÷协议指标量 一致" in said[0]
    assert "1/1 个合计行核对无误" in said[1]


def test_a_table_whose_rates_mostly_disagree_is_a_warning(tmp_path: Path) -> None:
    """Every stated rate off: the columns may have been read wrongly, so say it beside the
    figures rather than only row by row."""
    (path,) = b.build_canonical(tmp_path, rates={i.name: 0.01 for i in b.INDICATORS})
    report = read_station(path)
    (low,) = [p for p in report.problems if p.code == "low-confidence"]
    assert low.severity == "warning" and low.sheet == "附件1" and low.cell == "row 5"
    assert "1/13 行完成率" in low.message  # 志愿者队伍: 0 of 2, and 1% is near enough


def test_a_table_stacked_under_another_with_its_own_header_is_read_and_doubles_named(
        tmp_path: Path) -> None:
    """Before: the second header was read as an indicator named 指标名称 and the second
    table's rows ran on as the first's. Now each header starts a table; an indicator stated
    in both is a problem with both cells, its figures never added."""
    first = b.canonical_annex1("附件1")
    again = b.canonical_annex1("附件1")
    again.rows, again.merges = again.rows[4:], [(r1 - 4, c1, r2 - 4, c2)
                                                for r1, c1, r2, c2 in again.merges if r1 >= 4]
    report = read_station(_write(tmp_path, [_stacked("附件1", [first, again]),
                                            b.canonical_annex2()]))
    assert "指标名称" not in _completed(report)
    assert len(report.indicators) == 2 * len(CANONICAL_COMPLETED)
    assert all(row.completed == CANONICAL_COMPLETED[row.name] for row in report.indicators)
    doubles = [p for p in report.problems if p.code == "duplicate-indicator"]
    assert len(doubles) == len(CANONICAL_COMPLETED)
    assert doubles[0].cell == "B26" and "附件1!B7" in doubles[0].message
    assert _unread(report) == []
