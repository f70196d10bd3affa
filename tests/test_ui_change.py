"""Change in the terminal UI (SPEC "Changes: what an agent fixes" → "In the terminal UI",
"Who may change", and the Decisions "While a change runs (UI)", "Declining", "Email
change"): e on Summary or Profile, the forms, the review, y or the typed box ID, the run
(Esc until the write is sent), the result, against a fresh stand-in per test (its changes
are its own) and, for the email change, a real keyring."""
import json
import os
import re
import time
import unittest

import harness
import stand_in_account
from harness import PASSWORD
from tmux_pane import Pane

HOOKS = os.path.join(harness.BUILD, "tests", "boxlogin-hooks")


class ChangeBase(harness.FreshApiTestCase):
    def setUp(self):
        super().setUp()
        self.env = harness.clean_env(self.home)
        self.log = os.path.join(self.home, "log")
        self.panes = []

    def tearDown(self):
        for p in self.panes:
            p.close()

    def pane(self, email="change@example.com", *extra, env=None, binary=None, keyring=False,
             width=100, height=28):
        args = ["--base-url", self.api.base_url, "--cacert", self.pki["ca"], "--log", self.log, *extra]
        if not keyring:
            args.append("--no-keyring")
        p = Pane(args, env or self.env, width, height, binary=binary)
        self.panes.append(p)
        p.wait_for("Customer login")
        p.type(email)
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")
        p.wait_for("Box ID")
        return p

    def open_change(self, p, item):
        """e, then the item-th entry of the list (0 New password ... 4 Address)."""
        p.keys("e")
        p.wait_for("Address and phones")
        for _ in range(item):
            p.keys("Down")
        p.keys("Enter")

    def type_change(self, p, toggle="v"):
        self.open_change(p, 2)
        p.wait_for("[ ]")
        p.keys(toggle)
        p.keys("Enter")
        return p.wait_for("Apply this change?")

    def writes(self):
        return [q for q in self.api.posts() if "customer-update" in q["path"]]

    def history(self):
        path = os.path.join(self.home, ".local", "state", "boxlogin", "history")
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [json.loads(line) for line in f]

    def changes_in_history(self, count=1, timeout=10):
        deadline = time.time() + timeout
        while True:
            lines = [h for h in self.history() if h["action"].startswith("set-")]
            if len(lines) >= count or time.time() > deadline:
                return lines
            time.sleep(0.05)

    def wait_log(self, text, timeout=10):
        deadline = time.time() + timeout
        while not (os.path.exists(self.log) and text in open(self.log).read()):
            self.assertLess(time.time(), deadline, "never in the log: " + text)
            time.sleep(0.02)


class Outcomes(ChangeBase):
    def test_type_change_applied_and_the_summary_redrawn(self):
        p = self.pane()
        s = p.screen()
        self.assertIn("NOT VIP", s)
        self.assertIn("e change", s.splitlines()[-1])
        s = self.type_change(p)
        self.assertIn("vip: false → true", s)
        p.keys("y")
        s = p.wait_for("Applied")
        self.assertIn("vip: false → true", s)
        self.assertEqual(len(self.writes()), 1)
        p.keys("Escape")
        s = p.wait_for("Account OK")
        self.assertNotIn("NOT VIP", s)
        self.assertRegex(s, r" VIP ")
        p.keys("2")
        p.wait_for("Customer ID")
        line = self.changes_in_history()[0]
        self.assertEqual((line["action"], line["outcome"], line["fields"]), ("set-type", "applied", ["vip"]))

    def test_e_on_the_profile_and_not_on_shipments(self):
        p = self.pane()
        p.keys("3")
        p.wait_for("RECEIVED")
        p.keys("e")
        # Keys are taken in order: once the help is drawn, e has been taken.
        p.keys("?")
        s = p.wait_for("Keys of this screen")
        self.assertNotIn("Address and phones", s)
        p.keys("x")
        p.wait_for("Keys of this screen", gone=True)
        p.keys("2")
        p.wait_for("Customer ID")
        p.keys("e")
        p.wait_for("Address and phones")
        p.keys("Escape")
        p.wait_for("Customer ID")

    def test_rejected_shows_the_server_words(self):
        p = self.pane("refusechange@example.com")
        self.type_change(p)
        p.keys("y")
        s = p.wait_for("Rejected")
        self.assertIn("Changes to this account are locked (case 4711)", s)
        self.assertEqual(self.changes_in_history()[0]["outcome"], "rejected")

    @staticmethod
    def joined(s):
        """The screen's words as one line: a message wrapped over rows reads whole."""
        return " ".join(" ".join(line.split()) for line in s.splitlines())

    def test_long_server_words_are_wrapped_whole_at_60x16(self):
        p = self.pane("longrefuse@example.com", width=60, height=16)
        self.type_change(p)
        p.keys("y")
        s = p.wait_for("Rejected")
        s = p.wait_for("Zanzibarite")
        self.assertIn(stand_in_account.LONG_REFUSAL, self.joined(s))
        self.assertNotIn("full message", s)

    def test_what_the_profile_shows_is_whole_at_80x24(self):
        p = self.pane("noopchange@example.com", width=80, height=24)
        self.open_change(p, 2)
        p.wait_for("[ ]")
        p.keys("v")
        p.keys("Down")
        p.keys("b")
        p.keys("Enter")
        p.wait_for("Apply this change?")
        p.keys("y")
        s = p.wait_for("Not applied")
        s = self.joined(p.wait_for("business"))
        self.assertIn("the server said yes, but the profile still shows vip: false, "
                      "business: false", s)

    def test_a_yes_that_changes_nothing_is_not_applied(self):
        p = self.pane("noopchange@example.com")
        self.type_change(p)
        p.keys("y")
        s = p.wait_for("Not applied")
        self.assertIn("still shows vip: false", s)
        self.assertEqual(self.changes_in_history()[0]["outcome"], "not-applied")

    def test_a_lost_reply_read_back_is_applied_and_says_so(self):
        p = self.pane("lostreply@example.com")
        self.type_change(p)
        p.keys("y")
        s = p.wait_for("Applied")
        self.assertIn("the reply to the change was lost", s)
        self.assertEqual(len(self.writes()), 1)

    def test_a_profile_older_than_60_s_is_read_again_before_the_form(self):
        # The test build takes every profile as too old (BOXLOGIN_TEST_FRESH_S=0): the
        # change's "before" is then read again, noted nowhere, before the form opens.
        p = self.pane(env=dict(self.env, BOXLOGIN_TEST_FRESH_S="0"), binary=HOOKS)
        p.wait_for("Account OK")
        self.api.clear()
        before = len(self.history())
        self.open_change(p, 2)
        p.wait_for("[ ]")
        self.assertEqual([q["path"].rsplit("/", 1)[1] for q in self.api.posts()], ["customer-get-info"])
        self.assertEqual(len(self.history()), before)

    def test_details_and_address_open_their_forms(self):
        # Their changes are test_ui_change2's.
        p = self.pane()
        self.open_change(p, 3)
        p.wait_for("Birth date")
        p.keys("Escape")
        p.wait_for("Account type")
        p.keys("Down")
        p.keys("Enter")
        p.wait_for("Mobile phone")
        self.assertEqual(self.writes(), [])


class Password(ChangeBase):
    def test_typed_twice_differently_is_an_error_and_stays(self):
        p = self.pane()
        self.open_change(p, 0)
        p.wait_for("g: generate one")
        p.keys("Enter")
        p.wait_for("Again")
        p.type("first-Pass-1")
        p.keys("Tab")
        p.type("other-Pass-2")
        p.keys("Enter")
        s = p.wait_for("The two passwords differ")
        self.assertIn("Again", s)
        self.assertNotIn("first-Pass-1", s)  # masked
        self.assertEqual(self.writes(), [])

    def test_typed_twice_applies_and_logs_in(self):
        p = self.pane()
        self.open_change(p, 0)
        p.wait_for("g: generate one")
        p.keys("Enter")
        p.wait_for("Again")
        p.type("n3w-Secret-pass")
        p.keys("Tab")
        p.type("n3w-Secret-pass")
        p.keys("Enter")
        s = p.wait_for("Apply this change?")
        self.assertIn("password: (new)", s)
        p.keys("y")
        p.wait_for("Applied")
        r = harness.boxlogin(["login", "--email", "change@example.com", "--password-stdin", "--json",
                              "--no-keyring", "--base-url", self.api.base_url, "--cacert", self.pki["ca"]],
                             self.env, stdin="n3w-Secret-pass\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        line = self.changes_in_history()[0]
        self.assertEqual((line["action"], line["fields"]), ("set-password", ["password"]))
        self.assertNotIn("n3w-Secret-pass", open(self.log).read())

    def test_generated_is_shown_once_copied_and_gone_when_the_screen_closes(self):
        p = self.pane()
        self.open_change(p, 0)
        p.wait_for("g: generate one")
        p.keys("g")
        s = p.wait_for("Shown once")
        pw = re.search(r"New password\s+(\S{12})\b", s).group(1)
        p.keys("c")
        p.wait_for("sent to the clipboard")
        deadline = time.time() + 5
        while p.clipboard() != pw and time.time() < deadline:
            time.sleep(0.05)
        self.assertEqual(p.clipboard(), pw)
        p.keys("Enter")
        p.wait_for("password: (new)")
        p.keys("y")
        p.wait_for("Applied")
        p.keys("Escape")
        s = p.wait_for("Account OK")
        self.assertNotIn(pw, s)
        p.keys("e")
        p.keys("Enter")
        s = p.wait_for("g: generate one")
        self.assertNotIn(pw, s)


class Confirming(ChangeBase):
    def test_esc_on_the_review_sends_nothing_and_is_noted_cancelled(self):
        p = self.pane()
        self.type_change(p)
        p.keys("Escape")
        p.wait_for("Cancelled: the change was not sent")
        p.wait_for("Account OK")
        line = self.changes_in_history()[0]
        self.assertEqual((line["action"], line["outcome"], line["fields"]), ("set-type", "cancelled", ["vip"]))
        self.assertEqual(self.writes(), [])

    def prod_env(self):
        return dict(self.env, BOXLOGIN_USER_CODE="396", BOXLOGIN_APP_KEY=harness.GENERIC_APP_KEY)

    def test_prod_needs_the_typed_box_id(self):
        p = self.pane("change@example.com", "--env", "prod", env=self.prod_env())
        self.open_change(p, 2)
        p.wait_for("[ ]")
        p.keys("v")
        p.keys("Enter")
        s = p.wait_for("type the box ID 811320")
        p.type("811321")  # digits are typed, not tabs
        p.keys("Enter")
        p.wait_for("not the box ID")
        self.assertEqual(self.writes(), [])
        self.assertEqual(self.changes_in_history()[0]["outcome"], "cancelled")
        self.open_change(p, 2)
        p.wait_for("[ ]")
        p.keys("v")
        p.keys("Enter")
        p.wait_for("type the box ID 811320")
        p.type("811320")
        p.keys("Enter")
        p.wait_for("Applied")
        self.assertEqual(len(self.writes()), 1)

    def test_changes_false_and_read_only_hide_e(self):
        cfg = os.path.join(self.home, ".config", "boxlogin")
        os.makedirs(cfg, exist_ok=True)
        with open(os.path.join(cfg, "config"), "w") as f:
            f.write("changes = false\n")
        for extra in ((), ("--read-only",)):
            if extra:
                os.unlink(os.path.join(cfg, "config"))
            p = self.pane("change@example.com", *extra)
            s = p.screen()
            self.assertNotIn("e change", s)
            p.keys("e")
            p.keys("?")
            s = p.wait_for("Keys of this screen")
            self.assertNotIn("Address and phones", s)
            self.assertNotIn("change", s.split("Keys of this screen")[1].split("Any key")[0])
            p.close()
            self.panes.remove(p)


class Running(ChangeBase):
    def hooks_pane(self, point, ms=2500, email="change@example.com"):
        env = dict(self.env, BOXLOGIN_TEST_PAUSE="%s=%d" % (point, ms))
        return self.pane(email, env=env, binary=HOOKS)

    def test_esc_before_the_write_cancels_it(self):
        p = self.hooks_pane("before-write")
        self.type_change(p)
        p.keys("y")
        self.wait_log("test pause at before-write")
        p.keys("x")
        p.wait_for("a change is running")
        p.keys("2")  # not a tab key here
        s = p.wait_for("a change is running")
        self.assertIn("Applying the change", s)
        p.keys("Escape")
        p.wait_for("Cancelled: the change was not sent")
        self.wait_log("cancelled before its write")
        self.assertEqual(self.writes(), [])
        self.assertEqual(self.changes_in_history()[0]["outcome"], "cancelled")

    def test_esc_after_the_write_is_too_late(self):
        p = self.hooks_pane("after-write")
        self.type_change(p)
        p.keys("y")
        self.wait_log("test pause at after-write")
        p.keys("Escape")
        p.wait_for("too late: the change was sent")
        p.wait_for("Applied")
        self.assertEqual(len(self.writes()), 1)

    def test_quitting_after_the_write_waits_for_its_outcome(self):
        p = self.hooks_pane("after-write")
        self.type_change(p)
        p.keys("y")
        self.wait_log("test pause at after-write")
        p.keys("F10")
        status, _ = p.exit_status(timeout=15)
        self.assertEqual(status, 0)
        lines = self.changes_in_history(timeout=0)
        self.assertEqual([h["outcome"] for h in lines], ["applied"])


class EmailWithKeyring(ChangeBase):
    def setUp(self):
        super().setUp()
        self.keyring = harness.Keyring(self.home)
        self.addCleanup(self.keyring.stop)
        self.env = self.keyring.env

    def stored(self, email):
        return self.keyring.secret_tool("lookup", "email", email, "environment", "test").stdout

    def test_email_change_moves_the_key_and_the_desk_follows(self):
        p = self.pane(keyring=True)
        p.wait_for("Key saved to keyring")
        old_key = self.stored("change@example.com")
        self.assertTrue(old_key)
        self.open_change(p, 1)
        p.wait_for("New email")
        p.keys("C-u")
        p.type("Cleo@New.example")
        p.keys("Enter")
        s = p.wait_for("Apply this change?")
        self.assertIn("email: change@example.com → cleo@new.example", s)
        p.keys("y")
        p.wait_for("Applied")
        self.assertEqual(self.stored("change@example.com"), "")
        new_key = self.stored("cleo@new.example")
        self.assertTrue(new_key.startswith("moved-"), new_key)
        p.keys("Escape")
        s = p.wait_for("cleo@new.example")
        self.assertIn("Key saved to keyring", s)
        # The desk uses the new key: the profile asked again answers.
        self.api.clear()
        p.keys("2")
        p.keys("r")
        p.wait_for("Customer ID")
        line = self.changes_in_history()[0]
        self.assertEqual((line["action"], line["outcome"], line["new_email"]),
                         ("set-email", "applied", "cleo@new.example"))


if __name__ == "__main__":
    unittest.main()
