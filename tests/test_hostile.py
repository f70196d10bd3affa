"""Hostile local input: pastes, every key on every screen, signals at every stage, bad files."""
import os
import signal
import unittest

import harness
from harness import PASSWORD
from tmux_pane import Pane, PaneTestCase

# Every key a keyboard sends that is not a way out (F10, q, Ctrl-C), as tmux names them.
KEYS = ([f"F{i}" for i in range(1, 13) if i != 10] +
        ["Up", "Down", "Left", "Right", "Home", "End", "PageUp", "PageDown", "Insert", "Delete", "BTab", "Tab",
         "Escape", "BSpace", "Enter", "Space"] +
        [f"C-{c}" for c in "abdefghijklmnoprstuvwxyz\\]^_"] +
        [f"M-{c}" for c in "abcxyz"] + ["S-Up", "C-Left", "M-Right"])


class Hostile(PaneTestCase):
    def start(self, *extra):
        return self.open_pane(*extra)

    def log_in_from_anywhere(self, p, email="johndoe@email.com"):
        """Back on the form in login mode (F3 and F4 may have left it), clears both fields
        and logs in, wherever the focus was left."""
        p.settle()
        if "Stored accounts and recent emails" in p.screen():
            p.keys("Escape")  # clears a filter, or goes back
            p.settle()
            if "Stored accounts and recent emails" in p.screen():
                p.keys("Escape")
            p.wait_for("Email")
        if "LOOK UP BY EMAIL" in p.lines()[0]:
            p.keys("F4")
            p.wait_for("Password")
        p.keys("C-u", "Tab", "C-u")
        p.settle()  # the focus is read below: every key sent so far must have been handled
        email_row = next(i for i, l in enumerate(p.lines()) if "Email" in l)
        if p.cursor()[1] != email_row:
            p.keys("Tab")
        p.type(email)
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")

    def assert_alive(self, p):
        self.assertIsNotNone(p.pid(), "boxlogin is gone:\n" + p.screen())
        self.assertIn("boxlogin", p.lines()[0])

    def test_a_100000_character_paste_into_the_email_field(self):
        p = self.start()
        paste = os.path.join(self.home, "paste")
        with open(paste, "w") as f:
            f.write("x" * 100000)
        p.tmux("load-buffer", paste)
        p.tmux("paste-buffer")
        p.wait_for("x" * 39)  # the field shows the end of what it took
        self.log_in_from_anywhere(p)
        p.wait_for("John Doe")

    def test_every_key_on_the_form(self):
        p = self.start()
        for k in KEYS:
            p.keys(k)
        self.log_in_from_anywhere(p)
        p.wait_for("John Doe")  # after every key above was handled
        self.assert_alive(p)

    def test_every_key_while_logging_in_and_on_the_session_view(self):
        p = self.start()
        p.type("stall@example.com")
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")
        p.wait_for("Logging in")
        for k in KEYS:
            if k != "Escape":
                p.keys(k)
        # Esc is handled after every key above: "cancelled" shows that none of them ended
        # the login or the program.
        p.keys("Escape")
        p.wait_for("Login cancelled")
        self.log_in_from_anywhere(p)
        p.wait_for("John Doe")
        # e opens Change (its screens take every key, tested in test_ui_change): the storm
        # stays on the account view.
        for k in [k for k in KEYS if k != "e"] + [c for c in "abdghijlmoprstuvwxyz0123456789!@#"]:
            p.keys(k)
        p.keys("c")  # handled after every key above (the digits switched tabs: c works on each)
        p.wait_for("sent to the clipboard")
        self.assert_alive(p)
        p.keys("1")
        p.wait_for("John Doe")

    def test_signals_at_every_stage_exit_cleanly(self):
        stages = ("form", "logging in", "session view")
        for sig, status in ((signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 0)):
            for stage in stages:
                p = self.start()
                if stage != "form":
                    p.type("stall@example.com" if stage == "logging in" else "johndoe@email.com")
                    p.keys("Tab")
                    p.type(PASSWORD)
                    p.keys("Enter")
                    p.wait_for("Logging in" if stage == "logging in" else "John Doe")
                os.kill(p.pid(), sig)
                got, restored = p.exit_status()
                self.assertEqual(got, status, f"{sig.name} on the {stage}")
                self.assertTrue(restored, f"{sig.name} on the {stage}")
                self.assertEqual(p.flag("alternate_on"), "0")
                p.close()
                self.panes.remove(p)

    def test_bad_config_files_stop_before_the_ui_with_one_line(self):
        cases = {"garbage": bytes(range(1, 256)) * 8, "huge": b"timeout = 5\n" * 10000,
                 "nul": b"timeout = 5\n\0\n", "longline": b"base_url = " + b"h" * 10000 + b"\n"}
        for name, data in cases.items():
            path = os.path.join(self.home, name)
            with open(path, "wb") as f:
                f.write(data)
            r = harness.boxlogin(["login", "--config", path, "--email", "a@b.c", "--password-stdin"], self.env,
                                 stdin="x\n")
            self.assertEqual(r.returncode, 2, name)
            self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
            self.assertIn(path, r.stderr)
            self.assertNotIn("\x1b", r.stderr)
        r = harness.boxlogin(["login", "--config", self.home, "--email", "a@b.c", "--password-stdin"], self.env,
                             stdin="x\n")
        self.assertIn("not a regular file", r.stderr)
        p = Pane(["--config", os.path.join(self.home, "nul")], self.env)
        self.panes.append(p)
        self.assertEqual(p.exit_status()[0], 2)
        self.assertIn("NUL byte", p.screen())


if __name__ == "__main__":
    unittest.main()
