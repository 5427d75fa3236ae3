"""Faults of the machine and of the folder, not of a workbook: a run killed with SIGKILL (or by
the OOM killer) at several phases, a lock left by a dead run, a full disk, a corrupt or foreign
history, an output folder that cannot be written, and a drop folder holding symbolic links,
pipes and loops. Each case is built here by the test; each ends in one line on stderr and an
exit code of its own (README "Hostile and broken files"), never a traceback, an orphan
process, a hang or a write outside the folder.

Linux-only cases (process groups, /proc, tmpfs, bind mounts) skip elsewhere; the tmpfs and
read-only mounts need root and skip when mounting is not allowed.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from harness import CliResult, cli, copy_samples

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402  (bench/generate.py: realistic generated stations)

LINUX = sys.platform.startswith("linux")
linux_only = pytest.mark.skipif(not LINUX, reason="process and mount faults are Linux cases")
posix_only = pytest.mark.skipif(os.name != "posix", reason="flock, fork and modes are POSIX")
ENVIRONMENT = 3  # the exit code of a failure of the machine (README "Commands")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), env.get("PYTHONPATH"))))
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _one_line(result: CliResult | subprocess.CompletedProcess[str], code: str) -> str:
    """The run's stderr is one `xlcompare: error:` line naming `code`, with no traceback."""
    err = result.stderr
    assert "Traceback" not in err and "Exception ignored" not in err, err
    lines = [x for x in err.splitlines() if x.startswith("xlcompare: error")]
    assert len(lines) == 1, err
    assert f"[{code}]" in lines[0], err
    return lines[0]


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
    real_read = pipeline.read_workbook
    def slow_read(path, **options):
        mark.write_text(str(os.getpid()))
        time.sleep(0.5)
        return real_read(path, **options)
    pipeline.read_workbook = slow_read
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


@posix_only
def test_a_dead_runs_temporary_output_is_removed_by_a_later_run(tmp_path: Path,
                                                                samples_copy: Path) -> None:
    """Temporary outputs (`.~xlcompare-*.xlsx` beside the output) of a run that is gone are
    removed by the next write once no process holds them and they are older than a few
    minutes; a fresh one (a run that may still be writing elsewhere) and one that a live
    process holds stay."""
    from xlcompare.batch import summarise
    from xlcompare.writers.summary_xlsx import write_summary

    old, fresh, held = (tmp_path / f".~xlcompare-{n}.xlsx" for n in ("old", "fresh", "held"))
    for temp in (old, fresh, held):
        temp.write_bytes(b"")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    os.utime(held, (an_hour_ago, an_hour_ago))
    holder = _hold_lock(held)
    try:
        result = summarise(samples_copy, use_history=False)
        write_summary(result, tmp_path / "summary.xlsx")
        assert (old.exists(), fresh.exists(), held.exists()) == (False, True, True)
        assert sorted(p.name for p in tmp_path.glob(".~xlcompare-*")) == sorted([held.name, fresh.name])
    finally:
        _release(holder)


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


@posix_only
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


@posix_only
@pytest.mark.parametrize("owner", [
    # on another machine (a shared folder): cannot be checked from here, however dead its
    # pid looks here
    lambda pid: f"pid={_dead_pid()} start=- host=another-machine\n",
    # alive, on this machine
    lambda pid: f"pid={pid} host={__import__('socket').gethostname()}\n",
], ids=["another_machine", "alive_here"])
def test_a_lock_whose_owner_may_be_alive_is_waited_for(tmp_path: Path, owner) -> None:
    """Such a lock is never taken over: the run waits, then says the folder is busy."""
    from xlcompare.batch.sqlite_store import SqliteHistory
    from xlcompare.errors import OutputError

    lock = tmp_path / "h.sqlite.lock"
    holder = _hold_lock(lock, "")
    try:
        lock.write_text(owner(holder.pid))
        with pytest.raises(OutputError) as caught:
            SqliteHistory(tmp_path / "h.sqlite", wait=0.3)
        assert caught.value.code == "history-locked"
    finally:
        _release(holder)


@linux_only
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
                    if _points_to(fd, lock)]
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


# ---------------------------------------------------------------------- symlinks and pipes


def _records(result: object) -> dict[str, tuple[str, str | None]]:
    return {f.path: (f.status.value, f.code) for f in result.files}  # type: ignore[attr-defined]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_a_planted_state_folder_link_is_refused_and_nothing_written_where_it_points(
        tmp_path: Path, samples_copy: Path) -> None:
    """A `.xlcompare` symlink in a shared drop folder: before, the history, its -wal/-shm and
    the lock were created wherever it pointed. Now the run stops with one line and writes
    nothing there; the up-to-date shortcut does not read a history through it either."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (samples_copy / ".xlcompare").symlink_to(elsewhere, target_is_directory=True)
    result = cli("batch", samples_copy, "-o", tmp_path / "summary.xlsx", "-q")
    assert result.returncode == ENVIRONMENT, result.stderr
    line = _one_line(result, "history-symlink")
    assert "--no-history" in line and "--db" in line
    assert list(elsewhere.iterdir()) == []
    assert not (tmp_path / "summary.xlsx").exists()
    # with the history elsewhere (or none) the folder is summarised
    assert cli("batch", samples_copy, "-o", tmp_path / "summary.xlsx", "-q",
               "--no-history").returncode == 0
    assert list(elsewhere.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_the_history_file_itself_is_never_opened_through_a_link(tmp_path: Path,
                                                              samples_copy: Path) -> None:
    state = samples_copy / ".xlcompare"
    state.mkdir()
    target = tmp_path / "victim.sqlite"
    (state / "history.sqlite").symlink_to(target)
    result = cli("batch", samples_copy, "-o", tmp_path / "summary.xlsx", "-q")
    assert result.returncode == ENVIRONMENT
    _one_line(result, "history-symlink")
    assert not target.exists()


@pytest.mark.skipif(not hasattr(os, "symlink") or not hasattr(os, "mkfifo"),
                    reason="symbolic links and FIFOs")
def test_links_out_of_the_folder_loops_and_special_files_are_listed_not_read(
        tmp_path: Path, samples_copy: Path) -> None:
    """A `report.xlsx` link to a CSV outside the folder was read, and its text copied into
    the summary and the history; a FIFO and a symlink loop were dropped without a word. Now
    each is listed 已忽略 with why, and nothing outside the folder is opened."""
    from xlcompare.batch import summarise
    from xlcompare.writers.summary_xlsx import write_summary

    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.csv"
    secret.write_text("指标名称,协议指标量,完成量\nDB_PASSWORD=hunter2,abc,def\n", encoding="utf-8")
    (samples_copy / "report.xlsx").symlink_to(secret)
    (samples_copy / "loop1.xlsx").symlink_to("loop2.xlsx")
    (samples_copy / "loop2.xlsx").symlink_to("loop1.xlsx")
    (samples_copy / "gone.xlsx").symlink_to(tmp_path / "nothing.xlsx")
    os.mkfifo(samples_copy / "pipe.xlsx")
    (samples_copy / "sub").mkdir()
    (samples_copy / "sub" / "again.xlsx").symlink_to(samples_copy / "瑞宝街_2023-2024_中期.xlsx")
    (samples_copy / "elsewhere").symlink_to(outside, target_is_directory=True)
    db = tmp_path / "h.sqlite"
    result = summarise(samples_copy, db=db)
    records = _records(result)
    assert records["report.xlsx"] == ("已忽略", "link-outside")
    assert records["loop1.xlsx"] == ("已忽略", "link-loop")
    assert records["loop2.xlsx"] == ("已忽略", "link-loop")
    assert records["gone.xlsx"] == ("已忽略", "broken-link")
    assert records["pipe.xlsx"] == ("已忽略", "special-file")
    assert records["elsewhere"] == ("已忽略", "linked-folder")
    # a link that stays inside the folder is read like the file it names
    assert records["sub/again.xlsx"][0] in ("已读取", "重复（已被取代）")
    out = tmp_path / "summary.xlsx"
    write_summary(result, out)
    import zipfile

    with zipfile.ZipFile(out) as book:
        text = b"".join(book.read(n) for n in book.namelist())
    assert b"DB_PASSWORD" not in text and b"hunter2" not in text
    with sqlite3.connect(db) as con:
        stored = b"".join(str(row).encode() for row in con.execute("SELECT * FROM files"))
    assert b"hunter2" not in stored


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_inspect_of_a_fifo_refuses_at_once(tmp_path: Path) -> None:
    """`xlcompare inspect FIFO` hung for ever, waiting for a writer; now it refuses at once."""
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    try:
        done = subprocess.run([sys.executable, "-m", "xlcompare", "inspect", str(fifo)],
                              env=_env(), capture_output=True, text=True, encoding="utf-8",
                              timeout=20, stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("xlcompare inspect hangs on a FIFO")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "pipe.xlsx" in done.stderr and "not a regular file" in done.stderr


def test_open_workbook_never_opens_a_device(tmp_path: Path) -> None:
    from xlcompare.errors import ReadError
    from xlcompare.files.workbook import open_workbook

    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    with pytest.raises(ReadError) as caught:
        open_workbook("/dev/zero")
    assert caught.value.code == "special-file"


# ------------------------------------------------------------------------------ histories


def _good_history(folder: Path, tmp_path: Path) -> Path:
    assert cli("batch", folder, "-o", tmp_path / "first.xlsx", "-q").returncode == 0
    return folder / ".xlcompare" / "history.sqlite"


def _garbage_pages(db: Path) -> None:
    """Overwrite every page but the first (the header and the schema) with 0xFF."""
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    data[page:] = b"\xff" * (len(data) - page)
    db.write_bytes(bytes(data))


CORRUPTIONS = {
    "random-bytes": lambda db: db.write_bytes(os.urandom(20000)),
    "an-xlsx": lambda db: shutil.copy(ROOT / "sample_workbooks" / "瑞宝街_2023-2024_中期.xlsx", db),
    "zeros": lambda db: db.write_bytes(bytes(8192)),
    "truncated": lambda db: db.write_bytes(db.read_bytes()[: len(db.read_bytes()) // 3]),
    "malformed-pages": _garbage_pages,
}


@pytest.mark.parametrize("kind", sorted(CORRUPTIONS))
def test_a_corrupt_history_is_moved_aside_and_rebuilt(kind: str, tmp_path: Path,
                                                      samples_copy: Path) -> None:
    """Before: a traceback (`sqlite3.DatabaseError: file is not a database`), exit 1, every
    run. Now the damaged file is renamed aside with a timestamp (kept, for whoever wants to
    look), a new history is started with a warning, and the run goes on."""
    db = _good_history(samples_copy, tmp_path)
    CORRUPTIONS[kind](db)
    damaged = db.read_bytes()
    result = cli("batch", samples_copy, "-o", tmp_path / "summary.xlsx", "-q")
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    warning = [x for x in result.stderr.splitlines() if "[history-rebuilt]" in x]
    assert len(warning) == 1, result.stderr
    aside = sorted(db.parent.glob("history.sqlite.corrupt-*"))
    assert [p.name for p in aside if not p.name.endswith(("-wal", "-shm"))], aside
    kept = next(p for p in aside if not p.name.endswith(("-wal", "-shm")))
    assert kept.read_bytes() == damaged
    assert kept.name in warning[0]
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA quick_check").fetchone() == ("ok",)
        assert con.execute("SELECT count(*) FROM files").fetchone()[0] > 0
    again = cli("batch", samples_copy, "-o", tmp_path / "summary.xlsx", "-q")
    assert again.returncode == 0 and "up to date" in again.stdout


def test_the_up_to_date_shortcut_does_not_hide_a_corrupt_history(tmp_path: Path,
                                                                 samples_copy: Path) -> None:
    """Before: with no workbook changed, "summary.xlsx is up to date" was answered from the
    history's one row however damaged the rest was. Now damage means not current, and the
    full run meets it (moves it aside and rebuilds)."""
    out = tmp_path / "summary.xlsx"
    assert cli("batch", samples_copy, "-o", out, "-q").returncode == 0
    db = samples_copy / ".xlcompare" / "history.sqlite"
    assert "up to date" in cli("batch", samples_copy, "-o", out, "-q").stdout
    with sqlite3.connect(db) as con:  # the meta row the shortcut reads stays readable
        damaged = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'reports'"
                              ).fetchone()[0]
    data = bytearray(db.read_bytes())
    size = int.from_bytes(data[16:18], "big") or 65536
    data[(damaged - 1) * size: damaged * size] = b"\xff" * size
    db.write_bytes(bytes(data))
    result = cli("batch", samples_copy, "-o", out, "-q")
    assert "up to date" not in result.stdout, result.stdout
    assert "[history-rebuilt]" in result.stderr, result.stderr


FOREIGN = {
    "other-columns": "CREATE TABLE files (id INTEGER, name TEXT);",
    "another-programs-db": "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);"
                           "INSERT INTO users VALUES (1, 'a@example.org');",
    "version-not-a-number": "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                            "INSERT INTO meta VALUES ('schema_version', 'v2-beta');",
}


@pytest.mark.parametrize("kind", sorted(FOREIGN))
def test_a_foreign_sqlite_database_is_refused_and_left_alone(kind: str, tmp_path: Path,
                                                             samples_copy: Path) -> None:
    """A well-formed SQLite database that is not an xlcompare history (another program's, or
    one with other columns): before, a traceback (`no such column: sha256`) or, worse, our
    tables created inside it. Now one line, exit 3, saying what to do; the file untouched."""
    db = tmp_path / "other.sqlite"
    with sqlite3.connect(db) as con:
        con.executescript(FOREIGN[kind])
    before = db.read_bytes()
    result = cli("batch", samples_copy, "-o", tmp_path / "summary.xlsx", "-q", "--db", db)
    assert result.returncode == ENVIRONMENT, result.stderr
    line = _one_line(result, "history-foreign")
    assert "--db" in line and "--no-history" in line
    assert db.read_bytes() == before


# ------------------------------------------------------------------ disk full, no permission


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs (root only; skipped where mounting is not allowed)."""
    if not LINUX or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux")
    place = tmp_path / "tiny"
    place.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(place)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {mounted.stderr!r}")
    try:
        yield place
    finally:
        subprocess.run(["umount", "-l", str(place)], check=False)


def _xlcompare(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The command in a process of its own: what reaches its stderr up to its exit (Python's
    own "Exception ignored" lines at collection or shutdown included)."""
    return subprocess.run([sys.executable, "-m", "xlcompare", *map(str, args)], env=_env(),
                          capture_output=True, text=True, encoding="utf-8", timeout=120,
                          stdin=subprocess.DEVNULL, check=False)


def test_a_full_disk_under_the_history_is_one_line(tmp_path: Path, samples_copy: Path,
                                                   tiny_disk: Path) -> None:
    """Before: `sqlite3.OperationalError: database or disk is full` (or "disk I/O error"),
    a traceback, exit 1."""
    (tiny_disk / "filler").write_bytes(b"\0" * 40 * 1024)
    result = _xlcompare("batch", samples_copy, "-o", tmp_path / "summary.xlsx", "-q",
                        "--db", tiny_disk / "h.sqlite")
    assert result.returncode == ENVIRONMENT, result.stderr
    line = _one_line(result, "disk-full")
    assert "--db" in line or "--no-history" in line


def test_a_full_disk_under_the_output_is_one_line_and_the_old_output_stays(
        tmp_path: Path, samples_copy: Path, tiny_disk: Path) -> None:
    """Before: `OSError: [Errno 28] No space left on device` from zipfile, a traceback."""
    out = tiny_disk / "summary.xlsx"
    out.write_bytes(b"the previous summary")
    (tiny_disk / "filler").write_bytes(b"\0" * 50 * 1024)
    result = _xlcompare("batch", samples_copy, "-o", out, "-q", "--no-history")
    assert result.returncode == ENVIRONMENT, result.stderr
    _one_line(result, "disk-full")
    assert out.read_bytes() == b"the previous summary"
    assert list(tiny_disk.glob(".~xlcompare-*")) == []


def test_a_write_failing_with_enospc_is_one_line(tmp_path: Path, samples_copy: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The same without root: the workbook's final write raises ENOSPC."""
    from xlsxwriter.workbook import Workbook

    def full(self: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Workbook, "close", full)
    out = tmp_path / "summary.xlsx"
    result = cli("batch", samples_copy, "-o", out, "-q", "--no-history")
    assert result.returncode == ENVIRONMENT, result.stderr
    _one_line(result, "disk-full")
    assert not out.exists() and list(tmp_path.glob(".~xlcompare-*")) == []


def test_a_history_filling_up_is_one_line(tmp_path: Path, samples_copy: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's own "database or disk is full", without root: a page limit on the history."""
    from xlcompare.batch import sqlite_store

    real = sqlite_store.SqliteHistory._migrate

    def small(self: sqlite_store.SqliteHistory) -> None:
        real(self)
        self.db.execute("PRAGMA max_page_count = 12")

    monkeypatch.setattr(sqlite_store.SqliteHistory, "_migrate", small)
    result = cli("batch", samples_copy, "-o", tmp_path / "summary.xlsx", "-q",
                 "--db", tmp_path / "h.sqlite")
    assert result.returncode == ENVIRONMENT, result.stderr
    _one_line(result, "disk-full")


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A folder nothing can be written in: chmod, or as root a read-only bind mount."""
    if os.name != "posix":
        pytest.skip("permissions and mounts of POSIX")
    place = tmp_path / "ro"
    place.mkdir()
    if os.geteuid() != 0:
        place.chmod(0o555)
        yield place
        place.chmod(0o755)
        return
    if not LINUX:
        pytest.skip("root ignores permissions; a read-only mount is a Linux case here")
    bound = subprocess.run(["mount", "--bind", str(place), str(place)], capture_output=True,
                           check=False)
    if bound.returncode != 0:
        pytest.skip(f"cannot bind-mount: {bound.stderr!r}")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(place)], check=True,
                       capture_output=True)
        yield place
    finally:
        subprocess.run(["umount", "-l", str(place)], check=False)


def test_an_output_folder_that_cannot_be_written_is_one_line(tmp_path: Path,
                                                             samples_copy: Path,
                                                             read_only: Path) -> None:
    """Before: `OSError: [Errno 30] Read-only file system` (or EACCES) from mkstemp."""
    result = cli("batch", samples_copy, "-o", read_only / "summary.xlsx", "-q", "--no-history")
    assert result.returncode == ENVIRONMENT, result.stderr
    line = _one_line(result, "output-unwritable")
    assert "-o" in line


def test_a_drop_folder_that_cannot_be_written_says_use_db(tmp_path: Path, read_only: Path,
                                                          samples_copy: Path) -> None:
    """The history's default place is in the drop folder; a read-only share says to move it."""
    if os.geteuid() == 0:
        # the bind mount is empty and read-only: put the samples in first through the source
        subprocess.run(["umount", "-l", str(read_only)], check=True)
        copy_samples(read_only)
        subprocess.run(["mount", "--bind", str(read_only), str(read_only)], check=True)
        subprocess.run(["mount", "-o", "remount,bind,ro", str(read_only)], check=True)
    else:
        read_only.chmod(0o755)
        copy_samples(read_only)
        read_only.chmod(0o555)
    result = cli("batch", read_only, "-o", tmp_path / "summary.xlsx", "-q")
    assert result.returncode == ENVIRONMENT, result.stderr
    line = _one_line(result, "history-unwritable")
    assert "--db" in line and "--no-history" in line
    assert cli("batch", read_only, "-o", tmp_path / "summary.xlsx", "-q",
               "--db", tmp_path / "h.sqlite").returncode == 0


def test_a_file_where_the_output_folder_should_be_is_one_line(tmp_path: Path,
                                                              samples_copy: Path) -> None:
    (tmp_path / "afile").write_text("not a folder")
    result = cli("batch", samples_copy, "-o", tmp_path / "afile" / "summary.xlsx", "-q",
                 "--no-history")
    assert result.returncode == ENVIRONMENT, result.stderr
    _one_line(result, "output-folder-missing")


def test_an_unexpected_os_error_is_one_line(tmp_path: Path, samples_copy: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever OSError escapes a command becomes one line with exit 3, never a traceback."""
    from xlcompare.batch import refresh

    def broken(*_: object, **__: object) -> None:
        raise OSError(errno.EIO, "Input/output error", str(tmp_path / "x"))

    monkeypatch.setattr(refresh, "summary_is_current", broken)
    result = cli("batch", samples_copy, "-o", tmp_path / "summary.xlsx", "-q")
    assert result.returncode == ENVIRONMENT
    line = _one_line(result, "io-failure")
    assert "Input/output error" in line


def test_a_bug_is_one_line_too(tmp_path: Path, samples_copy: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    """An exception no one foresaw (a bug) is one line with its own exit code (4), saying
    how to see the traceback."""
    from xlcompare.batch import refresh

    def broken(*_: object, **__: object) -> None:
        raise KeyError("oops")

    monkeypatch.setattr(refresh, "summary_is_current", broken)
    result = cli("batch", samples_copy, "-o", tmp_path / "summary.xlsx", "-q")
    assert result.returncode == 4
    line = _one_line(result, "internal-error")
    assert "XLCOMPARE_TRACEBACK" in line


# --------------------------------------------------------------------------- output modes


@posix_only
def test_outputs_take_the_umask_or_keep_the_mode_they_replace(tmp_path: Path,
                                                              samples_copy: Path) -> None:
    """mkstemp made every summary 0600, whatever the umask: colleagues on a share could not
    open it. Now a new output has the umask's mode; a replaced one keeps its own."""
    out = tmp_path / "summary.xlsx"
    old = os.umask(0o022)
    try:
        assert cli("batch", samples_copy, "-o", out, "-q", "--no-history").returncode == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        out.chmod(0o640)
        assert cli("batch", samples_copy, "-o", out, "-q", "--no-history").returncode == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
        os.umask(0o002)
        other = tmp_path / "other.xlsx"
        assert cli("batch", samples_copy, "-o", other, "-q", "--no-history").returncode == 0
        assert stat.S_IMODE(other.stat().st_mode) == 0o664
    finally:
        os.umask(old)
