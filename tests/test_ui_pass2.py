"""The agent's screens, second pass (continued): messages that are never cut, scrolling
that stops at the end, messages that stay where they belong, the window of dates, copying
what goes into tickets, dates a person reads, monochrome and badges, the lists' help, and
a refused stored key."""
import datetime
import os
import re
import time
import unittest

import harness
from harness import PASSWORD
from tmux_pane import Pane, PaneTestCase


def line_with(screen, text):
    return next(l for l in screen.splitlines() if text in l)


def below(screen, first):
    """The text of the lines from line `first` to the one above the footer, joined by
    spaces: a message wrapped on several lines reads as one."""
    return " ".join(" ".join(l.split()) for l in screen.splitlines()[first:-1] if l.strip())


def overlay(screen):
    lines = screen.splitlines()
    first = next(i for i, l in enumerate(lines) if "Keys of this screen" in l)
    last = next(i for i, l in enumerate(lines) if "Any key closes this help" in l)
    return "\n".join(lines[first + 1:last])


class Base(PaneTestCase):
    def log_in(self, p, email):
        p.type(email)
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")

    def logged_in(self, email="johndoe@email.com", width=80, height=24, env=None):
        p = self.open_pane(width=width, height=height, env=env)
        self.log_in(p, email)
        p.wait_for("Box ID")
        return p


class LongMessages(Base):
    """1. A message longer than the screen is wrapped, or points to m; never cut."""

    def test_an_http_500_keeps_its_status_on_the_form(self):
        p = self.open_pane()
        self.log_in(p, "http500@example.com")
        p.wait_for("Server problem")
        self.assertIn("(HTTP 500)", below(p.screen(), 8))

    def test_a_system_error_keeps_its_location(self):
        p = self.open_pane()
        self.log_in(p, "syserror@example.com")
        p.wait_for("Server problem")
        self.assertIn("CustomerLogin.Validate", below(p.screen(), 8))

    def test_connection_refused_is_said_whole(self):
        p = Pane(["--base-url", "https://127.0.0.1:1/wcf-services", "--cacert", self.pki["ca"],
                  "--no-keyring"], self.env)
        self.panes.append(p)
        p.wait_for("Customer login")
        self.log_in(p, "a@b.c")
        p.wait_for("Network problem")
        text = below(p.screen(), 8)
        self.assertIn("unreachable", text)
        self.assertNotIn("…", text)

    def test_a_refused_lookup_is_said_whole_at_160_columns(self):
        p = self.open_pane(width=160)
        p.keys("F4")
        p.wait_for("Look up a customer by email")
        p.type("nopartner@example.com")
        p.keys("Enter")
        p.wait_for("Lookup refused")
        text = below(p.screen(), 6)
        self.assertIn("User is not authorized to use this method", text)
        self.assertNotIn("…", text)

    def test_a_long_message_on_a_tab_is_wrapped_above_the_footer(self):
        p = self.logged_in("refusedkey@example.com", width=60, height=16)
        p.keys("2")
        s = p.wait_for("Profile:")
        text = below(s, 3)
        self.assertIn("is no longer accepted", text.replace("  ", " "))
        self.assertNotRegex(text, r"[a-z]…$")


class Scrolling(Base):
    """2. Profile and shipment detail stop at their end; Home and End on both."""

    def body(self, p):
        lines = p.lines()
        return [l for l in lines[3:len(lines) - 2] if l.strip()]

    def test_the_profile_stops_at_its_last_page(self):
        p = self.logged_in(width=80, height=16)
        p.keys("2")
        p.wait_for("Customer ID")
        page = len(self.body(p))
        for _ in range(40):
            p.keys("Down")
        p.settle()
        body = self.body(p)
        self.assertEqual(len(body), page, p.screen())  # a full page, not a blank one
        self.assertIn("987654321", body[-1])
        p.keys("Home")
        p.wait_for("Customer ID")
        p.keys("End")
        s = p.wait_for("Customer ID", gone=True)
        self.assertIn("987654321", s)
        self.assertEqual(len(self.body(p)), page)

    def test_a_short_profile_does_not_scroll_at_all(self):
        p = self.logged_in()
        p.keys("2")
        p.wait_for("987654321")
        for _ in range(40):
            p.keys("Down")
        p.settle()
        self.assertIn("Customer ID", p.screen())

    def test_a_shipment_stops_at_its_last_page(self):
        p = self.logged_in(width=80, height=16)
        p.keys("3")
        p.wait_for("RECEIVED")
        p.keys("Enter")
        p.wait_for("Charged weight")  # the shipment is in (its first page at 80x16)
        page = len(self.body(p))
        for _ in range(40):
            p.keys("Down")
        p.settle()
        body = self.body(p)
        self.assertEqual(len(body), page, p.screen())
        self.assertIn("RECEIVED", body[-1])  # the oldest event, last
        p.keys("Home")
        s = p.wait_for("Status")
        p.keys("End")
        p.wait_for("Content", gone=True)


class Messages(Base):
    """3. A message clears on the next screen change, and is said where it belongs."""

    def test_the_clipboard_message_goes_with_a_tab_change(self):
        p = self.logged_in()
        p.keys("c")
        p.wait_for("sent to the clipboard")
        for _ in range(5):
            p.keys("Down")
        p.settle()
        self.assertIn("sent to the clipboard", p.screen())  # no screen change yet
        p.keys("2")
        p.wait_for("Customer ID")
        self.assertNotIn("sent to the clipboard", p.screen())
        p.keys("1")
        s = p.wait_for("Activated")
        self.assertNotIn("sent to the clipboard", s)

    def test_rows_not_read_are_said_on_the_shipments_tab_only(self):
        p = self.logged_in("messy@example.com")
        # The shipments are in once their tab stops spinning.
        deadline = time.time() + 10
        while not p.screen().splitlines()[1].rstrip().endswith("3 Shipments"):
            self.assertLess(time.time(), deadline, p.screen())
            time.sleep(0.02)
        p.settle()
        self.assertNotIn("could not be read", p.screen())
        p.keys("3")
        s = p.wait_for("could not be read")
        self.assertIn("4 rows could not be read", s)


def window(to):
    return f"{(to - datetime.timedelta(days=90)).isoformat()} – {to.isoformat()} · "


class Window(Base):
    """4. [ and ] step 91 days, neighbours share no day, ] stops at today; an empty
    window says how to reach another."""

    def test_neighbouring_windows_share_no_day_and_right_bracket_stops_at_today(self):
        p = self.logged_in()
        p.keys("3")
        today = datetime.date.today()
        p.wait_for(window(today) + "12 shipments")
        p.keys("]")
        s = p.wait_for("ends today")
        self.assertIn(window(today), s)
        self.assertNotIn("asking", s)
        p.keys("[")
        older = today - datetime.timedelta(days=91)
        p.wait_for(window(older))
        p.keys("]")
        p.wait_for(window(today))
        bodies = [r["body"] for r in self.api.posts() if r["path"].endswith("customer-get-shipments")]
        self.assertEqual([(b["start_date"][:10], b["end_date"][:10]) for b in bodies][-2],
                         ((older - datetime.timedelta(days=90)).isoformat(), older.isoformat()))

    def test_an_empty_window_says_how_to_reach_another(self):
        p = self.logged_in("noshipments@example.com")
        p.keys("3")
        s = p.wait_for("0 shipments")
        self.assertIn("[ older", s)
        self.assertNotIn("Enter open", s.splitlines()[-1])
        self.assertIn("[ ] window", s.splitlines()[-1])


def selected_awb(p):
    """The AWB on the selection bar (reverse video) of the shipments table."""
    for line in p.screen(escapes=True).splitlines():
        if "\x1b[7m" in line:
            m = re.search(r"\b(\d{8})\b", re.sub(r"\x1b\[[0-9;:]*m", "", line))
            if m:
                return m.group(1)
    return None


class Copy(Base):
    """5. c copies what the screen is about; the shipment says whose it is."""

    def test_c_copies_the_selected_awb_in_the_table_and_on_a_shipment(self):
        p = self.logged_in()
        p.keys("3")
        p.wait_for("RECEIVED")
        p.keys("Down")
        p.settle()
        awb = selected_awb(p)
        self.assertIsNotNone(awb)
        p.keys("c")
        s = p.wait_for("sent to the clipboard")
        self.assertIn(f"AWB {awb}", s)
        self.assertEqual(p.clipboard(), awb)
        p.keys("Enter")
        s = p.wait_for("Recipient")
        p.tmux("delete-buffer")
        p.keys("c")
        s = p.wait_for(f"AWB {awb} sent to the clipboard")
        self.assertEqual(p.clipboard(), awb)

    def test_the_shipment_says_whose_it_is(self):
        p = self.logged_in()
        p.keys("3")
        p.wait_for("RECEIVED")
        p.keys("Enter")
        s = p.wait_for("Recipient")
        lines = s.splitlines()
        self.assertRegex(lines[1].strip(), r"^Shipment \d+$")
        self.assertIn("John Doe", lines[2])
        self.assertIn("811111", lines[2])

    def test_c_on_the_profile_copies_the_box_id(self):
        p = self.logged_in()
        p.keys("2")
        p.wait_for("Customer ID")
        p.keys("c")
        p.wait_for("Box ID 811111 sent to the clipboard")
        self.assertEqual(p.clipboard(), "811111")


class Dates(Base):
    """6. Screen dates read 2019-02-21 09:56 (UTC−05:00); commands keep ISO 8601."""

    def test_summary_dates_read_as_a_person_reads_them(self):
        p = self.logged_in()
        s = p.wait_for("Activated")
        self.assertRegex(line_with(s, "Enrolled"), r"2019-02-21 09:56 \(UTC\u221205:00\)\s*$")
        self.assertNotIn("T09:56", s)

    def test_dates_are_ascii_without_utf8(self):
        p = self.logged_in(env=dict(self.env, LANG="C", LC_ALL="C"))
        s = p.wait_for("Activated")
        self.assertIn("2019-02-21 09:56 (UTC-05:00)", line_with(s, "Activated"))

    def test_a_shipment_says_the_offset_of_its_times(self):
        p = self.logged_in()
        p.keys("3")
        p.wait_for("RECEIVED")
        p.keys("Enter")
        s = p.wait_for("Tracking")
        self.assertRegex(line_with(s, "Tracking"), r"newest first · UTC\u221205:00")


class Monochrome(Base):
    """7. xterm-mono: the table header stands apart from the data; colours: plain badges, a steady PROD badge that contrasts with its bar."""

    def test_the_table_header_stands_apart_on_xterm_mono(self):
        p = Pane(["--base-url", self.api.base_url, "--cacert", self.pki["ca"], "--no-keyring"],
                 self.env, term="xterm-mono")
        self.panes.append(p)
        p.wait_for("Customer login")
        self.log_in(p, "johndoe@email.com")
        p.wait_for("Box ID")
        p.keys("3")
        p.wait_for("RECEIVED")
        p.settle()
        head = line_with(p.screen(escapes=True), "RECEIVED")
        self.assertRegex(head, r"\x1b\[[0-9;]*[14]m")  # underline or bold, not only dim

    def test_badges_are_plain_and_prod_is_steady_against_its_bar(self):
        p = self.logged_in()
        badges = line_with(p.screen(escapes=True), "VERIFIED")
        self.assertNotRegex(badges, r"\x1b\[1m")  # no bold black that turns grey
        env = dict(self.env, BOXLOGIN_USER_CODE="777", BOXLOGIN_APP_KEY="prodkey")
        q = self.open_pane("--env", "prod", env=env)
        line0 = q.screen(escapes=True).splitlines()[0]
        badge = line0[:line0.index("PROD")]
        badge = badge[badge.rindex("\x1b"):]
        self.assertNotRegex(line0, r"\x1b\[[0-9;]*5[;m]")  # no blink
        self.assertNotRegex(badge, r"41m")  # not the bar's red


LIST_KEYS = ("Up/Down", "PgUp/PgDn", "Home/End", "Enter", "Esc")


class ListsHelp(Base):
    """8. The help of the shipments table and of F3 lists the lists' keys."""

    def assert_keys(self, screen, keys):
        listed = overlay(screen)
        for key in keys:
            self.assertRegex(listed, rf"(?m)(^|\s){re.escape(key)}\s", key)

    def test_the_shipments_help_lists_the_table_keys(self):
        p = self.logged_in(height=30)
        p.keys("3")
        p.wait_for("RECEIVED")
        p.keys("?")
        s = p.wait_for("Any key closes this help")
        self.assert_keys(s, LIST_KEYS + ("/", "[", "]", "c"))

    def test_the_f3_help_lists_the_list_keys(self):
        p = self.open_pane(height=30)
        p.keys("F3")
        p.wait_for("Stored accounts")
        p.keys("F1")
        s = p.wait_for("Any key closes this help")
        self.assert_keys(s, LIST_KEYS + ("Del",))


class RefusedStoredKey(harness.ApiTestCase):
    """9. A refused stored key opened from F3 is no rejected login."""

    def setUp(self):
        import os
        import tempfile
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        self.keyring = harness.Keyring(self.home)
        self.env = dict(self.keyring.env, XDG_STATE_HOME=os.path.join(self.home, "state"))
        self.base = ["--base-url", self.api.base_url, "--cacert", self.pki["ca"]]
        harness.boxlogin(["login", "--email", "refusedkey@example.com", "--password-stdin", *self.base],
                         self.env, stdin=PASSWORD + "\n")
        self.pane = None

    def tearDown(self):
        if self.pane:
            self.pane.close()
        self.keyring.stop()

    def test_a_refused_stored_key_is_not_called_a_rejected_login(self):
        p = self.pane = Pane(self.base, self.env, width=120)
        p.wait_for("Customer login")
        p.keys("F3")
        p.wait_for("box 811302")
        p.keys("Enter")
        s = p.wait_for("no longer accepted")
        self.assertNotIn("Login rejected", s)
        self.assertIn("Stored key refused:", s)


class Help(Base):
    """6. The help overlay lists every key, at the smallest screen too."""

    TABLE_KEYS = ("n", "Enter", "/", "[ ]", "1-3", "r", "c", "s S", "q", "Up/Down", "PgUp/PgDn", "Home/End",
                  "Esc", "[", "]", "Tab", "Shift-Tab", "k", "f", "F1", "?", "m", "F10", "^C")

    def help_page(self, screen):
        lines = screen.splitlines()
        first = next(i for i, l in enumerate(lines) if "Keys of this screen" in l)
        last = next(i for i, l in enumerate(lines) if "closes" in l and i > first)
        return "\n".join(lines[first + 1:last]), lines[last]

    def closing(self, screen):
        """The help's closing line as it stands inside its frame, or None: no help."""
        lines = screen.splitlines()
        first = next((i for i, l in enumerate(lines) if "Keys of this screen" in l), None)
        if first is None:
            return None
        return next((l.strip().strip("│").strip() for l in lines[first + 1:] if "closes" in l), None)

    def wait_for_page(self, p, page, pages=None, timeout=10):
        """The screen once the help's page `page` (from 1) of `pages` is drawn whole:
        its closing line, which curses sends after the keys above it, reads whole as
        that page's ("Space: more keys (1/2); ...", or "Any key closes this help" on the
        last), and the drawing has settled. A drawing is read half done when the
        terminal gets it slowly (a loaded machine): its first keys already the next
        page's, its closing line still the page before's."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            line = self.closing(p.screen())
            more = re.fullmatch(r"Space: more keys \((\d+)/(\d+)\); any other key closes", line or "")
            if (more and int(more[1]) == page and pages in (None, int(more[2]))) or \
                    (line == "Any key closes this help" and pages in (None, page)):
                p.settle()
                s = p.screen()
                if self.closing(s) == line:
                    return s
            time.sleep(0.02)
        self.fail(f"page {page} of {pages} of the help never drawn whole:\n{p.screen()}")

    def walk_the_table_help(self, p):
        """Opens the table's help and reads its pages, each drawn whole, with Space."""
        p.keys("F1")
        s = self.wait_for_page(p, 1)
        listed, last = self.help_page(s)
        pages = [listed]
        self.assertNotIn("\u2026", listed)  # nothing left out
        while "Space: more keys" in last:
            p.keys("Space")  # the next page, the overlay still open
            of = int(re.search(r"\((\d+)/(\d+)\)", last)[2])
            s = self.wait_for_page(p, len(pages) + 1, of)
            listed, last = self.help_page(s)
            self.assertNotIn(listed, pages)
            self.assertNotIn("\u2026", listed)
            pages.append(listed)
            self.assertLess(len(pages), 5)
        self.assertIn("Any key closes this help", last)
        every = "\n".join(pages)
        for key in self.TABLE_KEYS:
            self.assertRegex(every, rf"(?m)(^|\s){re.escape(key)}\s", key)
        # Keys that do the same share a line.
        self.assertRegex(every, r"q F10 \^C\s")
        self.assertRegex(every, r"F1 \?\s")
        self.assertTrue(all(len(l) <= 60 for l in s.splitlines()))
        p.keys("x")  # any other key closes it, and does nothing else
        p.wait_for("Keys of this screen", gone=True)
        self.assertIn("RECEIVED", p.screen())

    def test_the_table_help_at_60x16_lists_every_key_on_pages(self):
        p = self.logged_in(width=60, height=16)
        p.keys("3")
        p.wait_for("RECEIVED")
        self.walk_the_table_help(p)

    def test_the_help_pages_come_one_per_space_on_a_slow_terminal(self):
        """The same pages when the terminal gets each drawing slowly, a few bytes at a
        time: every page is read whole, and each Space moves one page."""
        p = Pane([harness.BIN, "--base-url", self.api.base_url, "--cacert", self.pki["ca"], "--no-keyring"],
                 self.env, 60, 16, binary=os.path.join(harness.TESTS, "lib", "slow_tty.py"))
        self.panes.append(p)
        p.wait_for("Customer login", timeout=60)
        self.log_in(p, "johndoe@email.com")
        p.wait_for("Box ID", timeout=30)
        p.settle()
        p.keys("3")
        p.wait_for("RECEIVED", timeout=30)
        p.settle()
        self.walk_the_table_help(p)

    def test_space_typed_with_f1_shows_the_second_page(self):
        """F1 and Space typed ahead, taken in one go before the help was ever drawn: the
        help opens on its second page (Space counted the pages of the screen as it is,
        not as last drawn), and stays open."""
        p = self.logged_in(width=60, height=16)
        p.keys("3")
        p.wait_for("RECEIVED")
        p.keys("F1", "Space")
        s = self.wait_for_page(p, 2, 2)
        self.assertIn("the 91 days before", self.help_page(s)[0])
        p.keys("x")
        p.wait_for("Keys of this screen", gone=True)
        self.assertIn("RECEIVED", p.screen())


if __name__ == "__main__":
    unittest.main()
