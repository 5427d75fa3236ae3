"""Benchmark: xlcompare against the raw-parse floor and the naive pandas script, same files,
same run.

    python bench/run.py --stations 1000 [--json bench/results-1000.json]

Generates N realistic station workbooks (bench/generate.py) in a temporary folder, then times,
each in a fresh process so start-up and memory are honest:
  1. floor   python-calamine opening every file and reading every cell, nothing else
  2. naive   pandas.read_excel(sheet_name=None) per file (what an analyst would write)
  3. cold    xlcompare batch, empty history, end to end
  4. warm    xlcompare batch again, nothing changed
  5. 1%      xlcompare batch after 1% of the files changed
  6. diff    xlcompare diff A B -o diff.xlsx, start-up included
  7. start   xlcompare --version (the start-up cost alone)
The cold and 1% runs are repeated through the library's summarise() alone, to split each
into reading + judging and writing the summary workbook. --profile FILE adds a pyinstrument
profile of a cold batch in one process.
and prints seconds, workbooks/s, peak RSS of the process tree, and each time as a ratio to
(1) and (2). Needs the `bench` extra: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402

FLOOR = """
import sys, python_calamine as pc
for path in open(sys.argv[1], encoding="utf-8").read().splitlines():
    book = pc.CalamineWorkbook.from_path(path)
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python(skip_empty_area=False)
"""
# the library's summarise() alone, as the CLI calls it: the batch minus writing the summary
# workbook, so a run's time can be split into reading + judging and writing
SUMMARISE = """
import sys
from xlcompare.batch import summarise
summarise(sys.argv[1], db=sys.argv[2], keep_stations=False)
"""
NAIVE = """
import sys, pandas as pd
for path in open(sys.argv[1], encoding="utf-8").read().splitlines():
    pd.read_excel(path, sheet_name=None, header=None)
"""


def measure(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MB) summed over the process tree, and the exit code."""
    peak = 0
    start = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            try:
                procs = [proc, *proc.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:4])}… failed ({proc.returncode}): {err.decode()[-800:]}")
    return seconds, peak / 2**20, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description="xlcompare benchmark")
    parser.add_argument("--stations", type=int, default=1000)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--skip-naive", action="store_true", help="skip the slow pandas run")
    parser.add_argument("--jobs", type=int, help="passed to xlcompare batch -j")
    parser.add_argument("--profile", type=Path, metavar="FILE",
                        help="also profile a cold batch in one process (pyinstrument, text)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="xlcompare-bench-"))
    try:
        run(work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, args: argparse.Namespace) -> None:
    folder = work / "drop"
    t = time.perf_counter()
    files = generate.generate(folder, args.stations, date(2024, 12, 31))
    print(f"generated {len(files)} files for {args.stations} stations in "
          f"{time.perf_counter() - t:.1f} s ({sum(f.stat().st_size for f in files) / len(files) / 1024:.1f} KB each)",
          file=sys.stderr)
    listing = work / "files.txt"
    listing.write_text("\n".join(map(str, files)), "utf-8")
    py = sys.executable
    xl = [py, "-m", "xlcompare"]
    batch = [*xl, "batch", str(folder), "-o", str(work / "summary.xlsx"), "--db",
             str(work / "history.sqlite"), "-q"] + (["-j", str(args.jobs)] if args.jobs else [])
    results: dict[str, tuple[float, float]] = {}
    results["floor"] = measure([py, "-c", FLOOR, str(listing)])[:2]
    if not args.skip_naive:
        results["naive"] = measure([py, "-c", NAIVE, str(listing)])[:2]
    results["cold"] = measure(batch)[:2]
    results["cold_summarise"] = measure([py, "-c", SUMMARISE, str(folder),
                                         str(work / "cold-only.sqlite")])[:2]
    results["warm"] = measure(batch)[:2]
    changed = max(1, args.stations // 100)
    for n in range(changed):  # the same stations, new figures: a resubmission
        data = generate.station_figures(n, date(2024, 12, 31))
        data["rows"] = [(c, name, u, t, d + 1) for c, name, u, t, d in data["rows"]]
        stem = f"{data['station']}社工站2024-12报表"
        target = folder / f"{stem}.xlsx"
        if target.exists():
            generate._write_xlsx(target, data, date(2024, 12, 31), "12")
    # the same 1% run through summarise() alone, on a copy of the history as it stands
    shutil.copy(work / "history.sqlite", work / "changed-only.sqlite")
    results["changed_summarise"] = measure([py, "-c", SUMMARISE, str(folder),
                                            str(work / "changed-only.sqlite")])[:2]
    results["changed_1pct"] = measure(batch)[:2]
    a, b = [f for f in files if f.suffix == ".xlsx" and "附件" not in f.name][:2]
    results["diff"] = measure([*xl, "diff", str(a), str(b), "-o", str(work / "diff.xlsx")])[:2]
    results["startup"] = measure([*xl, "--version"])[:2]
    report(results, len(files), args)
    if args.profile:
        # one process, so the profile sees the reading that workers do in the timed runs
        subprocess.run([py, "-m", "pyinstrument", "-r", "text", "-o", str(args.profile), "-m",
                        "xlcompare", "batch", str(folder), "-o", str(work / "profiled.xlsx"),
                        "--db", str(work / "profiled.sqlite"), "-q", "-j", "1"], check=True,
                       stdout=subprocess.DEVNULL)
        print(f"profile of a cold batch in one process: {args.profile}")


LABELS = {
    "floor": "1 raw-parse floor (python-calamine, every cell)",
    "naive": "2 naive pandas.read_excel(sheet_name=None)",
    "cold": "3 xlcompare batch, cold (empty history)",
    "cold_summarise": "  of which summarise() alone (read + judge, no workbook)",
    "warm": "4 xlcompare batch, warm (nothing changed)",
    "changed_summarise": "  1% changed, summarise() alone (no workbook)",
    "changed_1pct": "4 xlcompare batch, 1% of files changed",
    "diff": "5 xlcompare diff A B -o diff.xlsx",
    "startup": "  xlcompare --version (start-up alone)",
}


def report(results: dict[str, tuple[float, float]], n_files: int, args: argparse.Namespace) -> None:
    floor = results["floor"][0]
    naive = results.get("naive", (None,))[0]
    print(f"\nxlcompare benchmark: {args.stations} stations, {n_files} workbooks; "
          f"{platform.python_implementation()} {platform.python_version()}, "
          f"{psutil.cpu_count()} cores\n")
    print("| step | seconds | workbooks/s | peak RSS MB | × floor | × naive |")
    print("|---|---:|---:|---:|---:|---:|")
    rows = {}
    for key, (seconds, rss) in results.items():
        per_second = n_files / seconds if key in ("floor", "naive", "cold", "warm",
                                                  "changed_1pct") else None
        rows[key] = {"seconds": round(seconds, 3), "workbooks_per_s": per_second and round(per_second),
                     "peak_rss_mb": round(rss, 1), "x_floor": round(seconds / floor, 2),
                     "x_naive": round(seconds / naive, 3) if naive else None}
        print(f"| {LABELS[key]} | {seconds:.2f} | {per_second and f'{per_second:,.0f}' or '—'} | "
              f"{rss:.0f} | {seconds / floor:.2f} | {f'{seconds / naive:.3f}' if naive else '—'} |")
    start = results["startup"][0]
    cold, changed = results["cold"][0], results["changed_1pct"][0]
    print(f"\nwarm rerun beyond start-up: {results['warm'][0] - start:.2f} s; "
          f"1% changed beyond start-up: {changed - start:.2f} s ({changed / cold:.0%} of cold; "
          f"writing the summary workbook {changed - results['changed_summarise'][0]:.2f} s of "
          f"it); cold: {cold - start:.2f} s (writing "
          f"{cold - results['cold_summarise'][0]:.2f} s of it)")
    if naive:
        print(f"cold batch is {naive / results['cold'][0]:.1f}× faster than the naive pandas script; "
              f"its throughput is {floor / results['cold'][0]:.0%} of the raw-parse floor")
    if args.json:
        args.json.write_text(json.dumps({"stations": args.stations, "workbooks": n_files,
                                         "results": rows}, indent=2), "utf-8")


if __name__ == "__main__":
    main()
