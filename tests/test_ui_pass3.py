"""The agent's screens, second pass (the rest): a shipment that leads with what is asked
first and steps through the table, a table that sorts and shares its width, F3's most
recent accounts, the Summary's spare half, and the cursor on xterm-mono."""
import json
import os
import re
import tempfile
import unittest

import harness
from harness import PASSWORD
from tmux_pane import Pane, PaneTestCase


def index_of(lines, text):
    return next(i for i, l in enumerate(lines) if text in l)


def plain(line):
    return re.sub(r"\x1b\[[0-9;:]*m", "", line)


def selected_awb(p):
    """The AWB on the selection bar (reverse video) of the shipments table."""
    for line in p.screen(escapes=True).splitlines():
        if "\x1b[7m" in line:
            m = re.search(r"\b(\d{8})\b", plain(line))
            if m:
                return m.group(1)
    return None


def selected_line(p):
    """The line on the selection bar (reverse video, below the title)."""
    from test_ui_lists import selected
    return selected(p)


def first_row_awb(screen):
    lines = screen.splitlines()
    head = index_of(lines, "AWB")
    return re.search(r"\b(\d{8})\b", lines[head + 1]).group(1)


class Base(PaneTestCase):
    def logged_in(self, email="johndoe@email.com", width=80, height=24, env=None, term=None):
        if term:
            p = Pane(["--base-url", self.api.base_url, "--cacert", self.pki["ca"], "--no-keyring"],
                     env or self.env, width, height, term=term)
            self.panes.append(p)
            p.wait_for("Customer login")
        else:
            p = self.open_pane(width=width, height=height, env=env)
        p.type(email)
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")
        p.wait_for("Box ID")
        return p

    def table(self, p):
        p.keys("3")
        p.wait_for("14000008")
        p.settle()


class Shipment(Base):
    """1. The shipment leads with its status, latest event and charges; a header over the
    events, whose times read as a person reads them; Left/Right step through the table."""

    def test_the_latest_event_and_the_charges_come_first(self):
        p = self.logged_in(height=30)
        self.table(p)
        p.keys("Enter")
        s = p.wait_for("Recipient")
        lines = s.splitlines()
        latest = index_of(lines, "Latest event")
        self.assertRegex(lines[latest], r"\d{4}-\d\d-\d\d \d\d:\d\d \(UTC\u221205:00\)")
        # Too long for one line at 80 columns: what happened goes on the next, whole.
        self.assertRegex(lines[latest + 1], r"^\s+BOG · DELIVERED · Signed by H\. Sperber\s*$")
        self.assertLess(latest, index_of(lines, "Content"))
        self.assertLess(index_of(lines, "Total"), index_of(lines, "Content"))
        self.assertLess(index_of(lines, "Charged weight"), index_of(lines, "Merchant"))

    def test_the_events_have_a_header_and_full_times(self):
        p = self.logged_in(height=40)
        self.table(p)
        p.keys("Enter")
        s = p.wait_for("RECEIVED")
        lines = s.splitlines()
        head = next(i for i, l in enumerate(lines) if re.search(r"TIME\s+PLACE\s+CODE\s+EVENT", l))
        self.assertRegex(lines[head + 1],
                         r"\d{4}-\d\d-\d\d \d\d:\d\d \(UTC\u221205:00\)\s+BOG\s+DEL\s+DELIVERED")

    def test_left_and_right_follow_the_filtered_table(self):
        p = self.logged_in()
        self.table(p)
        p.keys("/")
        p.type("zara")
        p.keys("Enter")
        p.wait_for("2 of 12 shipments")
        p.keys("Enter")
        p.wait_for("Shipment 14000009")
        p.keys("Right")
        p.wait_for("Shipment 14000004")
        p.wait_for("Recipient")
        p.keys("Right")
        s = p.wait_for("last shipment of the table")
        self.assertIn("Shipment 14000004", s)
        p.keys("Left")
        p.wait_for("Shipment 14000009")
        p.keys("Left")
        p.wait_for("first shipment of the table")
        p.keys("Right")
        p.wait_for("Shipment 14000004")
        p.keys("Escape")
        p.wait_for("2 of 12 shipments")
        p.settle()
        self.assertEqual(selected_awb(p), "14000004")

    def test_left_and_right_follow_the_sort(self):
        p = self.logged_in()
        self.table(p)
        p.keys("s")
        p.keys("s")  # by merchant, A to Z: Amazon.com first, newest first among them
        s = p.wait_for("MERCHANT \u2191")
        self.assertEqual(first_row_awb(s), "14000010")
        p.keys("Enter")
        p.wait_for("Shipment 14000010")
        p.keys("Right")
        p.wait_for("Shipment 14000000")


class Table(Base):
    """2. Sort keys that keep the selection; columns that share the width."""

    def test_s_sorts_by_the_next_column_and_the_selection_stays(self):
        p = self.logged_in()
        self.table(p)
        s = p.screen()
        self.assertIn("RECEIVED \u2193", s)
        p.keys("Down")
        p.keys("Down")
        p.settle()
        chosen = selected_awb(p)
        p.keys("s")
        s = p.wait_for("AWB \u2191")
        self.assertEqual(first_row_awb(s), "14000000")
        p.settle()
        self.assertEqual(selected_awb(p), chosen)
        p.keys("S")
        s = p.wait_for("AWB \u2193")
        self.assertEqual(first_row_awb(s), "14000011")
        p.settle()
        self.assertEqual(selected_awb(p), chosen)

    def test_the_sort_keys_are_in_the_help(self):
        p = self.logged_in(height=40)
        self.table(p)
        p.keys("?")
        s = p.wait_for("Any key closes this help")
        self.assertRegex(s, r"(?m)\bs S\s+sort\b")

    def test_the_status_stays_near_the_awb_at_160_columns(self):
        p = self.logged_in("longtext@example.com", width=160, height=30)
        p.keys("3")
        s = p.wait_for("70000001")
        head = next(l for l in s.splitlines() if "AWB" in l and "STATUS" in l)
        self.assertLessEqual(head.index("STATUS") - head.index("AWB"), 60, s)
        self.assertIn("\u2026", next(l for l in s.splitlines() if "70000001" in l))

    def test_spanish_at_60_columns_gives_the_merchant_room(self):
        import catalog
        p = self.open_pane(width=60, height=16, env=catalog.env_for(self.env, "es"), wait="boxlogin")
        p.wait_for("Correo")
        p.type("johndoe@email.com")
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")
        p.wait_for("Casillero")
        p.keys("3")
        s = p.wait_for("14000010")
        self.assertIn("Amazon.c", next(l for l in s.splitlines() if "14000010" in l))

    def test_charged_has_its_unit_and_a_wide_table_the_time_and_external_number(self):
        p = self.logged_in()
        self.table(p)
        self.assertIn("CHARGED LB", p.screen())
        p = self.logged_in(width=160, height=30)
        self.table(p)
        row = next(l for l in p.screen().splitlines() if "14000008" in l)
        self.assertRegex(row, r"\d{4}-\d\d-\d\d \d\d:\d\d\s+14000008")
        self.assertIn("EXT14000008", row)


class SummaryExtras(Base):
    """4. The Summary's empty half: country, city, mobile and the three newest shipments."""

    def test_below_the_summary_at_80_columns(self):
        p = self.logged_in()
        s = p.wait_for("Latest shipments")
        p.wait_for("Mobile")
        lines = p.lines()
        self.assertRegex(lines[index_of(lines, "Country")], r"Country\s+Mexico")
        self.assertRegex(lines[index_of(lines, "City")], r"City\s+Calvillo")
        self.assertRegex(lines[index_of(lines, "Mobile")], r"Mobile\s+\+1 987654321")
        at = index_of(lines, "Latest shipments")
        self.assertGreater(at, index_of(lines, "Keyring"))
        self.assertRegex(lines[at + 1], r"\d{4}-\d\d-\d\d  14000008  PAY  Walmart")
        self.assertIn("14000010", lines[at + 2])
        self.assertIn("14000001", lines[at + 3])

    def test_beside_the_summary_at_160_columns(self):
        p = self.logged_in(width=160, height=48)
        p.wait_for("14000001")
        s = p.wait_for("Mobile")
        self.assertRegex(next(l for l in s.splitlines() if "Account OK" in l), r"Account OK\s+Country\s+Mexico")

    def test_left_out_where_there_is_no_room(self):
        p = self.logged_in(width=60, height=16)
        p.keys("2")
        p.wait_for("Customer ID")  # the profile is in
        p.keys("3")
        p.wait_for("14000008")  # and the shipments: the Summary would have them
        p.keys("1")
        s = p.wait_for("Keyring")
        self.assertNotIn("Latest shipments", s)
        self.assertIn("Keyring", s.splitlines()[-3])


class MonochromeCursor(Base):
    """5. xterm-mono, whose terminfo has no civis: the cursor is hidden where nothing is
    typed all the same, shown on the form, and shown again on the way out."""

    def test_the_cursor_is_hidden_on_xterm_mono(self):
        p = self.logged_in(term="xterm-mono")
        p.settle()
        self.assertEqual(p.flag("cursor_flag"), "0", p.screen())
        p.keys("n")
        p.wait_for("Customer login")
        p.settle()
        self.assertEqual(p.flag("cursor_flag"), "1")  # the form: the agent types there
        p.keys("F10")
        self.assertEqual(p.exit_status(), (0, True))
        self.assertEqual(p.flag("cursor_flag"), "1")


class RecentAccounts(harness.ApiTestCase):
    """3. F3: the most recently looked up first, with when, under the headings "Stored
    keys" and "Recent"; the selection never lands on a heading."""

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        self.keyring = harness.Keyring(self.home)
        state = os.path.join(self.home, "state")
        self.env = dict(self.keyring.env, XDG_STATE_HOME=state)
        self.base = ["--base-url", self.api.base_url, "--cacert", self.pki["ca"]]
        for email in ("johndoe@email.com", "refusedkey@example.com"):
            harness.boxlogin(["login", "--email", email, "--password-stdin", "--no-history", *self.base],
                             self.env, stdin=PASSWORD + "\n")
        # The history says refusedkey was looked up after johndoe (by email, it comes after).
        os.makedirs(os.path.join(state, "boxlogin"), mode=0o700)
        lines = [("2026-01-02T10:00:00Z", "johndoe@email.com", 811111, "session"),
                 ("2026-01-03T11:30:00Z", "refusedkey@example.com", 811302, "session"),
                 ("2026-01-04T09:15:00Z", "zoe@example.com", None, "rejected")]
        path = os.path.join(state, "boxlogin", "history")
        with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
            for t, email, box, outcome in lines:
                f.write(json.dumps({"time": t, "environment": "test", "action": "login", "email": email,
                                    "box_id": box, "outcome": outcome}) + "\n")
        self.pane = None

    def tearDown(self):
        if self.pane:
            self.pane.close()
        self.keyring.stop()

    def f3(self):
        self.pane = Pane(self.base, dict(self.env, TZ="UTC"), width=80)
        self.pane.wait_for("Customer login")
        self.pane.keys("F3")
        self.pane.wait_for("zoe@example.com")
        self.pane.settle()
        return self.pane

    def test_the_most_recent_first_with_when_under_headings(self):
        s = self.f3().screen()
        lines = s.splitlines()
        stored, recent = index_of(lines, "Stored keys"), index_of(lines, "Recent")
        refused, john = index_of(lines, "refusedkey@"), index_of(lines, "johndoe@")
        self.assertLess(stored, refused)
        self.assertLess(refused, john)
        self.assertLess(john, recent)
        self.assertLess(recent, index_of(lines, "zoe@"))
        self.assertIn("2026-01-03 11:30", lines[refused])
        self.assertIn("2026-01-02 10:00", lines[john])
        self.assertIn("1/3", s)

    def test_the_selection_passes_over_the_headings(self):
        p = self.f3()
        p.keys("Up")
        p.settle()
        self.assertIn("refusedkey@", selected_line(p))
        p.keys("Down")
        p.wait_for("2/3")
        p.keys("Down")
        p.wait_for("3/3")
        p.settle()
        self.assertIn("zoe@", selected_line(p))
        p.keys("Enter")  # a recent email without a key: into the form
        p.wait_for("Customer login")
        self.assertIn("zoe@example.com", p.screen())


if __name__ == "__main__":
    unittest.main()
