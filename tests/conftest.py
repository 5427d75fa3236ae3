"""Shared test setup: import paths and a runner for the command line."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable
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

RunCli = Callable[..., "subprocess.CompletedProcess[str]"]


@pytest.fixture
def run_cli() -> RunCli:
    """Run `python -m xlcompare ARGS...` in a subprocess and return the finished process.

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
            timeout=120,
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
