"""The trial's processes: each started in a session of its own and stopped by its id, never by its name
(other people's gunicorn, postgres and redis-server run on the same machine).

    python -m benchmarks.cluster.processes stop PIDS_FILE   # the shell script's exit trap: SIGKILL what is left
"""

import os
import signal
import socket
import sys
import time
from pathlib import Path


def children_of():
    """{parent pid: [child pids]} of every process now running, from /proc."""
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # The command name may hold spaces and parentheses: the fields after its closing parenthesis are fixed.
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def tree(pid):
    """``pid`` and every process descended from it (a work horse in a process group of its own included)."""
    children, found, waiting = children_of(), [], [pid]
    while waiting:
        current = waiting.pop()
        found.append(current)
        waiting.extend(children.get(current, []))
    return found


def kill_tree(pid, sig=signal.SIGKILL):
    """Send ``sig`` to ``pid`` and all its descendants at once, as systemd stops a unit's control group."""
    for each in tree(pid):
        try:
            os.kill(each, sig)
        except ProcessLookupError:
            pass


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, *, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within {timeout} s")


def stop_listed(pids_file):
    """SIGKILL every process listed in ``pids_file`` ("pid name" lines) that still runs, with its descendants."""
    path = Path(pids_file)
    for line in path.read_text().splitlines() if path.exists() else []:
        pid = int(line.split()[0])
        if alive(pid):
            print(f"停止遗留进程 {line}", flush=True)
            kill_tree(pid)


if __name__ == "__main__" and sys.argv[1:2] == ["stop"]:
    stop_listed(sys.argv[2])
