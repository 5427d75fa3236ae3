"""A batch over the hostile corpus plus the sample workbooks: it completes, every sample station
is summarised, every hostile file is listed with its reason, nothing in the folder changes, and
text that looks like a formula or a link in an input stays text in the summary."""

from __future__ import annotations

import hashlib
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import hostile_corpus as hc
import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_workbooks"
SAMPLE_STATIONS = {"瑞宝街", "官洲街", "南华西街", "素社街", "江海街", "琶洲街", "滨江街"}
EVIL = ["=HYPERLINK(\"http://evil\",\"点我\")", "+8613800000000", "-1+1", "@SUM(A1)",
        "external:C:\\\\x.xlsx", "file:///etc/passwd"]


def _evil_station(folder: Path) -> Path:
    """瑞宝街's workbook renamed 注入街, with formula- and link-like indicator names and remarks."""
    book = openpyxl.load_workbook(SAMPLES / "瑞宝街_2023-2024_中期.xlsx")
    sheet = book["附件1"]
    sheet["A1"].value = "广州市注入街“双百工程”社工站购买服务项目指标完成情况统计表"
    rows = [r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 4).value not in (None, "")][2:]
    for row, text in zip(rows, EVIL, strict=False):
        for col in (2, 7):  # 指标名称, 备注
            cell = sheet.cell(row, col)
            cell.value = text
            cell.data_type = "s"  # a string in the input, not a formula
    path = folder / "注入街_2023-2024_中期.xlsx"
    book.save(path)
    return path


def _digests(folder: Path) -> dict[str, tuple[str, int]]:
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file() and ".xlcompare" not in p.parts}


def test_batch_over_the_hostile_corpus_and_the_samples(
    tmp_path: Path, samples_copy: Path, corpus: tuple[Path, dict[str, hc.Case]],
) -> None:
    folder = samples_copy
    directory, built = corpus  # the session's corpus, copied: built once, not once more here
    shutil.copytree(directory, folder / "hostile")
    cases = list(built.values())
    _evil_station(folder)
    before = _digests(folder)
    out = tmp_path / "summary.xlsx"
    usage = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # a process of its own: its peak memory is what is bounded (timeout: against a hang only)
    result = subprocess.run([sys.executable, "-m", "xlcompare", "batch", str(folder), "-o", str(out),
                             "-q", "--db", str(tmp_path / "h.sqlite")],
                            capture_output=True, text=True, cwd=ROOT, timeout=600, check=False)
    assert result.returncode == 1, result.stderr[-2000:]  # some files could not be read
    assert "Traceback" not in result.stderr
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert max(peak_kb, usage) < 1024 * 1024  # KB: under 1 GiB for the largest process

    book = openpyxl.load_workbook(out)
    stations = {r[1] for r in book["总览"].iter_rows(min_row=5, values_only=True) if r[1]}
    assert SAMPLE_STATIONS | {"注入街"} <= stations
    header = [c.value for c in book["文件"][4]]
    assert header[:2] == ["文件", "状态"] and header[-2:] == ["代码", "原因 / 说明"], header
    files = {r[0]: (r[1], r[-2], r[-1])
             for r in book["文件"].iter_rows(min_row=5, values_only=True) if r[0]}
    for case in cases:
        rel = f"hostile/{case.filename}"
        assert rel in files, rel
        status, code, reason = files[rel]
        if isinstance(case.verdict, hc.Refused | hc.NoTable):
            assert status in ("失败", "未就绪"), (rel, status)
            assert reason, rel
            want = case.verdict.code if isinstance(case.verdict, hc.Refused) else "no-annex-table"
            assert code == want, (rel, code, reason)
        else:  # read (the disguises of one station supersede one another, or one of an
            # earlier cut-off stands behind the latest), or ignored by name
            assert code in {"已读取": (None, "earlier-report"), "重复（已被取代）": ("superseded",),
                            "已忽略": ("not-a-spreadsheet",)}[status], (rel, status, code)
    assert _digests(folder) == before

    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            data = archive.read(name).decode("utf-8", "replace")
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert "<f>" not in data and "<f " not in data, name
                assert "<hyperlink" not in data, name
            if name.endswith(".rels"):
                assert "hyperlink" not in data, name
    texts = {c.value for s in book for row in s.iter_rows() for c in row if isinstance(c.value, str)}
    assert any(t.startswith("=HYPERLINK") for t in texts)  # kept, as text


@pytest.mark.parametrize("name", ["=1+1", "[x]:*?/\\"])
def test_station_names_never_name_or_break_a_sheet(tmp_path: Path, name: str) -> None:
    from xlcompare.writers.excel import safe_sheet_name

    taken: set[str] = set()
    first = safe_sheet_name(name * 10, taken)
    second = safe_sheet_name(name * 10, taken)
    for sheet in (first, second):
        assert len(sheet) <= 31 and not set("[]:*?/\\") & set(sheet)
    assert first != second
