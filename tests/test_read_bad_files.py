"""Files that are not readable station workbooks: one clear error naming the file.

For each bad file, read_station raises the documented XlcompareError subclass (ReadError:
cannot be opened as a workbook; LayoutError: opens, but holds no annex table) with its stable
code, its message names the file and says what is wrong, and `xlcompare inspect FILE` prints
that as one line on stderr with a non-zero exit and no traceback (in this process for every
file, and once in a process of its own). Reading never changes the file. Then every other
refusal, one small file each, with its kind and code.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import builders as b
import pytest
from harness import english

from xlcompare import LayoutError, ReadError, XlcompareError, read_reports, read_station
from xlcompare.codes import ERROR_CODES, REFUSAL_CODES
from xlcompare.files.limits import Limits
from xlcompare.files.workbook import open_workbook

# What the message must say besides the file name: one of these patterns (regular
# expressions, case-insensitive). Wording is free; the kind of fault must be recognisable.
NO_TABLE = (r"\bno\b.*\b(table|annex)", r"(table|annex).*not found", r"not recogni[sz]",
            "未找到", "找不到", "无法识别", "未识别")
CORRUPT = (r"corrupt", r"damaged", r"truncated", r"not an? (valid )?(excel |zip )?(workbook|file)",
           r"unknown (file )?format", "损坏", "截断", "不是有效", "不是.*工作簿", "未知格式")
PASSWORD = (r"password", r"encrypt", "密码", "加密")
EMPTY = (r"\bempty\b", r"\b(0|zero) bytes?\b", "空", "零字节", "0 ?字节")


def _random_xls(directory: Path) -> Path:
    """Seeded random bytes named .xls (the reader's legacy-format path)."""
    return b.build_random_bytes(directory, ".xls")

BAD_FILES = [
    pytest.param(b.build_shopping_list, LayoutError, NO_TABLE, id="shopping_list"),
    pytest.param(b.build_blank_workbook, LayoutError, NO_TABLE, id="blank_workbook"),
    pytest.param(b.build_random_bytes, ReadError, CORRUPT, id="random_bytes_xlsx"),
    pytest.param(_random_xls, ReadError, CORRUPT, id="random_bytes_xls"),
    pytest.param(b.build_truncated_zip, ReadError, CORRUPT, id="truncated_zip"),
    pytest.param(b.build_encrypted, ReadError, PASSWORD, id="password_protected"),
    pytest.param(b.build_empty_file, ReadError, EMPTY, id="empty_file"),
]
# the code each of BAD_FILES is refused with, by id
BAD_FILE_CODES = {"shopping_list": "no-annex-table", "blank_workbook": "no-annex-table",
                  "random_bytes_xlsx": "unknown-format", "random_bytes_xls": "unknown-format",
                  "truncated_zip": "truncated", "password_protected": "password-protected",
                  "empty_file": "empty-file"}

Build = Callable[[Path], Path]


def _id_of(build: Build) -> str:
    return next(str(p.id) for p in BAD_FILES if p.values[0] is build)


def says(text: str, path: Path, words: tuple[str, ...]) -> bool:
    """Whether `text`, with the file's path and name taken out, matches one of `words`."""
    rest = text.replace(str(path), " ").replace(path.name, " ")
    return any(re.search(word, rest, re.IGNORECASE) for word in words)


@pytest.mark.parametrize(("build", "error", "words"), BAD_FILES)
def test_read_station_raises_an_error_naming_the_file(
    build: Build, error: type[XlcompareError], words: tuple[str, ...], tmp_path: Path,
) -> None:
    path = build(tmp_path)
    with pytest.raises(XlcompareError) as caught:
        read_station(path)
    exc = caught.value
    assert isinstance(exc, error), repr(exc)
    assert exc.code == BAD_FILE_CODES[_id_of(build)], repr(exc)
    assert exc.file is not None and Path(exc.file).name == path.name
    assert path.name in str(exc)
    assert says(english(exc), path, words), english(exc)


@pytest.mark.parametrize(("build", "error", "words"), BAD_FILES)
def test_cli_inspect_prints_one_line_and_exits_non_zero(
    build: Build, error: type[XlcompareError], words: tuple[str, ...], tmp_path: Path,
    cli,
) -> None:
    path = build(tmp_path)
    proc = cli("inspect", str(path))
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output, output
    assert proc.returncode != 0, output
    assert proc.returncode == error.exit_code, output
    lines = proc.stderr.rstrip("\n").split("\n")
    assert len(lines) == 1 and lines[0].strip(), proc.stderr
    assert path.name in lines[0], lines[0]
    said = lines[0].replace(str(path), "")
    assert re.search(r"[\u4e00-\u9fff]", said), lines[0]
    assert not re.search(r"[a-z]{3,} [a-z]{3,}", said), lines[0]  # without an English gloss
    english = cli("inspect", str(path), "--lang", "en").stderr.rstrip("\n").split("\n")
    assert len(english) == 1 and says(english[0], path, words), english


def test_the_command_in_its_own_process_prints_one_line_and_exits_non_zero(
    tmp_path: Path, run_cli,
) -> None:
    """The same through a real process (`python -m xlcompare`, as the installed command
    runs): its exit status and its stderr, with no traceback."""
    path = b.build_encrypted(tmp_path)
    proc = run_cli("inspect", str(path))
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == ReadError.exit_code
    lines = proc.stderr.rstrip("\n").split("\n")
    assert len(lines) == 1 and path.name in lines[0] and says(lines[0], path, PASSWORD), lines


@pytest.mark.parametrize(("build", "error", "words"), BAD_FILES)
def test_reading_a_bad_file_leaves_it_unchanged(
    build: Build, error: type[XlcompareError], words: tuple[str, ...], tmp_path: Path,
) -> None:
    """Same bytes (sha256) after the failed read, and nothing written beside it (no
    decrypted copy of the protected file, no repaired copy of the broken one)."""
    build(tmp_path)
    before = b.files_in(tmp_path)
    (path,) = (tmp_path / name for name in before)
    with contextlib.suppress(XlcompareError):
        read_station(path)
    assert b.files_in(tmp_path) == before


def test_read_reports_returns_bad_files_beside_good_reports(tmp_path: Path) -> None:
    """read_reports never raises for a bad file: the canonical workbook gives one report,
    and every bad file one error naming it."""
    (good,) = b.build_canonical(tmp_path)
    bad = [param.values[0](tmp_path) for param in BAD_FILES]
    reports, errors = read_reports([good, *bad])
    assert len(reports) == 1
    assert reports[0].station == b.STATION
    assert all(isinstance(e, XlcompareError) for e in errors), errors
    assert sorted(Path(e.file or "").name for e in errors) == sorted(p.name for p in bad)


# --------------------------------------------------------------------------------------
# The fixtures themselves: each bad file is bad in the way its name says
# --------------------------------------------------------------------------------------


def test_bad_file_builders_make_the_files_they_claim(tmp_path: Path) -> None:
    import msoffcrypto
    from python_calamine import CalamineWorkbook

    shopping = b.build_shopping_list(tmp_path)
    rows = CalamineWorkbook.from_path(str(shopping)).get_sheet_by_index(0).to_python()
    assert ["商品", "数量", "单价", "备注"] in rows

    blank = b.build_blank_workbook(tmp_path)
    assert CalamineWorkbook.from_path(str(blank)).get_sheet_by_index(0).to_python() == []

    for suffix in (".xlsx", ".xls"):
        noise = b.build_random_bytes(tmp_path, suffix)
        assert not zipfile.is_zipfile(noise)
        with pytest.raises(Exception):  # noqa: B017 - any failure to open will do
            CalamineWorkbook.from_path(str(noise))

    truncated = b.build_truncated_zip(tmp_path)
    assert truncated.read_bytes().startswith(b"PK")
    assert not zipfile.is_zipfile(truncated)

    encrypted = b.build_encrypted(tmp_path)
    with encrypted.open("rb") as f:
        office = msoffcrypto.OfficeFile(f)
        assert office.is_encrypted()
        out = io.BytesIO()
        office.load_key(password=b.ENCRYPTION_PASSWORD)
        office.decrypt(out)
    assert zipfile.is_zipfile(out)  # behind the password is the canonical workbook

    empty = b.build_empty_file(tmp_path)
    assert empty.stat().st_size == 0


# --------------------------------------------------------------------------------------
# Every other refusal: a small file of each shape, refused with its kind and code
# --------------------------------------------------------------------------------------


def _zip(path: Path, parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def build(directory: Path) -> Path:
        path = directory / name
        path.write_bytes(data)
        return path

    return build


def _folder(directory: Path) -> Path:
    path = directory / "其实是文件夹.xlsx"
    path.mkdir()
    return path


def _docx(directory: Path) -> Path:
    return _zip(directory / "说明.xlsx", {"[Content_Types].xml": b"<Types/>",
                                          "word/document.xml": b"<w:document/>"})


def _pptx(directory: Path) -> Path:
    return _zip(directory / "汇报.xlsx", {"[Content_Types].xml": b"<Types/>",
                                          "ppt/presentation.xml": b"<p:presentation/>"})


def _zip_archive(directory: Path) -> Path:
    return _zip(directory / "打包.xlsx", {"readme.txt": b"the workbooks are inside"})


def _odf_text(directory: Path) -> Path:
    return _zip(directory / "文档.ods", {"mimetype": b"application/vnd.oasis.opendocument.text",
                                         "content.xml": b"<office:document-content/>"})


def _duplicate_part(directory: Path) -> Path:
    path = directory / "重复部件.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with pytest.warns(UserWarning):  # zipfile says so, and writes it anyway
            archive.writestr("xl/workbook.xml", b"<workbook/>")
    return path


def _bzip2(directory: Path) -> Path:
    return _zip(directory / "bzip2.xlsx", {"xl/workbook.xml": b"<workbook/>"}, zipfile.ZIP_BZIP2)


def _own_output(directory: Path) -> Path:
    import openpyxl

    from xlcompare.paths import OUTPUT_MARK

    path = directory / "汇总.xlsx"
    book = openpyxl.Workbook()
    book.properties.creator = OUTPUT_MARK
    book.save(path)
    return path


def _canonical(directory: Path) -> Path:
    return b.build_canonical(directory)[0]


_SPREADSHEETML_EMPTY = (b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
                        b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>')

# (build, kind, code, limits): the same refusal reasons a translator would need apart
REFUSALS = [
    pytest.param(_folder, "unsupported", "is-folder", None, id="folder"),
    pytest.param(_write("扫描件.xls", b"%PDF-1.4\n%..."), "unsupported", "pdf-document", None,
                 id="pdf"),
    pytest.param(_write("截图.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(64)), "unsupported",
                 "image-file", None, id="png"),
    pytest.param(_write("照片.xls", b"\xff\xd8\xff\xe0" + bytes(64)), "unsupported",
                 "image-file", None, id="jpeg"),
    pytest.param(_write("打包.xls", b"Rar!\x1a\x07\x00" + bytes(64)), "unsupported", "archive",
                 None, id="rar"),
    pytest.param(_write("打包.xlsx", b"\x1f\x8b\x08" + bytes(64)), "unsupported", "archive",
                 None, id="gzip"),
    pytest.param(_zip_archive, "unsupported", "archive", None, id="zip_archive"),
    pytest.param(_write("说明.xls", b"{\\rtf1\\ansi hello}"), "unsupported", "text-document",
                 None, id="rtf"),
    pytest.param(_docx, "unsupported", "word-document", None, id="docx"),
    pytest.param(_pptx, "unsupported", "powerpoint", None, id="pptx"),
    pytest.param(_odf_text, "unsupported", "odf-not-spreadsheet", None, id="odf_text"),
    pytest.param(_write("旧版.xls", b"\x09\x00\x04\x00\x02\x00\x10\x00" + bytes(64)),
                 "unsupported", "old-excel", None, id="excel_4"),
    pytest.param(_write("网页.xls", b"<html><body><p>no table here</p></body></html>"),
                 "unsupported", "no-table", None, id="html_without_table"),
    pytest.param(_write("数据.xml", b'<?xml version="1.0"?><note>x</note>'), "unsupported",
                 "no-table", None, id="xml_without_table"),
    pytest.param(_write("2003.xls", _SPREADSHEETML_EMPTY), "unsupported", "no-worksheets",
                 None, id="spreadsheetml_without_sheets"),
    pytest.param(_duplicate_part, "corrupt", "duplicate-part", None, id="duplicate_part"),
    pytest.param(_bzip2, "unsupported", "unsupported-compression", None, id="bzip2"),
    pytest.param(_canonical, "too_large", "file-too-large", Limits(max_file_mb=0.001),
                 id="file_too_large"),
    pytest.param(_canonical, "too_large", "sheet-too-large", Limits(max_sheet_cells=20),
                 id="sheet_too_large"),
    pytest.param(_canonical, "too_large", "too-many-parts", Limits(max_zip_parts=3),
                 id="too_many_parts"),
    pytest.param(_canonical, "too_large", "unpacked-too-large", Limits(max_unpacked_mb=0.001),
                 id="unpacked_too_large"),
]


@pytest.mark.parametrize(("build", "kind", "code", "limits"), REFUSALS)
def test_each_refusal_has_its_kind_and_code(build: Build, kind: str, code: str,
                                            limits: Limits | None, tmp_path: Path) -> None:
    path = build(tmp_path)
    with pytest.raises(ReadError) as caught:
        open_workbook(path, limits=limits)
    assert (caught.value.kind, caught.value.code) == (kind, code), caught.value
    assert code in REFUSAL_CODES
    assert path.name in str(caught.value)


def test_our_own_output_is_refused_as_own_output_when_asked(tmp_path: Path) -> None:
    from xlcompare.paths import OUTPUT_MARK

    path = _own_output(tmp_path)
    with pytest.raises(ReadError) as caught:
        open_workbook(path, skip_author=OUTPUT_MARK)
    assert (caught.value.kind, caught.value.code) == ("own_output", "own-output")


def test_every_error_has_a_code(tmp_path: Path) -> None:
    """A workbook without tables, a folder that is not one, a settings file that is not TOML,
    an output folder that does not exist: each error names its code."""
    from xlcompare.batch import summarise
    from xlcompare.errors import ConfigError, OutputError
    from xlcompare.judge import load_settings
    from xlcompare.writers.excel import atomic_workbook

    with pytest.raises(LayoutError) as layout:
        read_station(b.build_shopping_list(tmp_path))
    assert layout.value.code == "no-annex-table"
    with pytest.raises(ReadError) as folder:
        summarise(tmp_path / "nowhere")
    assert (folder.value.kind, folder.value.code) == ("missing", "not-a-folder")
    bad = tmp_path / "judge.toml"
    bad.write_text("[summary\n", encoding="utf-8")
    with pytest.raises(ConfigError) as config:
        load_settings(bad)
    assert config.value.code == "config-invalid"
    with pytest.raises(OutputError) as output, atomic_workbook(tmp_path / "no" / "x.xlsx"):
        pass
    assert output.value.code == "output-folder-missing"
    for exc in (layout.value, config.value, output.value):
        assert exc.code in ERROR_CODES
    with pytest.raises(TypeError):
        ReadError("no kind, no code", file="x.xlsx")  # type: ignore[call-arg]
