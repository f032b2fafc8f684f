"""Processes that end with the build: workers, kernels and Quarto never outlive it.

A build killed with SIGKILL cannot clean up after itself, so every process it starts is made to end
with its parent:

- **worker processes** (process steps, notebook runs; forked by ``ProcessPoolExecutor``): a fork hook
  (:func:`install`) asks Linux to kill the child when its parent dies (``prctl(PR_SET_PDEATHSIG)``),
  closes the child's copy of the build lock (so the lock is never held by anything but the build)
  and makes the child ignore Ctrl-C (the build stops its workers itself, with one line of output);
- **Jupyter kernels** (started in their own session by jupyter_client): the setup cell of each run
  starts a thread in the kernel that ends it when its parent (the worker) is gone (:data:`KERNEL_WATCH`);
- **Quarto** (:func:`popen_kwargs`): its own process group, killed as a whole on a time limit or on
  Ctrl-C, ``PR_SET_PDEATHSIG`` so it ends when the build is killed, and a watchdog
  (:func:`watch_group`) that then ends the rest of its group (pandoc, sass).

Elsewhere than Linux, the parent-death signal is not available; the kernels' watch still applies.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

PR_SET_PDEATHSIG = 1

#: File descriptors a child must not keep (the build lock).
_CLOSE_IN_CHILD: set[int] = set()
_INSTALLED = False


def die_with_parent(sig: int = signal.SIGKILL, parent: int | None = None) -> None:
    """Ask Linux to send ``sig`` to this process when its parent dies (no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _after_fork_in_child(parent: int) -> None:
    if not _CLOSE_IN_CHILD:  # no command holds the lock in this process: forks are not the build's
        return
    for fd in list(_CLOSE_IN_CHILD):
        with contextlib.suppress(OSError):
            os.close(fd)
    _CLOSE_IN_CHILD.clear()
    with contextlib.suppress(ValueError):  # not the main thread
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(signal.SIGKILL, parent)


def install(lock_fd: int) -> None:
    """While ``lock_fd`` is held (until :func:`release`), make every process forked end with this one
    (and not hold ``lock_fd``)."""
    global _INSTALLED
    _CLOSE_IN_CHILD.add(lock_fd)
    if not _INSTALLED:
        parent = os.getpid()
        os.register_at_fork(after_in_child=lambda: _after_fork_in_child(parent))
        _INSTALLED = True


def release(lock_fd: int) -> None:
    _CLOSE_IN_CHILD.discard(lock_fd)


def _quarto_preexec() -> None:  # runs in the child between fork and exec
    die_with_parent(signal.SIGKILL)


def popen_kwargs() -> dict:
    """Options for ``subprocess`` that make a child (Quarto) a process group of its own that dies with the build."""
    kw: dict = {"start_new_session": True}
    if sys.platform.startswith("linux"):
        kw["preexec_fn"] = _quarto_preexec
    return kw


def kill_group(proc) -> None:
    """End a child started with :func:`popen_kwargs` and everything it started."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        proc.kill()


_WATCHDOG = (
    'while kill -0 "$0" 2>/dev/null && kill -0 -- "-$1" 2>/dev/null; do sleep 0.5; done; '
    'kill -0 "$0" 2>/dev/null || kill -KILL -- "-$1" 2>/dev/null'
)


def watch_group(pgid: int):
    """A watchdog (``sh``, in a session of its own) that kills the process group ``pgid`` if this process
    dies first (SIGKILL): the parent-death signal reaches Quarto itself, not the pandoc and sass
    processes it starts. It ends by itself when the group ends; :func:`stop_watch` ends it sooner."""
    import subprocess

    try:
        return subprocess.Popen(
            ["sh", "-c", _WATCHDOG, str(os.getpid()), str(pgid)],
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError:  # no sh: the parent-death signal still ends Quarto itself
        return None


def stop_watch(watchdog) -> None:
    if watchdog is not None:
        with contextlib.suppress(OSError):
            watchdog.kill()
            watchdog.wait()


#: Code run in each kernel before a notebook: a daemon thread that ends the kernel when the process
#: that started it is gone (a killed build's worker), started once per kernel.
KERNEL_WATCH = """\
import sys as _sys
if not getattr(_sys, "_llr_watch", None):
    import os as _os, threading as _th, time as _time
    def _llr_watch(parent=_os.getppid()):
        while _os.getppid() == parent:
            _time.sleep(0.5)
        _os._exit(1)
    _sys._llr_watch = _th.Thread(target=_llr_watch, name="llr-parent-watch", daemon=True)
    _sys._llr_watch.start()
    del _os, _th, _time
del _sys
"""
