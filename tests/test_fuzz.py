"""A mutation fuzzer over the sample workbooks: 600 seeded mutants (bytes flipped, files cut
short, XML parts edited inside a valid zip) read in one process of their own, as `inspect`
would. Each must end as a reading or a refusal (an XlcompareError with its code): no other
exception, no signal, no hang. The process is the subject (a parser that aborts takes it
down), so it runs apart with an address-space limit, and names the mutant it was reading."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from fuzz import mutants
from harness import ROOT, sample_workbooks

COUNT = 600

READER = r"""
import json, resource, sys, traceback
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
from xlcompare import read_station
from xlcompare.errors import XlcompareError
for line in sys.stdin:
    path = line.rstrip("\n")
    print(json.dumps({"start": path}), flush=True)
    try:
        report = read_station(path)
        outcome = {"read": len(report.indicators)}
    except XlcompareError as exc:
        outcome = {"refused": exc.code}
    except BaseException as exc:
        outcome = {"bug": "".join(traceback.format_exception(exc))[-1500:]}
    print(json.dumps({"done": path, **outcome}), flush=True)
"""


def test_no_mutant_of_a_sample_crashes_or_hangs_the_reader(tmp_path: Path) -> None:
    paths = []
    for name, data in mutants(sample_workbooks(), COUNT):
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(str(path))
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))}
    proc = subprocess.run([sys.executable, "-c", READER], input="\n".join(paths) + "\n",
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=900)
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    done = [e for e in events if "done" in e]
    started = [e["start"] for e in events if "start" in e]
    assert proc.returncode == 0 and len(done) == COUNT, (
        f"the reader process ended with {proc.returncode} while reading {started[-1:]} "
        f"({len(done)} of {COUNT} done): {proc.stderr[-2000:]}")
    bugs = {Path(e["done"]).name: e["bug"] for e in done if "bug" in e}
    assert bugs == {}, "\n\n".join(f"{k}:\n{v}" for k, v in list(bugs.items())[:5])
    # the mutants reach past the first checks: some still read, many are refused, by code
    outcomes = {e.get("refused", "read") for e in done}
    assert "read" in outcomes and len(outcomes) > 3
