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
