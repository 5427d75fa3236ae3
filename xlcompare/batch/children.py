"""The processes a batch run forks (its reading workers) die with it.

A run killed with SIGKILL — by someone, or by the OOM killer, which picks the largest process —
cannot stop its children itself. Before this, its ProcessPoolExecutor workers waited for work
on a queue no one would write to again, for good, re-parented to PID 1 (and, holding a copy
of the lock's descriptor, kept every later run off the folder: batch/lock.py closes that copy).

`die_with_parent()` makes every process this one forks from then on end when it ends: on Linux
the kernel kills the child at its parent's death (prctl PR_SET_PDEATHSIG, armed in the child
right after the fork, then a check that the parent did not die in between); elsewhere a thread
in the child watches its parent's pid and exits the child when it changes. It is an at-fork
hook, not a pool initializer, so it holds for whatever forks the workers.

Processes started with exec (subprocess) are not forks in this sense and are not touched.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

__all__ = ["die_with_parent"]

PR_SET_PDEATHSIG = 1  # linux/prctl.h
_installed = False
_parent = 0  # this process's pid, noted before each fork for the child to check


def die_with_parent() -> None:
    """From now on, every child this process forks dies when this process dies. Idempotent."""
    global _installed
    if _installed or not hasattr(os, "register_at_fork"):
        return
    _installed = True
    prctl = _prctl()
    os.register_at_fork(before=_note_parent, after_in_child=lambda: _arm(prctl))


def _note_parent() -> None:
    global _parent
    _parent = os.getpid()


def _prctl() -> Callable[..., Any] | None:
    """libc's prctl, looked up in the parent once (Linux only)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl: Callable[..., Any] = ctypes.CDLL(None, use_errno=True).prctl
        return prctl
    except (OSError, AttributeError):
        return None


def _arm(prctl: Callable[..., Any] | None) -> None:
    parent = _parent
    if prctl is not None and prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(1)
        return
    threading.Thread(target=_watch, args=(parent,), name="xlcompare-parent-watch",
                     daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)
