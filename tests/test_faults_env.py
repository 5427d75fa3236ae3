"""Faults of the machine, not of a workbook: a run killed with SIGKILL (or by the OOM killer)
at several phases, a lock left by a dead run. Each case is built here by the test; none may
leave an orphan process or a lock that keeps later runs off the folder.

Linux-only cases (/proc) skip elsewhere.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402  (bench/generate.py: realistic generated stations)

LINUX = sys.platform.startswith("linux")
linux_only = pytest.mark.skipif(not LINUX, reason="process and mount faults are Linux cases")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), env.get("PYTHONPATH"))))
    env["PYTHONIOENCODING"] = "utf-8"
    return env


@pytest.fixture(scope="module")
def stations(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 generated stations (13 workbooks), made once: each test copies them."""
    folder = tmp_path_factory.mktemp("generated") / "drop"
    generate.generate(folder, 12, date(2024, 11, 30))
    return folder


@pytest.fixture
def drop(tmp_path: Path, stations: Path) -> Path:
    folder = tmp_path / "drop"
    shutil.copytree(stations, folder)
    return folder


# ------------------------------------------------------------------ kill -9 of a parallel run

# The batch as `xlcompare batch` runs it, with reading in worker processes from 4 files on and
# a pause at the phase the test kills it in: each worker's reading (workers alive), storing
# the files in the history (lock held, workers done), writing the summary (temporary file
# open). MARK is written when that phase is reached.
RUNNER = r'''
import os, sys, time
from pathlib import Path

phase, mark = os.environ["XLC_PHASE"], Path(os.environ["XLC_MARK"])
import xlcompare.batch.pipeline as pipeline

pipeline.PARALLEL_FROM = 4

def hold():
    mark.write_text(str(os.getpid()))
    time.sleep(60)

if phase == "reading":
    real_read = pipeline.read_file
    def slow_read(path, **options):
        mark.write_text(str(os.getpid()))
        time.sleep(0.5)
        return real_read(path, **options)
    pipeline.read_file = slow_read
elif phase == "storing":
    from xlcompare.batch.sqlite_store import SqliteHistory
    real_put = SqliteHistory.put_files
    def put_and_hold(self, states):
        real_put(self, states)
        hold()
    SqliteHistory.put_files = put_and_hold
elif phase == "writing":
    from xlsxwriter.workbook import Workbook
    Workbook.close = lambda self: hold()

from xlcompare.cli import run
sys.argv = ["xlcompare", *sys.argv[1:]]
run()
'''


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _ps(pids: list[int]) -> str:
    """What `ps` shows of these processes (the evidence in a failure message)."""
    if not pids:
        return ""
    shown = subprocess.run(["ps", "-o", "pid,ppid,stat,etime,args", "-p",
                            ",".join(map(str, pids))], capture_output=True, text=True,
                           check=False)
    return shown.stdout


def _kill_run(folder: Path, output: Path, phase: str, tmp_path: Path) -> list[int]:
    """Start the batch, wait for `phase`, SIGKILL the batch process alone (as the OOM killer
    does: not its process group); the pids of every process of the run."""
    psutil = pytest.importorskip("psutil")
    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER, encoding="utf-8")
    mark = tmp_path / f"{phase}.mark"
    env = _env() | {"XLC_PHASE": phase, "XLC_MARK": str(mark)}
    proc = subprocess.Popen([sys.executable, str(runner), "batch", str(folder), "-o",
                             str(output), "-q", "-j", "2"], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 30
    family: set[int] = set()
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            family |= {c.pid for c in parent.children(recursive=True)}
            workers_up = phase != "reading" or len(family) >= 2
            if mark.exists() and workers_up:
                break
            time.sleep(0.02)
        assert mark.exists(), f"the run never reached {phase}: {proc.stderr.read()!r}"
        family |= {c.pid for c in parent.children(recursive=True)}
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
    return [proc.pid, *sorted(family)]


def _wait_gone(pids: list[int], seconds: float = 5.0) -> list[int]:
    deadline = time.monotonic() + seconds
    left = [p for p in pids if _alive(p)]
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = [p for p in left if _alive(p)]
    return left


def _batch(folder: Path, output: Path, timeout: float = 60) -> tuple[float,
                                                                     subprocess.CompletedProcess[str]]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "xlcompare", "batch", str(folder), "-o",
                           str(output), "-q"], env=_env(), capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout, stdin=subprocess.DEVNULL,
                          check=False)
    return time.monotonic() - started, done


@linux_only
@pytest.mark.parametrize("phase", ["reading", "storing", "writing"])
def test_kill_9_leaves_no_process_and_the_next_run_goes_through(
        phase: str, drop: Path, tmp_path: Path) -> None:
    """SIGKILL of the batch process while its workers read, while it stores the files, or
    while it writes the summary: no process of the run is left (the workers die with it and
    hold no lock), and the next run finishes normally at once — before, the two workers lived
    on under PID 1 holding the history lock, and every later run waited 120 s and failed."""
    output = tmp_path / "summary.xlsx"
    pids = _kill_run(drop, output, phase, tmp_path)
    if phase == "reading":
        assert len(pids) >= 3, "the run had no worker processes to kill"
    left = _wait_gone(pids)
    evidence = _ps(left)
    for pid in left:  # should the test fail: none of the test's own processes stays
        os.kill(pid, signal.SIGKILL)
    assert left == [], "processes of the killed run are left:\n" + evidence
    seconds, again = _batch(drop, output, timeout=40)
    assert again.returncode == 0, again.stderr
    assert seconds < 20, seconds
    assert "12 stations" in again.stdout
    if phase == "writing":
        # the killed run's temporary output stays until it is old and no process holds it
        temps = list(tmp_path.glob(".~xlcompare-*.xlsx"))
        assert temps, "the killed write left no temporary file (the test killed it too late?)"


def _hold_lock(path: Path, owner: str | None = None) -> subprocess.Popen[str]:
    """A process of the test's own that holds an exclusive flock on `path` until released
    (and writes `owner` into the file first, as a run writes its pid)."""
    code = ("import fcntl, os, sys, time\n"
            "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "if sys.argv[2]:\n"
            "    os.ftruncate(fd, 0); os.pwrite(fd, sys.argv[2].encode(), 0)\n"
            "print('held', flush=True)\n"
            "time.sleep(120)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(path), owner or ""],
                            stdout=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def _release(proc: subprocess.Popen[str]) -> None:
    proc.kill()
    proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


def _dead_pid() -> int:
    """The pid of a process that has just ended (not reused within a test)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


# a killed run and the process it left: the locker takes the lock (writing OWNER into the
# file when given, as a run does), forks a child that keeps the descriptor, and exits
ORPHANED_LOCK = ("import fcntl, os, sys, time\n"
                 "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
                 "fcntl.flock(fd, fcntl.LOCK_EX)\n"
                 "if sys.argv[2]:\n"
                 "    os.pwrite(fd, sys.argv[2].replace('PID', str(os.getpid())).encode(), 0)\n"
                 "child = os.fork()\n"
                 "if child == 0:\n"
                 "    for n in (0, 1, 2): os.close(n)\n"
                 "    time.sleep(120); os._exit(0)\n"
                 "print(child, flush=True)\n")


def _orphaned_lock(lock: Path, owner: str) -> int:
    done = subprocess.run([sys.executable, "-c", ORPHANED_LOCK, str(lock), owner],
                          capture_output=True, text=True, check=True, timeout=30)
    orphan = int(done.stdout)
    assert _alive(orphan)
    return orphan


@pytest.mark.skipif(not hasattr(os, "fork"), reason="flock is POSIX")
def test_a_stale_lock_whose_owner_is_gone_is_taken_over(tmp_path: Path) -> None:
    """The lock file names its owner; when the lock is held but that run is gone (a process
    it left behind still holds the descriptor, as the orphaned workers of a killed run did),
    the next run takes the lock over at once — before, it waited (120 s by default) and
    failed with "another xlcompare run is working on this folder"."""
    import socket

    from xlcompare.batch.sqlite_store import SqliteHistory

    db = tmp_path / "h.sqlite"
    lock = tmp_path / "h.sqlite.lock"
    orphan = _orphaned_lock(lock, f"pid=PID start=- host={socket.gethostname()}\n")
    try:
        started = time.monotonic()
        with SqliteHistory(db, wait=3) as history:
            history.put("k", "v")
        assert time.monotonic() - started < 2
        assert any("[history-lock-taken-over]" in n for n in history.notices), history.notices
        owner = lock.read_text()
        assert f"pid={os.getpid()} " in owner, owner
    finally:
        os.kill(orphan, signal.SIGKILL)


@linux_only
def test_a_lock_left_by_an_older_xlcompare_without_an_owner_is_taken_over(tmp_path: Path) -> None:
    """An older xlcompare wrote no owner into the lock; the kernel's lock table
    (/proc/locks) still names the process that took it, and when that one is gone the lock
    is taken over."""
    from xlcompare.batch.sqlite_store import SqliteHistory

    orphan = _orphaned_lock(tmp_path / "h.sqlite.lock", "")
    try:
        with SqliteHistory(tmp_path / "h.sqlite", wait=3) as history:
            pass
        assert any("[history-lock-taken-over]" in n for n in history.notices)
    finally:
        os.kill(orphan, signal.SIGKILL)


def test_a_lock_held_by_another_machines_run_is_waited_for(tmp_path: Path) -> None:
    """An owner on another machine (a shared folder) cannot be checked from here: never
    taken over, however dead its pid looks here."""
    from xlcompare.batch.sqlite_store import SqliteHistory
    from xlcompare.errors import OutputError

    lock = tmp_path / "h.sqlite.lock"
    holder = _hold_lock(lock, f"pid={_dead_pid()} start=- host=another-machine\n")
    try:
        with pytest.raises(OutputError) as caught:
            SqliteHistory(tmp_path / "h.sqlite", wait=0.3)
        assert caught.value.code == "history-locked"
    finally:
        _release(holder)


def test_a_live_owner_keeps_its_lock(tmp_path: Path) -> None:
    """A run that is alive (its pid in the lock file) is waited for, never taken over."""
    import socket

    from xlcompare.batch.sqlite_store import SqliteHistory
    from xlcompare.errors import OutputError

    lock = tmp_path / "h.sqlite.lock"
    holder = _hold_lock(lock, "")
    try:
        lock.write_text(f"pid={holder.pid} host={socket.gethostname()}\n")
        with pytest.raises(OutputError) as caught:
            SqliteHistory(tmp_path / "h.sqlite", wait=0.3)
        assert caught.value.code == "history-locked"
    finally:
        _release(holder)


def test_children_of_a_run_do_not_hold_its_lock(tmp_path: Path) -> None:
    """A process forked while the history is open (a reading worker) holds no descriptor of
    the lock: a run killed with its workers alive leaves the lock free."""
    from xlcompare.batch.sqlite_store import SqliteHistory

    lock = tmp_path / "h.sqlite.lock"
    with SqliteHistory(tmp_path / "h.sqlite"):
        read, write = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover - the child
            os.close(read)
            held = [fd for fd in map(int, os.listdir("/proc/self/fd"))
                    if _points_to(fd, lock)] if LINUX else []
            os.write(write, repr(held).encode())
            os._exit(0)
        os.close(write)
        answer = os.read(read, 1000).decode()
        os.close(read)
        os.waitpid(child, 0)
    assert answer == "[]", f"the child holds the lock: {answer}"


def _points_to(fd: int, path: Path) -> bool:
    try:
        return os.readlink(f"/proc/self/fd/{fd}") == str(path)
    except OSError:
        return False


