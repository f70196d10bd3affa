"""Customer keys and app keys in a real gnome-keyring on a private D-Bus session."""
import json
import os
import signal
import stat
import subprocess
import tempfile
import time
import unittest

import harness
from harness import PASSWORD, DOC_KEY

def files_containing(roots, needle, since):
    """Files under roots and TMPDIR, modified since `since`, whose bytes contain needle. The
    folders the test fixtures make (bl-*, and tests/run.py's blc-*) are left out below the
    roots: those of other test runs on the machine, at the same time, hold the same key
    (the stand-in's request logs among them). Pass the test's own folders as roots."""
    hits = []
    for root in dict.fromkeys([*roots, tempfile.gettempdir()]):
        for dirpath, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(("bl-", "blc-"))]
            for n in names:
                p = os.path.join(dirpath, n)
                try:
                    if os.lstat(p).st_mtime < since or not os.path.isfile(p) or os.path.islink(p):
                        continue
                    with open(p, "rb") as f:
                        if needle.encode() in f.read():
                            hits.append(p)
                except OSError:
                    pass
    return hits


class KeyringBase(harness.ApiTestCase):
    secrets = True

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        self.keyring = harness.Keyring(self.home, secrets=self.secrets)
        self.env = self.keyring.env
        self.api.clear()

    def tearDown(self):
        self.keyring.stop()

    def login(self, email="johndoe@email.com", extra=(), env=None):
        r = harness.boxlogin(["login", "--email", email, "--password-stdin", "--json", "--base-url",
                              self.api.base_url, "--cacert", self.pki["ca"], *extra], env or self.env,
                             stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return json.loads(r.stdout), r.stderr

    def items(self, *attrs):
        """secret-tool search --all, as a list of dicts (label, secret, attributes)."""
        r = self.keyring.secret_tool("search", "--all", *attrs)
        found, cur = [], None
        for line in (r.stdout + r.stderr).splitlines():
            if line.startswith("["):
                cur = {}
                found.append(cur)
            elif cur is not None and " = " in line:
                k, v = line.split(" = ", 1)
                cur[k.replace("attribute.", "")] = v
        return found


class CustomerKeys(KeyringBase):
    def test_login_stores_the_key_under_the_documented_schema(self):
        out, err = self.login("JohnDoe@Email.com")
        self.assertTrue(out["key_stored"])
        self.assertNotIn("warning", err)
        r = self.keyring.secret_tool("lookup", "email", "johndoe@email.com", "environment", "test")
        self.assertEqual(r.stdout, DOC_KEY)
        [item] = self.items("email", "johndoe@email.com")
        self.assertEqual(item["label"], "SkyPostal customer key for johndoe@email.com (box 811111, TEST)")
        self.assertEqual(item["schema"], "org.boxlogin.CustomerKey")
        self.assertEqual((item["box_id"], item["user_code"], item["environment"]), ("811111", "396", "test"))

    def test_a_new_login_replaces_the_item_never_duplicates(self):
        # An older item for the same email and environment, with another box ID.
        self.keyring.secret_tool("store", "--label", "old", "xdg:schema", "org.boxlogin.CustomerKey",
                                 "email", "johndoe@email.com", "environment", "test", "box_id", "1",
                                 "user_code", "396", input="oldkey")
        self.login()
        self.login()
        [item] = self.items("email", "johndoe@email.com")
        self.assertEqual((item["box_id"], item["secret"]), ("811111", DOC_KEY))

    def test_keys_lists_without_secrets(self):
        self.login()
        self.login("utf8@example.com")
        r = harness.boxlogin(["keys", "--json"], self.env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn(DOC_KEY, r.stdout)
        keys = sorted(json.loads(r.stdout)["keys"], key=lambda k: k["email"])
        self.assertEqual([(k["email"], k["environment"], k["box_id"], k["user_code"]) for k in keys],
                         [("johndoe@email.com", "test", 811111, 396), ("utf8@example.com", "test", 811204, 396)])
        r = harness.boxlogin(["keys"], self.env)
        self.assertIn("johndoe@email.com", r.stdout)
        self.assertIn("811204", r.stdout)
        self.assertNotIn(DOC_KEY, r.stdout)

    def test_keys_prints_the_largest_box_id_exactly_and_odd_attributes_as_null(self):
        self.login("bigid@example.com")
        # An item of our schema written by something else, with attributes that are no numbers.
        self.keyring.secret_tool("store", "--label", "odd", "xdg:schema", "org.boxlogin.CustomerKey",
                                 "email", "odd\x1b[2J@example.com", "environment", "test", "box_id", "1e5",
                                 "user_code", "99999999999999999999", input="oddkey")
        r = harness.boxlogin(["keys", "--json"], self.env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('"box_id":9007199254740991,"user_code":396,', r.stdout)
        keys = {k["email"]: k for k in json.loads(r.stdout)["keys"]}
        self.assertEqual(keys["bigid@example.com"]["box_id"], 2 ** 53 - 1)
        odd = next(v for k, v in keys.items() if k.startswith("odd"))
        self.assertEqual((odd["box_id"], odd["user_code"]), (None, None))
        r = harness.boxlogin(["keys"], self.env)
        self.assertIn("9007199254740991", r.stdout)
        self.assertNotIn("\x1b", r.stdout)

    def test_forget_removes_exactly_the_one_item(self):
        self.login()
        self.login("utf8@example.com")
        r = harness.boxlogin(["forget", "JohnDoe@email.com"], self.env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Forgot 1", r.stdout)
        self.assertEqual(self.items("email", "johndoe@email.com"), [])
        self.assertEqual(len(self.items("email", "utf8@example.com")), 1)
        r = harness.boxlogin(["forget", "johndoe@email.com"], self.env)
        self.assertEqual(r.returncode, 0)
        self.assertIn("no stored customer key for johndoe@email.com", r.stderr)

    def test_forget_all_removes_only_ours(self):
        self.keyring.secret_tool("store", "--label", "unrelated", "service", "mail", "email",
                                 "johndoe@email.com", "environment", "test", input="keepme")
        self.login()
        self.login("utf8@example.com")
        r = harness.boxlogin(["forget", "--all"], self.env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Forgot 2", r.stdout)
        self.assertEqual(self.items("xdg:schema", "org.boxlogin.CustomerKey"), [])
        r = self.keyring.secret_tool("lookup", "service", "mail")
        self.assertEqual(r.stdout, "keepme")

    def test_forget_all_of_one_environment(self):
        self.login()
        env = dict(self.env, BOXLOGIN_USER_CODE="777", BOXLOGIN_APP_KEY="prodkey")
        self.login(extra=["--env", "prod"], env=env)
        r = harness.boxlogin(["forget", "--all", "--env", "prod"], self.env)
        self.assertEqual(r.returncode, 0, r.stderr)
        [item] = self.items("xdg:schema", "org.boxlogin.CustomerKey")
        self.assertEqual(item["environment"], "test")

    def login_both_environments(self):
        self.login()
        env = dict(self.env, BOXLOGIN_USER_CODE="777", BOXLOGIN_APP_KEY="prodkey")
        self.login("utf8@example.com", extra=["--env", "prod"], env=env)

    def test_keys_takes_the_environment_in_any_case_and_from_boxlogin_env(self):
        self.login_both_environments()
        for args, env in ((["keys", "--json", "--env", "PROD"], self.env),
                          (["keys", "--json"], dict(self.env, BOXLOGIN_ENV="prod")),
                          (["keys", "--json"], dict(self.env, BOXLOGIN_ENV="Prod"))):
            r = harness.boxlogin(args, env)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual([(k["email"], k["environment"]) for k in json.loads(r.stdout)["keys"]],
                             [("utf8@example.com", "prod")], args)
        r = harness.boxlogin(["keys", "--json"], dict(self.env, BOXLOGIN_ENV="staging"))
        self.assertEqual(r.returncode, 2)
        # With --json every failure is the one error object on stdout.
        self.assertIn("BOXLOGIN_ENV", json.loads(r.stdout)["error"]["message"])
        r = harness.boxlogin(["keys"], dict(self.env, BOXLOGIN_ENV="staging"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("BOXLOGIN_ENV", r.stderr)

    def test_forget_honours_boxlogin_env(self):
        self.login_both_environments()
        r = harness.boxlogin(["forget", "--all"], dict(self.env, BOXLOGIN_ENV="PROD"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Forgot 1", r.stdout)
        [item] = self.items("xdg:schema", "org.boxlogin.CustomerKey")
        self.assertEqual(item["environment"], "test")
        r = harness.boxlogin(["forget", "johndoe@email.com"], dict(self.env, BOXLOGIN_ENV="prod"))
        self.assertIn("no stored customer key for johndoe@email.com", r.stderr)
        self.assertEqual(len(self.items("xdg:schema", "org.boxlogin.CustomerKey")), 1)

    def test_no_keyring_touches_nothing(self):
        out, err = self.login(extra=["--no-keyring"])
        self.assertFalse(out["key_stored"])
        self.assertIn("--no-keyring", err)
        self.assertEqual(self.items("xdg:schema", "org.boxlogin.CustomerKey"), [])

    def test_setup_stores_the_app_key_used_for_prod(self):
        r = harness.boxlogin(["setup", "--env", "prod"], self.env, stdin="777\nringkey99\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("ringkey99", r.stdout + r.stderr)
        self.assertEqual(self.keyring.secret_tool("lookup", "xdg:schema", "org.boxlogin.AppKey",
                                                  "environment", "prod").stdout, "ringkey99")
        cfg = os.path.join(self.home, ".config", "boxlogin", "config")
        with open(cfg) as f:
            text = f.read()
        self.assertEqual(text, "[prod]\nuser_code = 777\n")
        self.assertNotIn("ringkey99", text)
        out, _ = self.login(extra=["--env", "prod"])
        self.assertEqual(out["environment"], "prod")
        body = self.api.requests()[-1]["body"]
        self.assertEqual((body["user_code"], body["app_key"]), (777, "app_key:ring"))
        # The environment variable comes before the keyring.
        self.login(extra=["--env", "prod"], env=dict(self.env, BOXLOGIN_APP_KEY="envkey"))
        self.assertEqual(self.api.requests()[-1]["body"]["app_key"], "app_key:envk")

    def test_setup_refuses_bad_input(self):
        for stdin in ("abc\nkey\n", "5\n\n", "5\nhas space\n"):
            r = harness.boxlogin(["setup"], self.env, stdin=stdin)
            self.assertEqual(r.returncode, 2, stdin)
        self.assertEqual(self.items("xdg:schema", "org.boxlogin.AppKey"), [])


class Setup(KeyringBase):
    def config(self, text=None, mode=0o600):
        d = os.path.join(self.home, ".config", "boxlogin")
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, "config")
        if text is not None:
            with open(path, "w") as f:
                f.write(text)
            os.chmod(path, mode)
        return path

    def test_prompts_name_what_they_ask_for(self):
        for stdin, want in (("\n", "empty user_code"), ("5\n\n", "empty app_key"),
                            ("5\n" + "k" * 2000 + "\n", "app_key longer than")):
            r = harness.boxlogin(["setup"], self.env, stdin=stdin)
            self.assertEqual(r.returncode, 2, stdin)
            self.assertIn(want, r.stderr)
            self.assertNotIn("password", r.stderr)
        self.assertEqual(self.items("xdg:schema", "org.boxlogin.AppKey"), [])

    def test_user_code_and_env_are_read_as_everywhere_else(self):
        r = harness.boxlogin(["setup", "--env", "PROD"], self.env, stdin="777\nringkey99\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(self.config()) as f:
            self.assertEqual(f.read(), "[prod]\nuser_code = 777\n")
        for stdin in ("+5\nkey\n", " 5\nkey\n", "0x10\nkey\n"):
            r = harness.boxlogin(["setup"], self.env, stdin=stdin)
            self.assertEqual(r.returncode, 2, stdin)
            self.assertIn("user_code: expected a positive whole number", r.stderr)

    def test_keeps_comments_and_other_sections(self):
        path = self.config("# mine\ntimeout = 5\n\n[prod]  # the real one\nuser_code=9  # old\n"
                           "base_url = https://x.example\n[test]\nuser_code = 1\n")
        r = harness.boxlogin(["setup", "--env", "prod"], self.env, stdin="777\nringkey99\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(path) as f:
            self.assertEqual(f.read(), "# mine\ntimeout = 5\n\n[prod]  # the real one\nuser_code = 777\n"
                                       "base_url = https://x.example\n[test]\nuser_code = 1\n")

    def test_a_fifo_is_refused_at_once_and_never_replaced(self):
        fifo = os.path.join(self.home, "fifo")
        os.mkfifo(fifo)
        start = time.time()
        r = harness.boxlogin(["setup", "--config", fifo], self.env, stdin="777\nringkey99\n", timeout=10)
        self.assertLess(time.time() - start, 5)
        self.assertEqual(r.returncode, 2)
        self.assertIn("not a regular file", r.stderr)
        self.assertTrue(stat.S_ISFIFO(os.lstat(fifo).st_mode))
        self.assertEqual(self.items("xdg:schema", "org.boxlogin.AppKey"), [])

    def test_a_signal_while_setup_waits_leaves_the_file_alone(self):
        path = self.config("timeout = 5\n")
        proc = subprocess.Popen([harness.BIN, "setup"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=self.env, text=True)
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=10)
        self.assertEqual(proc.returncode, 130)
        with open(path) as f:
            self.assertEqual(f.read(), "timeout = 5\n")

    def test_a_symlinked_config_is_written_through(self):
        real = os.path.join(self.home, "dotfiles", "boxlogin.conf")
        os.makedirs(os.path.dirname(real))
        with open(real, "w") as f:
            f.write("timeout = 5\n")
        os.chmod(real, 0o600)
        link = self.config()
        os.symlink(real, link)
        r = harness.boxlogin(["setup"], self.env, stdin="777\nringkey99\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.islink(link))
        with open(real) as f:
            self.assertEqual(f.read(), "timeout = 5\n\n[test]\nuser_code = 777\n")
        self.assertEqual(stat.S_IMODE(os.stat(real).st_mode), 0o600)

    def test_a_writable_or_broken_config_is_refused_before_asking(self):
        for text, mode, want in (("timeout = 5\n", 0o622, "writable"),
                                 ("app_key: s3cr3tappkey\n", 0o600, "config:1:")):
            path = self.config(text, mode)
            r = harness.boxlogin(["setup"], self.env, stdin="777\nringkey99\n")
            self.assertEqual(r.returncode, 2)
            self.assertIn(want, r.stderr)
            self.assertNotIn("s3cr3tappkey", r.stderr)
            with open(path) as f:
                self.assertEqual(f.read(), text)
        self.assertEqual(self.items("xdg:schema", "org.boxlogin.AppKey"), [])


class BusWithoutSecretService(KeyringBase):
    secrets = False

    def test_login_works_and_says_why_the_key_was_not_saved(self):
        start = time.time()
        out, err = self.login()
        self.assertLess(time.time() - start, 5)
        self.assertFalse(out["key_stored"])
        self.assertIn("no Secret Service is running", err)
        self.assertEqual(len(err.strip().splitlines()), 2, err)  # the generic-credentials note and this

    def test_keys_says_why(self):
        r = harness.boxlogin(["keys"], self.env)
        self.assertEqual(r.returncode, 2)
        self.assertIn("no Secret Service", r.stderr)


class NoBus(harness.ApiTestCase):
    def test_login_works_and_the_key_is_written_nowhere(self):
        start = time.time()
        home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        env = harness.clean_env(home)
        r = harness.boxlogin(["login", "--email", "johndoe@email.com", "--password-stdin", "--json",
                              "--base-url", self.api.base_url, "--cacert", self.pki["ca"], "--log",
                              os.path.join(home, "log")], env, stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(json.loads(r.stdout)["key_stored"])
        self.assertIn("DBUS_SESSION_BUS_ADDRESS is not set", r.stderr)
        self.assertEqual(files_containing([home, "/tmp", "/var/tmp"], DOC_KEY, start - 1), [])


class LockedCollection(KeyringBase):
    def test_login_works_and_says_the_keyring_is_locked(self):
        self.keyring.lock()
        start = time.time()
        out, err = self.login()
        self.assertLess(time.time() - start, 5)
        self.assertFalse(out["key_stored"])
        self.assertIn("the keyring is locked and cannot be unlocked from here", err)

    def test_keys_and_forget_say_locked_not_empty(self):
        self.login()
        self.keyring.lock()
        r = harness.boxlogin(["keys"], self.env)
        self.assertEqual(r.returncode, 2)
        self.assertIn("the keyring is locked", r.stderr)
        self.assertNotIn("no customer keys are stored", r.stderr)
        r = harness.boxlogin(["forget", "johndoe@email.com"], self.env)
        self.assertEqual(r.returncode, 2)
        self.assertIn("the keyring is locked", r.stderr)

    def test_prod_with_the_app_key_locked_away_says_so(self):
        r = harness.boxlogin(["setup", "--env", "prod"], self.env, stdin="777\nringkey99\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.keyring.lock()
        r = harness.boxlogin(["login", "--env", "prod", "--email", "johndoe@email.com", "--password-stdin",
                              "--base-url", self.api.base_url, "--cacert", self.pki["ca"]], self.env,
                             stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 2)
        self.assertIn("PROD needs your own", r.stderr)
        self.assertIn("(the keyring is locked and cannot be unlocked from here)", r.stderr)


class ProviderThatDoesNotAnswer(KeyringBase):
    def test_store_gives_up_within_the_time_limit(self):
        os.kill(self.keyring.keyring.pid, signal.SIGSTOP)
        try:
            start = time.time()
            out, err = self.login()
            elapsed = time.time() - start
        finally:
            os.kill(self.keyring.keyring.pid, signal.SIGCONT)
        self.assertFalse(out["key_stored"])
        self.assertIn("did not answer within 5 s", err)
        # App-key lookup and store are each bounded by 5 s.
        self.assertLess(elapsed, 13)

    def test_ctrl_c_while_the_keyring_hangs_sends_nothing(self):
        os.kill(self.keyring.keyring.pid, signal.SIGSTOP)
        try:
            proc = subprocess.Popen([harness.BIN, "login", "--email", "johndoe@email.com", "--password-stdin",
                                     "--json", "--base-url", self.api.base_url, "--cacert", self.pki["ca"]],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    env=self.env, text=True)
            time.sleep(0.5)  # in the app-key lookup, which waits for the keyring
            proc.send_signal(signal.SIGINT)
            out, _ = proc.communicate(PASSWORD + "\n", timeout=15)
        finally:
            os.kill(self.keyring.keyring.pid, signal.SIGCONT)
        self.assertEqual(proc.returncode, 130)
        self.assertEqual(json.loads(out)["error"]["kind"], "cancelled")
        self.assertEqual(self.api.requests(), [])


if __name__ == "__main__":
    unittest.main()
