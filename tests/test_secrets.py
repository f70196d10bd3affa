"""Secrets in a running boxlogin: its memory, /proc, the log, core dumps."""
import os
import tempfile
import time
import unittest

import harness
from harness import PASSWORD, DOC_KEY
from tmux_pane import Pane

APP_KEY = "0123456789abcdef-app-key"


CHUNK = 16 << 20


def writable_memory(pid):
    """Yields (mapping name, bytes) for the writable mappings of pid, in overlapping chunks.
    Mappings over 1 GiB are AddressSanitizer's shadow memory, not boxlogin's data."""
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            parts = line.split()
            name = parts[5] if len(parts) > 5 else "[anon]"
            lo, hi = (int(x, 16) for x in parts[0].split("-"))
            if "w" not in parts[1] or name in ("[vvar]", "[vsyscall]") or hi - lo > 1 << 30:
                continue
            for start in range(lo, hi, CHUNK):
                try:
                    mem.seek(start)
                    yield name, mem.read(min(CHUNK + 4096, hi - start))
                except OSError:
                    break


def find(pid, secret):
    """Where secret stands in pid's writable memory, as UTF-8 or as UTF-32 (wide characters)."""
    forms = {"utf-8": secret.encode(), "utf-32": secret.encode("utf-32-le")}
    return [(name, enc) for name, data in writable_memory(pid) for enc, pat in forms.items() if pat in data]


@unittest.skipUnless(os.geteuid() == 0, "reading the memory of a non-dumpable process needs root")
class SecretsInMemory(harness.ApiTestCase):
    def setUp(self):
        self.use_home(tempfile.mkdtemp(prefix="home-", dir=self.dir))

    def use_home(self, home):
        self.home = home
        self.keyring = harness.Keyring(self.home)
        self.log = os.path.join(self.home, "debug.log")
        self.pane = None

    def start(self, *extra, env=None):
        self.pane = Pane(["--base-url", self.api.base_url, "--cacert", self.pki["ca"], *extra],
                         env or self.keyring.env)
        self.pane.wait_for("Customer login")
        self.pid = self.pane.pid()

    def tearDown(self):
        if self.pane:
            self.pane.close()
            self.pane = None
        self.keyring.stop()

    def log_in(self):
        p = self.pane
        p.type("johndoe@email.com")
        p.keys("Tab")
        p.type(PASSWORD + "6")  # a failed attempt first
        p.keys("Enter")
        p.wait_for("Login rejected")
        p.type(PASSWORD)
        p.keys("F2")  # shown on screen, then submitted
        p.wait_for(PASSWORD)
        p.keys("Enter")
        p.wait_for("Key saved to keyring")

    def test_password_is_gone_after_login_and_key_after_n(self):
        # Whether a freed library buffer (such as OpenSSL's read buffer without
        # SSL_OP_CLEANSE_PLAINTEXT) is reused before the scan depends on allocation sizes,
        # which depend on the paths in the environment: three HOMEs of different lengths,
        # three lookups each, make a left-over copy show.
        for length in (1, 40, 120):
            self.tearDown()
            home = os.path.join(tempfile.mkdtemp(dir=self.dir), "h" * length)
            os.makedirs(home)
            self.use_home(home)
            self.start()
            for lookup in range(3):
                self.log_in()
                if lookup == 2:
                    self.assertEqual(find(self.pid, PASSWORD), [])
                    self.assertNotEqual(find(self.pid, DOC_KEY), [])  # the scan finds what is there
                self.pane.keys("k")
                self.pane.wait_for(DOC_KEY)
                self.pane.keys("c")
                self.pane.keys("n")
                self.pane.wait_for("Customer login")
                time.sleep(0.3)
                where = f"HOME of {length} characters, lookup {lookup + 1}"
                self.assertEqual(find(self.pid, DOC_KEY), [], where)
                self.assertEqual(find(self.pid, PASSWORD), [], where)

    def test_never_in_cmdline_environment_or_log(self):
        self.start("--log", self.log, env=dict(self.keyring.env, BOXLOGIN_USER_CODE="396",
                                               BOXLOGIN_APP_KEY=APP_KEY))
        self.log_in()
        for f in ("cmdline", "environ"):
            with open(f"/proc/{self.pid}/{f}", "rb") as fh:
                data = fh.read()
            self.assertNotIn(PASSWORD.encode(), data)
            self.assertNotIn(DOC_KEY.encode(), data)
        self.pane.keys("q")
        self.pane.exit_status()
        with open(self.log) as f:
            log = f.read()
        self.assertIn("POST", log)
        for secret in (PASSWORD, DOC_KEY, APP_KEY):
            self.assertNotIn(secret, log)

    def test_core_dumps_are_off(self):
        self.start()
        with open(f"/proc/{self.pid}/limits") as f:
            line = next(l for l in f if l.startswith("Max core file size"))
        self.assertEqual(line.split()[4:6], ["0", "0"])


if __name__ == "__main__":
    unittest.main()
