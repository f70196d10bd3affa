"""The lists of the terminal UI (the shipments table, F3's stored accounts) in a real
terminal: a full-width selection bar that follows its item through filtering, refreshing
and window changes; paging with a position and "more" marks; a filter that ignores case
and accents and says when nothing matches."""
import os
import re
import tempfile
import time
import unicodedata
import unittest

import harness
from harness import PASSWORD
from tmux_pane import Pane, PaneTestCase

SGR = re.compile(r"\x1b\[([0-9;:]*)m")
AWB = re.compile(r"\b(\d{8})\b")


def cells(line):
    """The columns of one captured line (with escapes) as (character, reverse) pairs."""
    out, reverse, i = [], False, 0
    while i < len(line):
        m = SGR.match(line, i)
        if m:
            params = [p for p in re.split(r"[;:]", m.group(1))] or ["0"]
            k = 0
            while k < len(params):
                p = params[k]
                if p in ("", "0"):
                    reverse = False
                elif p == "7":
                    reverse = True
                elif p == "27":
                    reverse = False
                elif p in ("38", "48", "58"):  # a colour: its own parameters follow
                    k += 2 if k + 1 < len(params) and params[k + 1] == "5" else 4
                k += 1
            i = m.end()
            continue
        ch = line[i]
        wide = unicodedata.east_asian_width(ch) in ("W", "F")
        out.extend([(ch, reverse)] * (2 if wide else 1))
        i += 1
    return out


def selected_lines(pane):
    """(line number, text, columns in reverse video) of the lines that show a selection."""
    found = []
    # -N: the trailing cells too, where a bar that stops short would show.
    screen = pane.tmux("capture-pane", "-p", "-e", "-N").stdout
    for n, line in enumerate(screen.splitlines()):
        c = cells(line)
        text = "".join(ch for ch, _ in c)
        if n >= 4 and sum(r for _, r in c) >= 10:  # below the tabs and the title
            found.append((n, text, sum(r for _, r in c)))
    return found


def selected(pane):
    """The text of the one selected line."""
    deadline = time.time() + 5
    while True:
        found = selected_lines(pane)
        if len(found) == 1 or time.time() > deadline:
            break
        time.sleep(0.05)
    if len(found) != 1:
        raise AssertionError(f"not one selected line: {found}\n{pane.screen()}")
    return found[0][1]


def selected_awb(pane):
    m = AWB.search(selected(pane))
    if m is None:
        raise AssertionError("no AWB in the selected line:\n" + pane.screen())
    return m.group(1)


class ShipmentsTable(PaneTestCase):
    def table(self, email, width=80, height=24, count="12 shipments"):
        p = self.open_pane(width=width, height=height)
        p.type(email)
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")
        p.wait_for("Box ID")
        p.keys("3")
        p.wait_for("· " + count, timeout=30)
        p.settle()
        return p

    def rows(self, pane):
        """The AWBs of the table's rows, top to bottom."""
        lines = pane.lines()
        return [m.group(1) for l in lines[4:len(lines) - 2] for m in [AWB.search(l)] if m]

    def test_the_selection_follows_its_shipment_through_the_filter(self):
        p = self.table("johndoe@email.com")
        p.keys("Down", "Down", "Down")
        p.settle()
        awb = selected_awb(p)
        merchant = selected(p).split(awb, 1)[1].split()[0]
        self.assertEqual(self.rows(p)[3], awb)
        # A filter the shipment still matches: it stays selected wherever its row goes.
        p.keys("/")
        p.type(merchant.lower())
        p.wait_for("/" + merchant.lower() + "_")
        p.settle()
        self.assertIn(awb, self.rows(p))
        self.assertEqual(selected_awb(p), awb)
        p.keys("Enter")  # keeps the filter, back to the table
        p.wait_for("/" + merchant.lower() + "_", gone=True)
        p.keys("Enter")
        self.assertIn(f"Shipment {awb}", p.wait_for("Tracking"))
        p.keys("Escape")
        p.wait_for("MERCHANT")
        p.settle()
        self.assertEqual(selected_awb(p), awb)
        p.keys("Escape")  # clears the kept filter
        p.wait_for("· 12 shipments")
        p.settle()
        self.assertEqual(selected_awb(p), awb)

    def test_a_shipment_the_filter_hides_comes_back_selected(self):
        p = self.table("johndoe@email.com")
        p.keys("Down", "Down", "Down")
        p.settle()
        awb = selected_awb(p)
        p.keys("/")
        p.type(self.rows(p)[0])  # another AWB only
        p.wait_for("1 of 12 shipments")
        p.settle()
        self.assertNotEqual(selected_awb(p), awb)
        p.keys("Escape")
        p.wait_for("· 12 shipments")
        p.settle()
        self.assertEqual(selected_awb(p), awb)

    def test_the_selection_comes_back_with_its_window(self):
        p = self.table("johndoe@email.com")
        p.keys("Down", "Down", "Down")
        p.settle()
        awb = selected_awb(p)
        first = self.rows(p)[0]
        self.assertNotEqual(awb, first)
        p.keys("[")  # an older window without shipments
        p.wait_for("· 0 shipments")
        p.keys("]")
        p.wait_for("· 12 shipments")
        p.settle()
        self.assertEqual(selected_awb(p), awb)

    def test_the_selection_bar_is_full_width(self):
        p = self.table("johndoe@email.com")
        p.keys("Down")
        p.settle()
        [(n, text, reverse)] = selected_lines(p)
        self.assertEqual(reverse, 80, text)

    def test_paging_moves_a_page_and_says_where_it_is(self):
        p = self.table("bulk@example.com", count="10000 shipments")
        lines = p.lines()
        self.assertRegex(lines[2], r"\b1/10000\s*$")
        rows = self.rows(p)
        page = len(rows)
        # The rows reach the line above the status line.
        self.assertTrue(AWB.search(lines[21]), "\n".join(lines))
        self.assertTrue(lines[21].rstrip().endswith("↓"), lines[21])  # more below
        self.assertFalse(lines[4].rstrip().endswith("↑"), lines[4])
        p.keys("PageDown")
        p.wait_for(f"{page + 1}/10000")
        p.settle()
        after = self.rows(p)
        self.assertEqual(len(after), page)
        self.assertFalse(set(rows) & set(after), "PgDn must move a whole page")
        self.assertEqual(selected_awb(p), after[0])
        self.assertTrue(p.lines()[4].rstrip().endswith("↑"), p.lines()[4])  # more above
        p.keys("PageUp")
        p.wait_for("1/10000")
        p.settle()
        self.assertEqual(self.rows(p), rows)
        p.keys("End")
        p.wait_for("10000/10000")
        p.settle()
        lines = p.lines()
        self.assertTrue(lines[4].rstrip().endswith("↑"), lines[4])
        self.assertFalse(lines[21].rstrip().endswith("↓"), lines[21])
        self.assertEqual(selected_awb(p), self.rows(p)[-1])
        p.keys("Home")
        p.wait_for("1/10000")

    def test_the_filter_ignores_case_and_accents_and_enter_keeps_it(self):
        p = self.table("messy@example.com", count="7 shipments")
        p.keys("/")
        p.type("JOSE nu")
        s = p.wait_for("/JOSE nu_")
        p.settle()
        s = p.screen()
        self.assertIn("1 of 7 shipments", s)
        self.assertEqual(self.rows(p), ["20000010"])
        p.keys("Enter")
        s = p.wait_for("/JOSE nu_", gone=True)
        self.assertIn("1 of 7 shipments · /JOSE nu", s)
        p.keys("Escape")
        p.wait_for("· 7 shipments")

    def test_a_filter_that_matches_nothing_says_so(self):
        p = self.table("johndoe@email.com")
        p.keys("/")
        p.type("nothing-like-this")
        s = p.wait_for("0 of 12 shipments")
        p.settle()
        self.assertIn("No shipment matches", p.screen())


class StoredAccountsList(harness.ApiTestCase):
    """F3: the list of stored keys and recent emails."""

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        self.keyring = harness.Keyring(self.home)
        self.env = dict(self.keyring.env, XDG_STATE_HOME=os.path.join(self.home, "state"))
        self.base = ["--base-url", self.api.base_url, "--cacert", self.pki["ca"]]
        for email, pw in (("johndoe@email.com", PASSWORD), ("refusedkey@example.com", PASSWORD),
                          ("disabled@example.com", "wrong")):
            harness.boxlogin(["login", "--email", email, "--password-stdin", *self.base], self.env,
                             stdin=pw + "\n")
        self.pane = None

    def tearDown(self):
        if self.pane:
            self.pane.close()
        self.keyring.stop()

    def f3(self):
        self.pane = Pane(self.base, self.env, width=80)
        self.pane.wait_for("Customer login")
        self.pane.keys("F3")
        self.pane.wait_for("disabled@example.com")
        self.pane.settle()
        return self.pane

    def test_the_selection_follows_its_account_through_the_filter(self):
        p = self.f3()
        p.keys("End")  # the recent email, last (the stored ones are most recent first)
        p.settle()
        self.assertIn("disabled@example.com", selected(p))
        p.type("example")  # johndoe@email.com goes, the selected one stays
        p.wait_for("filter: example")
        p.settle()
        self.assertNotIn("johndoe", p.screen())
        self.assertIn("disabled@example.com", selected(p))
        p.keys("BSpace")
        p.settle()
        self.assertIn("disabled@example.com", selected(p))
        self.assertEqual(len(selected_lines(p)), 1)

    def test_the_selection_bar_is_full_width(self):
        p = self.f3()
        p.keys("End")
        p.settle()
        [(n, text, reverse)] = selected_lines(p)
        self.assertIn("disabled@example.com", text)
        self.assertEqual(reverse, 80, text)

    def test_a_filter_that_matches_nothing_says_so(self):
        p = self.f3()
        p.type("zzz")
        s = p.wait_for("filter: zzz")
        p.settle()
        s = p.screen()
        self.assertIn("No account matches", s)
        self.assertNotIn("Nothing stored or recent", s)


if __name__ == "__main__":
    unittest.main()
