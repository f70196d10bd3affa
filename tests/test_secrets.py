"""Secrets in a running boxlogin: its memory, /proc, the log, core dumps; and, without
chance, every block it frees (tests/lib/secret_check.c)."""
import json
import os
import subprocess
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

    def test_ui_new_password_is_gone_when_the_change_screen_closes(self):
        # A stand-in of its own: its change of the password is its own.
        api = harness.StandIn(tempfile.mkdtemp(dir=self.home), cert=self.pki["server"])
        self.addCleanup(api.stop)
        new_password = "n3w-Secret-pass-99"
        p = self.pane = Pane(["--base-url", api.base_url, "--cacert", self.pki["ca"], "--no-keyring"],
                             self.keyring.env)
        p.wait_for("Customer login")
        self.pid = p.pid()
        p.type("change@example.com")
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")
        p.wait_for("Box ID")
        p.keys("e")
        p.wait_for("Address and phones")
        p.keys("Enter")
        p.wait_for("g: generate one")
        p.keys("Enter")
        p.wait_for("Again")
        for _ in range(2):
            p.type(new_password)
            p.keys("Enter")
        p.wait_for("password: (new)")
        self.assertNotEqual(find(self.pid, new_password), [])  # the scan finds what is there
        p.keys("y")
        p.wait_for("Applied")
        p.keys("Escape")
        p.wait_for("Box ID")
        time.sleep(0.3)
        self.assertEqual(find(self.pid, new_password), [])

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


SECRET_CHECK = os.path.join(harness.BUILD, "tests", "secret_check.so")


@unittest.skipIf(harness.SANITIZED, "the sanitizer runtime must be the first library loaded")
class EveryFreedBlock(harness.ApiTestCase):
    """boxlogin under secret_check.so: any block freed or moved by realloc that still holds
    a secret, and a /proc/self/cmdline that holds one at exit, abort with a report."""

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        self.secrets = os.path.join(self.home, "secrets")
        self.keyring = None

    def tearDown(self):
        if self.keyring is not None:
            self.keyring.stop()

    def env(self, base=None, **secrets):
        with open(self.secrets, "w") as f:
            f.writelines(f"{name}={value}\n" for name, value in secrets.items())
        return dict(base or harness.clean_env(self.home), LD_PRELOAD=SECRET_CHECK,
                    BOXLOGIN_SECRET_CHECK=self.secrets)

    def hits(self):
        if not os.path.exists(self.secrets + ".hits"):
            return ""
        with open(self.secrets + ".hits") as f:
            return f.read()

    def login(self, env, *extra, password=PASSWORD, email="johndoe@email.com"):
        return harness.boxlogin(["login", "--email", email, "--password-stdin", "--base-url",
                                 self.api.base_url, "--cacert", self.pki["ca"], *extra], env,
                                stdin=password + "\n")

    def test_the_check_catches_what_is_freed_unwiped(self):
        # The email is not a secret and is freed as it is: the check must see it.
        r = self.login(self.env(email="johndoe@email.com"), "--no-keyring")
        self.assertEqual(r.returncode, -6, r.stderr)
        self.assertIn("secret-check: email found in a block released by free", self.hits())

    def test_batch_logins_free_no_secret_unwiped(self):
        env = self.env(password=PASSWORD, customer_key=DOC_KEY, app_key=APP_KEY)
        env.update(BOXLOGIN_USER_CODE="396", BOXLOGIN_APP_KEY=APP_KEY)
        for extra in (["--no-keyring"], ["--no-keyring", "--json", "--show-key"],
                      ["--no-keyring", "--log", os.path.join(self.home, "debug.log")]):
            r = self.login(env, *extra)
            self.assertEqual(r.returncode, 0, r.stderr)
        r = self.login(self.env(password="wrong-password-1"), "--no-keyring", password="wrong-password-1")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(self.hits(), "")

    def test_batch_login_with_a_keyring(self):
        self.keyring = harness.Keyring(self.home)
        r = self.login(self.env(self.keyring.env, password=PASSWORD, customer_key=DOC_KEY))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.hits(), "")

    def test_set_password_frees_no_new_password_unwiped(self):
        # The new password: read from standard input, sent, used for the verification login.
        new_password = "n3w-Secret-pass-77"
        log = os.path.join(self.home, "debug.log")
        env = self.env(new_password=new_password, customer_key="key-811320-change", app_key=APP_KEY)
        env.update(BOXLOGIN_USER_CODE="396", BOXLOGIN_APP_KEY=APP_KEY)
        for extra in (["--log", log], ["--json", "--log", log], ["--dry-run"]):
            r = harness.boxlogin(["set-password", "change@example.com", "--new-password-stdin", "--yes",
                                  "--no-keyring", "--base-url", self.api.base_url, "--cacert",
                                  self.pki["ca"], *extra], env, stdin=new_password + "\n")
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertNotIn(new_password, r.stdout + r.stderr)
        self.assertEqual(self.hits(), "")
        with open(log) as f:
            text = f.read()
        self.assertIn("customer-update-password", text)
        for secret in (new_password, APP_KEY, "key-811320-change"):
            self.assertNotIn(secret, text)
        history = os.path.join(self.home, ".local", "state", "boxlogin", "history")
        with open(history) as f:
            text = f.read()
        self.assertIn("set-password", text)
        self.assertNotIn(new_password, text)
        # And it never reaches the command line: a value given to the option is wiped.
        r = harness.boxlogin(["set-password", "change@example.com", "--new-password-stdin=" + new_password],
                             env, stdin="")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertNotIn(new_password, r.stderr)
        self.assertEqual(self.hits(), "")

    def test_generated_password_is_freed_wiped(self):
        env = self.env(app_key=APP_KEY)
        env.update(BOXLOGIN_USER_CODE="396", BOXLOGIN_APP_KEY=APP_KEY)
        r = harness.boxlogin(["set-password", "change@example.com", "--generate", "--yes", "--json",
                              "--no-keyring", "--base-url", self.api.base_url, "--cacert", self.pki["ca"]],
                             env)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        generated = json.loads(r.stdout)["new_password"]
        # Run again with the password just made as the secret: its verification login
        # (and nothing else) holds it.
        env = self.env(password=generated)
        env.update(BOXLOGIN_USER_CODE="396", BOXLOGIN_APP_KEY=APP_KEY)
        r = harness.boxlogin(["login", "--email", "change@example.com", "--password-stdin", "--no-keyring",
                              "--base-url", self.api.base_url, "--cacert", self.pki["ca"]], env,
                             stdin=generated + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.hits(), "")

    def test_secret_arguments_leave_the_command_line(self):
        env = self.env(password="hunter2")
        for args in (["--passw=hunter2"], ["--password", "hunter2"], ["--app-key=hunter2"],
                     ["--password-stdin=hunter2"], ["-phunter2"]):
            r = harness.boxlogin(["login", "--email", "a@b.c", *args], env, stdin="")
            self.assertEqual(r.returncode, 2, (args, r.stderr))
        self.assertEqual(self.hits(), "")

    def test_ui_login_then_new_lookup(self):
        self.keyring = harness.Keyring(self.home)
        env = self.env(self.keyring.env, password=PASSWORD, customer_key=DOC_KEY)
        # Preloaded into boxlogin alone: tmux, which sees every key typed, is not under test.
        preload = [f"{k}={env.pop(k)}" for k in ("LD_PRELOAD", "BOXLOGIN_SECRET_CHECK")]
        pane = Pane([*preload, harness.BIN, "--base-url", self.api.base_url, "--cacert", self.pki["ca"]],
                    env, binary="env")
        try:
            pane.wait_for("Customer login")
            pane.type("johndoe@email.com")
            pane.keys("Tab")
            pane.type(PASSWORD)
            pane.keys("Enter")
            pane.wait_for("Key saved to keyring")
            pane.keys("k")
            pane.wait_for(DOC_KEY)
            pane.keys("n")
            pane.wait_for("Customer login")
            pane.keys("F10")
            self.assertEqual(pane.exit_status()[0], 0, pane.screen() + self.hits())
        finally:
            pane.close()
        self.assertEqual(self.hits(), "")

    def test_ui_new_password_is_freed_wiped(self):
        # A new password typed twice on the UI's Change form: kept in wiped memory, sent,
        # used for the verification login, and wiped when the screen closes.
        new_password = "n3w-Secret-pass-88"
        # A stand-in of its own: another test of the class changes this account's password.
        api = harness.StandIn(tempfile.mkdtemp(dir=self.home), cert=self.pki["server"])
        self.addCleanup(api.stop)
        env = self.env(harness.clean_env(self.home), new_password=new_password,
                       customer_key="key-811320-change")
        preload = [f"{k}={env.pop(k)}" for k in ("LD_PRELOAD", "BOXLOGIN_SECRET_CHECK")]
        log = os.path.join(self.home, "log")
        pane = Pane([*preload, harness.BIN, "--base-url", api.base_url, "--cacert", self.pki["ca"],
                     "--no-keyring", "--log", log], env, binary="env")
        try:
            pane.wait_for("Customer login")
            pane.type("change@example.com")
            pane.keys("Tab")
            pane.type(PASSWORD)
            pane.keys("Enter")
            pane.wait_for("Box ID")
            pane.keys("e")
            pane.wait_for("Address and phones")
            pane.keys("Enter")
            pane.wait_for("g: generate one")
            pane.keys("Enter")
            pane.wait_for("Again")
            for _ in range(2):
                pane.type(new_password)
                pane.keys("Enter")
            pane.wait_for("password: (new)")
            pane.keys("y")
            pane.wait_for("Applied")
            pane.keys("Escape")
            pane.wait_for("Box ID")
            pane.keys("F10")
            self.assertEqual(pane.exit_status()[0], 0, pane.screen() + self.hits())
        finally:
            pane.close()
        self.assertEqual(self.hits(), "")
        self.assertNotIn(new_password, open(log).read())


if __name__ == "__main__":
    unittest.main()
