"""What the terminal shows agrees with the workbook, and fits a narrow terminal.

`xlcompare batch` prints the first printed page of 总览: the same stations, in the same order
(ranked by 达标率), with the same counts (超额 apart from 达标) — an officer quoting the screen
must not contradict the file. At 80 columns the tables of `inspect` and `batch` wrap their
cells instead of cutting a name to `电话…`.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from harness import cli, sample_workbooks
from rich.cells import cell_len
from rich.console import Console

from xlcompare.batch import summarise
from xlcompare.readers import read_station
from xlcompare.taxonomy import default_taxonomy, normalise
from xlcompare.writers.terminal import print_batch, print_report


def _terminal_rows(stdout: str) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the first box-drawn table in `stdout`."""
    lines = [line for line in stdout.splitlines() if line.startswith(("┃", "│"))]
    cells = [[cell.strip() for cell in line.strip("┃│").split("┃" if "┃" in line else "│")]
             for line in lines]
    return cells[0], cells[1:]


def test_the_terminal_table_and_the_overview_agree_on_every_count(samples_copy: Path,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "summary.xlsx"
    result = cli("batch", samples_copy, "-o", out)
    assert result.returncode == 0, result.stderr
    header, rows = _terminal_rows(result.stdout)
    sheet = openpyxl.load_workbook(out)["总览"]
    book_header = [c.value for c in sheet[4]]
    book_rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)
                 if row[1].value and row[1].value != "区中位数"]
    # the terminal's columns are the sheet's first printed page, in its order
    assert header == book_header[:len(header)]
    assert "超额" in header and header.index("超额") == header.index("达标") + 1
    assert len(rows) == len(book_rows) == 7
    for shown, kept in zip(rows, book_rows, strict=True):
        for name, cell, value in zip(header, shown, kept, strict=False):
            if name == "按时间应完成" or name == "达标率":
                assert cell == f"{value:.2%}", (name, shown)
            elif name == "统计截止":
                assert cell == value.date().isoformat()
            else:
                assert cell == ("" if value is None else str(value)), (name, shown, kept)
    # the counts add up to the indicators judged, the same on both
    statuses = ["达标", "超额", "基本完成", "滞后", "无目标"]
    for shown in rows:
        assert sum(int(shown[header.index(s)]) for s in statuses) > 0


def _recorded(width: int, draw) -> str:
    console = Console(width=width, record=True, emoji=False, highlight=False,
                      color_system=None)
    draw(console)
    return console.export_text()


@pytest.mark.parametrize("path", sample_workbooks(), ids=lambda p: p.stem)
def test_inspect_wraps_in_80_columns(path: Path) -> None:
    report = read_station(path)
    text = _recorded(80, lambda c: print_report(c, report,
                                                normalise(report.indicators,
                                                          default_taxonomy())))
    # nothing cut short: rich's ellipsis ends a cut word (电话…); a … between dates is a range
    # (2024-06-01 … 2025-05-31, 2024-06-09…2024-07-08)
    assert not re.findall(r"[^\d\s]…", text)
    assert all(cell_len(line) <= 80 for line in text.splitlines())
    flat = "".join(text.split())  # a wrapped cell's parts, with the table between them
    for row in report.indicators:
        if cell_len(row.name) <= 12:  # a name that fits its column is shown whole
            assert row.name in text, row.name
        assert row.name[0] in flat and row.name[-1] in flat


def test_batch_wraps_in_80_columns(samples_copy: Path) -> None:
    result = summarise(samples_copy, use_history=False)
    text = _recorded(80, lambda c: print_batch(c, result))
    assert not re.findall(r"[^\d\s]…", text)
    assert all(cell_len(line) <= 80 for line in text.splitlines())
    for station in result.summaries:
        assert station.name in text
    # and the wide table is the one the golden holds
    wide = _recorded(160, lambda c: print_batch(c, result))
    assert "┃ 排名 ┃ 站点" in wide
