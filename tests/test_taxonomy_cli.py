"""Indicator names line up across the sample stations, and users extend the taxonomy without
code: an alias in a TOML file beside the workbooks (or given with --taxonomy) makes an
unmatched name match, shown through the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import builders as b
import pytest
from harness import CliResult, cli, sample_workbooks

from xlcompare import read_station
from xlcompare.taxonomy import align, normalise

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_workbooks"
RUIBAO = SAMPLES / "瑞宝街_2023-2024_中期.xlsx"
GUANZHOU = SAMPLES / "官洲街_2024-2025_中期.xlsx"
LOCAL_NAME = b.LOCAL_NAME


def run_cli(*args: str) -> CliResult:
    """`xlcompare ARGS...`, in this process (harness.cli)."""
    return cli(*args)


@pytest.mark.parametrize("path", sample_workbooks(), ids=lambda p: p.stem)
def test_every_sample_indicator_maps(path: Path) -> None:
    report = read_station(path)
    rows = normalise(report.indicators)
    assert [r.row.name for r in rows if r.id is None] == []


def test_ruibao_event_lines_up_with_guanzhou_rollup() -> None:
    a = normalise(read_station(RUIBAO).indicators)
    b = normalise(read_station(GUANZHOU).indicators)
    pairs = {p.id: p for p in align(a, b)}
    count, attendance = pairs["event_count"], pairs["event_attendance"]
    assert (count.a.completed, count.a.target) == (58, 80)
    assert count.b.derived and (count.b.completed, count.b.target) == (60, 60)
    assert (attendance.a.completed, attendance.a.target) == (2443, 1600)
    assert attendance.b.derived and (attendance.b.completed, attendance.b.target) == (8679, 2200)
    assert attendance.b.rate == pytest.approx(8679 / 2200)
    # the parts stay as rows of their own, with nothing on 瑞宝街's side
    assert pairs["large_event_count"].a is None and pairs["large_event_count"].b.completed == 11


def _with_local_indicator(folder: Path) -> Path:
    return b.with_local_indicator(folder / "瑞宝街_local.xlsx")


def _match_of(stdout: str, name: str) -> dict:
    (report,) = json.loads(stdout)
    return next(r["match"] for r in report["indicators"] if r["name"] == name)


def test_an_alias_in_a_user_file_makes_an_unmatched_name_match(tmp_path: Path) -> None:
    book = _with_local_indicator(tmp_path)
    before = run_cli("inspect", "--json", str(book))
    assert before.returncode == 0, before.stderr
    assert _match_of(before.stdout, LOCAL_NAME)["id"] is None
    table = run_cli("inspect", str(book))
    assert "未识别指标（1）：" in table.stdout and LOCAL_NAME in table.stdout

    extra = tmp_path / "elsewhere" / "district.toml"
    extra.parent.mkdir()
    extra.write_text(
        '[[indicators]]\nid = "meal_delivery"\nname = "长者助餐配送"\nlabel = "Meals delivered"\n'
        f'unit = "人次"\ncategory = "volunteer"\naliases = ["{LOCAL_NAME}"]\n', "utf-8")
    given = run_cli("inspect", "--json", "--taxonomy", str(extra), str(book))
    assert given.returncode == 0, given.stderr
    assert _match_of(given.stdout, LOCAL_NAME)["id"] == "meal_delivery"

    # the same file beside the workbooks is found without any option
    shutil.copy(extra, tmp_path / "xlcompare-taxonomy.toml")
    beside = run_cli("inspect", "--json", str(book))
    assert _match_of(beside.stdout, LOCAL_NAME)["id"] == "meal_delivery"
    listing = run_cli("indicators", "--taxonomy", str(extra))
    assert "meal_delivery" in listing.stdout and LOCAL_NAME in listing.stdout


def test_a_malformed_user_taxonomy_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[indicators]]\nid = 'x'\nname = \n", "utf-8")
    result = run_cli("indicators", "--taxonomy", str(bad))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.toml" in lines[0] and "Traceback" not in result.stderr


def test_indicators_lists_the_taxonomy_and_rollups() -> None:
    result = run_cli("indicators", "--json")
    data = json.loads(result.stdout)
    ids = [i["id"] for i in data["indicators"]]
    for ident in ("phone_visits", "case_closed", "event_count", "large_event_count",
                  "volunteers_new", "volunteer_teams"):
        assert ident in ids
    assert {"whole": "event_count", "parts": ["large_event_count", "small_event_count"]} in data["rollups"]
