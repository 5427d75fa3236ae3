"""What the tests share besides the workbook builders: the committed sample workbooks, and
copies of them to write into.

Hermetic: a command run by hand leaves state in `sample_workbooks/` (the README's first command
leaves the history in `sample_workbooks/.xlcompare/`; Excel, WPS or LibreOffice leave lock
files beside a sample that is open; `-o sample_workbooks/x.xlsx` leaves a summary there). Tests
take the sample workbooks through `sample_workbooks()` and `copy_samples()`, which see none of
that, and never write into the folder (conftest.py checks it at the end of the run).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_workbooks"

# the workbooks make_samples.py writes are .xlsx and .xls; lock and temporary files of
# Excel/WPS (~$name.xlsx) and LibreOffice (.~lock.name#), and hidden files, are not samples
_SAMPLE_SUFFIXES = (".xlsx", ".xls")
_NOT_A_SAMPLE = re.compile(r"^[.~]")
# every workbook xlcompare writes names it as its author (xlcompare.folder.OUTPUT_MARK)
_OUR_AUTHOR = re.compile(rb"<dc:creator>\s*xlcompare\s*</dc:creator>")


def _written_by_xlcompare(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return bool(_OUR_AUTHOR.search(archive.read("docProps/core.xml")))
    except (KeyError, OSError, zipfile.BadZipFile):
        return False


def sample_workbooks() -> list[Path]:
    """The committed sample workbooks, sorted: whatever else a previous command left in
    sample_workbooks/ (history, lock files, summaries) is left out."""
    return sorted(
        path for path in SAMPLES.iterdir()
        if path.is_file() and path.suffix.lower() in _SAMPLE_SUFFIXES
        and not _NOT_A_SAMPLE.match(path.name) and not _written_by_xlcompare(path)
    )


def copy_samples(folder: Path) -> Path:
    """Copy the sample workbooks (only them, with their times) into `folder`; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sample_workbooks():
        shutil.copy2(path, folder / path.name)
    return folder


def snapshot_samples() -> dict[str, tuple[int, int]]:
    """Every entry under sample_workbooks/ with its size and mtime: to tell that no test
    wrote there."""
    return {str(p.relative_to(SAMPLES)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(SAMPLES.rglob("*"))}
