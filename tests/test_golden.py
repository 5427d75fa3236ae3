"""Golden dumps of every output xlcompare writes: the summary and diff workbooks (as text, see
tests/golden.py) and the terminal output of batch, diff, inspect and indicators.

They prove a refactor leaves every output as it was, apart from what depends on the run (the
diff workbook's time of writing, elapsed seconds, the temporary folder). Everything runs in
this process (click's CliRunner on xlcompare.cli.main) on copies of sample_workbooks/ in a
temporary folder, with relative paths from that folder and the history there too; nothing is
written beside the samples.

Regenerate: XLCOMPARE_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
            (or python -m pytest tests/test_golden.py --update-golden)
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from golden import check_golden, dump_text, dump_workbook
from harness import sample_workbooks

from xlcompare.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_workbooks"
FOLDER = "stations"  # the copies' folder, inside the test's temporary folder

# golden name → sample workbook (ASCII names: the goldens must check out anywhere)
SAMPLE_FILES = {
    "ruibao": "瑞宝街_2023-2024_中期.xlsx",
    "guanzhou": "官洲街_2024-2025_中期.xlsx",
    "nanhuaxi": "南华西街社工站2024-2025年度指标完成情况.xls",
    "sushe_annex1": "素社街社工站_2024-2025_中期_附件1.xlsx",
    "sushe_annex2": "素社街社工站_2024-2025_中期_附件2.xlsx",
    "jianghai": "江海街_2023-2024_中期（到岗明细）.xlsx",
    "pazhou": "琶洲街社工站2024年11月报表.xlsx",
    "binjiang": "滨江街社工站2024-2025年度末期指标完成情况.xlsx",
}

# what could make rich colour its output or size it from the environment: the golden is the
# plain text a non-terminal gets (cli._console: 160 columns when stdout is not a terminal)
_ENV = {name: None for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE",
                                "COLUMNS", "LINES", "JUPYTER_COLUMNS", "JUPYTER_LINES")}


def _sample_files() -> list[Path]:
    """The sample workbooks, without what a run there may have left (harness)."""
    return sample_workbooks()


def _copy_samples(base: Path) -> Path:
    folder = base / FOLDER
    folder.mkdir()
    for path in _sample_files():
        shutil.copyfile(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def samples_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the samples for the commands that only read them (inspect); returns the
    folder holding `stations/`."""
    base = tmp_path_factory.mktemp("golden")
    _copy_samples(base)
    return base


@pytest.fixture
def fresh_copy(tmp_path: Path) -> Path:
    """A copy of its own for a command that writes (batch, diff)."""
    _copy_samples(tmp_path)
    return tmp_path


def _run(base: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    """Run `xlcompare ARGS` in `base` in this process; the transcript as masked text."""
    monkeypatch.chdir(base)
    result = CliRunner().invoke(main, list(args), env=_ENV, catch_exceptions=False)
    shown = " ".join(args)
    text = (f"$ xlcompare {shown}\n"
            f"exit code: {result.exit_code}\n"
            f"--- stdout ---\n{result.stdout}"
            f"--- stderr ---\n{result.stderr}")
    return dump_text(text, base)


def _sample(key: str) -> str:
    return f"{FOLDER}/{SAMPLE_FILES[key]}"


def test_every_sample_workbook_has_its_golden() -> None:
    """A sample added later needs a name here (and so its own inspect golden)."""
    assert sorted(p.name for p in _sample_files()) == sorted(SAMPLE_FILES.values())


def test_batch(fresh_copy: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool) -> None:
    db = fresh_copy / "history" / "history.sqlite"
    db.parent.mkdir()
    text = _run(fresh_copy, monkeypatch, "batch", FOLDER, "-o", "summary.xlsx", "--db", str(db))
    check_golden("batch_stdout", text, update_golden)
    check_golden("batch_summary_xlsx", dump_workbook(fresh_copy / "summary.xlsx"),
                 update_golden)
    assert sorted(p.name for p in (fresh_copy / FOLDER).iterdir()) == sorted(
        SAMPLE_FILES.values()), "batch wrote into the stations' folder"


def test_diff(fresh_copy: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool) -> None:
    text = _run(fresh_copy, monkeypatch, "diff", _sample("ruibao"), _sample("guanzhou"),
                "-o", "diff.xlsx")
    check_golden("diff_stdout", text, update_golden)
    check_golden("diff_xlsx", dump_workbook(fresh_copy / "diff.xlsx"), update_golden)


class _OtherDay(datetime):
    """datetime with now() on another day at another time, for the test below."""

    @classmethod
    def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
        return datetime(2031, 7, 4, 23, 59, 59)


def test_diff_workbook_does_not_depend_on_when_it_is_written(
        fresh_copy: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool) -> None:
    """The diff workbook states when it was written (说明 › 生成): that alone is masked, so the
    same golden holds on any other day."""
    if update_golden:
        pytest.skip("compares with the golden test_diff writes")
    from xlcompare.writers import diff_xlsx

    monkeypatch.setattr(diff_xlsx, "datetime", _OtherDay)
    _run(fresh_copy, monkeypatch, "diff", _sample("ruibao"), _sample("guanzhou"),
         "-o", "diff.xlsx")
    dump = dump_workbook(fresh_copy / "diff.xlsx")
    assert "2031-07-04" not in dump and "'xlcompare diff，<now>'" in dump
    check_golden("diff_xlsx", dump, update=False)


@pytest.mark.parametrize("key", sorted(SAMPLE_FILES))
def test_inspect(key: str, samples_copy: Path, monkeypatch: pytest.MonkeyPatch,
                 update_golden: bool) -> None:
    text = _run(samples_copy, monkeypatch, "inspect", _sample(key))
    check_golden(f"inspect_{key}", text, update_golden)


def test_inspect_annexes_paired(samples_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                update_golden: bool) -> None:
    """附件1 and 附件2 sent as two files are read as one station."""
    text = _run(samples_copy, monkeypatch, "inspect", _sample("sushe_annex1"),
                _sample("sushe_annex2"))
    check_golden("inspect_sushe_paired", text, update_golden)


def test_inspect_verbose(samples_copy: Path, monkeypatch: pytest.MonkeyPatch,
                         update_golden: bool) -> None:
    # 琶洲街: the most unusual layout (column order, text figures, section rows)
    text = _run(samples_copy, monkeypatch, "inspect", "-v", _sample("pazhou"))
    check_golden("inspect_verbose_pazhou", text, update_golden)


def test_inspect_json(samples_copy: Path, monkeypatch: pytest.MonkeyPatch,
                      update_golden: bool) -> None:
    # an absolute path here, so the golden shows the temporary folder masked as <tmp>
    path = samples_copy / _sample("ruibao")
    text = _run(samples_copy, monkeypatch, "inspect", "--json", str(path))
    check_golden("inspect_json_ruibao", text, update_golden)


def test_inspect_with_names(samples_copy: Path, monkeypatch: pytest.MonkeyPatch,
                            update_golden: bool) -> None:
    # the per-person 附件2 (invented names), the only output that may carry names
    text = _run(samples_copy, monkeypatch, "inspect", "--with-names", _sample("jianghai"))
    check_golden("inspect_with_names_jianghai", text, update_golden)


def test_indicators(samples_copy: Path, monkeypatch: pytest.MonkeyPatch,
                    update_golden: bool) -> None:
    check_golden("indicators", _run(samples_copy, monkeypatch, "indicators"), update_golden)


def test_indicators_json(samples_copy: Path, monkeypatch: pytest.MonkeyPatch,
                         update_golden: bool) -> None:
    check_golden("indicators_json", _run(samples_copy, monkeypatch, "indicators", "--json"),
                 update_golden)
