"""Finding, waiting for and stopping the processes of a stack (psutil)."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import psutil  # type: ignore[import-untyped]

# How API and worker processes are recognised on their command line.
SERVICE_MARKERS = ("services.import_api", "services.validator_worker", "dramatiq")


def alive(process: psutil.Process) -> bool:
    try:
        return bool(process.is_running()) and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def process_tree(pid: int) -> list[psutil.Process]:
    """The process and its descendants, as far as they still exist."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def wait_gone(processes: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait until no process of the list runs (zombies count as gone); return the living.

    psutil.wait_procs would also wait for init to reap a zombie, which can take seconds.
    """
    deadline = time.monotonic() + timeout
    living = [p for p in processes if alive(p)]
    while living and time.monotonic() < deadline:
        time.sleep(0.02)
        living = [p for p in living if alive(p)]
    return living


def terminate(processes: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """SIGTERM, wait, then SIGKILL; return what still lives (should be nothing)."""
    for proc in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.terminate()
    living = wait_gone(processes, timeout)
    for proc in living:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    return wait_gone(living, 5)


def group_members(pgid: int) -> list[psutil.Process]:
    """The live processes (not zombies) of a process group."""
    members = []
    for proc in psutil.process_iter(["status"]):
        try:
            in_group = os.getpgid(proc.pid) == pgid
        except ProcessLookupError:
            continue
        if in_group and proc.info.get("status") != psutil.STATUS_ZOMBIE:
            members.append(proc)
    return members


def signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def wait_group(pgid: int, timeout: float) -> bool:
    """True once no live process is left in the group."""
    deadline = time.monotonic() + timeout
    while group_members(pgid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def stop_group(pgid: int, timeout: float) -> None:
    """SIGTERM to the group's leader only, then SIGKILL to the group after `timeout`.

    The leader only: Dramatiq's main process passes SIGTERM on to its workers, and a
    worker that gets a second SIGTERM kills itself uncleanly.
    """
    with contextlib.suppress(ProcessLookupError):
        os.kill(pgid, signal.SIGTERM)
    if not wait_group(pgid, timeout):
        signal_group(pgid, signal.SIGKILL)
        wait_group(pgid, 5)


def _under(path: str, root: Path) -> bool:
    return path == str(root) or path.startswith(str(root) + os.sep)


def leftover_processes(
    root: Path, state_dir: Path, *, services: bool = True
) -> Iterator[psutil.Process]:
    """Processes a stack on `state_dir` may have left: its PostgreSQL and Valkey (found by
    working directory, which each sets to its data dir) and, with `services`, any API or
    worker process working in `root`. Zombies, the caller and its ancestors are skipped."""
    own = {os.getpid(), *(p.pid for p in psutil.Process().parents())}
    data_dirs = [(state_dir / "postgres").resolve(), (state_dir / "valkey").resolve()]
    for proc in psutil.process_iter(["cmdline", "cwd", "status"]):
        if proc.pid in own or proc.info.get("status") == psutil.STATUS_ZOMBIE:
            continue
        cwd = proc.info.get("cwd") or ""
        cmdline = " ".join(proc.info.get("cmdline") or [])
        is_server = any(_under(cwd, d) for d in data_dirs)
        is_service = services and cwd == str(root) and any(m in cmdline for m in SERVICE_MARKERS)
        if is_server or is_service:
            yield proc


def describe(proc: psutil.Process) -> str:
    """`pid command line`, for messages."""
    try:
        return f"{proc.pid} {' '.join(proc.cmdline()) or proc.name()}"
    except psutil.Error:
        return str(proc.pid)
