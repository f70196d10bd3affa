"""The terminal UI in a real terminal (tmux) against the stand-in API."""
import json
import os
import signal
import subprocess
import tempfile
import time
import unittest

import harness
from harness import PASSWORD, DOC_KEY
from tmux_pane import Pane, PaneTestCase


class UI(PaneTestCase):
    def pane_for(self, base_url, *extra):
        pane = Pane(["--base-url", base_url, "--cacert", self.pki["ca"], "--no-keyring", *extra], self.env)
        self.panes.append(pane)
        pane.wait_for("Customer login")
        return pane

    def start(self, *extra, env=None, width=80, height=24, keyring=True):
        args = ["--base-url", self.api.base_url, "--cacert", self.pki["ca"], *extra]
        if not keyring:
            args.append("--no-keyring")
        pane = Pane(args, env or self.env, width, height)
        self.panes.append(pane)
        pane.wait_for("Customer login")
        return pane

    def log_in(self, pane, email, password=PASSWORD):
        pane.type(email)
        pane.keys("Tab")
        pane.type(password)
        pane.keys("Enter")

    def assert_restored(self, pane, status):
        got, tty_same = pane.exit_status()
        self.assertEqual(got, status)
        self.assertTrue(tty_same, "the tty settings were not restored")
        self.assertEqual(pane.flag("alternate_on"), "0")
        self.assertEqual(pane.flag("cursor_flag"), "1")

    def test_form_and_header(self):
        p = self.start()
        lines = p.lines()
        self.assertIn("boxlogin", lines[0])
        self.assertIn("TEST", lines[0])
        self.assertIn("127.0.0.1", lines[0])
        screen = p.screen()
        for text in ("Email", "Password", "F10 quit", "generic TEST credentials"):
            self.assertIn(text, screen)

    def test_good_login_shows_name_box_id_and_every_badge(self):
        p = self.start()
        self.log_in(p, "johndoe@email.com")
        s = p.wait_for("Box ID")
        self.assertIn("John Doe", s)
        self.assertRegex(s, r"Box ID +811111")
        for badge in ("ACTIVE", "NOT VIP", "PERSONAL", "ENABLED", "VERIFIED"):
            self.assertRegex(s, rf"(?m) {badge}( |$)")
        # Screen dates as a person reads them (rewritten on purpose: they were ISO 8601).
        self.assertIn("2019-02-21 09:56 (UTC\u221205:00)", s)
        self.assertRegex(s, r"Enrolled +2019-02-21 09:56 \(UTC\u221205:00\)")
        self.assertRegex(s, r"Activated +2019-02-21 09:56 \(UTC\u221205:00\)")
        self.assertIn("johndoe@email.com", s)
        self.assertNotIn(DOC_KEY, s)
        [req] = [r for r in self.api.posts() if r["path"].endswith("customer-login")]
        self.assertEqual(req["body"]["customer_password"], len(PASSWORD))

    def test_a_ui_login_goes_to_the_history(self):
        state = os.path.join(self.home, "state")
        p = self.start(env=dict(self.env, XDG_STATE_HOME=state), keyring=False)
        self.log_in(p, "JohnDoe@email.com")
        p.wait_for("Box ID")
        p.keys("n")
        p.wait_for("Customer login")
        self.log_in(p, "johndoe@email.com", "wrong-password")
        p.wait_for("Login rejected")
        with open(os.path.join(state, "boxlogin", "history")) as f:
            lines = [json.loads(line) for line in f]
        self.assertEqual([(e["action"], e["email"], e["box_id"], e["outcome"]) for e in lines],
                         [("login", "johndoe@email.com", 811111, "session"),
                          ("login", "johndoe@email.com", None, "rejected")])

    def test_a_history_that_cannot_be_written_is_said_once_on_screen(self):
        state = os.path.join(self.home, "state-is-a-file")
        with open(state, "w") as f:
            f.write("not a folder\n")
        log = os.path.join(self.home, "ui.log")
        p = self.start("--log", log, env=dict(self.env, XDG_STATE_HOME=state), keyring=False)
        self.log_in(p, "johndoe@email.com")
        p.wait_for("Warning: the lookup is not in the history")
        self.assertIn("John Doe", p.screen())  # a warning, not a failed login
        self.assertIn("Warning:", p.screen())
        p.keys("n")
        p.wait_for("Customer login")
        self.log_in(p, "disabled@example.com")
        p.wait_for("Box ID")
        # The second failure is in the log; the screen must not say it again.
        deadline = time.time() + 10
        while open(log).read().count("history not written") < 2:
            self.assertLess(time.time(), deadline, "the second lookup's history was never tried")
            time.sleep(0.02)
        p.keys("1")  # a redraw after the second failure
        s = p.wait_for("Box ID")
        self.assertNotIn("not in the history", s)  # told once, not at every lookup
        with open(state) as f:
            self.assertEqual(f.read(), "not a folder\n")

    def test_password_never_shows_in_clear(self):
        p = self.start()
        p.type("johndoe@email.com")
        p.keys("Tab")
        p.type("pass1234")
        p.settle()  # every letter typed so far was handled
        x0, _ = p.cursor()
        self.assertNotIn("pass1234", p.screen())
        p.type("5")
        deadline = time.time() + 10
        while p.cursor()[0] != x0 + 1:  # the cursor moves: typing is seen, not the text
            self.assertLess(time.time(), deadline, "the cursor never moved")
            time.sleep(0.02)
        p.keys("Enter")
        self.assertNotIn(PASSWORD, p.wait_for("Box ID"))

    def test_f2_shows_and_hides_the_password(self):
        p = self.start()
        p.keys("Tab")
        p.type("secret9")
        p.settle()  # every letter typed so far was handled
        x0, _ = p.cursor()
        p.type("9")
        deadline = time.time() + 10
        while p.cursor()[0] != x0 + 1:  # the last key was handled
            self.assertLess(time.time(), deadline, "the cursor never moved")
            time.sleep(0.02)
        self.assertIn("(hidden; F2 shows it)", p.screen())
        self.assertNotIn("secret9", p.screen())
        p.keys("F2")
        p.wait_for("secret99")
        p.wait_for("(shown; F2 hides it)")
        p.keys("F2")
        p.wait_for("(hidden; F2 shows it)")
        self.assertNotIn("secret99", p.screen())

    def test_n_wipes_the_session_and_shows_an_empty_form(self):
        p = self.start()
        self.log_in(p, "johndoe@email.com")
        p.wait_for("Box ID")
        p.keys("n")
        s = p.wait_for("Customer login")
        self.assertNotIn("johndoe", s)
        self.assertNotIn("John Doe", s)
        p.keys("Tab", "F2")
        s = p.wait_for("(shown; F2 hides it)")  # F2 was handled: an empty password shown
        self.assertNotIn(PASSWORD, s)

    def test_wrong_password_keeps_the_email_and_clears_the_password(self):
        p = self.start()
        self.log_in(p, "johndoe@email.com", "wrong-password")
        s = p.wait_for("Login rejected: The password is incorrect")
        self.assertIn("johndoe@email.com", s)
        y_password = next(i for i, l in enumerate(s.splitlines()) if "Password" in l)
        x, y = p.cursor()
        self.assertEqual(y, y_password)  # the password field has the focus
        p.keys("F2")
        s = p.wait_for("(shown; F2 hides it)")  # F2 was handled: an empty password shown
        self.assertNotIn("wrong-password", s)
        p.keys("F2")
        p.type(PASSWORD)
        p.keys("Enter")
        p.wait_for("John Doe")

    def test_disabled_account_is_shown_flagged(self):
        p = self.start()
        self.log_in(p, "disabled@example.com")
        s = p.wait_for("Box ID")
        self.assertIn("Dora Disabled", s)
        self.assertRegex(s, r"(?m) DISABLED( |$)")
        self.assertRegex(s, r"(?m) INACTIVE( |$)")

    def test_unknown_flags_show_a_question_mark(self):
        p = self.start()
        self.log_in(p, "noflags@example.com")
        s = p.wait_for("Box ID")
        for word in ("ACTIVE?", "VIP?", "BUSINESS?", "ENABLED?"):
            self.assertIn(word, s)

    def test_escape_sequences_in_a_name_leave_the_screen_intact(self):
        p = self.start()
        self.log_in(p, "escape@example.com")
        s = p.wait_for("Box ID")
        lines = s.splitlines()
        self.assertIn("boxlogin", lines[0])
        self.assertIn("TEST", lines[0])
        self.assertIn("Eve Escape X", s)
        self.assertNotEqual(p.flag("pane_title"), "pwned")
        self.assertEqual(p.tmux("list-buffers").stdout, "")  # the name's OSC 52 did not reach tmux

    def test_hostile_name_leaves_every_line_of_the_screen_in_place(self):
        p = self.start()
        self.log_in(p, "hostile@example.com")
        s = p.wait_for("Box ID")
        lines = s.splitlines()
        self.assertEqual(len(lines), 24)
        self.assertTrue(lines[0].startswith(" boxlogin"), lines[0])
        self.assertIn("n new lookup", lines[-1])
        name = next(l for l in lines if "Mal" in l)
        self.assertIn("Mal\ufffd\ufffdoryRTL LLLL", name)
        self.assertTrue(name.rstrip().endswith("…"), name)  # cut to the width, not wrapped
        self.assertLessEqual(len(name), 80)
        self.assertRegex(s, r"Box ID +811207")
        for ch in ("\u202e", "\u2066", "\u200f", "\x1b"):
            self.assertNotIn(ch, s)
        # With attributes: nothing but SGR sequences (colours) reach the pane.
        self.assertNotRegex(p.screen(escapes=True), r"\x1b(?!\[[0-9;:]*m)")
        self.assertNotEqual(p.flag("pane_title"), "t")
        p.keys("k")
        p.wait_for("Customer key  key")

    def test_utf8_name_renders(self):
        p = self.start()
        self.log_in(p, "utf8@example.com")
        self.assertIn("José Ñúñez 山田", p.wait_for("Box ID"))

    def test_esc_cancels_a_stalled_login_and_keeps_what_was_typed(self):
        p = self.start()
        self.log_in(p, "stall@example.com")
        p.wait_for("Logging in to 127.0.0.1")
        start = time.time()
        p.keys("Escape")
        s = p.wait_for("Login cancelled")
        # The stall lasts 30 s; Esc must not wait for it (nor for libcurl's 1 s poll).
        self.assertLess(time.time() - start, 1.0)
        self.assertIn("stall@example.com", s)
        p.keys("F2")
        p.wait_for(PASSWORD)

    def test_a_cancelled_login_never_sends_anything(self):
        # The warm-up HEAD stalls for 3 s, so each login waits behind it in the worker's
        # queue: Enter, Esc, Enter, Esc cancels both before they are sent.
        slow = self.api.base_url + "/slow-warm-up"
        log = os.path.join(self.home, "ui.log")
        p = self.pane_for(slow, "--log", log)
        p.type("johndoe@email.com")
        p.keys("Tab")
        p.type(PASSWORD)
        for _ in range(2):
            p.keys("Enter")
            p.wait_for("Logging in to 127.0.0.1")
            p.keys("Escape")
            p.wait_for("Login cancelled")
        # The warm-up logs each of its two connections when it has ended: a login behind
        # it would be sent then, and the worker is idle once both lines are there.
        deadline = time.time() + 15
        while time.time() < deadline:
            if os.path.exists(log):
                with open(log, encoding="utf-8", errors="replace") as f:
                    if f.read().count("warm-up HEAD") >= 2:
                        break
            time.sleep(0.05)
        else:
            self.fail("the warm-up never ended")
        p.keys("C-u")  # a key the form handles once the worker is idle
        p.wait_for("(hidden; F2 shows it)")
        self.assertEqual(self.api.posts(), [])
        self.assertNotIn("John Doe", p.screen())
        p.keys("F2")
        p.type(PASSWORD)
        p.keys("Enter")
        p.wait_for("John Doe")  # and the next login goes through
        self.assertEqual([r["path"].rsplit("/", 1)[1] for r in self.api.posts()].count("customer-login"), 1)

    def test_typed_utf8_is_sent_whole_in_the_c_locale(self):
        # Under LANG=C the terminal still sends UTF-8: the form must not cut it.
        p = self.start(env=dict(self.env, LANG="C", LC_ALL="C"))
        p.type("jösé@example.com")
        p.keys("Tab")
        p.type("ab€cd")
        p.keys("Enter")
        p.wait_for("Login rejected")
        [req] = self.api.posts()
        self.assertEqual(req["body"]["customer_email"], "jösé@example.com")
        self.assertEqual(req["body"]["customer_password"], len("ab€cd"))
        lines = p.lines()
        self.assertNotIn("…", "".join(lines))  # ASCII fallbacks in the C locale

    def test_the_spinner_keeps_redrawing_and_resizing_while_logging_in(self):
        p = self.start()
        self.log_in(p, "stall@example.com")
        first = p.wait_for("Logging in")
        time.sleep(0.3)
        self.assertNotEqual(first, p.screen())  # the elapsed time moved on
        p.resize(100, 30)
        p.wait_for("Logging in")
        self.assertEqual(len(p.lines()), 30)
        p.keys("Escape")

    def test_too_small_and_back(self):
        p = self.start()
        p.type("someone@example.com")
        p.resize(59, 20)
        self.assertIn("F10 quits", p.wait_for("Terminal too small"))
        p.resize(80, 15)
        p.wait_for("Terminal too small")
        p.resize(60, 16)
        s = p.wait_for("Customer login")
        self.assertIn("someone@example.com", s)

    def test_typing_goes_on_where_it_stopped_after_too_small(self):
        # Shrinking cuts the form's window before the UI hears of it: what was typed
        # must come back whole, with the cursor after it.
        p = self.start()
        p.type("someone@")
        p.resize(40, 10)
        p.wait_for("Terminal too small")
        p.resize(60, 16)
        p.wait_for("Customer login")
        p.type("example.com")
        s = p.wait_for("someone@example.com")
        self.assertNotIn("^@", s)

    def test_validation_without_a_request(self):
        p = self.start()
        p.keys("Enter", "Enter")
        p.wait_for("Type the customer's email first")
        p.type("no-at-sign")
        p.keys("Tab")
        p.type("x")
        p.keys("Enter")
        p.wait_for("has no @")
        p.keys("C-u")
        p.type("a@b.c")
        p.keys("Tab", "C-u", "Enter")
        p.wait_for("Type the customer's password first")
        self.assertEqual(self.api.posts(), [])

    def test_c_copies_the_box_id_through_osc_52(self):
        p = self.start()
        self.log_in(p, "johndoe@email.com")
        p.wait_for("Box ID")
        p.keys("c")
        p.wait_for("sent to the clipboard")
        self.assertEqual(p.clipboard(), "811111")

    def test_k_shows_and_hides_the_key(self):
        p = self.start()
        self.log_in(p, "johndoe@email.com")
        self.assertNotIn(DOC_KEY, p.wait_for("Box ID"))
        p.keys("k")
        p.wait_for(DOC_KEY)
        p.keys("k")
        p.wait_for(DOC_KEY, gone=True)

    def test_failures_say_what_happened(self):
        for email, text in (("syserror@example.com", "Server problem: The server reported an internal error"),
                            ("http500@example.com", "Server problem: The server answered with an error status"),
                            ("reset@example.com", "Network problem: The connection to 127.0.0.1 was closed")):
            p = self.start()
            self.log_in(p, email)
            p.wait_for(text)
            p.close()

    def test_f10_quits_with_the_terminal_restored(self):
        p = self.start()
        p.keys("F10")
        self.assert_restored(p, 0)

    def test_q_quits_from_the_session_view(self):
        p = self.start()
        self.log_in(p, "johndoe@email.com")
        p.wait_for("Box ID")
        p.keys("q")
        self.assert_restored(p, 0)

    def test_ctrl_c_quits(self):
        p = self.start()
        p.keys("C-c")
        self.assert_restored(p, 0)

    def test_sigterm_while_logging_in_exits_143_with_the_terminal_restored(self):
        p = self.start()
        self.log_in(p, "stall@example.com")
        p.wait_for("Logging in")
        os.kill(p.pid(), signal.SIGTERM)
        self.assert_restored(p, 143)

    def test_sighup_exits_129(self):
        p = self.start()
        os.kill(p.pid(), signal.SIGHUP)
        self.assert_restored(p, 129)

    def test_prod_header_is_alarming_even_without_colour(self):
        env = dict(self.env, BOXLOGIN_USER_CODE="777", BOXLOGIN_APP_KEY="prodkey")
        p = self.start("--env", "prod", env=env)
        line0 = p.screen(escapes=True).splitlines()[0]
        self.assertIn("PROD", line0)
        self.assertRegex(line0, r"\x1b\[[0-9;]*41m")  # red background
        p.close()
        p = self.start("--env", "prod", env=dict(env, NO_COLOR="1"))
        line0 = p.screen(escapes=True).splitlines()[0]
        self.assertIn("PROD", line0)
        self.assertNotRegex(line0, r"\x1b\[[0-9;]*(3|4)[0-7]m")  # no colour at all
        self.assertRegex(line0, r"\x1b\[[0-9;]*7[;m]")  # reverse video instead

    def test_no_color_badges_use_attributes(self):
        p = self.start(env=dict(self.env, NO_COLOR="1"))
        self.log_in(p, "disabled@example.com")
        p.wait_for("Box ID")
        screen = p.screen(escapes=True)
        self.assertNotRegex(screen, r"\x1b\[[0-9;]*(3|4)[0-7]m")
        bad = next(l for l in screen.splitlines() if "DISABLED" in l)
        self.assertRegex(bad, r"\x1b\[[0-9;]*7[;m][^\x1b]* INACTIVE ")

    def test_email_option_prefills_the_form(self):
        p = self.start("--email", "johndoe@email.com")
        self.assertIn("johndoe@email.com", p.screen())
        p.type(PASSWORD)
        p.keys("Enter")
        p.wait_for("John Doe")

    def test_without_a_terminal_or_with_an_unknown_one(self):
        r = harness.boxlogin(["--base-url", self.api.base_url], self.env, stdin="")
        self.assertEqual(r.returncode, 2)
        self.assertIn("needs a terminal", r.stderr)
        r = subprocess.run(["script", "-qec", f"{harness.BIN} --base-url {self.api.base_url}", "/dev/null"],
                           env=dict(self.env, TERM="no-such-terminal"), stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=20)
        self.assertIn("terminal type 'no-such-terminal' is unknown", r.stdout)
        self.assertNotIn("\x1b[?1049h", r.stdout)  # the alternate screen was never entered

    def test_a_dumb_terminal_is_refused_before_the_ui_starts(self):
        r = subprocess.run(["script", "-qec", f"{harness.BIN} --base-url {self.api.base_url}; echo status=$?",
                            "/dev/null"], env=dict(self.env, TERM="dumb"), stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=20)
        self.assertIn("terminal type 'dumb' cannot move the cursor", r.stdout)
        self.assertIn("status=2", r.stdout)


class UIWithKeyring(harness.ApiTestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        self.keyring = harness.Keyring(self.home)
        self.api.clear()
        self.pane = None

    def tearDown(self):
        if self.pane:
            self.pane.close()
        self.keyring.stop()

    def logged_in(self, *extra):
        p = self.pane = Pane(["--base-url", self.api.base_url, "--cacert", self.pki["ca"], *extra],
                             self.keyring.env)
        p.wait_for("Customer login")
        p.type("johndoe@email.com")
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")
        return p

    def test_key_saved_then_forgotten_with_f(self):
        p = self.logged_in()
        p.wait_for("Key saved to keyring")
        self.assertEqual(self.keyring.secret_tool("lookup", "email", "johndoe@email.com",
                                                  "environment", "test").stdout, DOC_KEY)
        p.keys("f")  # asks first (SPEC, decisions of this round)
        p.wait_for("Forget the stored key of johndoe@email.com? y/n")
        p.keys("y")
        p.wait_for("Stored key forgotten")
        self.assertEqual(self.keyring.secret_tool("lookup", "email", "johndoe@email.com",
                                                  "environment", "test").stdout, "")

    def test_the_summary_still_says_forgotten_after_a_tab_switch(self):
        # The keyring state belongs to the account, not to the Summary's drawing: after
        # f, a visit to another tab must not bring "Key saved" back.
        p = self.logged_in()
        p.wait_for("Key saved to keyring")
        p.keys("f")
        p.wait_for("? y/n")
        p.keys("y")
        p.wait_for("Stored key forgotten (f)")
        p.keys("2")
        p.wait_for("Customer ID")
        p.keys("1")
        s = p.wait_for("Box ID")
        self.assertIn("Stored key forgotten (f)", s)
        self.assertNotIn("Key saved to keyring", s)
        self.assertEqual(self.keyring.secret_tool("lookup", "email", "johndoe@email.com",
                                                  "environment", "test").stdout, "")

    def test_f_leaves_the_keyring_alone_under_no_keyring(self):
        # With the keyring off nothing reads or writes it: f must not delete the key a
        # login without --no-keyring stored before.
        r = harness.boxlogin(["login", "--email", "johndoe@email.com", "--password-stdin",
                              "--base-url", self.api.base_url, "--cacert", self.pki["ca"]],
                             self.keyring.env, stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        p = self.logged_in("--no-keyring")
        p.wait_for("Key not saved")
        p.keys("f")
        s = p.wait_for("the keyring is off")
        self.assertNotIn("Stored key forgotten", s)
        self.assertEqual(self.keyring.secret_tool("lookup", "email", "johndoe@email.com",
                                                  "environment", "test").stdout, DOC_KEY)

    def test_esc_between_the_reply_and_the_keyring_keeps_nothing(self):
        # The test build holds the worker 2 s between the login's reply and its point of
        # no return: an Esc lands there for sure.
        log = os.path.join(self.home, "log")
        env = dict(self.keyring.env, BOXLOGIN_TEST_PAUSE="after-reply=2000",
                   XDG_STATE_HOME=os.path.join(self.home, "state"))
        p = self.pane = Pane(["--base-url", self.api.base_url, "--cacert", self.pki["ca"], "--log", log], env,
                             binary=os.path.join(harness.BUILD, "tests", "boxlogin-hooks"))
        p.wait_for("Customer login")
        p.type("johndoe@email.com")
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")
        deadline = time.time() + 10
        while "test pause at after-reply" not in open(log).read():  # the reply is in
            self.assertLess(time.time(), deadline, "the worker never paused")
            time.sleep(0.02)
        p.keys("Escape")
        p.wait_for("Login cancelled")
        # The pause is over when the worker drops the answer (or, were the cancel too late
        # for it, stores the key: the assertions below then fail).
        while not any(t in open(log).read() for t in ("its answer is dropped", "stored the customer key")):
            self.assertLess(time.time(), deadline + 10, "the worker never went on")
            time.sleep(0.02)
        p.keys("Tab")  # a redraw after the worker went on
        s = p.wait_for("Customer login")
        self.assertNotIn("John Doe", s)
        self.assertEqual(self.keyring.secret_tool("lookup", "email", "johndoe@email.com",
                                                  "environment", "test").stdout, "")
        with open(os.path.join(self.home, "state", "boxlogin", "history")) as f:
            self.assertEqual(json.loads(f.read().splitlines()[-1])["outcome"], "cancelled")
        self.assertEqual([r["path"].rsplit("/", 1)[1] for r in self.api.posts()], ["customer-login"])

    def test_prod_app_key_from_the_keyring(self):
        r = harness.boxlogin(["setup", "--env", "prod"], self.keyring.env, stdin="777\nringkey99\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        p = self.pane = Pane(["--env", "prod", "--base-url", self.api.base_url, "--cacert", self.pki["ca"]],
                             self.keyring.env)
        p.wait_for("Customer login")
        self.assertIn("PROD", p.lines()[0])
        p.type("johndoe@email.com")
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")
        p.wait_for("John Doe")
        body = self.api.posts()[-1]["body"]
        self.assertEqual((body["user_code"], body["app_key"]), (777, "app_key:ring"))

    def test_prod_without_credentials_stops_with_exit_2(self):
        p = self.pane = Pane(["--env", "prod", "--base-url", self.api.base_url, "--cacert", self.pki["ca"]],
                             self.keyring.env)
        status, restored = p.exit_status()
        self.assertEqual(status, 2)
        self.assertTrue(restored)
        self.assertIn("PROD needs your own user_code and app_key", p.screen())
        self.assertEqual(self.api.posts(), [])

    def test_the_form_does_not_wait_for_a_keyring_that_does_not_answer(self):
        os.kill(self.keyring.keyring.pid, signal.SIGSTOP)
        try:
            start = time.time()
            p = self.pane = Pane(["--base-url", self.api.base_url, "--cacert", self.pki["ca"]], self.keyring.env)
            p.wait_for("Customer login")
            self.assertLess(time.time() - start, 3)  # the app-key lookup alone may take 5 s
            p.wait_for("generic TEST credentials", timeout=10)  # once the lookup has given up
        finally:
            os.kill(self.keyring.keyring.pid, signal.SIGCONT)

    def test_the_connection_is_warmed_once_a_slow_credentials_step_is_done(self):
        # The form comes up while the keyring holds the credentials step back: the
        # warm-up is still sent once that step is done, without a key typed.
        os.kill(self.keyring.keyring.pid, signal.SIGSTOP)
        try:
            p = self.pane = Pane(["--base-url", self.api.base_url, "--cacert", self.pki["ca"]], self.keyring.env)
            p.wait_for("Customer login")
            p.wait_for("generic TEST credentials", timeout=10)
            deadline = time.time() + 5
            while len(self.api.requests()) < 2 and time.time() < deadline:
                time.sleep(0.02)
            self.assertEqual([r["method"] for r in self.api.requests()], ["HEAD", "HEAD"])
        finally:
            os.kill(self.keyring.keyring.pid, signal.SIGCONT)

    def test_key_not_saved_says_why(self):
        env = dict(self.keyring.env)
        env.pop("DBUS_SESSION_BUS_ADDRESS")
        p = self.pane = Pane(["--base-url", self.api.base_url, "--cacert", self.pki["ca"]], env)
        p.wait_for("Customer login")
        p.type("johndoe@email.com")
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")
        p.wait_for("Key not saved: no D-Bus session")


if __name__ == "__main__":
    unittest.main()
