"""Every way out of the UI restores the terminal and gives an honest exit status:
signals of every kind, a terminal that goes away, and quitting while the terminal is
too small."""
import os
import pty
import select
import signal
import subprocess
import time
import unittest

import harness
from harness import PASSWORD
from tmux_pane import PaneTestCase


class Exits(PaneTestCase):
    def start(self, width=80, height=24):
        return self.open_pane(width=width, height=height)

    def session_view(self, width=80, height=24):
        p = self.start(width, height)
        p.type("johndoe@email.com")
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")
        p.wait_for("Box ID")
        return p

    def assert_restored(self, p, status, what):
        got, tty_same = p.exit_status()
        self.assertEqual(got, status, what)
        self.assertTrue(tty_same, f"{what}: the tty settings were not restored")
        self.assertEqual(p.flag("alternate_on"), "0", what)
        self.assertEqual(p.flag("cursor_flag"), "1", what)

    def test_quitting_while_too_small_restores_the_terminal(self):
        # The form freed with the terminal narrower than its fields crashed in form_driver_w.
        p = self.start()
        p.type("someone@example.com")
        p.keys("Tab")
        p.type("abc")
        p.resize(40, 10)
        p.wait_for("Terminal too small")
        p.keys("F10")
        self.assert_restored(p, 0, "F10 at 40x10 on the form")

    def test_quitting_the_session_view_in_a_narrow_terminal(self):
        for way, status in (("q", 0), ("F10", 0), ("SIGTERM", 143)):
            p = self.session_view()
            p.resize(45, 20)
            p.wait_for("Terminal too small")
            if way == "SIGTERM":
                os.kill(p.pid(), signal.SIGTERM)
            else:
                p.keys(way)
            self.assert_restored(p, status, f"{way} at 45x20 on the session view")

    def test_every_signal_that_ends_the_ui_restores_the_terminal(self):
        # Ours: the loop wipes and leaves, exit 128 + signal. Fatal ones: the terminal is
        # restored, then the signal ends the process (its status says which).
        cases = [(signal.SIGUSR1, 128 + signal.SIGUSR1), (signal.SIGUSR2, 128 + signal.SIGUSR2),
                 (signal.SIGALRM, 128 + signal.SIGALRM), (signal.SIGQUIT, 128 + signal.SIGQUIT),
                 (signal.SIGSEGV, 128 + signal.SIGSEGV), (signal.SIGABRT, 128 + signal.SIGABRT),
                 (signal.SIGBUS, 128 + signal.SIGBUS), (signal.SIGFPE, 128 + signal.SIGFPE)]
        if harness.SANITIZED:  # the sanitizers take SEGV/BUS/FPE/ABRT over
            cases = cases[:4]
        for sig, status in cases:
            p = self.start()
            pid = p.pid()
            os.kill(pid, sig)
            self.assert_restored(p, status, sig.name)
            p.close()
            self.panes.remove(p)
        self.assertEqual([f for f in os.listdir(self.home) if f.startswith("core")], [])

    def test_the_first_ending_signal_decides_the_status(self):
        # Both pending while the process is stopped: on SIGCONT the kernel stacks the
        # handlers lowest signal first, so SIGTERM's runs (and is written to the loop's
        # pipe) before SIGINT's. The loop reads both in one batch: SIGTERM decides (143),
        # not the later SIGINT (a quit key, 0).
        if os.path.basename(harness.BUILD) == "tsan":
            self.skipTest("ThreadSanitizer defers signals and delivers them in its own order")
        p = self.start()
        pid = p.pid()
        os.kill(pid, signal.SIGSTOP)
        os.kill(pid, signal.SIGINT)
        os.kill(pid, signal.SIGTERM)
        os.kill(pid, signal.SIGCONT)
        self.assert_restored(p, 143, "SIGTERM and SIGINT in one batch")

    def test_a_terminal_that_goes_away_without_sighup_is_a_hang_up(self):
        # The pty is the UI's terminal but not its controlling one: closing the other
        # side sends no SIGHUP, and poll reports POLLHUP on it from then on.
        master, slave = pty.openpty()
        proc = subprocess.Popen([harness.BIN, "--base-url", self.api.base_url, "--cacert", self.pki["ca"],
                                 "--no-keyring"], stdin=slave, stdout=slave, stderr=slave,
                                env=dict(self.env, TERM="xterm-256color"), start_new_session=True)
        os.close(slave)
        seen = b""
        deadline = time.time() + 10
        while b"Customer login" not in seen and time.time() < deadline:
            if select.select([master], [], [], 0.1)[0]:
                seen += os.read(master, 65536)
        self.assertIn(b"Customer login", seen)
        os.close(master)
        try:
            status = proc.wait(5)
        except subprocess.TimeoutExpired:
            cpu = os.times()
            proc.kill()
            proc.wait()
            self.fail(f"boxlogin did not notice its terminal was gone ({cpu})")
        self.assertEqual(status, 129)


if __name__ == "__main__":
    unittest.main()
