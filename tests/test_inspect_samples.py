"""The committed sample workbooks read to the evaluators' own figures (tests/data/seed_figures.json,
copied from the two mid-term evaluation reports), through the CLI a user runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from harness import CliResult, cli, sample_workbooks

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_workbooks"
SEEDS = {s["street"]: s for s in json.loads((ROOT / "tests/data/seed_figures.json").read_text("utf-8"))["stations"]}
SEED_FILES = {"瑞宝街": "瑞宝街_2023-2024_中期.xlsx", "官洲街": "官洲街_2024-2025_中期.xlsx"}


def run_cli(*args: str) -> CliResult:
    """`xlcompare ARGS...`, in this process (harness.cli)."""
    return cli(*args)


@pytest.fixture(scope="module", params=sorted(SEED_FILES))
def seed_report(request: pytest.FixtureRequest) -> tuple[dict, dict]:
    street = request.param
    result = run_cli("inspect", "--json", str(SAMPLES / SEED_FILES[street]))
    assert result.returncode == 0, result.stderr
    (report,) = json.loads(result.stdout)
    return SEEDS[street], report


def test_seed_station_meta(seed_report: tuple[dict, dict]) -> None:
    seed, report = seed_report
    assert report["station"] == seed["street"]
    assert report["operator"] == seed["operator"]
    assert report["contract_start"] == seed["contract_start"]
    assert report["contract_end"] == seed["contract_end"]
    assert report["cutoff"] == seed["cutoff"]


def test_seed_indicators_match_the_evaluation_report(seed_report: tuple[dict, dict]) -> None:
    seed, report = seed_report
    rows = report["indicators"]
    assert [r["name"] for r in rows] == [i["name"] for i in seed["indicators"]]
    for row, expected in zip(rows, seed["indicators"], strict=True):
        assert row["unit"] == expected["unit"]
        assert row["completed"] == expected["completed"]
        assert row["target"] == expected["target"]
        if expected["target"]:
            # the evaluators print rates rounded to 2 decimals of a percent
            assert round(row["rate"], 4) == pytest.approx(expected["rate"], abs=1e-9)
        else:
            assert row["rate"] is None
        assert row["sheet_rate"] == pytest.approx(expected["rate"], abs=1e-9)


def test_seed_attendance_and_staffing(seed_report: tuple[dict, dict]) -> None:
    seed, report = seed_report
    assert report["attendance"]["totals"] == seed["attendance"]
    staffing = report["staffing"]
    for key in ("contract_staff", "average_staff", "certified", "two_years_plus",
                "continuously_in_post", "training_hours_required", "training_hours_done",
                "supervision_hours"):
        if key in seed["staffing"]:
            assert staffing[key] == seed["staffing"][key], key
    assert staffing["retention_rate"] == pytest.approx(seed["staffing"]["retention_rate"], abs=5e-5)


def test_seed_samples_read_without_warnings(seed_report: tuple[dict, dict]) -> None:
    _, report = seed_report
    assert [p for p in report["problems"] if p["severity"] != "info"] == []


def test_inspect_table_shows_rates_and_attendance_totals() -> None:
    result = run_cli("inspect", str(SAMPLES / SEED_FILES["瑞宝街"]))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for text in ("瑞宝街", "2023-12-31", "51.29%", "152.69%", "发展志愿者队伍", "附件1 指标完成情况 (13 项)"):
        assert text in out
    total_line = next(line for line in out.splitlines() if "合计" in line)
    assert [cell.strip() for cell in total_line.strip("│ ").split("│")][1:] == ["140", "160", "70", "121.5", "38.5"]


def test_every_sample_station_reads() -> None:
    files = sample_workbooks()
    result = run_cli("inspect", "--json", *map(str, files))
    assert result.returncode == 0, result.stderr
    reports = json.loads(result.stdout)
    assert len(reports) >= 5
    for report in reports:
        assert report["station"] and report["cutoff"], report["sources"]
        assert len(report["indicators"]) >= 10, report["sources"]
        assert report["attendance"]["totals"]["actual_total"], report["sources"]
    split = [r for r in reports if len(r["sources"]) == 2]
    assert split, "the sample with 附件1 and 附件2 in separate files reads as one station"


def test_verbose_says_what_was_detected_and_where() -> None:
    result = run_cli("inspect", "-v", str(SAMPLES / SEED_FILES["官洲街"]))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "识别过程：" in out
    # said in Chinese first, with the role names a layout.toml user configures
    assert "表头第5-6行" in out
    assert "D=协议指标量(target)" in out and "F=完成率(rate)" in out
    assert "统计截止 来自 指标完成情况!" in out
    assert "协议配备社工(contract_staff) = 18，来自 到岗情况!" in out
