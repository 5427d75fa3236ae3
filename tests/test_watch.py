"""`xlcompare watch`: workbooks dropped into a watched folder — one of them written slowly in
chunks, as a copy over a network share arrives — appear in the summary, with no error for the
slow one, and Ctrl-C stops the watcher cleanly. The watcher runs as a process of its own: the
Ctrl-C (SIGINT) and a clean exit are what is tested. Within seconds: the slow test."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_workbooks"
# "eventually", not "within": long enough for a loaded machine, only reached on a failure
EVENTUALLY = 120


def _stations(out: Path) -> set[str]:
    try:
        sheet = openpyxl.load_workbook(out)["总览"]
    except Exception:  # noqa: BLE001 - mid-replace or not there yet
        return set()
    return {r[1] for r in sheet.iter_rows(min_row=5, values_only=True) if r[1] and r[1] != "区中位数"}


def _files(out: Path) -> dict[str, str]:
    sheet = openpyxl.load_workbook(out)["文件"]
    return {r[0]: r[1] for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]}


def _wait_for(predicate, seconds: float = EVENTUALLY) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def watch_new_and_slowly_written_files(tmp_path: Path) -> float:
    """Drop a workbook, then write another slowly, into a watched folder; check what the
    summary shows and that Ctrl-C stops the watcher cleanly. Returns the seconds from the
    slow file's last byte to the summary showing it."""
    folder, out = tmp_path / "drop", tmp_path / "summary.xlsx"
    folder.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "xlcompare", "watch", str(folder), "-o", str(out),
                             "--debounce", "0.5", "--settle", "0.8"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        # an empty folder gives no summary (nothing pretends to be one), only a line
        (folder / "瑞宝街_2023-2024_中期.xlsx").write_bytes(
            (SAMPLES / "瑞宝街_2023-2024_中期.xlsx").read_bytes())
        assert _wait_for(lambda: _stations(out) == {"瑞宝街"})

        data = (SAMPLES / "官洲街_2024-2025_中期.xlsx").read_bytes()
        slow = folder / "官洲街_2024-2025_中期.xlsx"
        step = len(data) // 5 + 1
        with slow.open("wb") as handle:  # five chunks, 0.3 s apart: half a workbook for 1.2 s
            for start in range(0, len(data), step):
                handle.write(data[start:start + step])
                handle.flush()
                time.sleep(0.3)
        written = time.monotonic()
        assert _wait_for(lambda: _stations(out) == {"瑞宝街", "官洲街"})
        latency = time.monotonic() - written
        assert _files(out)["官洲街_2024-2025_中期.xlsx"] in ("已读取", "历史记录")
    finally:
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=EVENTUALLY)
    assert proc.returncode == 0, stderr
    assert "已停止" in stdout
    assert "Traceback" not in stderr and "error" not in stderr.lower()
    return latency


def test_watch_picks_up_new_and_slowly_written_files(tmp_path: Path) -> None:
    watch_new_and_slowly_written_files(tmp_path)


@pytest.mark.slow
def test_watch_shows_a_slowly_written_file_within_8_s(tmp_path: Path) -> None:
    """Timing (outside the default run): debounce 0.5 s + settle 0.8 s + a rebuild."""
    latency = watch_new_and_slowly_written_files(tmp_path)
    assert latency < 8, f"{latency:.1f} s"


def _stop(proc: subprocess.Popen) -> tuple[str, str]:
    proc.send_signal(signal.SIGINT)
    return proc.communicate(timeout=EVENTUALLY)


def test_a_lock_holds_back_only_its_own_workbook_and_a_stale_lock_nothing(
        tmp_path: Path) -> None:
    """江海街 has been 'open' since an Excel crash three hours ago (a stale ~$ lock): it is
    read, with a line saying the lock is no longer waited for. 官洲街 is open now: it waits,
    with a line saying so, while 瑞宝街 dropped meanwhile is summarised; once 官洲街 is closed
    (its lock gone) it is read too."""
    import os

    folder, out = tmp_path / "drop", tmp_path / "summary.xlsx"
    folder.mkdir()
    jianghai = "江海街_2023-2024_中期（到岗明细）.xlsx"
    guanzhou = "官洲街_2024-2025_中期.xlsx"
    (folder / jianghai).write_bytes((SAMPLES / jianghai).read_bytes())
    stale = folder / f"~${jianghai}"
    stale.write_bytes(b"\x0c\x00a colleague")
    hours_ago = time.time() - 3 * 3600
    os.utime(stale, (hours_ago, hours_ago))
    (folder / f"~${guanzhou}").write_bytes(b"\x0c\x00a colleague")  # open, now
    (folder / guanzhou).write_bytes((SAMPLES / guanzhou).read_bytes())
    proc = subprocess.Popen([sys.executable, "-m", "xlcompare", "watch", str(folder), "-o",
                             str(out), "--debounce", "0.3", "--settle", "0.5",
                             "--stale-lock", "60"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert _wait_for(lambda: _stations(out) == {"江海街"}), "the stale lock held it back"
        (folder / "瑞宝街_2023-2024_中期.xlsx").write_bytes(
            (SAMPLES / "瑞宝街_2023-2024_中期.xlsx").read_bytes())
        assert _wait_for(lambda: _stations(out) == {"江海街", "瑞宝街"})
        assert _files(out)[guanzhou] == "未就绪"
        (folder / f"~${guanzhou}").unlink()  # closed in Excel
        assert _wait_for(lambda: _stations(out) == {"江海街", "瑞宝街", "官洲街"})
    finally:
        stdout, stderr = _stop(proc)
    assert proc.returncode == 0, stderr
    assert f"不再等待：锁文件 ~${jianghai}" in stdout and "[stale-lock]" in stdout
    assert f"等待：{guanzhou} 正在 Excel/WPS 中打开（~${guanzhou}）" in stdout
    assert stdout.count(f"等待：{guanzhou}") == 1  # said once, not at every round
    assert "Traceback" not in stderr


def test_an_output_that_can_never_be_written_stops_watch_with_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    proc = subprocess.run([sys.executable, "-m", "xlcompare", "watch", str(folder), "-o",
                           str(tmp_path / "无此文件夹" / "summary.xlsx")],
                          capture_output=True, text=True, cwd=ROOT, timeout=EVENTUALLY,
                          check=False)
    assert proc.returncode == 3
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].endswith("[output-folder-missing]"), proc.stderr


def test_which_workbooks_the_lock_files_hold(tmp_path: Path) -> None:
    from xlcompare.batch.watch import find_locks

    (tmp_path / "2024-12").mkdir()
    for name in ("报表.xlsx", "~$报表.xlsx", "2024-12/乙.xls", "2024-12/.~lock.乙.xls#",
                 "汇总.docx", "~$汇总.docx", "~$不在这里.xlsx", "丙.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    old = time.time() - 7200
    import os

    os.utime(tmp_path / "~$报表.xlsx", (old, old))
    fresh = find_locks(tmp_path, stale_minutes=180)
    assert fresh.held == {"报表.xlsx": "~$报表.xlsx", "2024-12/乙.xls": ".~lock.乙.xls#"}
    assert not fresh.stale  # a Word file's lock and one of no workbook hold nothing back
    later = find_locks(tmp_path, stale_minutes=60)
    assert later.held == {"2024-12/乙.xls": ".~lock.乙.xls#"}
    assert later.stale == [tmp_path / "~$报表.xlsx"]
