"""Months as officers keep them: one folder per month side by side (`月报/2023-11`,
`月报/2023-12`), each summarised with no option, share one history, so the second month's 趋势
compares with the first; several months in one folder show each station once, by its
latest report, the earlier ones feeding 趋势 only.

The months are 瑞宝街's sample workbook (the month ending 2023-12-31: 电话访问 3092 of 6028)
and the same station a month before (builders.ruibao_month: 电话访问 2600, cut-off
2023-11-30). Every tree is built in tmp_path; the search for a history stops below pytest's
base folder (conftest.py), so nothing above the test's own folders is ever found.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, datetime
from pathlib import Path

import builders as b
import openpyxl
import pytest
from harness import cli

from xlcompare.batch import summarise
from xlcompare.batch.place import is_month_name, locate_history
from xlcompare.paths import STATE_DIR

RUIBAO = "瑞宝街_2023-2024_中期.xlsx"
TARGET = 6028  # 电话访问's annual target
NOVEMBER, DECEMBER = date(2023, 11, 30), date(2023, 12, 31)
# the contract year 2023-06-15 … 2024-06-14 has 366 days
EXPECTED_NOV, EXPECTED_DEC = 169 / 366, 200 / 366


def _sheet(path: Path, name: str) -> list[dict]:
    rows = list(openpyxl.load_workbook(path)[name].iter_rows(min_row=4, values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]
            if any(v is not None for v in row)]


def _november(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return b.ruibao_month(folder / RUIBAO, NOVEMBER, {"电话访问": 2600})


def _december(folder: Path, **completed: float) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if completed:
        return b.ruibao_month(folder / RUIBAO, DECEMBER, completed)
    return Path(shutil.copy(b.RUIBAO_SAMPLE, folder / RUIBAO))


@pytest.fixture
def months(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """月报/2023-11 and 月报/2023-12 side by side; the working folder is tmp_path."""
    monkeypatch.chdir(tmp_path)
    _november(tmp_path / "月报" / "2023-11")
    _december(tmp_path / "月报" / "2023-12")
    return tmp_path / "月报"


def test_the_month_before_is_the_sample_with_its_own_figures(tmp_path: Path) -> None:
    from xlcompare import read_station

    report = read_station(_november(tmp_path))
    phone = next(r for r in report.indicators if r.name == "电话访问")
    assert (report.cutoff, phone.completed, phone.target) == (NOVEMBER, 2600, TARGET)
    assert report.attendance is not None and len(report.attendance.months) == 6
    assert not [p for p in report.problems if p.severity != "info"]


def test_sibling_month_folders_share_a_history_and_the_second_shows_its_trend(
        months: Path) -> None:
    first = cli("batch", "月报/2023-11")
    assert first.returncode == 0, first.stderr
    # a line says which history is used, and why there
    assert f"历史记录：{months / STATE_DIR / 'history.sqlite'}" in first.stdout
    assert "同级的各月份文件夹共用" in first.stdout
    assert not (months / "2023-11" / STATE_DIR).exists()
    second = cli("batch", "月报/2023-12")  # no option: the default output, here
    assert second.returncode == 0, second.stderr
    assert "上级文件夹" in second.stdout and "中已有" in second.stdout
    trend = {r["指标"]: r for r in _sheet(Path("xlcompare-summary.xlsx"), "趋势")
             if r["站点"] == "瑞宝街"}
    phone = trend["电话访问"]
    assert (phone["上次截止"], phone["本次截止"]) == (datetime(2023, 11, 30),
                                                    datetime(2023, 12, 31))
    assert (phone["上次完成量"], phone["本次完成量"], phone["增加"]) == (2600, 3092, 492)
    assert phone["上次完成率"] == pytest.approx(2600 / TARGET, abs=1e-4)
    assert phone["本次完成率"] == pytest.approx(3092 / TARGET)
    assert phone["完成率变化（百分点）"] == pytest.approx(
        (3092 / TARGET - phone["上次完成率"]) * 100)
    assert (phone["上次应完成"], phone["本次应完成"]) == (pytest.approx(EXPECTED_NOV),
                                                      pytest.approx(EXPECTED_DEC))
    assert phone["应完成变化（百分点）"] == pytest.approx((EXPECTED_DEC - EXPECTED_NOV) * 100)
    assert phone["上次状态"] == "基本完成" and phone["本次状态"] == "基本完成"
    # the unchanged indicators are there too, with no increase
    assert trend["入户探访"]["增加"] == 0 and len(trend) == 13


def test_the_history_names_each_month_s_files_from_its_root(months: Path) -> None:
    """One history for both months: its paths are relative to the folder holding
    `.xlcompare`, and a month's run never forgets the other month's files."""
    for month in ("2023-11", "2023-12", "2023-11"):
        assert cli("batch", f"月报/{month}", "-q").returncode == 0
    with sqlite3.connect(months / STATE_DIR / "history.sqlite") as con:
        paths = sorted(p for (p,) in con.execute("SELECT path FROM files"))
        sources = sorted(s for (s,) in con.execute("SELECT sources FROM reports"))
    assert paths == [f"2023-11/{RUIBAO}", f"2023-12/{RUIBAO}"]
    assert sources == [f'["2023-11/{RUIBAO}"]', f'["2023-12/{RUIBAO}"]']
    # the third run found November's file in the history, unchanged: not read again
    again = summarise(months / "2023-11")
    assert again.read == 0 and again.from_history == 1


def test_a_count_that_moves_without_a_target_shows_as_counts(months: Path) -> None:
    """志愿者队伍 has no target: 0 → 1 team is shown as 0 → 1 (+1), not 0.00% → 0.00%."""
    january = months / "2024-01"
    january.mkdir()
    b.ruibao_month(january / RUIBAO, date(2024, 1, 31), {"发展志愿者队伍": 1})
    for month in ("2023-12", "2024-01"):
        assert cli("batch", f"月报/{month}", "-q").returncode == 0
    teams = next(t for t in summarise(january).trends if t.indicator_id == "volunteer_teams")
    assert (teams.previous_completed, teams.completed, teams.increase) == (0, 1, 1)
    assert (teams.previous_cutoff, teams.cutoff) == (DECEMBER, date(2024, 1, 31))
    row = next(r for r in _sheet(Path("xlcompare-summary.xlsx"), "趋势")
               if r["指标"] == "志愿者队伍")
    assert (row["上次完成量"], row["本次完成量"], row["增加"]) == (0, 1, 1)


def test_several_months_in_one_folder_show_each_station_once(tmp_path: Path) -> None:
    folder = tmp_path / "瑞宝街全年"
    _november(folder / "11月")
    _december(folder / "12月")
    out = tmp_path / "summary.xlsx"
    result = cli("batch", folder, "-o", out)
    assert result.returncode == 0, result.stderr
    overview = [r for r in _sheet(out, "总览") if r["站点"] != "区中位数"]
    assert [(r["站点"], r["统计截止"]) for r in overview] == [("瑞宝街", datetime(2023, 12, 31))]
    assert "1 个站点" in result.stdout  # the status line counts stations, not reports
    # the district median is December's alone
    median = next(r for r in _sheet(out, "总览") if r["站点"] == "区中位数")
    assert median["电话访问"] == pytest.approx(3092 / TARGET)
    assert [r["站点"] for r in _sheet(out, "评语")] == ["瑞宝街"]
    files = {r["文件"]: r for r in _sheet(out, "文件")}
    earlier = files[f"11月/{RUIBAO}"]
    assert earlier["代码"] == "earlier-report" and "只用于趋势" in earlier["原因 / 说明"]
    assert files[f"12月/{RUIBAO}"]["代码"] is None
    # November feeds the trend
    trend = {r["指标"]: r for r in _sheet(out, "趋势")}
    assert (trend["电话访问"]["上次完成量"], trend["电话访问"]["本次完成量"]) == (2600, 3092)


def test_several_months_without_a_history_still_give_the_trend(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    _november(folder)
    shutil.copy(b.RUIBAO_SAMPLE, folder / "瑞宝街_12月.xlsx")
    result = summarise(folder, use_history=False)
    assert [(s.name, s.cutoff) for s in result.summaries] == [("瑞宝街", DECEMBER)]
    phone = next(t for t in result.trends if t.indicator_id == "phone_visits")
    assert (phone.previous_completed, phone.completed) == (2600, 3092)
    assert not (folder / STATE_DIR).exists()


# ------------------------------------------------------------------ where the history is


@pytest.mark.parametrize("name", ["2024-03", "2024年3月", "202403", "2024.03", "2024_3",
                                  "2024年03月报表", "2024-03-31", "3月", "十二月", "2024-03月报"])
def test_month_names(name: str) -> None:
    assert is_month_name(name)


@pytest.mark.parametrize("name", ["2024", "2024-2025年度", "月报", "瑞宝街", "2024-13",
                                  "202413", "2024-03至2024-05", "drop"])
def test_names_that_are_not_a_month(name: str) -> None:
    assert not is_month_name(name)


def test_where_the_history_is(tmp_path: Path) -> None:
    plain = tmp_path / "drop"
    plain.mkdir()
    place = locate_history(plain)
    assert (place.db, place.scope, place.how) == (plain / STATE_DIR / "history.sqlite", "",
                                                 "folder")
    month = tmp_path / "月报" / "2024-03"
    month.mkdir(parents=True)
    place = locate_history(month)
    assert (place.root, place.scope, place.how) == (tmp_path / "月报", "2024-03/", "month")
    # an existing one is found upward, however deep
    (tmp_path / "月报" / STATE_DIR).mkdir()
    deep = tmp_path / "月报" / "2024" / "海珠区"
    deep.mkdir(parents=True)
    place = locate_history(deep)
    assert (place.root, place.scope, place.how) == (tmp_path / "月报", "2024/海珠区/", "found")
    # the nearest one wins, as git's
    (month / STATE_DIR).mkdir()
    assert locate_history(month).root == month
    # --db: the root is the folder holding the file (or its .xlcompare's parent)
    given = locate_history(month, tmp_path / "hist" / "h.sqlite")
    assert (given.how, given.root, given.state_folder) == ("given", tmp_path / "hist", False)
    assert given.scope == month.as_posix() + "/"  # outside that root: its full path
    assert locate_history(month, tmp_path / "h.sqlite").scope == "月报/2024-03/"


def test_the_search_stops_at_a_ceiling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not past XLCOMPARE_CEILING_DIRECTORIES (nor the home folder or a mount boundary): a
    `.xlcompare` far above must not gather unrelated folders."""
    from xlcompare.batch.place import CEILING_ENV

    (tmp_path / STATE_DIR).mkdir()
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    assert locate_history(folder).root == tmp_path
    monkeypatch.setenv(CEILING_ENV, str(tmp_path))
    assert locate_history(folder).how == "folder"
    # nor does a month folder right under a ceiling make its history there
    month = tmp_path / "2024-03"
    month.mkdir()
    monkeypatch.setenv(CEILING_ENV, str(tmp_path))
    (tmp_path / STATE_DIR).rmdir()
    assert locate_history(month).how == "folder"


def test_a_rerun_is_current_until_a_sibling_month_records_a_report(months: Path) -> None:
    """The quick "is up to date" answer knows the trend may change: a report another month's
    folder records in the shared history makes the summary current no more."""
    out = Path("12.xlsx")
    assert cli("batch", "月报/2023-12", "-o", out, "-q").returncode == 0
    assert "已是最新" in cli("batch", "月报/2023-12", "-o", out, "-q").stdout
    assert cli("batch", "月报/2023-11", "-o", "11.xlsx", "-q").returncode == 0
    again = cli("batch", "月报/2023-12", "-o", out, "-q")
    assert "已是最新" not in again.stdout
    assert any(r["指标"] == "电话访问" for r in _sheet(out, "趋势"))
