"""Reading a workbook in a child process with a memory and a time limit.

A Rust reader that cannot allocate aborts the whole process; no try/except catches that.
For files the cheap checks cannot bound (.xlsb, an .ods with stray cells far away, a sheet
the tokenizer could not follow) the reading runs in a child: `python -m
xlcompare.files.isolate` with RLIMIT_AS (address space) and RLIMIT_CPU set before the file
is opened, and a wall-clock timeout in the parent. If the child dies, only the child dies;
the parent refuses the file and goes on. Results come back as JSON (never pickle: a child
that parsed a hostile file is not trusted to hand the parent code).

How the child ended is the reason given (`child_death`): a failed allocation (Rust prints
"memory allocation of N bytes failed" and aborts) or SIGKILL is the memory limit, SIGXCPU
the time limit — both `too_large`; any other signal (SIGSEGV, an abort without a failed
allocation) is the reader crashing on a damaged file: `corrupt`, code `reader-crashed`.

Cost, measured on this machine: ~100 ms per file (interpreter start + imports), against
~0.5 ms for a station workbook read in-process; hence only for suspicious files, unless
`[limits] isolate = "always"`.
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import cast

from xlcompare.codes import REFUSAL_CODES
from xlcompare.errors import ReadError
from xlcompare.files.extent import Block, PastGrid, Stray
from xlcompare.files.grids import Grid, calamine_grids
from xlcompare.files.limits import Limits, limits_from
from xlcompare.files.refuse import KINDS, Kind, refuse
from xlcompare.messages import Message

__all__ = ["child_death", "read_isolated"]


def read_isolated(path: Path, limits: Limits, fmt: str = "",
                  data: bytes | None = None) -> list[Grid]:
    """calamine_grids(path, sparse=True), run in a child process under the limits; `data`
    (a cleaned in-memory copy) is read instead of the file when given."""
    answer = _run(path, limits, {"mode": "calamine", "format": fmt}, data)
    return [_grid_from(item) for item in answer["sheets"]]


def _run(path: Path, limits: Limits, job: dict, data: bytes | None = None) -> dict:
    name = str(path)
    request = json.dumps({"path": str(path.resolve()), "name": name,
                          "limits": _limits_table(limits), "data": data is not None,
                          "parent": os.getpid(), **job})
    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (package_root, env.get("PYTHONPATH"))))
    env["RUST_BACKTRACE"] = "0"
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "xlcompare.files.isolate"],
            input=request.encode() + b"\n" + (data or b""), capture_output=True, env=env,
            timeout=limits.isolate_seconds + 5, check=False,
        )
    except subprocess.TimeoutExpired:
        raise refuse(Message("read-timeout.seconds", seconds=limits.isolate_seconds),
                     "too_large", name) from None
    if proc.returncode != 0:
        raise child_death(proc.returncode, proc.stderr, limits, name)
    try:
        answer = json.loads(proc.stdout)
    except ValueError:
        raise refuse(Message("corrupt.no-answer"), "corrupt", name) from None
    if "error" in answer:
        # the child's refusal, as it said it; anything else it met is a damaged file
        kind = cast(Kind, answer["kind"]) if answer.get("kind") in KINDS else "corrupt"
        code = answer.get("code") if answer.get("code") in REFUSAL_CODES else None
        raise refuse(Message.from_json(answer["error"]), kind, name, answer.get("sheet"),
                     code=code)
    return answer


def read_text_isolated(path: Path, limits: Limits, kind: str, encoding: str | None) -> list:
    """text_formats.read_html/read_mhtml in the child; RawSheets back."""
    from xlcompare.files.text_formats import RawSheet

    answer = _run(path, limits, {"mode": "text", "kind": kind, "encoding": encoding})
    return [RawSheet(str(item["name"]),
                     {(int(r), int(c)): _decode(v) for r, c, v in item["cells"]},
                     [tuple(m) for m in item["merges"]], {}, bool(item["hidden"]))
            for item in answer["sheets"]]


def _death(code: int) -> Message:
    if code < 0:
        import signal

        try:
            return Message("reason.stopped-by", signal=signal.Signals(-code).name)
        except ValueError:
            return Message("reason.stopped-by", signal=-code)
    return Message("reason.aborted") if code == 134 else Message("reason.exit-status",
                                                                 status=code)


_MEMORY_WORDS = (b"memory allocation of", b"MemoryError", b"out of memory", b"Cannot allocate")


def child_death(code: int, stderr: bytes, limits: Limits, name: str) -> ReadError:
    """The refusal for a file whose reading process ended with `code` (negative: the signal)
    and this on its stderr: out of memory or time (too_large), or crashed (corrupt)."""
    import signal

    how = _death(code)
    by = -code if code < 0 else (signal.SIGABRT if code == 134 else 0)
    memory = any(words in stderr for words in _MEMORY_WORDS) or by == signal.SIGKILL
    if getattr(signal, "SIGXCPU", None) == by:
        return refuse(Message("read-timeout.cpu", seconds=limits.isolate_seconds, how=how),
                      "too_large", name)
    if memory:
        return refuse(Message("resource-limit.memory", how=how, limit=limits.isolate_memory_mb),
                      "too_large", name)
    return refuse(Message("reader-crashed.how", how=how), "corrupt", name)


def _limits_table(limits: Limits) -> dict:
    return {key: getattr(limits, key) for key in limits.__dataclass_fields__}


# ---------------------------------------------------------------------------- values as JSON


def _encode(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return {"f": repr(value)}
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, time):
        return {"t": value.isoformat()}
    if isinstance(value, timedelta):
        return {"td": value.total_seconds()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _decode(value: object) -> object:
    if not isinstance(value, dict):
        return value
    if "f" in value:
        return float(value["f"])
    if "dt" in value:
        return datetime.fromisoformat(value["dt"])
    if "d" in value:
        return date.fromisoformat(value["d"])
    if "t" in value:
        return time.fromisoformat(value["t"])
    if "td" in value:
        return timedelta(seconds=value["td"])
    return None


def _grid_to(grid: Grid) -> dict:
    return {
        "name": grid.name, "kind": grid.kind, "hidden": grid.hidden,
        "rows": [[_encode(v) for v in row] for row in grid.rows],
        "merges": grid.merges,
        "stray": {"count": grid.stray.count, "named": grid.stray.named},
        "block": [grid.block.rows, grid.block.cols] if grid.block else None,
        "past": {"count": grid.past.count, "named": grid.past.named},
        "broken": grid.broken.as_json() if grid.broken is not None else None,
    }


def _grid_from(item: dict) -> Grid:
    stray = Stray(int(item["stray"]["count"]),
                  [(int(r), int(c), str(t)) for r, c, t in item["stray"]["named"]])
    block = Block(*item["block"]) if item.get("block") else None
    past = PastGrid(int(item["past"]["count"]),
                    [(str(ref), str(t)) for ref, t in item["past"]["named"]])
    broken = item.get("broken")
    return Grid(str(item["name"]), [[_decode(v) for v in row] for row in item["rows"]],
                [tuple(m) for m in item["merges"]], bool(item["hidden"]), str(item["kind"]),
                stray, block, past, Message.from_json(broken) if broken is not None else None)


# ---------------------------------------------------------------------------- the child


def _read_text(request: dict, limits: Limits) -> list:
    from xlcompare.files import text_formats

    path = Path(request["path"])
    if request["kind"] == "mhtml":
        return text_formats.read_mhtml(path, limits, request["name"])
    return text_formats.read_html(path, request["encoding"], limits, request["name"])


def _raw_to(sheet) -> dict:
    return {"name": sheet.name, "hidden": sheet.hidden, "merges": sheet.merges,
            "cells": [[r, c, _encode(v)] for (r, c), v in sheet.cells.items()]}



def _limit_resources(limits: Limits) -> None:
    try:
        import resource
    except ImportError:  # Windows: the parent's timeout still applies
        return
    memory = limits.isolate_memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    seconds = max(1, math.ceil(limits.isolate_seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))


def _die_with(parent: int | None) -> None:
    """End when the process that started this one ends (a batch killed with SIGKILL cannot
    stop its children): Linux's parent-death signal, then a check that the parent did not go
    before it was armed. Elsewhere the parent's timeout and this process's CPU limit end it."""
    if parent is None or not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)


def _child() -> int:
    header = sys.stdin.buffer.readline()
    request = json.loads(header)
    _die_with(request.get("parent"))
    data = sys.stdin.buffer.read() if request.get("data") else None
    limits = limits_from(request["limits"])
    _limit_resources(limits)
    try:
        if request["mode"] == "text":
            answer: dict = {"sheets": [_raw_to(s) for s in _read_text(request, limits)]}
        else:
            grids = calamine_grids(data if data is not None else request["path"], limits,
                                   request["name"], request["format"], sparse=True)
            answer = {"sheets": [_grid_to(g) for g in grids]}
    except ReadError as exc:  # every refusal goes back as data
        answer = {"error": exc.message.as_json(), "kind": exc.kind, "code": exc.code,
                  "sheet": exc.sheet}
    except MemoryError:
        answer = {"error": Message("resource-limit.child",
                                   limit=limits.isolate_memory_mb).as_json(),
                  "kind": "too_large", "code": "resource-limit", "sheet": None}
    except Exception as exc:  # noqa: BLE001 - and so does anything else
        from xlcompare.files.grids import plain_reason

        answer = {"error": Message("corrupt.workbook", why=plain_reason(exc)).as_json(),
                  "kind": None, "code": None, "sheet": None}
    sys.stdout.buffer.write(json.dumps(answer, ensure_ascii=False).encode("utf-8"))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_child())
