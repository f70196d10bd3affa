"""The account view in a real terminal: tabs, the profile, the shipments table (selection,
paging, filter, window), one shipment, and failures that stay in their tab."""
import datetime
import json
import os
import tempfile
import time
import unittest

import harness
from harness import PASSWORD, DOC_KEY
from tmux_pane import Pane, PaneTestCase


class AccountView(PaneTestCase):
    def logged_in(self, email, width=80, height=24):
        p = self.open_pane(width=width, height=height)
        p.type(email)
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")
        p.wait_for("Box ID")
        return p

    def test_the_profile_and_shipments_come_without_a_key_press(self):
        p = self.logged_in("johndoe@email.com")
        s = p.wait_for("1 Summary")
        self.assertIn("2 Profile", s)
        self.assertIn("3 Shipments", s)
        deadline = time.time() + 10
        while len(self.api.posts()) < 3 and time.time() < deadline:
            time.sleep(0.02)
        self.assertEqual(sorted(r["path"].rsplit("/", 1)[1] for r in self.api.posts()),
                         ["customer-get-info", "customer-get-shipments", "customer-login"])
        p.keys("2")
        s = p.wait_for("ext 333")  # the last line of the profile: not a half-drawn screen
        self.assertRegex(s, r"Customer ID +51736850")
        self.assertRegex(s, r"home +\+1 123456789 ext 333")
        self.assertNotIn(DOC_KEY, s)
        p.keys("Tab")
        p.wait_for("RECEIVED")
        p.keys("BTab", "BTab")
        p.wait_for("Activated")  # back on the summary

    def test_the_shipments_table_window_and_shipment(self):
        p = self.logged_in("johndoe@email.com")
        p.keys("3")
        p.wait_for("· 12 shipments")  # the recent ones; the documented two are from 2018
        # Back 91 days at a time (windows of 91 days that share no day) to the window
        # that holds 2018-02-04, each window answered before the next is asked for.
        to = datetime.date.today()
        while not (to - datetime.timedelta(days=90) <= datetime.date(2018, 2, 4) <= to):
            to -= datetime.timedelta(days=91)
            p.keys("[")
            line = f"{(to - datetime.timedelta(days=90)).isoformat()} – {to.isoformat()} · "
            deadline = time.time() + 30
            while line not in p.screen() or "asking" in p.screen():
                self.assertLess(time.time(), deadline, p.screen())
                time.sleep(0.02)
        s = p.wait_for("13869085")
        self.assertRegex(s, r"2018-02-04 +13869085 +Amazon\.com +test 10 +PAY +10\.00")
        p.keys("Enter")
        s = p.wait_for("Tracking")
        self.assertIn("Shipment 13869085", s)
        self.assertRegex(s, r"2018-02-04 21:59 \(UTC\u221205:00\) +MIA +PAY +BILLED")
        self.assertRegex(s, r"Recipient +HANS SPERBER")
        body = self.api.posts()[-1]["body"]
        self.assertEqual((body["trck_nmr_fol"], body["customer_key"]), (13869085, DOC_KEY))
        p.keys("Escape")
        p.wait_for("RECEIVED")

    def test_ten_thousand_rows_page_filter_and_keep_the_selection(self):
        p = self.logged_in("bulk@example.com")
        p.keys("3")
        p.wait_for("10000 shipments", timeout=30)
        p.keys("End")
        p.keys("PageUp")
        p.keys("Home")
        p.keys("Down", "Down")
        p.keys("/")
        p.type("40000")
        p.wait_for("/40000_")
        p.settle()  # the rows are drawn after the count line
        s = p.screen()
        self.assertRegex(s, r"· \d+ of 10000 shipments · /40000_")
        shown = int(s.split(" of 10000")[0].rsplit(" ", 1)[1])
        self.assertLess(shown, 10000)  # only AWBs (and the like) with 40000 in them
        self.assertTrue(all("40000" in l for l in s.splitlines()[4:4 + min(shown, 16)]))
        p.keys("Escape")
        p.wait_for("· 10000 shipments")
        p.keys("Enter")
        first = p.wait_for("Tracking").splitlines()[1].strip()
        self.assertRegex(first, r"^Shipment \d+$")
        p.keys("Escape")
        p.wait_for("MERCHANT")
        p.keys("Enter")  # the selection was kept: the same shipment opens again
        self.assertEqual(p.wait_for("Tracking").splitlines()[1].strip(), first)

    def test_a_refused_key_fails_the_tabs_and_leaves_the_summary(self):
        p = self.logged_in("refusedkey@example.com")
        p.wait_for("2 Profile !")
        s = p.wait_for("3 Shipments !")
        self.assertIn("Rita Refused", s)
        p.keys("2")
        s = p.wait_for("no longer accepted")
        p.keys("1")
        p.wait_for("Box ID")
        p.keys("c")
        p.wait_for("sent to the clipboard")

    def test_n_from_a_tab_wipes_everything(self):
        p = self.logged_in("johndoe@email.com")
        p.keys("2")
        p.wait_for("Customer ID")
        p.keys("n")
        s = p.wait_for("Customer login")
        for text in ("johndoe", "John Doe", "51736850", "Profile"):
            self.assertNotIn(text, s)

    def test_the_profile_does_not_wait_for_the_shipments(self):
        # Each answer goes to the UI as it arrives: the shipments reply stalls half-way
        # for 30 s, and the profile is drawn meanwhile, its tab usable at once.
        p = self.logged_in("stallhalf@example.com")
        p.keys("2")
        s = p.wait_for("ext 333", timeout=10)
        self.assertRegex(s, r"Customer ID +\d+")
        p.keys("3")
        s = p.wait_for("asking SkyPostal")  # the shipments screen, still waiting
        self.assertNotIn("RECEIVED", s)  # still waiting: no table yet

    def test_a_new_lookup_sends_none_of_the_windows_asked_for_before_it(self):
        # The default window's reply stalls half-way, so the windows asked for meanwhile
        # wait behind it in the worker's queue; n must leave none of them to be sent with
        # the key it wiped.
        p = self.logged_in("stallhalf@example.com")
        p.keys("3")
        p.keys("[", "[")
        to = datetime.date.today() - datetime.timedelta(days=182)
        p.wait_for(f"{(to - datetime.timedelta(days=90)).isoformat()} – {to.isoformat()}")
        p.keys("n")
        p.wait_for("Customer login")
        # A lookup queued after anything left behind: once its shipments are drawn, the
        # worker has been through whatever was queued before it.
        p.type("johndoe@email.com")
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")
        p.wait_for("Box ID")
        p.keys("3")
        p.wait_for("RECEIVED")
        stalled = [r for r in self.api.posts() if r["path"].endswith("customer-get-shipments")
                   and r["body"]["customer_key"] != DOC_KEY]
        self.assertEqual(len(stalled), 1, stalled)  # the default window's only

    def test_leaving_a_shipment_stops_asking_for_it(self):
        # The shipment's reply stalls half-way for 30 s: back on the table, the agent's
        # next window must not wait behind a shipment nobody looks at any more.
        p = self.logged_in("slowtrack@example.com")
        p.keys("3")
        p.wait_for("RECEIVED")
        p.keys("Enter")
        p.wait_for("Asking SkyPostal for the shipment")
        p.keys("Escape")
        p.wait_for("RECEIVED")
        p.keys("[")
        to = datetime.date.today() - datetime.timedelta(days=91)
        s = p.wait_for(f"{(to - datetime.timedelta(days=90)).isoformat()} – {to.isoformat()}",
                       timeout=5)
        self.assertNotIn("asking for the new window", s)

    def test_hostile_rows_stay_inert_in_the_table(self):
        p = self.logged_in("messy@example.com")
        p.keys("3")
        s = p.wait_for("7 shipments")
        self.assertNotRegex(p.screen(escapes=True), r"\x1b(?!\[[0-9;:]*m)")
        self.assertIn("4 rows could not be read", s)
        self.assertNotEqual(p.flag("pane_title"), "pwned")
        self.assertEqual(len(s.splitlines()), 24)

    def test_the_view_fits_60_by_16(self):
        p = self.logged_in("johndoe@email.com", 60, 16)
        for tab, text in (("2", "Customer ID"), ("3", "RECEIVED")):
            p.keys(tab)
            s = p.wait_for(text)
            self.assertTrue(all(len(l) <= 60 for l in s.splitlines()))
            self.assertIn("q quit", s.splitlines()[-1])



class StoredAndLookup(harness.ApiTestCase):
    """F3 (stored accounts and recent emails) and F4 (look up by email) on the form."""

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        self.keyring = harness.Keyring(self.home)
        self.env = dict(self.keyring.env, XDG_STATE_HOME=os.path.join(self.home, "state"))
        self.base = ["--base-url", self.api.base_url, "--cacert", self.pki["ca"]]
        # F3 lists stored keys most recently used first, and the history's times are to the
        # second: johndoe's login is made a second later than refusedkey's, so that the order
        # (johndoe, then refusedkey) does not depend on how fast the logins ran.
        for email, pw in (("refusedkey@example.com", PASSWORD), ("johndoe@email.com", PASSWORD),
                          ("disabled@example.com", "wrong")):
            if email == "johndoe@email.com":
                time.sleep(1.05 - time.time() % 1)
            harness.boxlogin(["login", "--email", email, "--password-stdin", *self.base], self.env,
                             stdin=pw + "\n")
        self.api.clear()
        self.pane = None

    def tearDown(self):
        if self.pane:
            self.pane.close()
        self.keyring.stop()

    def form(self):
        # Wide enough for the whole of the longer messages on the status line.
        self.pane = Pane(self.base, self.env, width=200)
        self.pane.wait_for("Customer login")
        return self.pane

    def test_f3_lists_stored_keys_then_recent_emails(self):
        p = self.form()
        p.keys("F3")
        s = p.wait_for("refusedkey@example.com")
        lines = [l for l in s.splitlines() if "@" in l]
        self.assertRegex(lines[0], r"johndoe@email\.com +box 811111")
        self.assertRegex(lines[1], r"refusedkey@example\.com +box 811302")
        self.assertRegex(lines[2], r"disabled@example\.com +recent")
        p.type("disab")
        s = p.wait_for("filter: disab")
        self.assertNotIn("johndoe", s)

    def test_a_stored_account_opens_without_a_password(self):
        p = self.form()
        p.keys("F3")
        p.wait_for("box 811111")
        p.keys("Enter")
        s = p.wait_for("Opened with the key stored in the keyring")
        self.assertIn("John Doe", s)
        p.keys("2")
        p.wait_for("Customer ID")
        paths = [r["path"].rsplit("/", 1)[1] for r in self.api.posts()]
        self.assertNotIn("customer-login", paths)
        self.assertEqual(sorted(paths), ["customer-get-info", "customer-get-shipments"])
        self.assertEqual({r["body"]["customer_key"] for r in self.api.posts()}, {DOC_KEY})

    def test_a_stored_account_does_not_wait_for_its_shipments(self):
        # Its shipments reply stalls half-way for 30 s: the summary (made from the
        # profile) and the profile come meanwhile, and n still leaves at once.
        harness.boxlogin(["login", "--email", "stallhalf@example.com", "--password-stdin", *self.base],
                         self.env, stdin=PASSWORD + "\n")
        p = self.form()
        p.keys("F3")
        p.wait_for("stallhalf@example.com")
        p.type("stallhalf")
        p.wait_for("filter: stallhalf")
        p.keys("Enter")
        p.wait_for("Opened with the key stored in the keyring", timeout=10)
        p.keys("2")
        p.wait_for("Customer ID")
        p.keys("3")
        self.assertNotIn("RECEIVED", p.wait_for("asking SkyPostal"))  # still waiting
        p.keys("n")
        p.wait_for("Customer login")

    def test_a_history_that_cannot_be_written_is_said_when_a_stored_account_opens(self):
        state = os.path.join(self.home, "state-is-a-file")
        with open(state, "w") as f:
            f.write("not a folder\n")
        self.pane = Pane(self.base, dict(self.env, XDG_STATE_HOME=state), width=200)
        p = self.pane
        p.wait_for("Customer login")
        p.keys("F3")
        p.wait_for("box 811111")
        p.keys("Enter")
        s = p.wait_for("Warning: the lookup is not in the history")
        self.assertIn("John Doe", s)  # a warning, not a failed opening

    def test_a_refused_stored_key_returns_to_the_form(self):
        p = self.form()
        p.keys("F3")
        p.wait_for("box 811302")
        p.keys("Down", "Enter")
        s = p.wait_for("no longer accepted")
        self.assertIn("refusedkey@example.com", s)
        self.assertIn("(hidden; F2 shows it)", s)  # the password has the focus

    def test_del_forgets_a_stored_key_after_asking(self):
        p = self.form()
        p.keys("F3")
        p.wait_for("box 811302")
        p.keys("Down", "DC")
        p.wait_for("Forget the stored key of refusedkey@example.com? y/n")
        p.keys("n")  # not forgotten
        p.wait_for("? y/n", gone=True)
        p.keys("DC")
        p.wait_for("? y/n")
        p.keys("y")
        p.wait_for("Stored key forgotten")
        s = p.wait_for("box 811302", gone=True)
        self.assertIn("box 811111", s)
        self.assertEqual(self.keyring.secret_tool("lookup", "email", "refusedkey@example.com",
                                                  "environment", "test").stdout, "")
        self.assertEqual(self.keyring.secret_tool("lookup", "email", "johndoe@email.com",
                                                  "environment", "test").stdout, DOC_KEY)

    def test_a_recent_email_fills_the_form(self):
        p = self.form()
        p.keys("F3")
        p.wait_for("disabled@example.com")
        p.keys("End", "Enter")
        s = p.wait_for("(hidden; F2 shows it)")
        self.assertIn("disabled@example.com", s)

    def test_f4_looks_up_by_email_without_a_password(self):
        p = self.form()
        p.keys("Tab")
        p.type("typed-password")
        p.keys("F4")
        s = p.wait_for("Look up a customer by email")
        self.assertIn("LOOK UP BY EMAIL", s.splitlines()[0])
        self.assertNotIn("Password", s)
        p.type("JohnDoe@Email.com")
        p.keys("Enter")
        p.wait_for("Key saved to keyring")
        [lookup] = [r for r in self.api.posts() if r["path"].endswith("partner/customer-get-info")]
        self.assertEqual(lookup["body"]["customer_email"], "JohnDoe@Email.com")
        self.assertNotIn("customer_password", lookup["body"])
        self.assertFalse(any(r["path"].endswith("customer-login") for r in self.api.posts()))
        with open(os.path.join(self.home, "state", "boxlogin", "history")) as f:
            last = json.loads(f.read().splitlines()[-1])
        self.assertEqual((last["action"], last["email"], last["outcome"]), ("lookup", "johndoe@email.com", "session"))

    def test_a_refused_lookup_says_what_to_ask_for(self):
        p = self.form()
        p.keys("F4")
        p.wait_for("Look up a customer by email")
        p.type("nopartner@example.com")
        p.keys("Enter")
        p.wait_for("may not look customers up")


if __name__ == "__main__":
    unittest.main()
