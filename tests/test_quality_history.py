"""Checks across reports through the history, and the 已核实 follow-up (issue 18): 瑞宝街's
November and December in month folders side by side, December's 入户探访 lower than
November's — one flag naming both files and cells; an officer's 已核实 mark survives a
rerun and a new month."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import builders as b
from openpyxl import load_workbook


def _quality_rows(path: Path) -> list[dict[str, object]]:
    sheet = load_workbook(path)["数据质量"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    start = next(n for n, row in enumerate(rows) if row[0] == "编号")  # under the notes
    header, body = rows[start], rows[start + 1:]
    return [dict(zip(header, row, strict=True)) for row in body if row[0] and row[1]]  # not （无）


def _months(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "月报"
    november, december = root / "2023-11", root / "2023-12"
    november.mkdir(parents=True)
    december.mkdir()
    b.ruibao_month(november / "瑞宝街_2023-11.xlsx", date(2023, 11, 30),
                   {"入户探访": 929, "电话访问": 2600})  # December's sample says 879
    shutil.copy(b.RUIBAO_SAMPLE, december / "瑞宝街_2023-12.xlsx")
    return november, december


def test_a_figure_lower_than_last_month_names_both_files_and_cells(tmp_path: Path, cli) -> None:
    november, december = _months(tmp_path)
    assert cli("batch", str(november), "-o", str(tmp_path / "11.xlsx"), "-q").returncode == 0
    assert cli("batch", str(december), "-o", str(tmp_path / "12.xlsx"), "-q").returncode == 0
    (row,) = _quality_rows(tmp_path / "12.xlsx")
    assert row["代码"] == "cumulative-fell" and row["站点"] == "瑞宝街"
    assert row["说明"] == ("入户探访：2023-11-30 累计完成 929，2023-12-31 为 879，累计数不应减少，"
                         "请核实")
    assert row["位置"] == "瑞宝街_2023-11.xlsx 附件1!B9；瑞宝街_2023-12.xlsx 附件1!B9"
    assert row["状态"] == "待核实"
    assert _quality_rows(tmp_path / "11.xlsx") == []  # November alone breaks nothing


def test_a_verified_flag_stays_verified_on_a_rerun_and_in_a_new_month(tmp_path: Path,
                                                                      cli) -> None:
    november, december = _months(tmp_path)
    cli("batch", str(november), "-o", str(tmp_path / "11.xlsx"), "-q")
    cli("batch", str(december), "-o", str(tmp_path / "12.xlsx"), "-q")
    (row,) = _quality_rows(tmp_path / "12.xlsx")
    said = cli("verify", str(december), str(row["编号"]), "--note", "已电话核实：11月多报50次")
    assert said.returncode == 0, said.stderr
    assert "已核实" in said.stdout
    cli("batch", str(december), "-o", str(tmp_path / "12.xlsx"), "-q")
    (again,) = _quality_rows(tmp_path / "12.xlsx")
    assert again["编号"] == row["编号"] and again["状态"] == "已核实：已电话核实：11月多报50次"
    january = december.parent / "2024-01"
    january.mkdir()
    b.ruibao_month(january / "瑞宝街_2024-01.xlsx", date(2024, 1, 31), {"电话访问": 3500})
    cli("batch", str(january), "-o", str(tmp_path / "01.xlsx"), "-q")
    (later,) = _quality_rows(tmp_path / "01.xlsx")
    assert later["编号"] == row["编号"] and str(later["状态"]).startswith("已核实")


def test_an_unknown_number_is_refused_with_the_known_ones(tmp_path: Path, cli) -> None:
    november, december = _months(tmp_path)
    cli("batch", str(november), "-o", str(tmp_path / "11.xlsx"), "-q")
    cli("batch", str(december), "-o", str(tmp_path / "12.xlsx"), "-q")
    (row,) = _quality_rows(tmp_path / "12.xlsx")
    said = cli("verify", str(december), "Q000000", "--note", "x")
    assert said.returncode == 2
    assert "Q000000" in said.stderr and str(row["编号"]) in said.stderr
    assert "[flag-not-found]" in said.stderr


def test_twelve_months_with_one_unusual_increase_flag_that_month_only(tmp_path: Path) -> None:
    """瑞宝街's contract year month by month in one folder, 电话访问 growing about 250 a
    month, but ten times that in February 2024: that month is 请核实, no other is."""
    import calendar
    import random

    from xlcompare.batch import summarise

    folder = tmp_path / "全年"
    folder.mkdir()
    rng, phone = random.Random(3), 0
    for n in range(12):
        year, month = 2023 + (5 + n) // 12, (5 + n) % 12 + 1
        gain = 250 + rng.randint(-40, 40)
        phone += gain * 10 if (year, month) == (2024, 2) else gain
        cutoff = date(year, month, calendar.monthrange(year, month)[1])
        b.ruibao_month(folder / f"瑞宝街_{year}-{month:02d}.xlsx", cutoff, {"电话访问": phone})
    for history in (False, True):
        result = summarise(folder, use_history=history, db=tmp_path / f"h{history}.sqlite")
        (station,) = result.summaries
        unusual = [f for f in station.flags if f.code == "unusual-increase"]
        assert [(f.cutoff, f.subject) for f in unusual] == [(date(2024, 2, 29), "phone_visits")]
        assert "请核实" in unusual[0].message and "滞后" not in unusual[0].message
