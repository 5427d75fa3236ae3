"""What the tests share besides the workbook builders: the committed sample workbooks, copies
of them to write into, and the command line run in this process.

Hermetic: a command run by hand leaves state in `sample_workbooks/` (the README's first command
leaves the history in `sample_workbooks/.xlcompare/`; Excel, WPS or LibreOffice leave lock
files beside a sample that is open; `-o sample_workbooks/x.xlsx` leaves a summary there). Tests
take the sample workbooks through `sample_workbooks()` and `copy_samples()`, which see none of
that, and never write into the folder (conftest.py checks it at the end of the run).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from xlcompare.files import SUFFIXES

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_workbooks"

# lock and temporary files of Excel/WPS (~$name.xlsx) and LibreOffice (.~lock.name#), and
# hidden files, are not samples; what counts as a workbook is the package's own list
_SAMPLE_SUFFIXES = SUFFIXES
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


# ------------------------------------------------------------------------------ the CLI


@dataclass(frozen=True)
class CliResult:
    """How a run of the command ended: the fields of a finished subprocess the tests read."""

    returncode: int
    stdout: str
    stderr: str


def cli(*args: str | os.PathLike[str]) -> CliResult:
    """`xlcompare ARGS...` in this process, through click's CliRunner.

    It calls the entry point itself (`xlcompare.cli.run`: the one that turns an XlcompareError
    escaping a command into one line on stderr and its exit code), with sys.argv set as the
    shell would set it, and stdout and stderr captured apart. An exception the entry point
    lets through is raised here, so a traceback fails the test as it would show in a
    terminal. Child processes xlcompare starts itself (batch readers, isolated reads) are
    started as usual.
    """
    from click.testing import CliRunner

    from xlcompare.cli import run

    try:
        runner = CliRunner(mix_stderr=False)  # click < 8.2 mixes stderr in by default
    except TypeError:
        runner = CliRunner()  # click >= 8.2 always keeps stderr apart
    argv = sys.argv
    with runner.isolation() as streams:
        sys.argv = ["xlcompare", *map(str, args)]
        code = 0
        try:
            run()
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:  # sys.exit("message"): Python prints it and exits 1
                print(exc.code, file=sys.stderr)
                code = 1
        finally:
            sys.argv = argv
            sys.stdout.flush()
            sys.stderr.flush()
        out, err = streams[0].getvalue(), streams[1].getvalue()
    return CliResult(code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))


def english(said: object) -> str:
    """A Message, Problem or error said in English (tests that look for words of a message
    read the English rendering, which the catalogue keeps stable); anything else as str."""
    text = getattr(said, "text", None)
    return text("en") if callable(text) else str(said)
