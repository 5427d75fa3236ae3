"""`.xlsb` is one format everywhere: `inspect` and a folder's `batch` give a binary workbook
the same verdict. Before the re-cut the folder walk listed every `.xlsb` as 非表格文件 (not
a spreadsheet) while `inspect` opened it."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from xlcompare.batch.folder import scan
from xlcompare.cli import main
from xlcompare.files import SUFFIXES

EXTERNAL = Path(__file__).resolve().parent / "data" / "external"
RUIBAO = Path(__file__).resolve().parent.parent / "sample_workbooks" / "瑞宝街_2023-2024_中期.xlsx"


def test_the_folder_walk_offers_xlsb_to_the_reader(tmp_path: Path) -> None:
    assert ".xlsb" in SUFFIXES
    shutil.copy(EXTERNAL / "calamine_base.xlsb", tmp_path / "报表.xlsb")
    (found,) = scan(tmp_path)
    assert found.ignored is None


@pytest.mark.parametrize(("name", "reason", "code"), [
    # a real binary workbook with no annex table, and one with a password
    ("calamine_base.xlsb", "找不到附件1", "no-annex-table"),
    ("calamine_password.xlsb", "文件有密码", "password-protected"),
])
def test_inspect_and_batch_give_an_xlsb_the_same_verdict(tmp_path: Path, name: str,
                                                        reason: str, code: str) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    shutil.copy(RUIBAO, folder)
    book = folder / "station.xlsb"
    shutil.copy(EXTERNAL / name, book)
    runner = CliRunner()
    inspected = runner.invoke(main, ["inspect", str(book)])
    assert inspected.exit_code == 2
    assert reason in inspected.output

    summary = tmp_path / "summary.xlsx"
    batched = runner.invoke(main, ["batch", str(folder), "-o", str(summary), "-q"])
    assert batched.exit_code == 1  # some files could not be read; the rest summarised
    files = list(openpyxl.load_workbook(summary, read_only=True)["文件"].iter_rows(
        values_only=True))
    header = next(r for r in files if r and r[0] == "文件")
    rows = {r[0]: dict(zip(header, r, strict=False)) for r in files if r and r[0]}
    assert rows["station.xlsb"]["状态"] == "失败"
    assert reason in rows["station.xlsb"]["原因 / 说明"]
    assert rows["station.xlsb"]["代码"] == code
    assert rows["瑞宝街_2023-2024_中期.xlsx"]["状态"] == "已读取"
