"""Shared test setup: import paths, the sample workbooks, the hostile corpus, and the command
line (in this process, or in a subprocess where the process is what a test is about)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

# `import builders` must work whatever pytest's import mode; the package itself comes from
# the installed distribution, or from the work tree when it is not installed.
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))
if importlib.util.find_spec("xlcompare") is None:
    sys.path.insert(0, str(ROOT))

import harness  # noqa: E402  (tests/harness.py, found through the path set above)

# every test speaks the default language, Chinese, whatever the machine's locale (a test of
# English asks for it: --lang en, or its own environment)
os.environ["XLCOMPARE_LANG"] = "zh"

RunCli = Callable[..., "subprocess.CompletedProcess[str]"]
Cli = Callable[..., harness.CliResult]


@pytest.fixture(scope="session", autouse=True)
def _sample_workbooks_stay_untouched() -> Iterator[None]:
    """No test writes into sample_workbooks/: what is there at the end is what was there at
    the start (whatever a previous command left, tests work on copies)."""
    before = harness.snapshot_samples()
    yield
    after = harness.snapshot_samples()
    changed = sorted(name for name in before.keys() | after.keys()
                     if before.get(name) != after.get(name))
    assert not changed, f"tests changed sample_workbooks/: {changed}"


@pytest.fixture(scope="session", autouse=True)
def _history_search_stays_in_the_tests(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """`xlcompare batch` looks for a history upward from its folder (batch/place.py): a
    `.xlcompare` a command left in /tmp or above must not become the tests' history. The
    search stops below pytest's base folder, as git's below GIT_CEILING_DIRECTORIES; the
    variable reaches the subprocesses too."""
    from xlcompare.batch.place import CEILING_ENV

    before = os.environ.get(CEILING_ENV)
    os.environ[CEILING_ENV] = str(tmp_path_factory.getbasetemp())
    yield
    if before is None:
        os.environ.pop(CEILING_ENV, None)
    else:
        os.environ[CEILING_ENV] = before


@pytest.fixture
def samples_copy(tmp_path: Path) -> Path:
    """tmp_path/drop holding copies of the sample workbooks and nothing else: no history,
    lock file or summary a previous command left in sample_workbooks/."""
    return harness.copy_samples(tmp_path / "drop")


@pytest.fixture
def cli() -> Cli:
    """Run `xlcompare ARGS...` in this process (harness.cli): returncode, stdout, stderr."""
    return harness.cli


@pytest.fixture
def run_cli() -> RunCli:
    """Run `python -m xlcompare ARGS...` in a subprocess and return the finished process:
    for the tests about the process itself (its exit status, what reaches its stderr).

    The work tree goes first on PYTHONPATH so the subprocess runs this checkout's code.
    No terminal width is set: a one-line message must stay one line however it is shown.
    """

    def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), env.get("PYTHONPATH"))))
        env["PYTHONIOENCODING"] = "utf-8"
        return subprocess.run(
            [sys.executable, "-m", "xlcompare", *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            timeout=600,  # against a hang only: no test is about how long it takes
            check=False,
        )

    return run


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="Rewrite tests/golden/*.txt from this run's outputs instead of "
                          "comparing (also: XLCOMPARE_UPDATE_GOLDEN=1).")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether the golden tests rewrite their files (--update-golden or
    XLCOMPARE_UPDATE_GOLDEN=1) rather than compare with them."""
    from golden import update_requested

    return bool(request.config.getoption("--update-golden")) or update_requested()

@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The hostile corpus (hostile_corpus.py), built once per session: its directory and the
    cases built, by key. Read only: tests that write take a copy."""
    import hostile_corpus as hc

    directory = tmp_path_factory.mktemp("hostile")
    built = hc.build_corpus(directory)
    return directory, {case.key: case for case in built}
