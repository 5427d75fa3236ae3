"""A district's own names, in `xlcompare-taxonomy.toml` beside the workbooks, reach `batch`
and `watch` as they reach `inspect` — through the command line, with no option given.

Before the re-cut the batch looked for the file inside a folder named `_` under FOLDER and
never found it: the 总览 listed the district's name as 未识别 while `inspect` matched it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import builders as b
import openpyxl
import pytest
from click.testing import CliRunner

from xlcompare.cli import main

ROOT = Path(__file__).resolve().parent.parent
RUIBAO = ROOT / "sample_workbooks" / "瑞宝街_2023-2024_中期.xlsx"
LOCAL_NAME, ALIAS = b.LOCAL_NAME, b.LOCAL_ALIAS


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A drop folder holding 瑞宝街's workbook with one row the district names its own way."""
    drop = tmp_path / "月报"
    drop.mkdir()
    b.with_local_indicator(drop / "瑞宝街_2023-2024_中期.xlsx")
    return drop


def _unmatched(summary: Path) -> str:
    sheet = openpyxl.load_workbook(summary, read_only=True)["总览"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r and "站点" in r)
    column = header.index("未识别指标")
    station = next(r for r in rows if r and r[1] == "瑞宝街")
    return station[column] or ""


def test_batch_matches_the_alias_beside_the_workbooks(folder: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    summary = tmp_path / "summary.xlsx"
    args = ["batch", str(folder), "-o", str(summary), "-q"]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert _unmatched(summary) == LOCAL_NAME

    (folder / "xlcompare-taxonomy.toml").write_text(ALIAS, "utf-8")
    again = runner.invoke(main, args)  # nothing else changed: the new file alone must count
    assert again.exit_code == 0, again.output
    assert "已是最新" not in again.output
    assert _unmatched(summary) == ""


def test_watch_is_given_the_taxonomy_beside_the_workbooks(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The watch command hands the folder's taxonomy to every rebuild."""
    seen: dict[str, Any] = {}

    def fake_watch(root: Path, rebuild: Any, **options: Any) -> None:
        seen.update(options)

    monkeypatch.setattr("xlcompare.batch.watch.watch", fake_watch)
    shutil.copy(RUIBAO, folder / "copy.xlsx")
    (folder / "xlcompare-taxonomy.toml").write_text(ALIAS, "utf-8")
    result = CliRunner().invoke(main, ["watch", str(folder), "-o", str(tmp_path / "s.xlsx")])
    assert result.exit_code == 0, result.output
    taxonomy = seen["taxonomy"]
    assert "meal_delivery" in taxonomy
    assert any(s.endswith("xlcompare-taxonomy.toml") for s in taxonomy.sources)
