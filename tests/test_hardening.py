"""What a security review of 0.1.0 found, end to end: proxies, exact IDs, output failures,
the log, the command line, and text from outside (certificates, keys, names)."""
import json
import os
import re
import stat
import subprocess
import tempfile
import unittest

import harness
from harness import PASSWORD, DOC_KEY
from connect_proxy import ConnectProxy
from stand_in_api import LOG_SECRETS, MAX_BOX_ID

# C0 (but the line feed), DEL, C1, and the bidi controls.
CONTROL = ([chr(c) for c in range(0x20) if c != 0x0a] + ["\x7f"] + [chr(c) for c in range(0x80, 0xa0)] +
           ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"])
ESCAPED_CN = "evil\x1b]0;pwned\x07\x1b[2J\u009bX"


def control_in(text):
    return [c for c in CONTROL if c in text]


class Hardening(harness.ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plain = harness.StandIn(cls.dir, plain=True, name="plain")
        cls.proxy = ConnectProxy()
        d = cls.dir
        # A certificate from the trusted CA whose only name carries escape sequences.
        harness.run(["openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                     "-keyout", f"{d}/evil.key", "-out", f"{d}/evil.csr", "-utf8", "-subj", f"/CN={ESCAPED_CN}"])
        with open(f"{d}/evil.ext", "w") as f:
            f.write("basicConstraints=CA:FALSE\n")
        harness.run(["openssl", "x509", "-req", "-in", f"{d}/evil.csr", "-CA", cls.pki["ca"], "-CAkey",
                     f"{d}/ca.key", "-CAcreateserial", "-out", f"{d}/evil.pem", "-days", "2",
                     "-extfile", f"{d}/evil.ext"])
        cls.evil = harness.StandIn(d, cert=(f"{d}/evil.pem", f"{d}/evil.key"), name="evil")

    @classmethod
    def tearDownClass(cls):
        for s in (cls.plain, cls.evil):
            s.stop()
        cls.proxy.stop()
        super().tearDownClass()

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        self.env = harness.clean_env(self.home)
        for k in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "SSLKEYLOGFILE"):
            self.env.pop(k, None)
            self.env.pop(k.upper(), None)
        self.api.clear()
        self.plain.clear()
        self.proxy.clear()

    def args(self, email, base=None, extra=(), json_out=True):
        return ["login", "--email", email, "--password-stdin", "--base-url", base or self.api.base_url,
                "--cacert", self.pki["ca"], "--timeout", "5", "--no-keyring", *extra] + \
            (["--json"] if json_out else [])

    def login(self, email, password=PASSWORD, env=None, **kw):
        return harness.boxlogin(self.args(email, **kw), env or self.env, stdin=password + "\n")

    def shell(self, redirect, email="johndoe@email.com", extra=(), env=None):
        """Runs a JSON login through sh with redirect appended; returns (status, stderr)."""
        cmd = " ".join(f"'{a}'" for a in [harness.BIN, *self.args(email, extra=extra)])
        r = subprocess.run(["bash", "-c", f"{cmd} {redirect}; echo \"status=${{PIPESTATUS[0]}}\" >&2"],
                           input=PASSWORD + "\n", env=env or self.env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=30)
        status = int(re.search(r"status=(\d+)", r.stderr).group(1))
        return status, r.stderr.replace(f"status={status}\n", "")

    def assert_json_error(self, r, kind, status):
        self.assertEqual(r.returncode, status, r.stdout + r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), 1, r.stdout + r.stderr)
        err = json.loads(lines[0])["error"]
        self.assertEqual(err["kind"], kind)
        self.assertEqual(set(err), {"kind", "message", "http_status", "server_description", "server_location"})
        return err

    # 1. Proxies.
    def test_plain_http_never_goes_through_a_proxy(self):
        env = dict(self.env, http_proxy=self.proxy.url, ALL_PROXY=self.proxy.url, all_proxy=self.proxy.url)
        r = self.login("johndoe@email.com", base=self.plain.base_url, env=env)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(json.loads(r.stdout)["customer"]["box_id"], 811111)
        self.assertEqual(self.proxy.request_lines, [])
        self.assertEqual(bytes(self.proxy.seen), b"")
        self.assertEqual(len(self.plain.posts()), 1)

    def test_https_goes_through_the_proxy_tunnel_and_the_log_names_it(self):
        log = os.path.join(self.home, "debug.log")
        url = self.proxy.url.replace("http://", "http://agent:proxysecret@")
        r = self.login("johndoe@email.com", env=dict(self.env, HTTPS_PROXY=url), extra=["--log", log])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(self.proxy.request_lines, [f"CONNECT 127.0.0.1:{self.api.port} HTTP/1.1"])
        self.assertEqual(len(self.api.posts()), 1)
        for secret in (PASSWORD, DOC_KEY, "1656d700707ad9a77f737e5df3db088a", "customer_password"):
            self.assertNotIn(secret.encode(), bytes(self.proxy.seen))
        with open(log) as f:
            text = f.read()
        self.assertIn(f"proxy 127.0.0.1:{self.proxy.port}", text)
        # The proxy's own credentials stay out of the log, in clear or in base64.
        self.assertNotIn("proxysecret", text)
        self.assertNotIn("YWdlbnQ6cHJveHlzZWNyZXQ", text)

    def test_no_proxy_is_honoured_for_https(self):
        env = dict(self.env, HTTPS_PROXY=self.proxy.url, NO_PROXY="127.0.0.1")
        self.assertEqual(self.login("johndoe@email.com", env=env).returncode, 0)
        self.assertEqual(self.proxy.request_lines, [])

    def test_sslkeylogfile_is_ignored(self):
        keylog = os.path.join(self.home, "keys.log")
        r = self.login("johndoe@email.com", env=dict(self.env, SSLKEYLOGFILE=keylog))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(os.path.exists(keylog))

    # 2. Integers are printed as integers.
    def test_largest_box_id_is_printed_exactly(self):
        for email in ("bigid@example.com", "bigidstr@example.com"):
            r = self.login(email)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn(f'"box_id":{MAX_BOX_ID},', r.stdout)
            self.assertEqual(json.loads(r.stdout)["customer"]["box_id"], MAX_BOX_ID)
            self.assertIn(f"Box ID       {MAX_BOX_ID}\n", self.login(email, json_out=False).stdout)

    def test_http_status_is_an_integer(self):
        r = self.login("http500@example.com")
        self.assertIn('"http_status":500,', r.stdout)

    # 3. Output failures.
    def test_a_full_disk_is_exit_74(self):
        for redirect in (">/dev/full", ">&-", "| true"):
            status, err = self.shell(redirect)
            self.assertEqual(status, 74, redirect + ": " + err)
            self.assertRegex(err, r"(^|\n)boxlogin: cannot write the output: .+\n$", redirect)
            self.assertEqual(len(self.api.posts()), 1, redirect)
            self.api.clear()

    def test_help_to_a_full_disk_is_exit_74(self):
        r = subprocess.run(["bash", "-c", f"'{harness.BIN}' --help >/dev/full"], env=self.env,
                           stderr=subprocess.PIPE, text=True)
        self.assertEqual(r.returncode, 74, r.stderr)
        self.assertIn("cannot write the output", r.stderr)

    def test_the_log_never_takes_the_place_of_closed_stdout(self):
        log = os.path.join(self.home, "debug.log")
        status, err = self.shell(">&-", extra=["--log", log])
        self.assertEqual(status, 74, err)
        with open(log) as f:
            text = f.read()
        self.assertNotIn('"environment"', text)
        self.assertNotIn("John", text.split("reply:")[0])

    def test_the_log_never_takes_the_place_of_closed_stderr(self):
        log = os.path.join(self.home, "debug.log")
        cmd = " ".join(f"'{a}'" for a in [harness.BIN, *self.args("johndoe@email.com", extra=["--log", log],
                                                                   json_out=False)])
        r = subprocess.run(["bash", "-c", f"{cmd} 2>&-"], input="wrong\n", env=self.env, stdout=subprocess.PIPE,
                           text=True, timeout=30)
        self.assertEqual(r.returncode, 1)
        with open(log) as f:
            self.assertNotIn("boxlogin: Login rejected", f.read())

    def test_closed_stdin_is_no_password(self):
        status, err = self.shell("<&- >/dev/null")
        self.assertEqual(status, 2, err)
        self.assertEqual(self.api.posts(), [])

    # 4. The log withholds every secret member, at every depth.
    def test_log_withholds_every_customer_key_app_key_and_password(self):
        log = os.path.join(self.home, "debug.log")
        for email in ("dupkey@example.com", "nestedkey@example.com", "arraykey@example.com"):
            r = self.login(email, extra=["--log", log])
            self.assertEqual(r.returncode, 0, email + r.stdout + r.stderr)
        with open(log) as f:
            text = f.read()
        self.assertEqual(text.count("reply: HTTP 200"), 3, text)
        for secret in LOG_SECRETS + [DOC_KEY, PASSWORD]:
            self.assertNotIn(secret, text)
        self.assertGreaterEqual(text.count("[withheld]"), 8)

    def test_log_never_shows_the_credentials_of_a_base_url(self):
        log = os.path.join(self.home, "debug.log")
        base = self.api.base_url.replace("https://", "https://agent:urlsecret@")
        r = self.login("johndoe@email.com", base=base, extra=["--log", log])
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(log) as f:
            text = f.read()
        self.assertIn("POST https://127.0.0.1:", text)
        self.assertNotIn("urlsecret", text)
        self.assertNotIn("YWdlbnQ6dXJsc2VjcmV0", text)  # base64 of agent:urlsecret

    # 5. The log file must be private.
    def test_log_file_open_to_others_or_not_a_regular_file_is_refused(self):
        shared = os.path.join(self.home, "shared.log")
        with open(shared, "w") as f:
            f.write("before\n")
        os.chmod(shared, 0o666)
        fifo = os.path.join(self.home, "fifo")
        os.mkfifo(fifo, 0o600)
        foreign = os.path.join(self.home, "foreign.log")
        open(foreign, "w").close()
        os.chmod(foreign, 0o600)
        cases = [(shared, "group or others"), (fifo, "not a regular file")]
        if os.geteuid() == 0:
            os.chown(foreign, 65534, 65534)
            cases.append((foreign, "not owned by"))
        for path, why in cases:
            for json_out in (False, True):
                r = harness.boxlogin(self.args("johndoe@email.com", extra=["--log", path], json_out=json_out),
                                     self.env, stdin=PASSWORD + "\n", timeout=10)
                if json_out:
                    self.assertIn(why, self.assert_json_error(r, "usage", 2)["message"])
                else:
                    self.assertEqual(r.returncode, 2, r.stderr)
                    self.assertIn(why, r.stderr)
                    self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
        self.assertEqual(stat.S_IMODE(os.stat(shared).st_mode), 0o666)
        with open(shared) as f:
            self.assertEqual(f.read(), "before\n")
        self.assertEqual(self.api.requests(), [])

    # 6. A NUL byte in the password.
    def test_nul_in_the_password_is_refused_before_sending(self):
        for password in ("ab\0cd", "\0", "pass12345\0"):
            r = self.login("johndoe@email.com", password=password)
            self.assertIn("NUL", self.assert_json_error(r, "usage", 2)["message"])
        self.assertEqual(self.api.requests(), [])

    # 7. Secrets on the command line are never echoed.
    def test_secret_looking_arguments_are_never_echoed(self):
        for args in (["--passw=hunter2"], ["--pa=hunter2"], ["--password-stdin=hunter2"], ["-phunter2"],
                     ["-Vxhunter2"], ["--app-k=hunter2"], ["--password", "hunter2"], ["--bogus=hunter2"],
                     ["--json=hunter2"], ["hunter2"], ["forget", "a@b.c", "hunter2"]):
            for json_out in ([], ["--json"]):
                r = harness.boxlogin(["login", "--email", "a@b.c", *json_out, *args], self.env, stdin="")
                self.assertEqual(r.returncode, 2, args)
                self.assertNotIn("hunter2", r.stdout + r.stderr, args)
        r = harness.boxlogin(["login", "--email", "a@b.c", "-phunter2"], self.env, stdin="")
        self.assertIn("-p", r.stderr)

    def test_an_option_value_that_starts_with_a_dash_is_left_alone(self):
        r = self.login("-xy@example.com")
        self.assertEqual(self.assert_json_error(r, "rejected", 1)["message"], "The email is not registered")
        self.assertEqual(self.api.posts()[0]["body"]["customer_email"], "-xy@example.com")

    # 8. libcurl's text goes through the sanitiser.
    def test_certificate_name_with_escape_sequences(self):
        r = self.login("johndoe@email.com", base=self.evil.base_url)
        err = self.assert_json_error(r, "network", 3)
        self.assertIn("not trusted", err["message"])
        self.assertEqual(control_in(err["message"]), [])
        self.assertEqual(control_in(r.stdout + r.stderr), [])
        r = self.login("johndoe@email.com", base=self.evil.base_url, json_out=False)
        self.assertEqual(r.returncode, 3)
        self.assertIn("not trusted", r.stderr)
        self.assertEqual(control_in(r.stdout + r.stderr), [])
        self.assertEqual(self.evil.requests(), [])

    # 9. The customer key's form.
    def test_malformed_customer_key_is_a_server_error(self):
        for email in ("c1key@example.com", "bidikey@example.com", "spacekey@example.com", "longkey@example.com"):
            err = self.assert_json_error(self.login(email, extra=["--show-key"]), "server", 4)
            self.assertIn("malformed customer key", err["message"], email)

    # 10. A name cannot fake a line of the summary.
    def test_a_padded_name_cannot_fake_a_status_line(self):
        r = self.login("fakestatus@example.com", json_out=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(len([l for l in lines if l.lstrip().startswith("Status")]), 1, r.stdout)
        self.assertNotIn("  ", lines[0])
        self.assertLessEqual(len(lines[0]), 80)
        self.assertTrue(lines[0].startswith("John Status ACTIVE VIP"), lines[0])
        self.assertTrue(lines[0].endswith("…"), lines[0])
        # --json keeps the name as the server sent it (sanitised only).
        self.assertIn(" " * 300, json.loads(self.login("fakestatus@example.com").stdout)["customer"]["name"])

    # 11. --json: every failure is one error object.
    def test_every_failure_under_json_is_one_error_object(self):
        for args in (["login", "--json", "--bogus"], ["--json", "login"], ["login", "--email", "a@b.c", "--json",
                     "--timeout"], ["keys", "--json", "--show-key"], ["forget", "--json"], ["--json", "frobnicate"],
                     ["login", "--email", "x", "--json"], ["--js", "login", "--email"]):
            self.assert_json_error(harness.boxlogin(args, self.env, stdin=""), "usage", 2)
        err = self.assert_json_error(self.login("johndoe@email.com", extra=["--log", "/nonexistent/dir/log"]),
                                     "usage", 2)
        self.assertIn("/nonexistent/dir/log", err["message"])
        self.assert_json_error(harness.boxlogin(["keys", "--json", "--env", "staging"], self.env), "usage", 2)
        self.assertEqual(self.api.requests(), [])


if __name__ == "__main__":
    unittest.main()
