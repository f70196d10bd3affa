"""`boxlogin login` end to end against the stand-in API over real TLS on loopback."""
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

DOC_JSON = {
    "environment": "test", "email": "johndoe@email.com",
    "customer": {"first_name": "John", "last_name": "Doe", "name": "John Doe", "box_id": 811111,
                 "active": True, "vip": False, "business": False, "enabled": True, "verified": True,
                 "enrolment_date": "2019-02-21T09:56:48-05:00",
                 "activation_date": "2019-02-21T09:56:50-05:00"},
    "key_stored": False,
    "source": "login",
}
CONTROL = [chr(c) for c in range(0x20) if c not in (0x0a,)] + ["\x7f"] + [chr(c) for c in range(0x80, 0xa0)]


class Login(harness.ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wronghost = harness.StandIn(cls.dir, cert=cls.pki["wronghost"], name="wronghost")
        cls.stranger = harness.StandIn(cls.dir, cert=cls.pki["stranger"], name="stranger")
        cls.plain = harness.StandIn(cls.dir, plain=True, name="plain")

    @classmethod
    def tearDownClass(cls):
        for s in (cls.wronghost, cls.stranger, cls.plain):
            s.stop()
        super().tearDownClass()

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        self.env = harness.clean_env(self.home)
        self.api.clear()

    def login(self, email, password=PASSWORD, extra=(), base=None, json_out=True, env=None, timeout=30):
        args = ["login", "--email", email, "--password-stdin", "--base-url", base or self.api.base_url,
                "--cacert", self.pki["ca"], "--timeout", "3", "--no-keyring", *extra]
        if json_out:
            args.append("--json")
        return harness.boxlogin(args, env or self.env, stdin=password + "\n", timeout=timeout)

    def session(self, email, **kw):
        r = self.login(email, **kw)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return json.loads(r.stdout)

    def failure(self, email, status, kind, **kw):
        r = self.login(email, **kw)
        self.assertEqual(r.returncode, status, r.stdout + r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), 1, r.stdout)
        err = json.loads(lines[0])["error"]
        self.assertEqual(err["kind"], kind)
        self.assertEqual(set(err), {"kind", "message", "http_status", "server_description", "server_location"})
        self.assertTrue(err["message"])
        return err

    # The documented example, exactly.
    def test_documented_example_gives_exactly_the_documented_json(self):
        self.assertEqual(self.session("johndoe@email.com"), DOC_JSON)

    def test_request_carries_path_type_and_credentials_flat_and_nested(self):
        self.session("johndoe@email.com")
        [req] = self.api.requests()
        self.assertEqual(req["method"], "POST")
        self.assertEqual(req["path"], "/wcf-services/service-customer.svc/customer/customer-login")
        self.assertEqual(req["content_type"], "application/json")
        self.assertRegex(req["user_agent"], r"^boxlogin/\d+\.\d+\.\d+")
        self.assertEqual(req["body"], {"user_code": 396, "app_key": "app_key:1656",
                                       "customer_email": "johndoe@email.com", "customer_password": len(PASSWORD),
                                       "user_info": {"user_code": 396, "app_key": "app_key:1656"}})

    def test_email_is_sent_trimmed_as_typed_and_shown_lower_cased(self):
        out = self.session("  JohnDoe@Email.COM\t")
        self.assertEqual(out["email"], "johndoe@email.com")
        self.assertEqual(self.api.requests()[0]["body"]["customer_email"], "JohnDoe@Email.COM")

    def test_show_key_adds_the_customer_key(self):
        out = self.session("johndoe@email.com", extra=["--show-key"])
        self.assertEqual(out.pop("customer_key"), DOC_KEY)
        self.assertEqual(out, DOC_JSON)

    def test_human_summary(self):
        r = self.login("johndoe@email.com", json_out=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        for text in ("John Doe", "Box ID       811111", "ACTIVE  NOT VIP  PERSONAL  ENABLED  VERIFIED",
                     "2019-02-21T09:56:48-05:00", "2019-02-21T09:56:50-05:00", "johndoe@email.com"):
            self.assertIn(text, r.stdout)
        self.assertNotIn(DOC_KEY, r.stdout + r.stderr)
        self.assertIn("generic TEST credentials", r.stderr)

    # Rejections.
    def test_wrong_password_is_rejected_with_the_server_description(self):
        err = self.failure("johndoe@email.com", 1, "rejected", password="nope")
        self.assertEqual(err["message"], "The password is incorrect")
        self.assertEqual(err["server_description"], "The password is incorrect")
        self.assertEqual(err["http_status"], 200)

    def test_rejection_without_description_says_invalid_email_or_password(self):
        err = self.failure("rejected@example.com", 1, "rejected")
        self.assertEqual(err["message"], "Invalid email or password")
        self.assertIsNone(err["server_description"])

    def test_unknown_email_is_rejected(self):
        self.assertEqual(self.failure("nobody@example.com", 1, "rejected")["message"],
                         "The email is not registered")

    def test_human_rejection_is_one_line_on_stderr(self):
        r = self.login("johndoe@email.com", password="nope", json_out=False)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertIn("boxlogin: Login rejected: The password is incorrect\n", r.stderr)

    # Sessions of every shape.
    def test_disabled_inactive_account_is_shown_not_refused(self):
        c = self.session("disabled@example.com")["customer"]
        self.assertEqual((c["active"], c["enabled"], c["box_id"]), (False, False, 811200))
        r = self.login("disabled@example.com", json_out=False)
        self.assertIn("INACTIVE", r.stdout)
        self.assertIn("DISABLED", r.stdout)

    def test_flags_as_numbers(self):
        c = self.session("inactive@example.com")["customer"]
        self.assertEqual((c["active"], c["vip"], c["business"], c["enabled"]), (False, True, True, True))

    def test_missing_or_odd_flags_are_unknown_never_false(self):
        c = self.session("noflags@example.com")["customer"]
        self.assertEqual((c["active"], c["vip"], c["business"], c["enabled"]), (None, None, None, None))
        self.assertIsNone(c["activation_date"])
        self.assertIsNone(c["enrolment_date"])
        r = self.login("noflags@example.com", json_out=False)
        self.assertIn("ACTIVE?  VIP?  BUSINESS?  ENABLED?  VERIFIED", r.stdout)
        self.assertIn("Activated    —", r.stdout)

    def test_box_id_as_string(self):
        self.assertEqual(self.session("stringbox@example.com")["customer"]["box_id"], 811203)

    def test_top_level_object(self):
        self.assertEqual(self.session("object@example.com")["customer"]["box_id"], 811206)

    def test_utf8_name_is_kept(self):
        c = self.session("utf8@example.com")["customer"]
        self.assertEqual(c["name"], "José Ñúñez 山田")
        self.assertIn("José Ñúñez 山田", self.login("utf8@example.com", json_out=False).stdout)

    def test_escape_sequences_in_names_never_reach_the_output(self):
        c = self.session("escape@example.com")["customer"]
        self.assertEqual(c["first_name"], "Eve")
        self.assertEqual(c["last_name"], "Escape X")
        r = self.login("escape@example.com", json_out=False)
        self.assertEqual(r.returncode, 0)
        for ch in CONTROL:
            self.assertNotIn(ch, r.stdout, repr(ch))
        self.assertIn("Eve Escape X", r.stdout)
        self.assertNotIn("pwned", r.stdout)

    def test_hostile_name_invalid_utf8_nul_bidi_c1_and_10000_characters(self):
        c = self.session("hostile@example.com")["customer"]
        self.assertEqual(c["first_name"], "Mal\ufffd\ufffdoryRTL")  # cut at \u0000, bidi controls gone
        self.assertEqual(c["last_name"], "L" * 10000 + "end")  # the 8-bit CSI and OSC removed whole
        self.assertEqual(c["box_id"], 811207)
        r = self.login("hostile@example.com", json_out=False, extra=["--show-key"])
        self.assertEqual(r.returncode, 0, r.stderr)
        for ch in CONTROL + ["\u202e", "\u2066", "\u200f"]:
            self.assertNotIn(ch, r.stdout, repr(ch))
        self.assertIn("Customer key key\n", r.stdout)

    def test_dates_before_1970_and_without_offset(self):
        c = self.session("negdate@example.com")["customer"]
        self.assertEqual(c["enrolment_date"], "1969-12-30T23:59:59Z")
        self.assertEqual(c["activation_date"], "1970-01-01T05:30:00+05:30")

    # Server and protocol errors: exit 4.
    def test_system_error_shows_description_and_location(self):
        err = self.failure("syserror@example.com", 4, "server")
        self.assertEqual(err["server_description"], "Database timeout")
        self.assertEqual(err["server_location"], "CustomerLogin.Validate")
        self.assertIn("Database timeout", err["message"])
        self.assertIn("CustomerLogin.Validate", err["message"])

    def test_session_without_customer_key(self):
        self.assertIn("no customer key", self.failure("nokey@example.com", 4, "server")["message"])

    def test_box_id_not_a_positive_integer(self):
        self.assertIn("box ID", self.failure("badbox@example.com", 4, "server")["message"])

    def test_box_id_beyond_2_53(self):
        self.assertIn("box ID", self.failure("bignum@example.com", 4, "server")["message"])

    def test_http_500_with_html(self):
        err = self.failure("http500@example.com", 4, "server")
        self.assertEqual(err["http_status"], 500)
        self.assertIn("HTTP 500", err["message"])

    def test_body_not_json(self):
        err = self.failure("notjson@example.com", 4, "server")
        self.assertIn("not JSON", err["message"])
        self.assertEqual(err["http_status"], 200)

    def test_empty_array(self):
        self.assertIn("empty list", self.failure("empty@example.com", 4, "server")["message"])

    def test_array_of_not_an_object(self):
        self.assertIn("not a login record", self.failure("notobject@example.com", 4, "server")["message"])

    def test_deep_nesting(self):
        self.assertIn("not JSON", self.failure("deep@example.com", 4, "server")["message"])

    def login_rusage(self, email):
        """Runs a JSON login; returns (exit status, parsed output, peak RSS in KiB)."""
        proc = subprocess.Popen([harness.BIN, "login", "--email", email, "--password-stdin", "--json",
                                 "--base-url", self.api.base_url, "--cacert", self.pki["ca"], "--no-keyring"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                env=self.env, text=True)
        proc.stdin.write(PASSWORD + "\n")
        proc.stdin.close()
        _, status, usage = os.wait4(proc.pid, 0)
        out = proc.stdout.read()
        proc.stdout.close()
        return os.waitstatus_to_exitcode(status), json.loads(out), usage.ru_maxrss

    def test_20_mib_body_is_cut_at_1_mib(self):
        status, out, rss = self.login_rusage("huge@example.com")
        self.assertEqual(status, 4)
        self.assertIn("larger than 1 MiB", out["error"]["message"])
        self.assertEqual(out["error"]["http_status"], 200)
        if not harness.SANITIZED:  # ASan's shadow memory makes RSS meaningless
            _, _, normal = self.login_rusage("johndoe@email.com")
            # Buffering the whole 20 MiB would show here; the cap costs at most a 2 MiB buffer.
            self.assertLess(rss - normal, 4 * 1024)

    def test_redirect_is_not_followed(self):
        self.assertEqual(self.failure("redirect@example.com", 4, "server")["http_status"], 302)

    def test_wrong_path_is_a_server_error_with_status(self):
        cfg = os.path.join(self.home, "config")
        with open(cfg, "w") as f:
            f.write("login_path = service-customer.svc/customer/customer-registration\n")
        err = self.failure("johndoe@email.com", 4, "server", extra=["--config", cfg])
        self.assertEqual(err["http_status"], 404)
        self.assertTrue(self.api.requests()[0]["path"].endswith("/customer/customer-registration"))

    def test_login_path_is_configurable(self):
        cfg = os.path.join(self.home, "config")
        with open(cfg, "w") as f:
            f.write("[test]\nlogin_path = /v2/customer-login\n")
        self.assertEqual(self.session("johndoe@email.com", extra=["--config", cfg]), DOC_JSON)
        [req] = self.api.requests()
        self.assertEqual(req["path"], "/wcf-services/v2/customer-login")

    # Network and TLS: exit 3.
    def test_stall_past_the_timeout(self):
        start = time.time()
        err = self.failure("stall@example.com", 3, "network", extra=["--timeout", "1"])
        self.assertLess(time.time() - start, 10)
        self.assertIn("No answer", err["message"])
        self.assertIsNone(err["http_status"])

    def test_connection_reset(self):
        self.assertIn("closed before an answer", self.failure("reset@example.com", 3, "network")["message"])

    def test_connection_refused(self):
        err = self.failure("johndoe@email.com", 3, "network", base="https://127.0.0.1:1/wcf-services")
        self.assertIn("Cannot connect to 127.0.0.1", err["message"])

    def test_certificate_for_another_host(self):
        err = self.failure("johndoe@email.com", 3, "network", base=self.wronghost.base_url)
        self.assertIn("not trusted", err["message"])
        self.assertEqual(self.wronghost.requests(), [])

    def test_ca_the_client_does_not_know(self):
        err = self.failure("johndoe@email.com", 3, "network", base=self.stranger.base_url)
        self.assertIn("not trusted", err["message"])
        self.assertEqual(self.stranger.requests(), [])

    def test_system_ca_store_alone_does_not_trust_the_test_ca(self):
        r = harness.boxlogin(["login", "--email", "johndoe@email.com", "--password-stdin", "--json",
                              "--base-url", self.api.base_url, "--no-keyring"], self.env, stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 3)
        self.assertEqual(self.api.requests(), [])

    # Transport rules: exit 2 before anything is sent.
    def test_plain_http_to_loopback_is_allowed(self):
        self.assertEqual(self.session("johndoe@email.com", base=self.plain.base_url), DOC_JSON)
        # The scheme is case-insensitive, for the check and the transfer alike.
        upper = self.plain.base_url.replace("http://", "HTTP://")
        self.assertEqual(self.session("johndoe@email.com", base=upper), DOC_JSON)

    def test_plain_http_to_a_non_loopback_host_is_refused_before_sending(self):
        for host in ("localhost.", f"[::ffff:127.0.0.1]", "127.0.0.1.example.com"):
            base = f"http://{host}:{self.plain.port}/wcf-services"
            err = self.failure("johndoe@email.com", 2, "usage", base=base)
            self.assertIn("refusing plain http://", err["message"])
        self.assertEqual(self.plain.requests(), [])

    def test_other_schemes_are_refused(self):
        self.failure("johndoe@email.com", 2, "usage", base="ftp://127.0.0.1/x")

    # Credentials and configuration.
    def test_prod_without_credentials_stops_with_exit_2(self):
        for extra, env in ((["--env", "prod"], self.env), ([], dict(self.env, BOXLOGIN_ENV="prod"))):
            err = self.failure("johndoe@email.com", 2, "usage", extra=extra, env=env)
            self.assertIn("PROD needs your own user_code and app_key", err["message"])
        self.assertEqual(self.api.requests(), [])

    def test_prod_with_credentials_from_the_environment(self):
        env = dict(self.env, BOXLOGIN_USER_CODE="777", BOXLOGIN_APP_KEY="prodkey123")
        r = self.login("johndoe@email.com", extra=["--env", "prod"], env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["environment"], "prod")
        self.assertNotIn("generic", r.stderr)
        body = self.api.requests()[0]["body"]
        self.assertEqual((body["user_code"], body["app_key"]), (777, "app_key:prod"))
        self.assertEqual(body["user_info"], {"user_code": 777, "app_key": "app_key:prod"})

    def test_command_line_user_code_wins_over_environment_and_file(self):
        cfg = os.path.join(self.home, "config")
        with open(cfg, "w") as f:
            f.write("user_code = 500\napp_key = filekey\n")
        os.chmod(cfg, 0o600)
        env = dict(self.env, BOXLOGIN_USER_CODE="600")
        self.session("johndoe@email.com", extra=["--config", cfg, "--user-code", "700"], env=env)
        body = self.api.requests()[0]["body"]
        self.assertEqual((body["user_code"], body["app_key"]), (700, "app_key:file"))

    def test_per_environment_section_wins_over_the_top_of_the_file(self):
        cfg = os.path.join(self.home, "config")
        with open(cfg, "w") as f:
            f.write("user_code = 500\napp_key = topkey\n[test]\nuser_code = 501\napp_key = testkey\n"
                    "[prod]\nuser_code = 502\n")
        os.chmod(cfg, 0o600)
        self.session("johndoe@email.com", extra=["--config", cfg])
        body = self.api.requests()[0]["body"]
        self.assertEqual((body["user_code"], body["app_key"]), (501, "app_key:test"))

    def test_default_config_file_location_is_used(self):
        d = os.path.join(self.home, ".config", "boxlogin")
        os.makedirs(d)
        with open(os.path.join(d, "config"), "w") as f:
            f.write("environment = prod\n")
        err = self.failure("johndoe@email.com", 2, "usage")
        self.assertIn("PROD", err["message"])

    def test_app_key_in_a_readable_file_is_refused(self):
        cfg = os.path.join(self.home, "config")
        with open(cfg, "w") as f:
            f.write("app_key = abc\nuser_code = 500\n")
        os.chmod(cfg, 0o644)
        err = self.failure("johndoe@email.com", 2, "usage", extra=["--config", cfg])
        self.assertIn("chmod 600", err["message"])
        self.assertEqual(self.api.requests(), [])

    def test_config_errors_name_file_and_line(self):
        cfg = os.path.join(self.home, "config")
        for text, line, what in (("# c\n\ncolour = blue\n", 3, "unknown key"),
                                 ("timeout = 5\n[prod]\ntimeout = soon\n", 3, "timeout: expected seconds"),
                                 ("[staging]\n", 1, "unknown section"),
                                 ("user_code = 1\nuser_code = 2\n", 2, "set twice"),
                                 ("prewarm\n", 1, "key = value")):
            with open(cfg, "w") as f:
                f.write(text)
            err = self.failure("johndoe@email.com", 2, "usage", extra=["--config", cfg])
            self.assertIn(f"{cfg}:{line}:", err["message"])
            self.assertIn(what, err["message"])

    def test_config_errors_never_repeat_a_line_that_may_hold_a_secret(self):
        cfg = os.path.join(self.home, "config")
        secret = "s3cr3tappkey"
        for text, line in ((f"app_key: {secret}\n", 1), (f"# c\n{secret}\n", 2),
                           (f"app_key {secret} = x\n", 1), (f"[test]\napp_key{secret}= x\n", 2),
                           (f"[{secret}]\n", 1)):
            with open(cfg, "w") as f:
                f.write(text)
            os.chmod(cfg, 0o600)
            err = self.failure("johndoe@email.com", 2, "usage", extra=["--config", cfg])
            self.assertIn(f"{cfg}:{line}:", err["message"])
            self.assertNotIn(secret, err["message"])

    def test_group_or_world_writable_config_is_refused(self):
        cfg = os.path.join(self.home, "config")
        with open(cfg, "w") as f:
            f.write("base_url = https://elsewhere.example/wcf-services\n")
        for mode in (0o620, 0o602, 0o666):
            os.chmod(cfg, mode)
            err = self.failure("johndoe@email.com", 2, "usage", extra=["--config", cfg])
            self.assertIn(cfg, err["message"])
            self.assertIn("writable", err["message"])
        self.assertEqual(self.api.requests(), [])

    def test_env_is_case_insensitive_everywhere(self):
        for value in ("PROD", "Prod"):
            for extra, env in ((["--env", value], self.env), ([], dict(self.env, BOXLOGIN_ENV=value))):
                err = self.failure("johndoe@email.com", 2, "usage", extra=extra, env=env)
                self.assertIn("PROD needs your own", err["message"])
        for args in (["keys", "--env", "PROD"], ["forget", "--all", "--env", "Prod"]):
            r = harness.boxlogin(args, self.env)
            self.assertNotIn("--env", r.stderr)
            self.assertIn("DBUS_SESSION_BUS_ADDRESS", r.stderr)

    def test_missing_explicit_config_file_is_an_error(self):
        err = self.failure("johndoe@email.com", 2, "usage", extra=["--config", "/nonexistent/boxlogin"])
        self.assertIn("/nonexistent/boxlogin", err["message"])

    def test_bad_command_line_values(self):
        for extra, what in ((["--timeout", "0"], "--timeout"), (["--timeout", "x"], "--timeout"),
                            (["--env", "staging"], "--env"), (["--user-code", "-3"], "--user-code"),
                            (["--cacert", "/nonexistent.pem"], "cacert")):
            err = self.failure("johndoe@email.com", 2, "usage", extra=extra)
            self.assertIn(what, err["message"])

    # Command line.
    def test_password_is_never_an_argument(self):
        r = harness.boxlogin(["login", "--email", "a@b.c", "--password=hunter2"], self.env)
        self.assertEqual(r.returncode, 2)
        self.assertIn("never taken as an argument", r.stderr)
        self.assertNotIn("hunter2", r.stderr + r.stdout)

    def test_empty_password_on_stdin(self):
        self.assertEqual(self.failure("johndoe@email.com", 2, "usage", password="")["message"], "empty password")

    def test_no_password_without_a_terminal(self):
        r = harness.boxlogin(["login", "--email", "johndoe@email.com", "--base-url", self.api.base_url,
                              "--cacert", self.pki["ca"]], self.env, stdin="")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--password-stdin", r.stderr)

    def test_usage_errors(self):
        for args in (["login"], ["login", "--email", "not-an-email", "--password-stdin"], ["frobnicate"],
                     ["--bogus"], ["keys", "--show-key"], ["forget"], ["login", "--email"]):
            r = harness.boxlogin(args, self.env, stdin="")
            self.assertEqual(r.returncode, 2, args)
            self.assertTrue(r.stderr.startswith("boxlogin: "), r.stderr)
            self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)

    def test_help_and_version(self):
        r = harness.boxlogin(["--help"], self.env)
        self.assertEqual(r.returncode, 0)
        for opt in ("--env", "--base-url", "--config", "--cacert", "--timeout", "--user-code", "--email",
                    "--no-keyring", "--log", "--password-stdin", "--json", "--show-key"):
            self.assertIn(opt, r.stdout)
        r = harness.boxlogin(["--version"], self.env)
        self.assertRegex(r.stdout, r"^boxlogin \d+\.\d+\.\d+")

    def test_sigint_during_a_stalled_login_cancels_with_130(self):
        proc = subprocess.Popen([harness.BIN, "login", "--email", "stall@example.com", "--password-stdin", "--json",
                                 "--base-url", self.api.base_url, "--cacert", self.pki["ca"], "--no-keyring"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=self.env, text=True)
        proc.stdin.write(PASSWORD + "\n")
        proc.stdin.close()
        deadline = time.time() + 10
        while not self.api.requests() and time.time() < deadline:
            time.sleep(0.02)
        start = time.time()
        proc.send_signal(signal.SIGINT)
        proc.wait(10)
        out = proc.stdout.read()
        proc.stdout.close(), proc.stderr.close()
        self.assertLess(time.time() - start, 1.0)
        self.assertEqual(proc.returncode, 130)
        self.assertEqual(json.loads(out)["error"]["kind"], "cancelled")

    def test_log_is_private_and_holds_no_secret(self):
        log = os.path.join(self.home, "debug.log")
        env = dict(self.env, BOXLOGIN_APP_KEY="secretappkey42", BOXLOGIN_USER_CODE="396")
        self.session("johndoe@email.com", extra=["--log", log], env=env)
        self.assertEqual(stat.S_IMODE(os.stat(log).st_mode), 0o600)
        with open(log) as f:
            text = f.read()
        self.assertIn("POST " + self.api.base_url, text)
        self.assertIn("HTTP 200", text)
        for secret in (PASSWORD, DOC_KEY, "secretappkey42"):
            self.assertNotIn(secret, text)


if __name__ == "__main__":
    unittest.main()
