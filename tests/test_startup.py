"""An unchanged folder is answered from one history row: `xlcompare batch` then imports no
reader, taxonomy, judge or writer (calamine, rapidfuzz, xlsxwriter, rich). A process of its
own is the subject here: what a fresh interpreter has imported when the command is done."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from harness import ROOT, cli, copy_samples

HEAVY = ("python_calamine", "rapidfuzz", "xlsxwriter", "rich", "xlcompare.readers",
         "xlcompare.taxonomy", "xlcompare.judge", "xlcompare.writers", "xlcompare.files.workbook")

PROBE = """
import sys
from xlcompare.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    heavy = sorted(m for m in sys.modules if m.startswith(tuple(sys.argv[0].split(","))))
    print("HEAVY:" + ",".join(heavy))
"""


def test_an_unchanged_folder_loads_no_reader_or_writer(tmp_path: Path) -> None:
    folder = copy_samples(tmp_path / "drop")
    summary = tmp_path / "summary.xlsx"
    first = cli("batch", folder, "-o", summary, "-q")
    assert first.returncode == 0, first.stderr
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT),
                                                                      os.environ.get("PYTHONPATH"))))}
    probe = subprocess.run(
        [sys.executable, "-c", PROBE.replace("sys.argv[0]", repr(",".join(HEAVY))),
         "batch", str(folder), "-o", str(summary), "-q"],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=600)
    assert "已是最新" in probe.stdout, probe.stdout + probe.stderr
    heavy = probe.stdout.rsplit("HEAVY:", 1)[1].strip()
    assert heavy == "", f"an unchanged folder imported {heavy}"
