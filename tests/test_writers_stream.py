"""Every workbook writer takes a path or a binary stream (a web response, a BytesIO): the
bytes written to a stream open to the same workbook as the file, cell for cell."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from golden import dump_workbook

from xlcompare import read_station
from xlcompare.batch import summarise
from xlcompare.comparison import compare
from xlcompare.writers.diff_xlsx import write_diff
from xlcompare.writers.summary_xlsx import write_summary

SAMPLES = Path(__file__).resolve().parents[1] / "sample_workbooks"
RUIBAO = SAMPLES / "瑞宝街_2023-2024_中期.xlsx"
GUANZHOU = SAMPLES / "官洲街_2024-2025_中期.xlsx"


def _same_as_file(write, tmp_path: Path) -> None:
    on_disk = tmp_path / "out.xlsx"
    write(on_disk)
    buffer = io.BytesIO()
    write(buffer)
    streamed = tmp_path / "streamed.xlsx"
    streamed.write_bytes(buffer.getvalue())
    assert buffer.getvalue()[:2] == b"PK"
    assert dump_workbook(streamed) == dump_workbook(on_disk)


def test_the_diff_workbook_to_a_stream(tmp_path: Path) -> None:
    comparison = compare(read_station(RUIBAO), read_station(GUANZHOU))
    _same_as_file(lambda target: write_diff(comparison, target), tmp_path)


def test_the_summary_workbook_to_a_stream(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    for name in (RUIBAO, GUANZHOU):
        shutil.copy(name, folder)
    result = summarise(folder, use_history=False)
    _same_as_file(lambda target: write_summary(result, target), tmp_path)
