#!/usr/bin/env python3
"""A slow terminal line: runs a command in a pty of its own and relays what it writes a
few bytes at a time (CHUNK bytes, DELAY seconds apart), so that a reader of the outer
terminal (a test's capture-pane) sees each drawing half done for a while, as it may on a
loaded machine. Input goes through as it comes; the size follows the outer terminal's.

    slow_tty.py COMMAND [ARG...]     exits with the command's status"""
import fcntl
import os
import pty
import select
import signal
import sys
import termios
import time

CHUNK = 64
DELAY = 0.02


def size(fd_from, fd_to):
    """Gives fd_to's terminal fd_from's size."""
    try:
        s = fcntl.ioctl(fd_from, termios.TIOCGWINSZ, b"\0" * 8)
        fcntl.ioctl(fd_to, termios.TIOCSWINSZ, s)
    except OSError:
        pass


def main():
    """Relays until the command closes its terminal; returns its exit status."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(sys.argv[1], sys.argv[1:])
    size(0, fd)
    # The kernel tells the command of the new size (SIGWINCH) when the inner one is set.
    signal.signal(signal.SIGWINCH, lambda *_: size(0, fd))
    # The outer terminal raw: every byte typed goes to the command as it is.
    old = termios.tcgetattr(0)
    new = termios.tcgetattr(0)
    new[3] &= ~(termios.ICANON | termios.ECHO | termios.ISIG | termios.IEXTEN)
    new[0] &= ~(termios.IXON | termios.ICRNL)
    new[1] &= ~termios.OPOST
    termios.tcsetattr(0, termios.TCSANOW, new)
    try:
        while True:
            try:
                r, _, _ = select.select([0, fd], [], [])
            except InterruptedError:
                continue
            if 0 in r:
                data = os.read(0, 1024)
                if not data:
                    break
                os.write(fd, data)
            if fd in r:
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    break
                if not data:
                    break
                for i in range(0, len(data), CHUNK):
                    os.write(1, data[i:i + CHUNK])
                    time.sleep(DELAY)
    finally:
        termios.tcsetattr(0, termios.TCSANOW, old)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) & 0xff


if __name__ == "__main__":
    sys.exit(main())
