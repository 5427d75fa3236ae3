"""报送情况 (issue 18): who must report (the roster), who did, who did not, who was late —
completeness and timeliness per reporting month, as DHIS2 and WHO count them."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import builders as b
import pytest

from xlcompare.errors import LayoutError
from xlcompare.quality import Arrival, reporting
from xlcompare.readers.roster import read_roster

ROSTER = ["素社街", "瑞宝街", "官洲街", "南洲街", "江海街"]


def _roster_grid(station_label: str = "站点") -> b.Grid:
    g = b.Grid("名单")
    g.add("海珠区社工站名单（2024年度）", span=4)
    g.add("序号", station_label, "区", "承接机构")
    for n, station in enumerate(ROSTER, start=1):
        g.add(n, f"{station}社工站", "海珠区", f"广州市{station}社会工作服务中心")
    return g


@pytest.mark.parametrize(("fmt", "label"), [("xlsx", "站点"), ("xls", "站点名称"),
                                            ("xlsx", "社工站")])
def test_the_roster_lists_each_station_once(tmp_path: Path, fmt: str, label: str) -> None:
    writer = b.write_openpyxl if fmt == "xlsx" else b.write_xlwt
    path = writer(tmp_path / f"站点名单.{fmt}", [_roster_grid(label)])
    entries = read_roster(path)
    assert [e.station for e in entries] == ROSTER
    assert entries[1].district == "海珠区"
    assert entries[1].operator == "广州市瑞宝街社会工作服务中心"


def test_a_roster_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "站点名单.csv"
    path.write_text("站点,区\n" + "\n".join(f"{s},海珠区" for s in ROSTER) + "\n", "utf-8")
    assert [e.station for e in read_roster(path)] == ROSTER


def test_a_roster_without_a_station_column_is_refused(tmp_path: Path) -> None:
    path = b.write_openpyxl(tmp_path / "站点名单.xlsx", [_roster_grid("名字")])
    with pytest.raises(LayoutError) as caught:
        read_roster(path)
    assert caught.value.code == "no-roster-column"


def test_two_missing_one_late_of_five() -> None:
    december = date(2024, 12, 31)
    arrivals = [Arrival("素社街", december, datetime(2025, 1, 3, 9)),
                Arrival("瑞宝街", december, datetime(2025, 1, 10, 17)),  # the deadline day
                Arrival("官洲街", december, datetime(2025, 1, 14, 11)),  # after it
                Arrival("某某镇", december, datetime(2025, 1, 2))]  # not on the roster
    (month,) = reporting(arrivals, ROSTER, deadline_days=10)
    assert month.month == "2024-12" and month.deadline == date(2025, 1, 10)
    assert month.received == ("素社街", "瑞宝街", "官洲街")
    assert month.missing == ("南洲街", "江海街")
    assert month.late == (("官洲街", datetime(2025, 1, 14, 11)),)
    assert month.rate == pytest.approx(0.6) and month.on_time_rate == pytest.approx(0.4)


def test_each_month_is_counted_apart() -> None:
    arrivals = [Arrival(s, date(2024, 11, 30), datetime(2024, 12, 5)) for s in ROSTER]
    arrivals += [Arrival("素社街", date(2024, 12, 31), datetime(2025, 1, 5))]
    november, december = reporting(arrivals, ROSTER, deadline_days=10)
    assert (november.rate, december.rate) == (1.0, 0.2)


def _arrived(path: Path, when: datetime) -> None:
    stamp = when.timestamp()
    os.utime(path, (stamp, stamp))


def test_a_folder_with_a_roster_of_five_and_workbooks_from_three(tmp_path: Path, cli) -> None:
    """The must-show of issue 18: 2 missing, 1 late, rate 60%."""
    from openpyxl import load_workbook

    folder = tmp_path / "2024-12"
    folder.mkdir()
    b.write_openpyxl(folder / "站点名单.xlsx", [_roster_grid()])
    arrivals = {"素社街": datetime(2025, 1, 3, 9), "瑞宝街": datetime(2025, 1, 8, 16),
                "官洲街": datetime(2025, 1, 15, 10)}  # the deadline is 2025-01-10
    for station, when in arrivals.items():
        annex1, annex2 = b.canonical_annex1(), b.canonical_annex2()
        for grid in (annex1, annex2):
            grid.rows[0][0] = str(grid.rows[0][0]).replace(b.STATION, station)
        path = b.write_openpyxl(folder / f"{station}2024年12月报表.xlsx", [annex1, annex2])
        _arrived(path, when)
    out = tmp_path / "汇总.xlsx"
    result = cli("batch", str(folder), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert ("报送情况 2024-12：应报 5，已报 3，未报 2（南洲街、江海街），逾期 1（官洲街），"
            "报送率 60%，低于 90%") in result.stdout
    sheet = load_workbook(out)["报送情况"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(n for n, row in enumerate(rows) if row[0] == "月份")
    (month,) = [r for r in rows[header + 1:] if r[0]]
    assert month[:5] == ["2024-12", 5, 3, 2, 1]
    assert month[5] == pytest.approx(0.6) and month[6] == pytest.approx(0.4)
    assert month[8] == "南洲街、江海街" and month[9] == "官洲街（2025-01-15 10:00）"
    assert "站点名单：站点名单.xlsx，5 个站点" in str(rows[1][0])
    files = load_workbook(out)["文件"]
    codes = {row[0].value: [c.value for c in row] for row in files.iter_rows()}
    assert any("roster" in map(str, values) for values in codes.values())  # not a station


def test_without_a_roster_the_stations_seen_stand_in_and_it_says_so(tmp_path: Path) -> None:
    from harness import copy_samples

    from xlcompare.batch import summarise

    result = summarise(copy_samples(tmp_path / "drop"), use_history=False)
    assert "未提供站点名单" in result.roster_note and not result.roster_known
    (latest,) = result.reporting  # the latest month only: who should have sent others is unknown
    assert latest.month == max(f"{s.cutoff:%Y-%m}" for s in result.summaries)
    assert latest.expected == tuple(dict.fromkeys(s.name for s in result.summaries))
