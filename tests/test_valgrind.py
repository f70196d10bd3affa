"""valgrind memcheck: a batch login, a UI login -> n -> quit, and a UI address change
with a city picked from the places lists, with a real keyring."""
import os
import re
import shutil
import tempfile
import unittest

import harness
from harness import PASSWORD
from tmux_pane import Pane

VALGRIND = ["valgrind", "--error-exitcode=99", "--leak-check=full", "--errors-for-leak-kinds=definite",
            "--show-leak-kinds=definite"]


@unittest.skipIf(harness.SANITIZED, "valgrind does not run sanitizer builds")
@unittest.skipUnless(shutil.which("valgrind"), "valgrind is not installed")
class Memcheck(harness.ApiTestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        self.keyring = harness.Keyring(self.home)
        self.report = os.path.join(self.home, "valgrind.txt")

    def tearDown(self):
        self.keyring.stop()

    def assert_clean(self):
        with open(self.report) as f:
            text = f.read()
        self.assertRegex(text, r"ERROR SUMMARY: 0 errors", text)
        for kind in ("definitely", "indirectly"):
            m = re.search(rf"{kind} lost: ([\d,]+) bytes", text)
            if m:  # no LEAK SUMMARY at all means nothing was left
                self.assertEqual(m.group(1), "0", text)

    def test_batch_login(self):
        r = harness.boxlogin([*VALGRIND[1:], f"--log-file={self.report}", harness.BIN, "login", "--email", "johndoe@email.com",
                              "--password-stdin", "--json", "--base-url", self.api.base_url, "--cacert",
                              self.pki["ca"]], self.keyring.env, stdin=PASSWORD + "\n", timeout=120,
                             binary="valgrind")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('"key_stored":true', r.stdout)
        self.assert_clean()

    def test_ui_login_new_lookup_quit(self):
        p = Pane([*VALGRIND[1:], f"--log-file={self.report}", harness.BIN, "--base-url", self.api.base_url,
                  "--cacert", self.pki["ca"]], self.keyring.env, binary="valgrind")
        try:
            p.wait_for("Customer login", timeout=60)
            p.type("johndoe@email.com")
            p.keys("Tab")
            p.type(PASSWORD)
            p.keys("Enter")
            p.wait_for("Key saved to keyring", timeout=60)
            p.keys("k", "c", "n")
            p.wait_for("Customer login", timeout=30)
            p.keys("F10")
            status, restored = p.exit_status(timeout=60)
        finally:
            p.close()
        self.assertEqual(status, 0)
        self.assertTrue(restored)
        self.assert_clean()

    def test_ui_address_change_with_a_city_picked(self):
        p = Pane([*VALGRIND[1:], f"--log-file={self.report}", harness.BIN, "--base-url", self.api.base_url,
                  "--cacert", self.pki["ca"]], self.keyring.env, width=100, height=30, binary="valgrind")
        try:
            p.wait_for("Customer login", timeout=60)
            p.type("details@example.com")
            p.keys("Tab")
            p.type(PASSWORD)
            p.keys("Enter")
            p.wait_for("Box ID", timeout=60)
            p.keys("e")
            p.wait_for("Address and phones", timeout=30)
            for _ in range(4):
                p.keys("Down")
            p.keys("Enter")
            p.wait_for("Mobile phone", timeout=30)
            for _ in range(4):
                p.keys("Tab")
            p.keys("Enter")
            for title, typed in (("Country", "colom"), ("State of", "cundi"), ("City of", "chia")):
                p.wait_for(title, timeout=30)
                p.wait_for("Asking SkyPostal", gone=True, timeout=30)
                p.type(typed)
                p.wait_for("filter: " + typed, timeout=30)
                p.keys("Enter")
            p.wait_for("Chía, Cundinamarca", timeout=30)
            p.keys("Enter")
            p.wait_for("y applies", timeout=30)
            p.keys("y")
            p.wait_for("Applied", timeout=60)
            p.keys("F10")
            status, restored = p.exit_status(timeout=60)
        finally:
            p.close()
        self.assertEqual(status, 0)
        self.assertTrue(restored)
        self.assert_clean()


if __name__ == "__main__":
    unittest.main()
