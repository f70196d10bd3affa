"""The agent's screens, second pass: the masked password, Enter on an empty email, the
help overlay and the footer that says when it leaves keys out, the Summary's verdict,
f that asks, a lookup's own refusal, and Esc on a too-small screen or read with a key."""
import re
import time
import unittest

import harness
from harness import PASSWORD
from tmux_pane import Pane, PaneTestCase


def line_with(screen, text):
    return next(l for l in screen.splitlines() if text in l)


def overlay(screen):
    """The help overlay's lines: from its title to its last line."""
    lines = screen.splitlines()
    first = next(i for i, l in enumerate(lines) if "Keys of this screen" in l)
    last = next(i for i, l in enumerate(lines) if "Any key closes this help" in l)
    return "\n".join(lines[first + 1:last])


def assert_keys(test, screen, keys):
    listed = overlay(screen)
    for key in keys:
        test.assertRegex(listed, rf"(?m)(^|\s){re.escape(key)}\s", key)


class SecondPass(PaneTestCase):
    def form(self, width=80, height=24, env=None):
        return self.open_pane(width=width, height=height, env=env)

    def logged_in(self, email="johndoe@email.com", width=80, height=24):
        p = self.form(width, height)
        p.type(email)
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")
        p.wait_for("Box ID")
        return p

    # 1. The password field

    def test_typed_password_is_masked_and_stays_masked_when_focus_leaves(self):
        p = self.form()
        p.keys("Tab")
        p.type("abc")
        s = p.wait_for("•••")
        self.assertIn("•••", line_with(s, "Password"))
        self.assertNotIn("abc", s)
        p.keys("Up")
        p.wait_for("(hidden; F2 shows it)", gone=True)  # the focus is on the email
        self.assertIn("•••", line_with(p.screen(), "Password"))
        p.keys("Down")
        p.type("d")
        s = p.wait_for("••••")
        self.assertNotIn("abcd", s)
        p.keys("BSpace", "BSpace")
        p.wait_for("•••", gone=True)
        self.assertIn("••", line_with(p.screen(), "Password"))

    def test_the_mask_is_ascii_without_utf8(self):
        p = self.form(env=dict(self.env, LANG="C", LC_ALL="C"))
        p.keys("Tab")
        p.type("abc")
        s = p.wait_for("***")
        self.assertNotIn("abc", s)

    def test_enter_on_an_empty_email_says_so_and_stays(self):
        p = self.form()
        p.keys("Enter")
        p.wait_for("Type the customer's email first")
        p.type("agent@example.com")
        s = p.wait_for("agent@example.com")
        self.assertIn("agent@example.com", line_with(s, "Email"))
        self.assertNotIn("(hidden; F2 shows it)", s)  # the password was never focused
        self.assertEqual(self.api.posts(), [])

    # 5. A lookup's refusal

    def test_a_refused_lookup_is_not_called_a_rejected_login(self):
        p = self.form(width=200)
        p.keys("F4")
        p.wait_for("Look up a customer by email")
        p.type("nopartner@example.com")
        p.keys("Enter")
        s = p.wait_for("may not look customers up")
        self.assertNotIn("Login rejected", s)
        self.assertIn("Lookup refused:", s)

    # 6. Help and the footer

    def test_f1_on_the_form_lists_every_key_and_the_closing_key_is_consumed(self):
        p = self.form()
        p.keys("F1")
        s = p.wait_for("Any key closes this help")
        assert_keys(self, s, ("Enter", "Tab", "Shift-Tab", "Up/Down", "F1", "F2", "F3", "F4", "^U",
                              "F10", "^C"))
        p.keys("x")  # closes the overlay and is not typed
        p.wait_for("Keys of this screen", gone=True)
        p.type("a@b.c")
        s = p.wait_for("a@b.c")
        self.assertNotIn("xa@b.c", s)

    def test_question_mark_is_text_on_the_form_and_help_elsewhere(self):
        p = self.form()
        p.type("a?b")
        s = p.wait_for("a?b")
        self.assertNotIn("Keys of this screen", s)
        self.assertIn("F1 ", s.splitlines()[-1])
        p.keys("C-u")
        p.type("johndoe@email.com")
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")
        p.wait_for("Box ID")
        p.keys("?")
        s = p.wait_for("Any key closes this help")
        assert_keys(self, s, ("n", "c", "k", "f", "q", "1-3", "Tab", "?", "F1", "F10"))
        p.keys("Escape")
        p.wait_for("Keys of this screen", gone=True)
        p.keys("?")
        p.wait_for("Keys of this screen")
        p.keys("F10")  # quits even from the overlay
        self.assertEqual(p.exit_status()[0], 0)

    def test_the_footer_says_when_it_leaves_keys_out(self):
        for width, height in ((60, 16), (80, 24)):
            p = self.form(width, height)
            foot = p.lines()[-1]
            self.assertIn("F1 more", foot)
            self.assertIn("F10 quit", foot)
            p.keys("F1")
            s = p.wait_for("Any key closes this help")
            self.assertTrue(all(len(l) <= width for l in s.splitlines()))
            assert_keys(self, s, ("Enter", "F2", "F3", "F4", "F10", "^U"))
            p.keys("Escape")
            p.wait_for("Keys of this screen", gone=True)
            p.type("johndoe@email.com")
            p.keys("Tab")
            p.type(PASSWORD)
            p.keys("Enter")
            s = p.wait_for("Box ID")
            foot = s.splitlines()[-1]
            self.assertIn("? more", foot)
            self.assertIn("q quit", foot)
            p.close()
        p = self.form(200, 24)
        foot = p.lines()[-1]
        self.assertIn("F1 help", foot)
        self.assertIn("F10 quit", foot)

    # 15. The Summary's verdict

    def test_the_summary_opens_with_the_verdict(self):
        p = self.logged_in()
        s = p.wait_for("Account OK")
        self.assertLess(s.index("Account OK"), s.index("John Doe"))
        p.keys("n")
        p.wait_for("Customer login")
        p.type("disabled@example.com")
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")
        p.wait_for("Disabled · Inactive")

    def test_a_refused_key_shows_in_the_verdict_and_the_keyring_line(self):
        p = self.logged_in("refusedkey@example.com")
        p.wait_for("3 Shipments !")
        s = p.wait_for("Key no longer accepted")
        self.assertNotIn("Account OK", s)
        coloured = p.screen(escapes=True)
        verdict = line_with(coloured, "no longer accepted")
        self.assertNotIn("42m", verdict)  # not on green
        keyring = line_with(coloured, "Keyring")
        self.assertNotIn("42m", keyring)

    # 8. f asks; k says what it does next

    def test_k_says_hide_key_once_shown(self):
        p = self.logged_in(width=200)
        self.assertIn("k show key", p.lines()[-1])
        p.keys("k")
        p.wait_for("k hide key")
        p.keys("k")
        p.wait_for("k show key")


class SecondPassKeyring(harness.ApiTestCase):
    def setUp(self):
        import tempfile
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        self.keyring = harness.Keyring(self.home)
        self.api.clear()
        self.pane = None

    def tearDown(self):
        if self.pane:
            self.pane.close()
        self.keyring.stop()

    def stored(self):
        return self.keyring.secret_tool("lookup", "email", "johndoe@email.com",
                                        "environment", "test").stdout

    def test_f_asks_before_it_forgets(self):
        p = self.pane = Pane(["--base-url", self.api.base_url, "--cacert", self.pki["ca"]],
                             self.keyring.env, width=120)
        p.wait_for("Customer login")
        p.type("johndoe@email.com")
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")
        p.wait_for("Key saved to keyring")
        p.keys("f")
        p.wait_for("Forget the stored key of johndoe@email.com? y/n")
        self.assertNotEqual(self.stored(), "")
        p.keys("n")
        p.wait_for("Nothing forgotten")
        self.assertNotEqual(self.stored(), "")
        p.keys("2", "f")  # from another tab too
        p.wait_for("? y/n")
        p.keys("y")
        p.wait_for("Stored key forgotten")
        self.assertEqual(self.stored(), "")


class EscapeAndTooSmall(PaneTestCase):
    def test_esc_and_a_key_read_together_are_both_taken(self):
        p = self.open_pane()
        p.type("a@b.c")
        p.wait_for("a@b.c")
        p.keys("Escape", "x")
        p.wait_for("a@b.cx")
        p.keys("Escape", "[", "y")  # an unknown sequence is swallowed, whole
        p.type("z")
        s = p.wait_for("a@b.cxz")
        self.assertNotIn("y", line_with(s, "Email").split("a@b.cx")[1])

    def test_a_lone_esc_acts_at_once(self):
        p = self.open_pane()
        p.type("stall@example.com")
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")
        p.wait_for("Logging in")
        t = time.time()
        p.keys("Escape")
        p.wait_for("Login cancelled")
        self.assertLess(time.time() - t, 0.5)

    def test_q_is_text_on_a_too_small_form(self):
        p = self.open_pane()
        p.type("someone")
        p.resize(40, 10)
        p.wait_for("Terminal too small")
        p.keys("q")
        time.sleep(0.5)
        self.assertIn("Terminal too small", p.screen())
        p.resize(80, 24)
        p.wait_for("Customer login")
        p.keys("F10")
        self.assertEqual(p.exit_status()[0], 0)

    def test_esc_cancels_a_login_while_too_small(self):
        p = self.open_pane()
        p.type("stall@example.com")
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")
        p.wait_for("Logging in")
        p.resize(40, 10)
        p.wait_for("Terminal too small")
        p.keys("Escape")
        time.sleep(0.3)
        p.resize(80, 24)
        s = p.wait_for("Login cancelled")
        self.assertIn("stall@example.com", s)


if __name__ == "__main__":
    unittest.main()
