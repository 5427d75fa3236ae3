"""Checks across a station's reports (issue 18): a cumulative figure never falls within a
contract year, an annual target does not change silently, and a monthly increase far
outside the station's own (modified z-score over median and MAD) is 请核实 — never 滞后."""

from __future__ import annotations

import calendar
import random
from datetime import date

import pytest

from xlcompare.model import Source
from xlcompare.quality import ReportFigures, modified_z, series_flags

START = date(2024, 1, 1)


def _month_end(n: int) -> date:
    """The last day of the n-th month from January 2024."""
    year, month = 2024 + n // 12, n % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def _report(n: int, phone: float, target: float = 3000, home: float | None = None
            ) -> ReportFigures:
    cell = Source(f"瑞宝街_{n + 1:02d}月.xlsx", "附件1", "E7")
    completed = {"phone_visits": (phone, cell)}
    if home is not None:
        completed["home_visits"] = (home, Source(f"瑞宝街_{n + 1:02d}月.xlsx", "附件1", "E8"))
    return ReportFigures(_month_end(n), START, completed, {"phone_visits": (target, cell)})


def _twelve_months(spike_month: int | None) -> list[ReportFigures]:
    rng = random.Random(7)
    total, reports = 0.0, []
    for n in range(12):
        gain = 200 + rng.randint(-30, 30)
        if n == spike_month:
            gain *= 10
        total += gain
        reports.append(_report(n, total))
    return reports


def test_one_month_ten_times_the_usual_increase_is_the_only_one_flagged() -> None:
    flags = series_flags("瑞宝街", _twelve_months(spike_month=7))
    (flag,) = flags
    assert flag.code == "unusual-increase" and flag.cutoff == date(2024, 8, 31)
    assert "每月增加" in flag.message and "请核实" in flag.message and "滞后" not in flag.message
    assert flag.sources == (Source("瑞宝街_08月.xlsx", "附件1", "E7"),)


def test_steady_months_are_never_flagged() -> None:
    assert series_flags("瑞宝街", _twelve_months(spike_month=None)) == ()


def test_a_cumulative_figure_that_falls_names_both_reports() -> None:
    reports = [_report(10, 2600, home=700), _report(11, 3092, home=650)]  # 入户探访 fell
    (flag,) = series_flags("瑞宝街", reports, {"home_visits": "入户探访"}.get)
    assert flag.code == "cumulative-fell"
    assert flag.message.startswith("入户探访：2024-11-30 累计完成 700，2024-12-31 为 650")
    assert [s.file for s in flag.sources] == ["瑞宝街_11月.xlsx", "瑞宝街_12月.xlsx"]


def test_a_changed_target_is_said_and_a_new_contract_year_starts_afresh() -> None:
    reports = [_report(0, 100), _report(1, 300, target=3600)]
    (flag,) = series_flags("瑞宝街", reports)
    assert flag.code == "target-changed" and "3,000" in flag.message and "3,600" in flag.message
    next_year = ReportFigures(date(2025, 1, 31), date(2025, 1, 1),
                              {"phone_visits": (50, None)}, {"phone_visits": (3600, None)})
    assert series_flags("瑞宝街", [reports[0], next_year]) == ()  # a new year starts from 0


@pytest.mark.parametrize(("values", "outlier"), [
    ([10, 11, 9, 10, 12, 10, 100], 6),
    ([5, 5, 5, 5, 5, 40], 5),  # MAD 0: the mean absolute deviation stands in
])
def test_the_modified_z_score(values: list[float], outlier: int) -> None:
    scores = modified_z(values)
    assert max(range(len(values)), key=lambda i: abs(scores[i])) == outlier
    assert abs(scores[outlier]) > 3.5
    assert all(abs(s) <= 3.5 for i, s in enumerate(scores) if i != outlier)


def test_a_rate_far_outside_the_districts_same_month_is_flagged_alone() -> None:
    from xlcompare.quality import district_flags

    december = date(2024, 12, 31)
    rng = random.Random(5)
    stations = [(f"站{n}街", december, {"phone_visits": 0.55 + rng.uniform(-0.08, 0.08),
                                       "home_visits": 0.5 + rng.uniform(-0.1, 0.1)})
                for n in range(9)]
    stations.append(("瑞宝街", december, {"phone_visits": 2.4, "home_visits": 0.52}))
    (flag,) = district_flags(stations, {"phone_visits": "电话访问"}.get)
    assert (flag.station, flag.code, flag.subject) == ("瑞宝街", "district-outlier", "phone_visits")
    assert flag.message.startswith("电话访问：完成率 240.00%，远高于本区 2024-12 其他站点")
    assert "请核实" in flag.message and "滞后" not in flag.message
    # too few stations to know what is usual; another month is another district picture
    assert district_flags(stations[-5:]) == ()
    november = [(s, date(2024, 11, 30), r) for s, _, r in stations[:5]]
    assert district_flags(november + stations[5:]) == ()


def test_the_batch_flags_the_station_far_from_the_district(tmp_path) -> None:
    import builders as b

    from xlcompare.batch import summarise

    folder = tmp_path / "2024-12"
    folder.mkdir()
    names = ["素社街", "瑞宝街", "官洲街", "南洲街", "江海街", "滨江街", "琶洲街", "赤岗街", "新港街"]
    for n, station in enumerate(names):
        annex1, annex2 = b.canonical_annex1(), b.canonical_annex2()
        for grid in (annex1, annex2):
            grid.rows[0][0] = str(grid.rows[0][0]).replace(b.STATION, station)
        scale = 3.0 if station == "琶洲街" else 1 + (n - 4) * 0.02
        for row in annex1.rows:
            if len(row) > 5 and row[1] == "电话访问":
                row[4] = round(row[4] * scale)
                row[5] = b.Pct(row[4] / row[3])
        b.write_openpyxl(folder / f"{station}.xlsx", [annex1, annex2])
    result = summarise(folder, use_history=False)
    flagged = [(s.name, f.subject) for s in result.summaries for f in s.flags
               if f.code == "district-outlier"]
    assert flagged == [("琶洲街", "phone_visits")]
