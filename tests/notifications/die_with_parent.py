"""Run a command that must not outlive the test process that starts it.

    python die_with_parent.py <parent pid> <program> [arguments...]

Asks the kernel to SIGKILL this process when its parent dies (Linux's PR_SET_PDEATHSIG, kept
across exec), then becomes the command. So a Celery worker a test starts dies with the test
process even when that is killed outright (kill -9, an out-of-memory kill), when no cleanup code
of the test gets to run. Elsewhere than Linux the command simply runs; the fixture's own cleanup
is then the only net. The signal follows the thread that started the process: start it from the
test's thread, not from a short-lived one.
"""

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def main() -> None:
    parent, program = int(sys.argv[1]), sys.argv[2]
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
            sys.exit(f"prctl(PR_SET_PDEATHSIG) failed: {os.strerror(ctypes.get_errno())}")
    if os.getppid() != parent:  # the parent died before the signal was armed
        sys.exit("the process that started this one is gone")
    os.execv(program, sys.argv[2:])  # noqa: S606 (the test's own command, no shell)


if __name__ == "__main__":
    main()
