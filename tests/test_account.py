"""The account commands end to end: profile, shipments, track (with the stored key, or
logging in first), lookup (the partner call) and history, against the stand-in API."""
import datetime
import json
import os
import re
import stat
import tempfile
import unicodedata
import unittest

import harness
from harness import PASSWORD, DOC_KEY

SPEC = os.path.join(harness.ROOT, "..", "shared", "SPEC.md")


def spec_examples():
    """The --json examples of SPEC's "More commands", by their first distinctive key."""
    with open(SPEC) as f:
        text = f.read()
    out = {}
    for block in re.findall(r"```json\n(.*?)```", text, re.S):
        try:
            obj = json.loads(block)
        except ValueError:
            continue
        for key in ("profile", "shipments", "tracking"):
            if isinstance(obj, dict) and key in obj:
                out[key] = obj
    return out


class AccountCommands(harness.ApiTestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        self.env = harness.clean_env(self.home, {"XDG_STATE_HOME": os.path.join(self.home, "state")})
        self.api.clear()

    def run_bl(self, *args, stdin=None, env=None, keyring=False):
        base = ["--base-url", self.api.base_url, "--cacert", self.pki["ca"]]
        if not keyring:
            base.append("--no-keyring")
        return harness.boxlogin([*args, *base], env or self.env, stdin=stdin, timeout=60)

    def paths(self):
        return [r["path"].split("/wcf-services/", 1)[1] for r in self.api.posts()]

    def history(self):
        path = os.path.join(self.home, "state", "boxlogin", "history")
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [json.loads(line) for line in f]

    def test_profile_logs_in_first_and_prints_spec_s_object(self):
        r = self.run_bl("profile", "JohnDoe@Email.com", "--json", "--password-stdin", stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        got = json.loads(r.stdout)
        if os.path.exists(SPEC):
            self.assertEqual(got, spec_examples()["profile"])
        self.assertEqual(list(got), ["environment", "email", "box_id", "profile"])
        self.assertEqual(self.paths(), ["service-customer.svc/customer/customer-login",
                                        "service-customer.svc/customer/customer-get-info"])
        body = self.api.posts()[1]["body"]
        self.assertEqual((body["customer_box_id"], body["customer_key"]), (811111, DOC_KEY))
        self.assertEqual((body["user_code"], body["user_info"]["user_code"]), (396, 396))

    def test_profile_human_output(self):
        r = self.run_bl("profile", "johndoe@email.com", "--password-stdin", stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("John Doe", r.stdout)
        self.assertRegex(r.stdout, r"Customer ID +51736850")
        self.assertRegex(r.stdout, r"Born +1980-08-19")
        self.assertRegex(r.stdout, r"Tax no\. +—")
        self.assertRegex(r.stdout, r"home +\+1 123456789 ext 333")
        self.assertIn("ACTIVE · NOT VIP · PERSONAL · ENABLED", r.stdout)

    def test_shipments_window_and_spec_s_object(self):
        r = self.run_bl("shipments", "johndoe@email.com", "--from", "2017-12-01", "--to", "2018-02-15",
                        "--json", "--password-stdin", stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        got = json.loads(r.stdout)
        self.assertEqual([s["awb"] for s in got["shipments"]], [13869085, 13818527])  # newest first
        if os.path.exists(SPEC):
            want = spec_examples()["shipments"]
            self.assertEqual({k: v for k, v in got.items() if k != "shipments"},
                             {k: v for k, v in want.items() if k != "shipments"})
            self.assertEqual(got["shipments"][0], want["shipments"][0])
        body = self.api.posts()[-1]["body"]
        self.assertEqual((body["start_date"], body["end_date"]), ("2017-12-01", "2018-02-15"))

    def test_the_default_window_is_the_90_days_to_today(self):
        today = datetime.date.today()
        self.run_bl("shipments", "johndoe@email.com", "--password-stdin", stdin=PASSWORD + "\n")
        body = self.api.posts()[-1]["body"]
        self.assertEqual(body["end_date"], today.isoformat())
        self.assertEqual(body["start_date"], (today - datetime.timedelta(days=90)).isoformat())
        self.api.clear()
        self.run_bl("shipments", "johndoe@email.com", "--to", "2018-03-01", "--password-stdin",
                    stdin=PASSWORD + "\n")
        body = self.api.posts()[-1]["body"]
        self.assertEqual((body["start_date"], body["end_date"]), ("2017-12-01", "2018-03-01"))
        self.api.clear()
        self.run_bl("shipments", "johndoe@email.com", "--from", "2018-01-01", "--password-stdin",
                    stdin=PASSWORD + "\n")
        body = self.api.posts()[-1]["body"]
        self.assertEqual((body["start_date"], body["end_date"]), ("2018-01-01", today.isoformat()))
        for bad in (["--from", "2018-02-30"], ["--to", "yesterday"], ["--from", "2018-03-01", "--to", "2018-01-01"]):
            r = self.run_bl("shipments", "johndoe@email.com", *bad, "--password-stdin", stdin=PASSWORD + "\n")
            self.assertEqual(r.returncode, 2, bad)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)

    def test_shipments_table_fits_the_width_without_wrapping(self):
        for width in (60, 80, 120):
            r = self.run_bl("shipments", "messy@example.com", "--password-stdin", stdin=PASSWORD + "\n",
                            env=dict(self.env, COLUMNS=str(width)))
            self.assertEqual(r.returncode, 0, r.stderr)
            lines = r.stdout.splitlines()
            self.assertRegex(lines[0], r"^\d{4}-\d\d-\d\d – \d{4}-\d\d-\d\d · 7 shipments$")
            self.assertTrue(lines[1].startswith("RECEIVED"))
            for line in lines[1:]:
                wide = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
                self.assertLessEqual(wide, width, line)
            self.assertNotIn("\x1b", r.stdout)
            self.assertNotIn("\u202e", r.stdout)
            self.assertIn("4 rows could not be read", r.stderr)

    def test_messy_rows_are_read_liberally(self):
        r = self.run_bl("shipments", "messy@example.com", "--json", "--password-stdin", stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        got = json.loads(r.stdout)
        self.assertEqual(got["skipped"], 4)
        awbs = [s["awb"] for s in got["shipments"]]
        self.assertEqual(awbs[-1], 20000003)  # the row without a date comes last
        self.assertIn(20000002, awbs)  # the AWB sent as a string
        mistyped = next(s for s in got["shipments"] if s["awb"] == 20000005)
        for k in ("merchant", "content", "status", "weight_charged", "charge_total", "invoice_required",
                  "manifested"):
            self.assertIsNone(mistyped[k], k)
        self.assertEqual(mistyped["value"], 12.5)  # a numeric string is a number
        self.assertNotIn("\\u001b", r.stdout)

    def test_no_shipments_is_not_an_error(self):
        r = self.run_bl("shipments", "noshipments@example.com", "--password-stdin", stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"· 0 shipments")

    def test_ten_thousand_shipments(self):
        start = (datetime.date.today() - datetime.timedelta(days=6 * 365)).isoformat()
        r = self.run_bl("shipments", "many@example.com", "--from", start, "--json", "--password-stdin",
                        stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = json.loads(r.stdout)["shipments"]
        self.assertEqual(len(rows), 10000)
        received = [s["received"] for s in rows]
        self.assertEqual(received, sorted(received, reverse=True))

    def test_a_reply_over_32_mib_is_a_server_error_naming_the_cap(self):
        r = self.run_bl("shipments", "hugeshipments@example.com", "--json", "--password-stdin",
                        stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn("32 MiB", json.loads(r.stdout)["error"]["message"])

    def test_a_reply_that_stalls_half_way_times_out(self):
        r = self.run_bl("shipments", "stallhalf@example.com", "--timeout", "1.5", "--password-stdin",
                        stdin=PASSWORD + "\n")
        self.assertIn(r.returncode, (3, 4), r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 3, r.stderr)  # note, warning, error

    def test_track_prints_spec_s_object(self):
        r = self.run_bl("track", "johndoe@email.com", "13869085", "--json", "--password-stdin",
                        stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        got = json.loads(r.stdout)
        if os.path.exists(SPEC):
            want = spec_examples()["tracking"]
            self.assertEqual(got["shipment"], want["shipment"])
            self.assertEqual(got["tracking"][0], want["tracking"][0])
        self.assertEqual([e["code"] for e in got["tracking"]], ["PAY", "REC"])
        body = self.api.posts()[-1]["body"]
        self.assertEqual((body["trck_nmr_fol"], body["language_code"]), (13869085, ""))
        self.assertEqual(self.paths()[-1], "service-shipment.svc/shipment/get-shipment-info")

    def test_track_falls_back_to_the_documented_path_once(self):
        r = self.run_bl("track", "oldpath@example.com", str(self.awb_of("oldpath@example.com")), "--json",
                        "--password-stdin", stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.paths()[-2:], ["service-shipment.svc/shipment/get-shipment-info",
                                             "service-customer.svc/shipment/get-shipment-info"])

    def test_a_configured_shipment_path_is_used_as_it_is(self):
        cfg = os.path.join(self.home, "config")
        with open(cfg, "w") as f:
            f.write("shipment_path = service-shipment.svc/shipment/get-shipment-info\n")
        os.chmod(cfg, 0o600)
        r = self.run_bl("track", "oldpath@example.com", str(self.awb_of("oldpath@example.com")),
                        "--config", cfg, "--password-stdin", stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 4, r.stderr)  # the 404, without a fallback
        self.assertEqual(self.paths()[-1], "service-shipment.svc/shipment/get-shipment-info")

    def awb_of(self, email):
        self.api.clear()
        r = self.run_bl("shipments", email, "--json", "--password-stdin", stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        awb = json.loads(r.stdout)["shipments"][0]["awb"]
        self.api.clear()
        return awb

    def test_tracking_sent_as_an_object_and_hostile_events(self):
        r = self.run_bl("track", "messy@example.com", "20000002", "--json", "--password-stdin",
                        stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.run_bl("track", "messy@example.com", "20000001", "--password-stdin", stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("\x1b", r.stdout)
        self.assertIn("could not be read", r.stderr)

    def test_the_largest_awb_is_exact(self):
        big = 2 ** 53 - 1
        r = self.run_bl("shipments", "bigawb@example.com", "--json", "--password-stdin", stdin=PASSWORD + "\n")
        self.assertIn('"awb":%d' % big, r.stdout)
        r = self.run_bl("track", "bigawb@example.com", str(big), "--json", "--password-stdin",
                        stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('"awb":%d' % big, r.stdout)
        for bad in ("9007199254740992", "-1", "1.5", "0", "abc"):
            r = self.run_bl("track", "bigawb@example.com", bad, "--password-stdin", stdin=PASSWORD + "\n")
            self.assertEqual(r.returncode, 2, bad)

    def test_without_a_stored_key_or_a_password_source_it_stops(self):
        r = self.run_bl("profile", "johndoe@email.com", stdin="")
        self.assertEqual(r.returncode, 2)
        self.assertIn("No stored key for johndoe@email.com (TEST): run `boxlogin login --email "
                      "johndoe@email.com`", r.stderr)
        self.assertEqual(self.api.posts(), [])


class StoredKey(harness.ApiTestCase):
    """The key the login stored is what the account commands use, without a password."""

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        self.keyring = harness.Keyring(self.home)
        self.env = dict(self.keyring.env, XDG_STATE_HOME=os.path.join(self.home, "state"))
        self.api.clear()

    def tearDown(self):
        self.keyring.stop()

    def run_bl(self, *args, stdin=None):
        return harness.boxlogin([*args, "--base-url", self.api.base_url, "--cacert", self.pki["ca"]], self.env,
                                stdin=stdin, timeout=60)

    def test_the_stored_key_serves_without_a_password(self):
        r = self.run_bl("login", "--email", "johndoe@email.com", "--password-stdin", stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.api.clear()
        for args in (["profile", "JOHNDOE@email.com"], ["shipments", "johndoe@email.com"],
                     ["track", "johndoe@email.com", "13869085"]):
            r = self.run_bl(*args, "--json", stdin="")
            self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([r["body"]["customer_key"] for r in self.api.posts()], [DOC_KEY] * 3)
        self.assertFalse(any("customer-login" in r["path"] for r in self.api.posts()))

    def test_a_refused_key_without_a_password_source_is_rejected_and_kept(self):
        r = self.run_bl("login", "--email", "refusedkey@example.com", "--password-stdin", stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.run_bl("profile", "refusedkey@example.com", stdin="")
        self.assertEqual(r.returncode, 1)
        self.assertIn("The stored key for refusedkey@example.com is no longer accepted", r.stderr)
        self.assertNotEqual(self.keyring.secret_tool("lookup", "email", "refusedkey@example.com",
                                                     "environment", "test").stdout, "")

    def test_a_refused_key_with_a_password_logs_in_once(self):
        r = self.run_bl("login", "--email", "refusedkey@example.com", "--password-stdin", stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.api.clear()
        r = self.run_bl("shipments", "refusedkey@example.com", "--password-stdin", stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 1)
        self.assertEqual([p["path"].rsplit("/", 1)[1] for p in self.api.posts()],
                         ["customer-get-shipments", "customer-login", "customer-get-shipments"])

    def test_lookup_stores_the_key_like_a_login(self):
        r = self.run_bl("lookup", "JohnDoe@Email.COM", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        got = json.loads(r.stdout)
        self.assertEqual((got["source"], got["email"], got["key_stored"]), ("partner", "johndoe@email.com", True))
        self.assertNotIn("customer_key", got)
        self.assertEqual(self.keyring.secret_tool("lookup", "email", "johndoe@email.com",
                                                  "environment", "test").stdout, DOC_KEY)
        body = self.api.posts()[-1]["body"]
        self.assertNotIn("customer_password", body)
        self.assertEqual(body["customer_email"], "JohnDoe@Email.COM")


class Lookup(harness.ApiTestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        self.env = harness.clean_env(self.home, {"XDG_STATE_HOME": os.path.join(self.home, "state")})
        self.api.clear()

    def run_bl(self, *args, env=None):
        return harness.boxlogin([*args, "--base-url", self.api.base_url, "--cacert", self.pki["ca"],
                                 "--no-keyring"], env or self.env, stdin="", timeout=60)

    def test_lookup_prints_the_login_s_object_with_its_source(self):
        r = self.run_bl("lookup", "johndoe@email.com", "--json", "--show-key")
        self.assertEqual(r.returncode, 0, r.stderr)
        got = json.loads(r.stdout)
        self.assertEqual(got["source"], "partner")
        self.assertEqual(got["customer"]["box_id"], 811111)
        self.assertEqual(got["customer_key"], DOC_KEY)
        self.assertEqual(self.api.posts()[-1]["path"],
                         "/wcf-services/service-partner.svc/partner/customer-get-info")
        r = harness.boxlogin(["login", "--email", "johndoe@email.com", "--password-stdin", "--json",
                              "--base-url", self.api.base_url, "--cacert", self.pki["ca"], "--no-keyring"],
                             self.env, stdin=PASSWORD + "\n")
        self.assertEqual(json.loads(r.stdout)["source"], "login")

    def test_lookup_falls_back_to_the_documented_path(self):
        r = self.run_bl("lookup", "docpartner@example.com")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([p["path"] for p in self.api.posts()],
                         ["/wcf-services/service-partner.svc/partner/customer-get-info",
                          "/wcf-services/service-customer.svc/partner/customer-get-info"])

    def test_a_refused_partner_call_says_what_to_ask_for(self):
        r = self.run_bl("lookup", "nopartner@example.com", "--json")
        self.assertEqual(r.returncode, 1)
        msg = json.loads(r.stdout)["error"]["message"]
        self.assertIn("may not look customers up", msg)
        self.assertIn("ask SkyPostal to enable the partner call", msg)

    def test_prod_lookup_needs_the_user_s_own_credentials(self):
        r = self.run_bl("lookup", "johndoe@email.com", "--env", "prod")
        self.assertEqual(r.returncode, 2)
        self.assertIn("PROD needs your own", r.stderr)
        self.assertEqual(self.api.posts(), [])


class History(harness.ApiTestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        self.state = os.path.join(self.home, "state")
        self.env = harness.clean_env(self.home, {"XDG_STATE_HOME": self.state})
        self.file = os.path.join(self.state, "boxlogin", "history")

    def run_bl(self, *args, stdin="", env=None):
        return harness.boxlogin([*args, "--base-url", self.api.base_url, "--cacert", self.pki["ca"],
                                 "--no-keyring"], env or self.env, stdin=stdin, timeout=60)

    def test_every_lookup_is_one_line_without_secrets(self):
        self.run_bl("login", "--email", " JohnDoe@Email.com ", "--password-stdin", stdin=PASSWORD + "\n")
        self.run_bl("login", "--email", "johndoe@email.com", "--password-stdin", stdin="wrong\n")
        self.run_bl("lookup", "johndoe@email.com")
        self.run_bl("profile", "johndoe@email.com", "--password-stdin", stdin=PASSWORD + "\n")
        with open(self.file) as f:
            text = f.read()
        lines = [json.loads(line) for line in text.splitlines()]
        self.assertEqual([(e["action"], e["outcome"]) for e in lines],
                         [("login", "session"), ("login", "rejected"), ("lookup", "session"),
                          ("login", "session"), ("profile", "session")])
        for e in lines:
            self.assertEqual(list(e), ["time", "environment", "action", "email", "box_id", "outcome"])
            self.assertRegex(e["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
            self.assertEqual(e["email"], "johndoe@email.com")
        for secret in (PASSWORD, DOC_KEY, harness.GENERIC_APP_KEY):
            self.assertNotIn(secret, text)
        self.assertEqual(stat.S_IMODE(os.stat(self.file).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.dirname(self.file)).st_mode), 0o700)
        r = harness.boxlogin(["history", "--json", "--limit", "2"], self.env)
        self.assertEqual(r.returncode, 0, r.stderr)
        got = json.loads(r.stdout)
        self.assertEqual([e["action"] for e in got], ["profile", "login"])  # newest first
        r = harness.boxlogin(["history"], self.env)
        self.assertEqual(r.stdout.splitlines()[1].split()[2], "profile")

    def test_no_history_and_history_false(self):
        self.run_bl("lookup", "johndoe@email.com", "--no-history")
        cfg = os.path.join(self.home, "config")
        with open(cfg, "w") as f:
            f.write("history = false\n")
        os.chmod(cfg, 0o600)
        self.run_bl("lookup", "johndoe@email.com", "--config", cfg)
        self.assertFalse(os.path.exists(self.file))

    def test_a_history_that_cannot_be_written_is_a_warning(self):
        os.makedirs(os.path.dirname(self.file), mode=0o700)
        cases = {"directory": lambda: os.mkdir(self.file), "fifo": lambda: os.mkfifo(self.file),
                 "symlink": lambda: os.symlink("/etc/hostname", self.file),
                 "open to others": lambda: (open(self.file, "w").close(), os.chmod(self.file, 0o666))}
        for name, make in cases.items():
            make()
            r = self.run_bl("lookup", "johndoe@email.com")
            self.assertEqual(r.returncode, 0, name)
            self.assertIn("Dana" if False else "John Doe", r.stdout)
            self.assertIn("warning", r.stderr, name)
            self.assertIn("history", r.stderr, name)
            if os.path.isdir(self.file) and not os.path.islink(self.file):
                os.rmdir(self.file)
            else:
                os.unlink(self.file)

    def test_a_corrupt_history_is_read_around(self):
        os.makedirs(os.path.dirname(self.file), mode=0o700)
        with open(self.file, "wb") as f:
            f.write(b"garbage\n\x00\x01\xff\n{\"time\":\n")
        os.chmod(self.file, 0o600)
        self.run_bl("lookup", "johndoe@email.com")
        r = harness.boxlogin(["history", "--json"], self.env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(json.loads(r.stdout)), 1)
        self.assertIn("3 lines of the history could not be read", r.stderr)


if __name__ == "__main__":
    unittest.main()
