"""Every sheet of the summary and the diff workbook prints legibly on A4: no text under 8 pt.

Checked from the workbook itself, as LibreOffice lays it out: each column printed
(width + 0.71) × 7 pt (where Calibri, the default font, is missing — the widest case;
writers/excel.column_points), a sheet fitted to one page wide printed at page ÷ width, a
sheet split into printed column groups at its own scale with each group (and the columns
repeated beside it) within the page, and every cell's and chart's font at that scale.
`bench/print_sizes.py` measures the same from LibreOffice's PDF (the README states what it
measured); the test with LibreOffice below does that too where pdfplumber is installed.
"""

from __future__ import annotations

import re
import shutil
import sys
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from harness import cli
from openpyxl.utils import column_index_from_string, range_boundaries

from xlcompare.writers.excel import printable_width

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402  (bench/generate.py: realistic generated stations)

SMALLEST = 8.0
DEFAULT_WIDTH = 8.43 + 0.71  # a column never set, as stored


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The samples' summary and diff, and the summary of a district of 45 stations."""
    base = tmp_path_factory.mktemp("print")
    samples = base / "samples"
    shutil.copytree(ROOT / "sample_workbooks", samples,
                    ignore=shutil.ignore_patterns(".*", "~*", "*.py", "*.md"))
    out = {"summary": base / "summary.xlsx", "diff": base / "diff.xlsx",
           "district": base / "district.xlsx"}
    assert cli("batch", samples, "-o", out["summary"], "-q").returncode == 0
    assert cli("diff", samples / "瑞宝街_2023-2024_中期.xlsx", samples / "官洲街_2024-2025_中期.xlsx",
               "-o", out["diff"]).returncode == 0
    generate.generate(base / "district", 45, date(2024, 12, 31))
    assert cli("batch", base / "district", "-o", out["district"], "-q").returncode == 0
    return out


def _widths(sheet) -> dict[int, float]:
    widths: dict[int, float] = {}
    for dim in sheet.column_dimensions.values():
        if dim.min and dim.width:
            for col in range(dim.min, (dim.max or dim.min) + 1):
                widths[col] = dim.width
    return widths


def _points(widths: dict[int, float], first: int, last: int) -> float:
    return sum(widths.get(c, DEFAULT_WIDTH) * 7.0 for c in range(first, last + 1))


def _scale(sheet) -> float:
    """The scale LibreOffice prints the sheet at; asserts every printed group fits."""
    landscape = sheet.page_setup.orientation == "landscape"
    page = printable_width(landscape)
    widths = _widths(sheet)
    fitted = sheet.sheet_properties.pageSetUpPr is not None and \
        sheet.sheet_properties.pageSetUpPr.fitToPage
    if fitted:
        return min(1.0, page / _points(widths, 1, sheet.max_column))
    scale = (sheet.page_setup.scale or 100) / 100
    repeat = 0.0
    if sheet.print_title_cols:
        first, last = sheet.print_title_cols.replace("$", "").split(":")
        repeat = _points(widths, column_index_from_string(first), column_index_from_string(last))
    areas = [a.split("!")[-1] for a in str(sheet.print_area or "").split(",") if a]
    if not areas:
        areas = [f"A1:{openpyxl.utils.get_column_letter(sheet.max_column)}1"]
    for n, area in enumerate(areas):
        low, _, high, _ = range_boundaries(area.replace("$", ""))
        beside = repeat if n else 0.0  # the first group holds the repeated columns itself
        assert (beside + _points(widths, low, high)) * scale <= page + 0.5, (sheet.title, area)
    return scale


def _smallest_font(sheet) -> float:
    sizes = {cell.font.sz for row in sheet.iter_rows() for cell in row
             if cell.value is not None and cell.font is not None and cell.font.sz}
    return min(sizes, default=11.0)


@pytest.mark.parametrize("name", ["summary", "diff", "district"])
def test_every_sheet_prints_at_8_pt_or_more(workbooks: dict[str, Path], name: str) -> None:
    book = openpyxl.load_workbook(workbooks[name])
    for sheet in book:
        scale = _scale(sheet)
        assert sheet.page_setup.paperSize == 9, sheet.title  # A4
        assert _smallest_font(sheet) * scale >= SMALLEST, (sheet.title, scale)
    # the charts' text, on sheets printed at 100%
    with zipfile.ZipFile(workbooks[name]) as archive:
        for part in archive.namelist():
            if part.startswith("xl/charts/chart"):
                sizes = [int(s) / 100 for s in re.findall(r'\bsz="(\d+)"',
                                                          archive.read(part).decode())]
                assert sizes and min(sizes) >= SMALLEST + 1, part


def test_the_overview_prints_as_two_groups_with_the_station_repeated(
        workbooks: dict[str, Path]) -> None:
    sheet = openpyxl.load_workbook(workbooks["summary"])["总览"]
    assert sheet.print_title_cols == "$A:$B"
    areas = str(sheet.print_area).split(",")
    assert len(areas) == 2
    first, second = (a.split("!")[-1].replace("$", "") for a in areas)
    assert first.startswith("A1:") and second.startswith("N4:")  # the rates, from the header
    headers = [c.value for c in sheet[4]]
    assert headers[column_index_from_string("N") - 1] == "电话访问"
    assert headers[column_index_from_string("L") - 1] == "未识别指标"
    assert headers[column_index_from_string("M") - 1] == "待核实"


def test_a_large_district_charts_a_page_at_a_time(workbooks: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(workbooks["district"])
    chart_sheet = book["图表"]
    # 45 stations: as many charts as landscape pages take (15 bars each), a page each
    assert len(chart_sheet._charts) == 3
    assert len(chart_sheet.row_breaks.brk) == 2
    assert chart_sheet.page_setup.scale in (None, 100)  # 100 is not written: the default
    assert not chart_sheet.sheet_properties.pageSetUpPr.fitToPage


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_libreoffice_prints_no_text_under_8_pt(workbooks: dict[str, Path], tmp_path: Path) -> None:
    pytest.importorskip("pdfplumber")
    from print_sizes import page_sizes, to_pdf

    for name in ("summary", "diff"):
        sizes = page_sizes(to_pdf(workbooks[name], tmp_path))
        assert sizes and min(size for size, _ in sizes) >= SMALLEST - 0.05, (name, sizes)
