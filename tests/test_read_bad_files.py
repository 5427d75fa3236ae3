"""Files that are not readable station workbooks: one clear error naming the file.

For each bad file, read_station raises the documented XlcompareError subclass (ReadError:
cannot be opened as a workbook; LayoutError: opens, but holds no annex table), its message
names the file and says what is wrong, and `xlcompare inspect FILE` prints that as one
line on stderr with a non-zero exit and no traceback (in this process for every file, and
once in a process of its own). Reading never changes the file.
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

from xlcompare import LayoutError, ReadError, XlcompareError, read_reports, read_station

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

Build = Callable[[Path], Path]


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
    assert exc.file is not None and Path(exc.file).name == path.name
    assert path.name in str(exc)
    assert says(str(exc), path, words), str(exc)


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
    assert says(lines[0], path, words), lines[0]


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
