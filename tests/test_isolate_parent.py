"""The isolated reader (files/isolate.py) ends with the process that started it: after a
`kill -9` of a batch while a file is read in a child, no reader is left behind. The process
tree is the subject, so real processes are started and killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from harness import ROOT

psutil = pytest.importorskip("psutil")
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the parent-death signal is Linux's")

# a parent that starts a child the way isolate._run does (exec'd, told the parent's pid),
# and the child arms its parent-death signal as isolate._child does, then reads for long
PARENT = """
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c",
    "import os, sys, time; from xlcompare.files.isolate import _die_with; "
    "_die_with(int(sys.argv[1])); print('armed', flush=True); time.sleep(120)",
    str(os.getpid())], stdout=sys.stdout)
time.sleep(120)
"""


def test_the_isolated_reader_dies_with_its_parent() -> None:
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))}
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, env=env,
                              text=True)
    try:
        assert parent.stdout is not None and parent.stdout.readline().strip() == "armed"
        (child,) = psutil.Process(parent.pid).children()
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if not child.is_running() or child.status() == psutil.STATUS_ZOMBIE:
                break
            time.sleep(0.05)
        assert not child.is_running() or child.status() == psutil.STATUS_ZOMBIE
    finally:
        parent.kill()
