"""Hardening of the keys: a reply for another customer than the one asked for, keyring
items with hostile attributes, a damaged stored key, and a partner lookup that finds no
customer. A real gnome-keyring on a private D-Bus, the stand-in API over TLS."""
import json
import os
import tempfile
import unittest

import harness
from harness import PASSWORD, DOC_KEY

SCHEMA = ("xdg:schema", "org.boxlogin.CustomerKey")


class KeysBase(harness.ApiTestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        self.keyring = harness.Keyring(self.home)
        self.env = dict(self.keyring.env, XDG_STATE_HOME=os.path.join(self.home, "state"))
        self.api.clear()

    def tearDown(self):
        self.keyring.stop()

    def run_bl(self, *args, stdin=None):
        return harness.boxlogin([*args, "--base-url", self.api.base_url, "--cacert", self.pki["ca"]],
                                self.env, stdin=stdin, timeout=60)

    def error(self, r, kind, status):
        self.assertEqual(r.returncode, status, r.stdout + r.stderr)
        err = json.loads(r.stdout)["error"]
        self.assertEqual(err["kind"], kind)
        return err

    def store(self, email="johndoe@email.com", box_id="811111", secret=DOC_KEY, **attrs):
        a = {"email": email, "environment": "test", "box_id": box_id, "user_code": "396", **attrs}
        flat = [x for k, v in a.items() if v is not None for x in (k, v)]
        r = self.keyring.secret_tool("store", "--label", "planted", *SCHEMA, *flat, input=secret)
        self.assertEqual(r.returncode, 0, r.stderr)

    def items(self):
        r = self.keyring.secret_tool("search", "--all", *SCHEMA)
        return [line for line in (r.stdout + r.stderr).splitlines() if line.startswith("[")]

    def secrets(self):
        r = self.keyring.secret_tool("search", "--all", *SCHEMA)
        return [line.split(" = ", 1)[1] for line in (r.stdout + r.stderr).splitlines()
                if line.startswith("secret = ")]

    def history(self):
        path = os.path.join(self.home, "state", "boxlogin", "history")
        with open(path) as f:
            return [json.loads(line) for line in f]


class AnotherCustomer(KeysBase):
    """Item 5: a reply that names an email must name the one asked for."""

    def test_a_partner_reply_for_another_customer_is_a_server_error_and_stores_nothing(self):
        r = self.run_bl("lookup", "swapped@example.com", "--json", "--show-key")
        err = self.error(r, "server", 4)
        self.assertIn("another customer", err["message"])
        self.assertNotIn("MALLORYKEY", r.stdout + r.stderr)
        self.assertEqual(self.items(), [])
        self.assertEqual(self.history()[-1]["outcome"], "server")
        self.assertEqual(self.history()[-1]["box_id"], None)
        r = self.run_bl("profile", "swapped@example.com", "--json")
        self.error(r, "usage", 2)
        self.assertNotIn("Mallory", r.stdout)

    def test_a_profile_for_another_customer_is_a_server_error(self):
        r = self.run_bl("login", "--email", "otherprofile@example.com", "--password-stdin", "--json",
                        stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.run_bl("profile", "otherprofile@example.com", "--json")
        err = self.error(r, "server", 4)
        self.assertIn("another customer", err["message"])
        self.assertNotIn("MALLORY", r.stdout.upper().replace(err["message"].upper(), ""))

    def test_a_login_reply_for_another_customer_is_a_server_error(self):
        r = self.run_bl("login", "--email", "otherlogin@example.com", "--password-stdin", "--json",
                        stdin=PASSWORD + "\n")
        self.error(r, "server", 4)
        self.assertEqual(self.items(), [])

    def test_the_same_email_in_other_case_and_spaces_is_the_customer_asked_for(self):
        r = self.run_bl("lookup", "named@example.com", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["email"], "named@example.com")
        r = self.run_bl("profile", "johndoe@email.com", "--json", "--password-stdin", stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)


class HostileAttributes(KeysBase):
    """Item 6: items whose attributes hold control characters."""

    def test_forget_all_deletes_items_whose_attributes_hold_control_characters(self):
        r = self.run_bl("login", "--email", "johndoe@email.com", "--password-stdin", "--json",
                        stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.store(email="odd\x1b[2J@example.com")
        self.store(email="box@example.com", box_id="81\x1b[31m")
        self.store(email="env@example.com", environment="test\x07")
        self.assertEqual(len(self.items()), 4)
        r = harness.boxlogin(["forget", "--all"], self.env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.items(), [])
        self.assertIn("Forgot 4", r.stdout)

    def test_keys_shows_an_invalid_attribute_as_invalid(self):
        self.store(email="box@example.com", box_id="81\x1b[31m")
        self.store(email="odd\x1b[2J@example.com", box_id="811112")
        r = harness.boxlogin(["keys"], self.env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("\x1b", r.stdout)
        row = next(line for line in r.stdout.splitlines() if line.startswith("box@example.com"))
        self.assertNotIn(" 81 ", row + " ")
        self.assertIn("invalid", row)
        row = next(line for line in r.stdout.splitlines() if line.startswith("odd"))
        self.assertIn("invalid", row)
        r = harness.boxlogin(["keys", "--json"], self.env)
        keys = {k["email"]: k for k in json.loads(r.stdout)["keys"]}
        self.assertIsNone(keys["box@example.com"]["box_id"])


class DamagedKey(KeysBase):
    """Item 7: a stored key that breaks the server's rule counts as absent."""

    NOTE = "the stored key for johndoe@email.com is damaged; `boxlogin forget johndoe@email.com`"

    def check_damaged(self, secret):
        self.store(secret=secret)
        r = self.run_bl("profile", "johndoe@email.com", "--json")
        err = self.error(r, "usage", 2)
        self.assertIn(self.NOTE, err["message"])
        self.assertIn("No stored key for johndoe@email.com", err["message"])
        self.assertEqual(self.api.posts(), [])

    def test_a_stored_key_with_control_bytes_is_damaged_and_never_sent(self):
        self.check_damaged("abc\x1b[31mdef")

    def test_a_stored_key_longer_than_512_is_damaged(self):
        self.check_damaged("k" * 513)

    def test_a_huge_stored_key_is_damaged_and_never_sent(self):
        self.check_damaged("k" * (2 << 20))

    def test_with_a_password_a_damaged_key_is_replaced_by_a_login(self):
        self.store(secret="abc def")
        r = self.run_bl("profile", "johndoe@email.com", "--json", "--password-stdin", stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        posts = self.api.posts()
        self.assertEqual(len(posts), 2)
        self.assertEqual(posts[1]["body"]["customer_key"], DOC_KEY)
        self.assertEqual(self.secrets(), [DOC_KEY])

    def test_a_good_stored_key_still_serves(self):
        self.store()
        r = self.run_bl("profile", "johndoe@email.com", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)


class PartnerRefusals(KeysBase):
    """Item 10: no such customer is not a credentials problem."""

    def test_an_unknown_customer_is_not_a_credentials_problem(self):
        r = self.run_bl("lookup", "nobody@example.com", "--json")
        err = self.error(r, "rejected", 1)
        self.assertIn("No customer nobody@example.com", err["message"])
        self.assertIn("not one these credentials may see", err["message"])
        self.assertIn("The email is not registered", err["message"])
        self.assertNotIn("may not look customers up", err["message"])

    def test_credentials_that_may_not_look_up_still_say_so(self):
        for email in ("nopartner@example.com", "forbidden@example.com"):
            r = self.run_bl("lookup", email, "--json")
            err = self.error(r, "rejected", 1)
            self.assertIn("may not look customers up", err["message"], email)
            self.assertNotIn("No customer", err["message"], email)


if __name__ == "__main__":
    unittest.main()
