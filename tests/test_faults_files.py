"""Faults in the files themselves, generated here: references past Excel's grid in every
container, zips whose part names Windows or .NET writers spelled their own way, parts the
reader never parses (macros, Basic, custom XML), a missing or damaged sheet, and a reader
process that dies.

What is promised (README, "Hostile and broken files"): a cell at no place on the grid —
`A2147483648`, `A1000000000`, `ZZZZZZ1`, `A100000000`, a row or column repeated past the
grid in an .ods, a BIFF column past XFD, an `ss:Index` or a CSV line past row 1,048,576 —
never reaches calamine (which would allocate the whole rectangle and abort the process): it
is a problem of its sheet, `cell-past-grid`, and the rest of the file reads. One broken
sheet is a problem of that sheet, `sheet-unreadable`; the others read. A reader that dies
is that file's refusal with how it died, and a batch goes on.

The far references are first read in a process of their own with 2 GiB of address space
(`test_far_references_leave_the_process_standing`): before the scanners bounded them, every
one of the .xlsx files made that process abort (SIGABRT) and would have taken pytest with
it. Only then are they read in this process.
"""

from __future__ import annotations

import faulthandler
import json
import os
import re
import resource
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import builders as b
import hostile_corpus as hc
import openpyxl
import pytest
from harness import cli, copy_samples

from xlcompare import read_station
from xlcompare.batch import pipeline as _pipeline
from xlcompare.errors import ReadError
from xlcompare.files.cells import a1
from xlcompare.files.grids import _refusal, plain_reason
from xlcompare.files.isolate import child_death
from xlcompare.files.limits import Limits
from xlcompare.files.workbook import open_workbook

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_STATIONS = {"瑞宝街", "官洲街", "南华西街", "素社街", "江海街", "琶洲街", "滨江街"}
CANONICAL = hc.CANONICAL

# ------------------------------------------------------------------------------ builders


def grids(station: str = b.STATION) -> list[b.Grid]:
    """The canonical annexes, the station's name in their titles changed to `station`."""
    out = hc.canonical_grids()
    for grid in out:
        grid.rows[0][0] = str(grid.rows[0][0]).replace(b.STATION, station)
    return out


def openpyxl_book(path: Path, station: str = b.STATION) -> Path:
    return b.write_openpyxl(path, grids(station))


def patch_part(path: Path, part: str, change) -> Path:
    hc.rezip(path, lambda name, data: change(data) if name == part else data)
    return path


_SHEET1 = "xl/worksheets/sheet1.xml"
_X = '<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>'


def with_far_cell(path: Path, ref: str, station: str = b.STATION, *,
                  writer=b.write_openpyxl) -> Path:
    """The canonical workbook with a cell holding `x` at `ref` in 附件1 (a row of its own)."""
    writer(path, grids(station))
    row = re.sub(r"^[A-Za-z$]*", "", ref) or "1"
    cell = _X.format(ref=ref)
    return patch_part(path, _SHEET1, lambda data: data.replace(
        b"</sheetData>", f'<row r="{row}">{cell}</row></sheetData>'.encode()))


def far_row_implied(path: Path, station: str = b.STATION) -> Path:
    """A <row r="2147483648"> whose cell leaves `r` out: its place follows from the row."""
    openpyxl_book(path, station)
    return patch_part(path, _SHEET1, lambda data: data.replace(
        b"</sheetData>", b'<row r="2147483648"><c t="inlineStr"><is><t>x</t></is></c></row>'
                         b"</sheetData>"))


def far_dimension(path: Path, station: str = b.STATION) -> Path:
    """<dimension ref="A1:XFD2147483648"> and a cell at A0 (no row 0 on any grid)."""
    openpyxl_book(path, station)
    return patch_part(path, _SHEET1, lambda data: re.sub(
        rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD2147483648"', data).replace(
        b"</sheetData>", b'<row r="40"><c r="A0"><v>5</v></c></row></sheetData>'))


# .ods, written raw: calamine reads content.xml, the manifest and the mimetype
_ODS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
             'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
             'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
             'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
             "<office:body><office:spreadsheet>")
_ODS_TAIL = "</office:spreadsheet></office:body></office:document-content>"
_MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:'
             'oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
             '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
             'vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
             '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
_ODS_X = ('<table:table-cell office:value-type="string"><text:p>x</text:p>'
          "</table:table-cell>")


def _ods_cell(value: object, span: tuple[int, int] | None) -> str:
    spans = (f' table:number-columns-spanned="{span[1]}" table:number-rows-spanned="{span[0]}"'
             if span else "")
    if isinstance(value, b.Pct):
        value = value.value
    if value is None:
        return f"<table:table-cell{spans}/>"
    if isinstance(value, int | float):
        return (f'<table:table-cell{spans} office:value-type="float" office:value="{value!r}">'
                f"<text:p>{value!r}</text:p></table:table-cell>")
    return (f'<table:table-cell{spans} office:value-type="string"><text:p>'
            f"{hc.html.escape(str(value))}</text:p></table:table-cell>")


def _ods_table(grid: b.Grid, tail: str = "") -> str:
    covered = b._covered(grid)
    anchors = {(r1, c1): (r2 - r1 + 1, c2 - c1 + 1) for r1, c1, r2, c2 in grid.merges}
    rows = []
    for r, row in enumerate(grid.rows):
        cells = "".join("<table:covered-table-cell/>" if (r, c) in covered
                        else _ods_cell(v, anchors.get((r, c))) for c, v in enumerate(row))
        rows.append(f"<table:table-row>{cells or '<table:table-cell/>'}</table:table-row>")
    return f'<table:table table:name="{grid.name}">{"".join(rows)}{tail}</table:table>'


def write_ods(path: Path, station: str = b.STATION, tail: str = "",
              extra_parts: dict[str, str] | None = None) -> Path:
    """The canonical annexes as an .ods, `tail` (rows) appended to 附件1."""
    g1, g2 = grids(station)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", _MANIFEST)
        z.writestr("content.xml", _ODS_HEAD + _ods_table(g1, tail) + _ods_table(g2) + _ODS_TAIL)
        for part, text in (extra_parts or {}).items():
            z.writestr(part, text)
    return path


def ods_far_rows(path: Path, station: str = b.STATION) -> Path:
    """Empty rows repeated 2,147,483,000 times, then `x`: a value past row 1,048,576."""
    return write_ods(path, station, '<table:table-row table:number-rows-repeated="2147483000">'
                     "<table:table-cell/></table:table-row>"
                     f"<table:table-row>{_ODS_X}</table:table-row>")


def ods_far_columns(path: Path, station: str = b.STATION) -> Path:
    """An empty cell repeated 2,147,483,000 times across a row, then `x`: past column XFD."""
    return write_ods(path, station, '<table:table-row><table:table-cell table:number-columns-'
                     f'repeated="2147483000"/>{_ODS_X}</table:table-row>')


def ods_far_corner(path: Path, station: str = b.STATION) -> Path:
    """`x` at XFD1048576 (on the grid, 17 billion cells from A1): a stray, cut away."""
    return write_ods(path, station, '<table:table-row table:number-rows-repeated="1048553">'
                     "<table:table-cell/></table:table-row><table:table-row>"
                     f'<table:table-cell table:number-columns-repeated="16383"/>{_ODS_X}'
                     "</table:table-row>")


def xls_far_column(path: Path, station: str = b.STATION, dimensions: bool = False) -> Path:
    """xlwt canonical plus 12345 in a row of its own, then that record's column forged to
    0xFFFF at row 65535 (past XFD; calamine would allocate 65536 × 65536 cells), and with
    `dimensions` the DIMENSIONS record declaring 4 billion rows."""
    import olefile

    from xlcompare.files.biff import _locator

    g1, g2 = grids(station)
    while len(g1.rows) < 40:
        g1.rows.append([])
    g1.rows.append([None] * 5 + [12345.0])
    b.write_xlwt(path, [g1, g2])
    data = bytearray(path.read_bytes())
    ole = olefile.OleFileIO(bytes(data))
    stream = ole.openstream("Workbook").read()
    at = _locator(ole, "Workbook", len(data))
    pos, forged, first_dimension = 0, False, True
    while pos + 4 <= len(stream):
        typ, length = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4:pos + 4 + length]
        new = b""
        if typ in (0x0203, 0x027E) and struct.unpack_from("<H", body)[0] == 40:
            new, forged = struct.pack("<HH", 65535, 65535), True
        elif typ == 0x0200 and dimensions and first_dimension:
            new, first_dimension = struct.pack("<IIHH", 0, 0xFFFFFFFF, 0, 0xFFFF), False
        for i, byte in enumerate(new):
            data[at(pos + 4 + i)] = byte
        pos += 4 + length
    ole.close()
    assert forged
    path.write_bytes(bytes(data))
    return path


def spreadsheetml_far_row(path: Path, station: str = b.STATION) -> Path:
    """Excel 2003 XML with a row at ss:Index="2147483648"."""
    hc.write_spreadsheetml(path, grids(station))
    text = path.read_text("utf-8").replace(
        "</Table>", '<Row ss:Index="2147483648"><Cell><Data ss:Type="String">x</Data></Cell>'
                    "</Row></Table>", 1)
    path.write_text(text, "utf-8")
    return path


def html_far_column(path: Path, station: str = b.STATION) -> Path:
    """An HTML table whose last row spans 17 × 1000 columns (HTML's own cap) before `x`."""
    hc.write_html(path, grids(station))
    text = path.read_text("utf-8").replace(
        "</table>", "<tr>" + '<td colspan="1000"></td>' * 17 + "<td>x</td></tr></table>", 1)
    path.write_text(text, "utf-8")
    return path


def csv_far_row(path: Path, station: str = b.STATION) -> Path:
    """附件1 as CSV, then 1,100,000 empty lines and `x`: a line past row 1,048,576."""
    hc.write_csv(path, grids(station)[0], "utf-8")
    with path.open("ab") as handle:
        handle.write(b"\r\n" * 1_100_000 + b"x\r\n")
    return path


# key → (file name, builder, format, where the far cell is reported, its code)
FAR: dict[str, tuple[str, object, str, str, str]] = {
    "xlsx_A2147483648": ("far-A2147483648.xlsx", lambda p, s: with_far_cell(p, "A2147483648", s),
                         "xlsx", "A2147483648", "cell-past-grid"),
    "xlsx_A1000000000": ("far-A1000000000.xlsx", lambda p, s: with_far_cell(p, "A1000000000", s),
                         "xlsx", "A1000000000", "cell-past-grid"),
    "xlsx_ZZZZZZ1": ("far-ZZZZZZ1.xlsx", lambda p, s: with_far_cell(p, "ZZZZZZ1", s),
                     "xlsx", "ZZZZZZ1", "cell-past-grid"),
    "xlsx_A100000000": ("far-A100000000.xlsx", lambda p, s: with_far_cell(p, "A100000000", s),
                        "xlsx", "A100000000", "cell-past-grid"),
    "xlsx_lower_zzzzzz1": ("far-lower.xlsx", lambda p, s: with_far_cell(p, "zzzzzz1", s),
                           "xlsx", "zzzzzz1", "cell-past-grid"),
    "xlsxwriter_A2147483648": (
        "far-xlsxwriter.xlsx",
        lambda p, s: with_far_cell(p, "A2147483648", s, writer=b.write_xlsxwriter),
        "xlsx", "A2147483648", "cell-past-grid"),
    "xlsx_row_implied": ("far-row-implied.xlsx", far_row_implied, "xlsx", "A2147483648",
                         "cell-past-grid"),
    "xlsx_dimension_A0": ("far-dimension.xlsx", far_dimension, "xlsx", "A0", "cell-past-grid"),
    "ods_rows": ("far-rows.ods", ods_far_rows, "ods", "A2147483023", "cell-past-grid"),
    "ods_columns": ("far-columns.ods", ods_far_columns, "ods", "", "cell-past-grid"),
    "ods_corner": ("far-corner.ods", ods_far_corner, "ods", "XFD1048576", "stray-cells"),
    "xls_column": ("far-column.xls", xls_far_column, "xls", "CRXP65536", "cell-past-grid"),
    "xls_dimensions": ("far-dimensions.xls", lambda p, s: xls_far_column(p, s, dimensions=True),
                       "xls", "CRXP65536", "cell-past-grid"),
    "spreadsheetml_row": ("far-row-2003.xls", spreadsheetml_far_row, "spreadsheetml",
                          "A2147483648", "cell-past-grid"),
    "html_column": ("far-column-html.xls", html_far_column, "html", a1(22, 17000),
                    "cell-past-grid"),
    "csv_row": ("far-row-csv.xlsx", csv_far_row, "csv", "A1100023", "cell-past-grid"),
}
# the ones in Excel-written containers read both annexes; the CSV holds 附件1 only
_ONE_ANNEX = {"csv_row"}


def build_far(directory: Path, key: str, station: str = b.STATION) -> Path:
    name, build, *_ = FAR[key]
    path = directory / name
    build(path, station)  # type: ignore[operator]
    return path


@pytest.fixture(scope="module")
def far_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("far")
    return {key: build_far(directory, key) for key in FAR}


# ------------------------------------------------------------------------------ far references


_READ_ALL = """
import json, sys
from xlcompare import read_station
from xlcompare.batch import pipeline as _pipeline
from xlcompare.errors import ReadError
from xlcompare.files.cells import a1
out = {}
for path in sys.argv[1:]:
    try:
        report = read_station(path)
        out[path] = {"figures": len(report.indicators),
                     "codes": sorted({p.code for p in report.problems})}
    except ReadError as exc:
        out[path] = {"refused": exc.code}
print(json.dumps(out))
"""


def _two_gib() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def test_far_references_leave_the_process_standing(far_files: dict[str, Path]) -> None:
    """Every far-reference file read in one process held to 2 GiB of address space: it
    finishes (on the code before this test, each .xlsx here aborted it: SIGABRT, exit -6,
    nothing printed) and every file reads, its far cell reported."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, (str(ROOT),
                                                                     os.environ.get("PYTHONPATH")))))
    done = subprocess.run([sys.executable, "-c", _READ_ALL, *map(str, far_files.values())],
                          capture_output=True, text=True, env=env, preexec_fn=_two_gib,
                          timeout=300, check=False)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    verdicts = json.loads(done.stdout)
    for key, path in far_files.items():
        verdict = verdicts[str(path)]
        assert "refused" not in verdict, (key, verdict)
        assert verdict["figures"] == len(CANONICAL), (key, verdict)
        assert FAR[key][4] in verdict["codes"], (key, verdict)


@pytest.mark.parametrize("key", list(FAR))
def test_a_far_reference_is_a_problem_of_its_sheet(key: str, far_files: dict[str, Path]) -> None:
    """Read in this process: the canonical figures, and the far cell reported with its code
    and where it was written (never read into the grid, whatever the container)."""
    _, _, fmt, where, code = FAR[key]
    path = far_files[key]
    book = open_workbook(path)
    assert book.format == fmt
    assert all(len(s.rows) <= 100 and s.width <= 50 for s in book.sheets), key
    report = read_station(path)
    figures = {row.name: (row.target, row.completed) for row in report.indicators}
    assert figures == CANONICAL, key
    if key not in _ONE_ANNEX:
        assert report.attendance is not None
        assert report.attendance.totals == b.ATTENDANCE_TOTALS
    found = [p for p in (*report.problems, *book.problems) if p.code == code]
    assert found, (key, [(p.code, p.cell, p.message) for p in report.problems])
    if where:
        assert any(p.cell == where for p in found), (key, [p.cell for p in found])
    unexpected = [p for p in report.problems if p.severity != "info"
                  and p.code not in (code, "unnamed-row")]
    assert not unexpected, (key, [(p.code, p.message) for p in unexpected])
    if code == "cell-past-grid":
        assert "not read" in found[0].message and "(单元格位置超出Excel表格范围" in found[0].message


@pytest.mark.parametrize("key", ["xlsx_A2147483648", "ods_rows", "xls_column", "csv_row"])
def test_inspect_shows_the_far_cell_and_the_figures(key: str, far_files: dict[str, Path]) -> None:
    result = cli("inspect", far_files[key])
    assert result.returncode == 0, result.stderr
    assert f"[{FAR[key][4]}]" in result.stdout
    assert "电话访问" in result.stdout and "Traceback" not in result.stderr


def test_far_cells_are_read_in_process_not_isolated(far_files: dict[str, Path]) -> None:
    """The cut copy is bounded, so calamine reads it here (no 100 ms child per file)."""
    for key in ("xlsx_A2147483648", "ods_rows", "ods_corner", "xls_column"):
        notes = open_workbook(far_files[key]).notes
        assert not any("separate process" in n for n in notes), (key, notes)


# ------------------------------------------------------------------------------ the batch


def _broken_sheets(path: Path) -> Path:
    """Both annexes' XML damaged: no sheet can be read — a refusal (corrupt)."""
    openpyxl_book(path, "坏表街")
    hc.rezip(path, lambda name, data: data[:len(data) // 2]
             if name.startswith("xl/worksheets/") else data)
    return path


def _lattice(path: Path) -> Path:
    """Cells every 10,000 rows and 200 columns to XFD1048576: no stray, a 17-billion-cell
    table — refused before calamine (sheet-too-large)."""
    openpyxl_book(path, "格子街")
    cells = "".join(f'<row r="{r}">' + "".join(
        f'<c r="{b._letter(c)}{r}"><v>1</v></c>' for c in range(0, 16384, 200)) + "</row>"
        for r in range(30, 1_048_577, 10_000))
    return patch_part(path, _SHEET1, lambda data: data.replace(b"</sheetData>",
                                                                cells.encode() + b"</sheetData>"))


_NAMES = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"


def _rows(sheet) -> list[dict[str, object]]:
    """A summary sheet's rows by its header names (the header is the first row whose first
    cell is a header we know)."""
    rows = list(sheet.iter_rows(values_only=True))
    at = next(i for i, row in enumerate(rows) if row and row[0] in ("文件", "站点", "排名"))
    header = [str(h) if h is not None else "" for h in rows[at]]
    return [dict(zip(header, row, strict=False)) for row in rows[at + 1:] if any(row)]


def test_a_batch_over_the_samples_and_far_references_of_every_kind(tmp_path: Path) -> None:
    """The samples, every far-reference file (each a station of its own, 远甲街 …) and two
    files that cannot be read: exit 1, every station summarised, each far cell in the 问题
    sheet with its code, the two 失败 with their reason and code in the 文件 sheet, and the
    whole run (its children included) under 1 GiB."""
    folder = copy_samples(tmp_path / "drop")
    far = folder / "far"
    far.mkdir()
    stations = {}
    for n, key in enumerate(FAR):
        station = f"远{_NAMES[n]}街"
        stations[station] = key
        build_far(far, key, station)
    bad = {"far/" + _broken_sheets(far / "坏表街.xlsx").name: "corrupt",
           "far/" + _lattice(far / "格子街.xlsx").name: "sheet-too-large"}
    out = tmp_path / "summary.xlsx"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, (str(ROOT),
                                                                     os.environ.get("PYTHONPATH")))))
    code = ("import resource, runpy, sys; sys.argv = ['xlcompare'] + sys.argv[1:]; "
            "runpy.run_module('xlcompare', run_name='__main__')")
    done = subprocess.run([sys.executable, "-c", code, "batch", str(folder), "-o", str(out), "-q",
                           "--db", str(tmp_path / "h.sqlite")],
                          capture_output=True, text=True, env=env, timeout=600, check=False)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert done.returncode == 1, done.stderr[-2000:]  # some files could not be read
    assert "Traceback" not in done.stderr
    assert peak_kb < 1024 * 1024, f"{peak_kb / 1024:.0f} MB"

    book = openpyxl.load_workbook(out)
    overview = {row.get("站点") for row in _rows(book["总览"])}
    assert SAMPLE_STATIONS | set(stations) <= overview, sorted(overview - {None})
    files = {row["文件"]: row for row in _rows(book["文件"])}
    for rel, want in bad.items():
        row = files[rel]
        assert row["状态"] == "失败", row
        assert row["代码"] == want and row["原因 / 说明"], row
    problems = _rows(book["问题"])
    for station, key in stations.items():
        codes = {p.get("代码") for p in problems if p.get("站点") == station}
        assert FAR[key][4] in codes, (station, key, codes)


# ------------------------------------------------------------------------------ a reader that dies


_POISON = "毒药街.xlsx"


_REAL_READ_ONE = _pipeline._read_one


def _dies_on_poison(path: str, digest: str | None = None, layouts: tuple[str, ...] = ()):
    """pipeline._read_one, except that the process reading the poison file aborts, as
    calamine did on a far reference: SIGABRT, no answer."""
    if path.endswith(_POISON):
        faulthandler.disable()  # pytest's: it would print this worker's stack on the abort
        os.abort()
    return _REAL_READ_ONE(path, digest, layouts)


def test_a_worker_that_dies_is_that_files_failure_and_the_batch_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers read in parallel; the one reading the poison file dies (SIGABRT), which breaks
    the pool. The files it had in hand are read again alone: every sample station is
    summarised, the poison file is 失败 with how its reader died (reader-crashed), that is
    in the history, and the next run takes it from there instead of dying again."""
    if _pipeline._CONTEXT.get_start_method() != "fork":
        pytest.skip("the poison is planted by patching the reader, which needs fork")
    from xlcompare.batch import summarise

    folder = copy_samples(tmp_path / "drop")
    openpyxl_book(folder / _POISON, "毒药街")
    monkeypatch.setattr(_pipeline, "_read_one", _dies_on_poison)
    monkeypatch.setattr(_pipeline, "PARALLEL_FROM", 2)
    monkeypatch.setattr(_pipeline, "CHUNK", 2)
    db = tmp_path / "h.sqlite"
    result = summarise(folder, db=db, jobs=2, keep_stations=False)
    records = {f.path: f for f in result.files}
    poison = records[_POISON]
    assert poison.status.name == "FAILED", poison
    assert poison.code == "reader-crashed", poison
    assert "SIGABRT" in poison.reason
    assert {s.name for s in result.summaries} >= SAMPLE_STATIONS
    assert all(f.status.name in ("READ", "DUPLICATE") for p, f in records.items() if p != _POISON)

    again = summarise(folder, db=db, jobs=2, keep_stations=False)  # nothing re-read, no death
    assert again.read == 0
    assert {f.path: f for f in again.files}[_POISON].code == "reader-crashed"


@pytest.mark.parametrize(("code", "stderr", "kind", "reason"), [
    (-6, b"memory allocation of 17179869184 bytes failed\n", "too_large", "resource-limit"),
    (-9, b"", "too_large", "resource-limit"),
    (-24, b"", "too_large", "read-timeout"),
    (-11, b"", "corrupt", "reader-crashed"),
    (-6, b"", "corrupt", "reader-crashed"),
])
def test_how_a_reader_died_is_the_reason(code: int, stderr: bytes, kind: str, reason: str) -> None:
    error = child_death(code, stderr, Limits(), "x.xlsx")
    assert (error.kind, error.code) == (kind, reason)
    assert "x.xlsx" in str(error) and "\n" not in error.message


def test_a_calamine_panic_is_a_damaged_file_in_plain_words() -> None:
    """A Rust panic is calamine meeting what it did not expect, not memory; and no Rust
    debug text reaches the message."""
    panic = type("PanicException", (BaseException,), {})
    error = _refusal(panic("called `Option::unwrap()` on a `None` value"), "x.xlsb")
    assert (error.kind, error.code) == ("corrupt", "corrupt")
    assert "memory" not in error.message and "unwrap" not in error.message
    debug = RuntimeError('Xlsx(Xml(Syntax(UnclosedTag { pos: 12 })))')
    assert plain_reason(debug) == "its XML is damaged"
    assert "Xlsx(" not in _refusal(RuntimeError("Xlsx(Unexpected(\"x\"))"), "y.xlsx").message
    assert _refusal(panic("capacity overflow"), "z.xlsx").code == "out-of-memory"


# ------------------------------------------------------------------------------ readable workbooks


def _renamed(path: Path, rename) -> Path:
    with zipfile.ZipFile(path) as z:
        parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            z.writestr(rename(name), data)
    return path


@pytest.mark.parametrize("style", ["backslash", "upper", "lower", "mixed"])
def test_part_names_in_any_case_and_with_backslashes_read(tmp_path: Path, style: str) -> None:
    """Entry names as Windows and .NET writers store them (`xl\\workbook.xml`,
    `[content_types].xml`, `XL/Worksheets/Sheet1.xml`): calamine reads them (it matches
    names without case and with either separator), so they read here too, figures and
    facts (formulas, strays) matched to their sheets."""
    rename = {
        "backslash": lambda n: n.replace("/", "\\"),
        "upper": str.upper,
        "lower": str.lower,
        "mixed": lambda n: n.replace("[Content_Types]", "[content_types]").replace(
            "xl/worksheets/sheet1.xml", "XL/Worksheets/Sheet1.xml"),
    }[style]
    path = _renamed(with_far_cell(tmp_path / "names.xlsx", "A2147483648"), rename)
    report = read_station(path)
    assert {r.name: (r.target, r.completed) for r in report.indicators} == CANONICAL
    assert report.attendance is not None and report.attendance.totals == b.ATTENDANCE_TOTALS
    assert [p.code for p in report.problems if p.severity != "info"] == ["cell-past-grid"]


def test_two_entries_naming_one_part_are_a_duplicate(tmp_path: Path) -> None:
    path = openpyxl_book(tmp_path / "twice.xlsx")
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("XL\\Worksheets\\Sheet1.xml", b"<worksheet/>")
    with pytest.raises(ReadError) as caught:
        open_workbook(path)
    assert caught.value.code == "duplicate-part"


_DTD = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>'


def test_macros_vba_and_custom_xml_are_not_held_against_the_file(tmp_path: Path) -> None:
    """An .xlsm with a VBA project, an XLM macro sheet listed in the workbook (calamine
    refuses a workbook listing one: the copy it reads leaves it out) and custom XML, the
    last two declaring DTDs: nothing here parses them, so it reads, with a note."""
    g1, g2 = hc.annex1(), hc.annex2()
    macro = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE xm:macrosheet>'
             '<xm:macrosheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData><row '
             'r="1"><c r="A1"><f>RETURN()</f></c></row></sheetData></xm:macrosheet>')
    path = hc.write_raw_xlsx(tmp_path / "macro.xlsm", [(g1.name, hc.sheet_xml(g1)),
                                                      (g2.name, hc.sheet_xml(g2))], macro=True,
                             extra_parts={"xl/macrosheets/sheet1.xml": macro.encode(),
                                          "customXml/item1.xml": _DTD.encode()})
    hc.rezip(path, lambda name, data: data.replace(
        b"</sheets>", b'<sheet name="Macro1" sheetId="9" r:id="rId9"/></sheets>')
        if name == "xl/workbook.xml" else data.replace(
        b"</Relationships>", b'<Relationship Id="rId9" Type="http://schemas.microsoft.com/'
        b'office/2006/relationships/xlMacrosheet" Target="macrosheets/sheet1.xml"/>'
        b"</Relationships>") if name == "xl/_rels/workbook.xml.rels" else data)
    book = open_workbook(path)
    assert book.format == "xlsm"
    assert [s.name for s in book.sheets] == ["附件1", "附件2"]
    assert any("Macro1" in n and "macro sheet" in n for n in book.notes), book.notes
    report = read_station(path)
    assert {r.name: (r.target, r.completed) for r in report.indicators} == CANONICAL


def test_libreoffice_basic_modules_are_not_held_against_the_file(tmp_path: Path) -> None:
    """LibreOffice stores Basic macros as XML declaring `<!DOCTYPE script:module>`."""
    basic = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE script:module PUBLIC '
             '"-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n<script:module '
             'xmlns:script="http://openoffice.org/2000/script" script:name="Module1" '
             'script:language="StarBasic">Sub Main\nEnd Sub</script:module>')
    path = write_ods(tmp_path / "basic.ods", extra_parts={
        "Basic/Standard/Module1.xml": basic,
        "Basic/script-lc.xml": '<?xml version="1.0"?>\n<!DOCTYPE library:libraries PUBLIC '
                               '"-//OpenOffice.org//DTD OfficeDocument 1.0//EN" '
                               '"libraries.dtd"><library:libraries/>'})
    report = read_station(path)
    assert {r.name: (r.target, r.completed) for r in report.indicators} == CANONICAL
    # a DTD in a part that is parsed is refused as before
    hc.rezip(path, lambda name, data: data.replace(b"?>", b"?><!DOCTYPE x>", 1)
             if name == "content.xml" else data)
    with pytest.raises(ReadError) as caught:
        open_workbook(path)
    assert caught.value.code == "entity-declaration"


@pytest.mark.parametrize("damage", ["missing", "damaged", "unlisted"])
def test_one_broken_sheet_is_a_problem_and_the_others_read(tmp_path: Path, damage: str) -> None:
    """附件2's part left out, cut in half, or its relationship gone: a problem of 附件2
    (sheet-unreadable, saying why), and 附件1 reads."""
    path = openpyxl_book(tmp_path / f"{damage}.xlsx")
    sheet2 = "xl/worksheets/sheet2.xml"
    if damage == "missing":
        hc.rezip(path, lambda name, data: None if name == sheet2 else data)
    elif damage == "damaged":
        hc.rezip(path, lambda name, data: data[:len(data) // 2] if name == sheet2 else data)
    else:
        hc.rezip(path, lambda name, data: re.sub(rb"<Relationship [^>]*Id=\"rId2\"[^>]*/>", b"", data)
                 if name == "xl/_rels/workbook.xml.rels" else data)
    report = read_station(path)
    assert {r.name: (r.target, r.completed) for r in report.indicators} == CANONICAL
    found = [p for p in report.problems if p.code == "sheet-unreadable"]
    assert [p.sheet for p in found] == ["附件2"], report.problems
    why = {"missing": "missing", "damaged": "damaged", "unlisted": "no part"}[damage]
    assert why in found[0].message and "other sheets were read" in found[0].message
    assert not re.search(r"\w+\(|\{ ", found[0].message), found[0].message  # no debug text


def test_no_sheet_readable_is_one_refusal(tmp_path: Path) -> None:
    path = _broken_sheets(tmp_path / "broken.xlsx")
    result = cli("inspect", path)
    assert result.returncode != 0
    line = result.stderr.strip()
    assert "\n" not in line and "no sheet can be read" in line and path.name in line
