"""Runs one RD-Agent command for the RD-Agent Scheduler and records how it ended, whatever becomes of the scheduler.

Started under setsid, it leads the run's process group. RD-Agent is its child with the same argv, environment and
working directory; stdin, stdout and stderr are inherited (the scheduler's redirection to run.log), so nothing is
buffered here. Signals go to the whole group: this process ignores SIGINT, SIGTERM and SIGHUP (a handler, not
SIG_IGN, so that exec gives RD-Agent the default disposition back) and keeps waiting for its child.

When the child ends, its exit code (128 + N when signal N ended it) and the end time are written atomically to the
exit file; then whatever is left of the group is killed, and this process exits with the same code.

It also holds the run to its lease: the scheduler touches the lease file each time it renews the task's lease in
the database. When the file has not changed for --fence-after seconds (the scheduler is gone, or cannot reach the
database), the run is stopped as the scheduler would stop it (SIGINT, a second SIGINT, SIGKILL) and the exit file
says it was fenced: by then another node may take the task over.

Usage: rdagent-launcher.py --exit-file F --lease-file L --fence-after S --second-interrupt-after S --stop-grace S
       -- COMMAND [ARG...]
Python 3 standard library only.
"""

import argparse
import datetime
import json
import os
import signal
import subprocess
import sys
import threading
import time


def _ignore(signum, frame):  # noqa: ARG001
    pass


def _parse(argv):
    parser = argparse.ArgumentParser(prog="rdagent-launcher")
    parser.add_argument("--exit-file", required=True)
    parser.add_argument("--lease-file", required=True)
    parser.add_argument("--fence-after", type=float, default=0.0)
    parser.add_argument("--second-interrupt-after", type=float, default=5.0)
    parser.add_argument("--stop-grace", type=float, default=30.0)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    opts = parser.parse_args(argv)
    command = opts.command[1:] if opts.command[:1] == ["--"] else opts.command
    if not command:
        parser.error("a command is required after --")
    return opts, command


def _mtime(path):
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _leads_group():
    """Only a group leader (started under setsid) may signal its group: otherwise the group is its caller's."""
    return os.getpgrp() == os.getpid()


def _group_members():
    """Live processes of this process group, this one excepted."""
    group, me = os.getpgrp(), os.getpid()
    members = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == me:
            continue
        try:
            with open("/proc/%s/stat" % name, encoding="ascii", errors="replace") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if fields[0] != "Z" and int(fields[2]) == group:
            members.append(int(name))
    return members


def _kill_members():
    if not _leads_group():
        return
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        members = _group_members()
        if not members:
            return
        for pid in members:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.05)


def _write_exit(path, code, signum, fenced):
    status = {
        "exit_code": code,
        "signal": signum,
        "fenced": fenced,
        "pid": os.getpid(),
        "ended_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
    }
    folder = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(folder, ".%s.%d.tmp" % (os.path.basename(path), os.getpid()))
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(status, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _stop(child, ended, opts):
    """What the scheduler does to stop a run: RD-Agent ends its step on the first SIGINT, aborts on the second."""
    leader = _leads_group()

    def interrupt():
        if leader:
            os.killpg(os.getpgrp(), signal.SIGINT)
        else:
            child.send_signal(signal.SIGINT)

    interrupt()
    if ended.wait(opts.second_interrupt_after):
        return
    interrupt()
    if ended.wait(opts.stop_grace):
        return
    if leader:
        _kill_members()
    else:
        child.kill()


def main(argv):
    opts, command = _parse(argv)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _ignore)
    try:
        os.remove(opts.exit_file)
    except FileNotFoundError:
        pass
    try:
        child = subprocess.Popen(command)
    except OSError as exc:
        sys.stderr.write("rdagent-launcher: cannot run %s: %s\n" % (command[0], exc.strerror))
        sys.stderr.flush()
        _write_exit(opts.exit_file, 127, None, False)
        return 127

    ended = threading.Event()
    threading.Thread(target=lambda: (child.wait(), ended.set()), daemon=True).start()
    fenced = False
    seen, since = _mtime(opts.lease_file), time.monotonic()
    while not ended.wait(1.0):
        now = _mtime(opts.lease_file)
        if now != seen:
            seen, since = now, time.monotonic()
        elif opts.fence_after > 0 and time.monotonic() - since >= opts.fence_after:
            sys.stderr.write("rdagent-launcher: lease not renewed for %.0f s: stopping the run\n" % opts.fence_after)
            sys.stderr.flush()
            fenced = True
            _stop(child, ended, opts)
            break
    ended.wait()

    returncode = child.returncode
    signum = -returncode if returncode < 0 else None
    code = 128 + signum if signum else returncode
    _write_exit(opts.exit_file, code, signum, fenced)
    _kill_members()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
