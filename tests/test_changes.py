"""The changes (SPEC "Changes: what an agent fixes"): set-type, set-email, set-password
with the real binary against the TLS stand-in, which carries the changes out per server
process, and a private keyring."""
import json
import os
import pty
import signal
import select
import string
import time
import unittest

import harness

NEW_PASSWORD = "n3w-Secret-pass"


def run_in_pty(args, env, answers, timeout=30):
    """Runs boxlogin on a new terminal; each (prompt, text) of answers is typed once the
    prompt shows. Returns (exit status, everything the terminal showed)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(harness.BIN, [harness.BIN, *args], env)
    seen, pending, deadline = b"", list(answers), time.time() + timeout
    while time.time() < deadline:
        if pending and pending[0][0].encode() in seen:
            os.write(fd, pending.pop(0)[1].encode())
            seen = b""  # the next prompt is looked for in new output
        r, _, _ = select.select([fd], [], [], 0.2)
        if fd in r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            seen += data
            Changes.screen += data
    # Still waiting for something past the deadline: end it, so that the test fails
    # instead of hanging.
    done, status = os.waitpid(pid, os.WNOHANG)
    if done == 0:
        time.sleep(0.5)
        done, status = os.waitpid(pid, os.WNOHANG)
    if done == 0:
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), Changes.screen.decode("utf-8", "replace")


class Changes(harness.FreshApiTestCase):
    screen = b""

    def setUp(self):
        super().setUp()
        self.keyring = harness.Keyring(self.home)
        self.addCleanup(self.keyring.stop)
        self.env = self.keyring.env
        Changes.screen = b""

    def bl(self, *args, stdin="", env=None):
        return harness.boxlogin([*args, "--base-url", self.api.base_url, "--cacert", self.pki["ca"]],
                                env or self.env, stdin=stdin)

    def change(self, *args, status=0, stdin=""):
        r = self.bl(*args, "--json", stdin=stdin)
        self.assertEqual(r.returncode, status, r.stdout + r.stderr)
        return json.loads(r.stdout)

    def writes(self):
        return [q for q in self.api.posts() if "customer-update" in q["path"]]

    def history(self):
        path = os.path.join(self.home, ".local", "state", "boxlogin", "history")
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [json.loads(line) for line in f]

    def changes_in_history(self):
        return [h for h in self.history() if h["action"].startswith("set-")]

    def profile(self, email):
        r = self.bl("profile", email, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def login(self, email, password):
        return self.bl("login", "--email", email, "--password-stdin", "--json", "--no-keyring",
                       stdin=password + "\n")

    # set-type

    def test_set_type_applied_verified_and_noted(self):
        out = self.change("set-type", "change@example.com", "--vip", "--no-business", "--yes")
        self.assertEqual(list(out), ["environment", "email", "box_id", "change", "fields", "outcome",
                                     "verified", "message", "key_stored"])
        self.assertEqual(out["fields"], [{"field": "vip", "before": False, "after": True}])
        self.assertEqual((out["outcome"], out["verified"], out["message"]), ("applied", True, None))
        self.assertTrue(out["key_stored"])  # the partner lookup's key, stored as lookup does
        w = self.writes()
        self.assertEqual(len(w), 1)
        self.assertIs(w[0]["body"]["customer_is_vip"], True)
        self.assertNotIn("customer_is_business", w[0]["body"])  # only what changes is sent
        self.assertTrue(self.profile("change@example.com")["profile"]["vip"])
        r = self.login("change@example.com", harness.PASSWORD)
        self.assertTrue(json.loads(r.stdout)["customer"]["vip"])
        lines = self.history()
        self.assertEqual([h["action"] for h in lines][:2], ["lookup", "set-type"])
        line = lines[1]
        self.assertEqual(list(line), ["time", "environment", "action", "email", "box_id", "outcome", "fields"])
        self.assertEqual((line["outcome"], line["fields"]), ("applied", ["vip"]))
        # The next change uses the stored key: no lookup.
        self.api.clear()
        self.change("set-type", "change@example.com", "--business", "--yes")
        self.assertFalse([q for q in self.api.posts() if "partner" in q["path"]])
        # And `history` still reads every line.
        r = harness.boxlogin(["history", "--json"], self.env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(json.loads(r.stdout)), len(self.history()))

    def test_nothing_to_change_sends_nothing(self):
        out = self.change("set-type", "change@example.com", "--no-vip", "--no-business", "--yes")
        self.assertEqual((out["outcome"], out["fields"], out["verified"]), ("nothing", [], None))
        self.assertEqual(self.writes(), [])
        self.assertEqual(self.changes_in_history(), [])
        r = self.bl("set-type", "change@example.com", "--no-vip", "--yes")
        self.assertEqual(r.returncode, 0)
        self.assertIn("Nothing to change", r.stdout)

    def test_dry_run_shows_the_request_without_secrets_and_sends_nothing(self):
        r = self.bl("set-type", "change@example.com", "--vip", "--dry-run")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("vip: false → true", r.stdout)
        self.assertIn('"customer_is_vip":true', r.stdout)
        self.assertIn("(withheld)", r.stdout)
        self.assertNotIn(harness.GENERIC_APP_KEY, r.stdout)
        self.assertNotIn("key-811320", r.stdout)
        out = self.change("set-type", "change@example.com", "--vip", "--dry-run")
        self.assertEqual(out["outcome"], "dry-run")
        self.assertEqual(self.writes(), [])
        self.assertEqual(self.changes_in_history(), [])

    def test_rejected_shows_the_server_words(self):
        out = self.change("set-type", "refusechange@example.com", "--vip", "--yes", status=1)
        self.assertEqual(out["outcome"], "rejected")
        self.assertEqual(out["message"], "Changes to this account are locked (case 4711)")
        self.assertEqual(self.changes_in_history()[-1]["outcome"], "rejected")

    def test_a_lost_reply_is_read_back_and_applied_with_one_write(self):
        out = self.change("set-type", "lostreply@example.com", "--business", "--yes")
        self.assertEqual((out["outcome"], out["verified"]), ("applied", True))
        self.assertIn("lost", out["message"])
        self.assertEqual(len(self.writes()), 1, self.api.posts())

    def test_a_yes_that_changes_nothing_is_not_applied(self):
        out = self.change("set-type", "noopchange@example.com", "--vip", "--yes", status=4)
        self.assertEqual((out["outcome"], out["verified"]), ("not-applied", False))
        self.assertIn("vip: false", out["message"])
        self.assertEqual(self.changes_in_history()[-1]["outcome"], "not-applied")

    def key_of(self, email):
        return self.keyring.secret_tool("lookup", "email", email, "environment", "test").stdout

    def test_a_lost_email_reply_is_told_by_a_lookup_of_the_new_email(self):
        # The old key stops with the change: a lookup of the new email finds the same box
        # ID, whose key is the new one, moved in the keyring as after an answered change.
        self.change("set-type", "lostemail@example.com", "--vip", "--yes")  # stores the key
        before = len(self.history())
        out = self.change("set-email", "lostemail@example.com", "gone@example.com", "--yes")
        self.assertEqual((out["outcome"], out["verified"], out["key_stored"]), ("applied", True, True))
        self.assertIn("lost", out["message"])
        self.assertEqual(len(self.writes()), 2, self.api.posts())
        self.assertTrue(self.key_of("gone@example.com").startswith("moved-811335-"))
        self.assertEqual(self.key_of("lostemail@example.com"), "")
        lines = self.history()[before:]
        self.assertEqual([(h["action"], h["outcome"]) for h in lines], [("set-email", "applied")])

    def test_a_lost_email_reply_before_the_change_is_not_applied(self):
        out = self.change("set-email", "lostearly@example.com", "early@example.com", "--yes", status=4)
        self.assertEqual((out["outcome"], out["verified"]), ("not-applied", False))
        self.assertIn("old email", out["message"])
        self.assertEqual(len(self.writes()), 1)
        self.assertNotEqual(self.key_of("lostearly@example.com"), "")
        self.assertEqual(self.key_of("early@example.com"), "")
        self.assertEqual(self.changes_in_history()[-1]["outcome"], "not-applied")

    def test_unknown_when_nothing_can_be_read_back(self):
        # The reply is lost and the server goes away before any lookup: nothing tells.
        import subprocess
        self.change("set-type", "lostemail@example.com", "--vip", "--yes")  # stores the key
        log = os.path.join(self.home, "log")
        env = dict(self.env, BOXLOGIN_TEST_PAUSE="after-write=1500")
        proc = subprocess.Popen([os.path.join(harness.BUILD, "tests", "boxlogin-hooks"), "set-email",
                                 "lostemail@example.com", "moved@example.com", "--yes", "--json", "--log", log,
                                 "--base-url", self.api.base_url, "--cacert", self.pki["ca"]],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 20
        while not (os.path.exists(log) and "test pause at after-write" in open(log).read()):
            self.assertLess(time.time(), deadline, "the command never paused after its write")
            time.sleep(0.02)
        writes = len(self.writes())
        self.api.stop()
        out, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 4, out + err)
        got = json.loads(out)
        self.assertEqual((got["outcome"], got["verified"]), ("unknown", None))
        self.assertIn("may or may not", got["message"])
        self.assertEqual(writes, 2)
        # The old item is kept.
        self.assertNotEqual(self.key_of("lostemail@example.com"), "")

    def test_without_a_terminal_yes_is_needed(self):
        r = self.bl("set-type", "change@example.com", "--vip")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--yes", r.stderr)
        self.assertEqual(self.api.posts(), [])

    def test_no_change_option_is_a_usage_error(self):
        for args in (["set-type", "change@example.com"], ["set-email", "change@example.com"],
                     ["set-password", "change@example.com", "--generate", "--new-password-stdin"],
                     ["set-type", "change@example.com", "--vip", "--no-vip"],
                     ["profile", "change@example.com", "--yes"]):
            r = self.bl(*args, "--yes")
            self.assertEqual(r.returncode, 2, args)
        self.assertEqual(self.api.posts(), [])

    def test_declined_on_the_terminal_is_130_and_cancelled(self):
        status, screen = run_in_pty(["set-type", "change@example.com", "--vip", "--base-url", self.api.base_url,
                                     "--cacert", self.pki["ca"]], self.env, [("Apply this change?", "no\n")])
        self.assertEqual(status, 130, screen)
        self.assertIn("vip: false → true", screen)
        self.assertEqual(self.writes(), [])
        self.assertEqual(self.changes_in_history()[-1]["outcome"], "cancelled")

    def test_y_on_the_terminal_applies_in_test(self):
        status, screen = run_in_pty(["set-type", "change@example.com", "--vip", "--base-url", self.api.base_url,
                                     "--cacert", self.pki["ca"]], self.env, [("Apply this change?", "y\n")])
        self.assertEqual(status, 0, screen)
        self.assertIn("Applied", screen)
        self.assertEqual(len(self.writes()), 1)

    def test_ctrl_c_after_the_write_waits_for_its_reply_and_exits_with_its_outcome(self):
        # The test build holds the command 2 s once the write's reply is in: SIGINT lands
        # after the write was sent, so it is neither lost nor sent again, and the outcome
        # known then (not read back: unknown) is the exit status and the history line.
        import subprocess
        log = os.path.join(self.home, "log")
        env = dict(self.env, BOXLOGIN_TEST_PAUSE="after-write=2000")
        proc = subprocess.Popen([os.path.join(harness.BUILD, "tests", "boxlogin-hooks"), "set-type",
                                 "change@example.com", "--vip", "--yes", "--json", "--log", log,
                                 "--base-url", self.api.base_url, "--cacert", self.pki["ca"]],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 20
        while not (os.path.exists(log) and "test pause at after-write" in open(log).read()):
            self.assertLess(time.time(), deadline, "the command never paused after its write")
            time.sleep(0.02)
        started = time.time()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
        self.assertGreater(time.time() - started, 1.0)  # it waited for the pause to end
        self.assertEqual(proc.returncode, 4, out + err)
        got = json.loads(out)
        self.assertEqual((got["outcome"], got["verified"]), ("unknown", None))
        self.assertEqual(len(self.writes()), 1)
        self.assertEqual(self.changes_in_history()[-1]["outcome"], "unknown")

    def hold_proxy(self, hold_s):
        """The stand-in behind a proxy that holds every connection after the first."""
        import subprocess
        import sys
        port_file = os.path.join(self.work, "hold-port")
        proc = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(harness.__file__), "hold_proxy.py"),
                                 "--upstream-port", str(self.api.port), "--port-file", port_file,
                                 "--hold-s", str(hold_s)])
        self.addCleanup(proc.wait)
        self.addCleanup(proc.kill)
        deadline = time.time() + 10
        while not os.path.exists(port_file):
            self.assertLess(time.time(), deadline, "the proxy did not start")
            time.sleep(0.02)
        with open(port_file) as f:
            return "https://127.0.0.1:%d/wcf-services" % int(f.read())

    def reads_of_profile(self):
        return [q for q in self.api.posts() if q["path"].endswith("customer-get-info")]

    def test_ctrl_c_while_the_write_connects_sends_nothing(self):
        # The profile's reply closes its connection: the write makes a new one, which the
        # proxy holds 4 s. SIGINT then cancels it: nothing sent, exit 130, noted cancelled.
        import subprocess
        base = self.hold_proxy(4)
        log = os.path.join(self.home, "ctrl-c.log")
        proc = subprocess.Popen([harness.BIN, "set-type", "closeprofile@example.com", "--vip", "--yes", "--no-keyring",
                                 "--json", "--base-url", base, "--cacert", self.pki["ca"], "--log", log],
                                env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 20
        while not self.reads_of_profile():
            self.assertLess(time.time(), deadline, "the profile was never read")
            time.sleep(0.02)
        # The write's connection is made (TCP), its TLS held by the proxy.
        while open(log).read().count("Connected to 127.0.0.1") < 2:
            self.assertLess(time.time(), deadline, open(log).read())
            time.sleep(0.02)
        started = time.time()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
        self.assertLess(time.time() - started, 2.5, "the cancel waited for the held connection")
        self.assertEqual(proc.returncode, 130, out + err)
        # The process has ended: its log is whole, and the write never went out.
        self.assertNotIn("> POST /wcf-services/service-customer.svc/customer/customer-update-type",
                         open(log).read())
        self.assertEqual(self.writes(), [])
        self.assertEqual(self.changes_in_history()[-1]["outcome"], "cancelled")

    def test_ctrl_c_once_the_write_is_sent_waits_for_its_reply(self):
        # The stand-in answers the write after 2 s: a SIGINT once it has the request
        # waits for the reply; the write is neither lost nor sent again.
        import subprocess
        proc = subprocess.Popen([harness.BIN, "set-type", "slowwrite@example.com", "--vip", "--yes",
                                 "--json", "--base-url", self.api.base_url, "--cacert", self.pki["ca"]],
                                env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 20
        while not self.writes():
            self.assertLess(time.time(), deadline, "the write never came")
            time.sleep(0.02)
        started = time.time()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
        self.assertGreater(time.time() - started, 1.0)  # it waited for the reply
        self.assertEqual(proc.returncode, 4, out + err)
        got = json.loads(out)
        self.assertEqual((got["outcome"], got["verified"]), ("unknown", None))
        self.assertEqual(len(self.writes()), 1)
        self.assertEqual(self.changes_in_history()[-1]["outcome"], "unknown")
        self.assertTrue(self.profile("slowwrite@example.com")["profile"]["vip"])

    def prod_env(self):
        return dict(self.env, BOXLOGIN_USER_CODE="396", BOXLOGIN_APP_KEY=harness.GENERIC_APP_KEY)

    def test_prod_needs_the_typed_box_id(self):
        args = ["set-type", "change@example.com", "--vip", "--env", "prod", "--base-url", self.api.base_url,
                "--cacert", self.pki["ca"]]
        status, screen = run_in_pty(args, self.prod_env(), [("box ID", "y\n")])
        self.assertEqual(status, 130, screen)
        self.assertEqual(self.writes(), [])
        status, screen = run_in_pty(args, self.prod_env(), [("box ID", "811320\n")])
        self.assertEqual(status, 0, screen)
        self.assertEqual(len(self.writes()), 1)

    def test_changes_false_and_read_only_refuse_every_change(self):
        cfg = os.path.join(self.work, "config")
        for text in ("changes = false\n", "[test]\nchanges = false\n"):
            with open(cfg, "w") as f:
                f.write(text)
            for args in (["set-type", "change@example.com", "--vip", "--yes"],
                         ["set-email", "change@example.com", "x@example.com", "--dry-run"],
                         ["set-password", "change@example.com", "--generate", "--yes"]):
                r = self.bl(*args, "--config", cfg)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn("changes are turned off (changes = false in %s)" % cfg, r.stderr)
        r = self.bl("set-type", "change@example.com", "--vip", "--yes", "--read-only")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--read-only", r.stderr)
        self.assertEqual(self.api.posts(), [])
        self.assertEqual(self.history(), [])

    # set-email

    def test_set_email_moves_the_keyring_item(self):
        self.change("set-type", "change@example.com", "--vip", "--yes")  # stores the key
        out = self.change("set-email", "change@example.com", "  New.Address@Example.COM ", "--yes")
        self.assertEqual(out["fields"], [{"field": "email", "before": "change@example.com",
                                          "after": "new.address@example.com"}])
        self.assertEqual((out["outcome"], out["verified"], out["key_stored"]), ("applied", True, True))
        w = self.writes()[-1]["body"]
        self.assertEqual(w["customer_new_email"], "new.address@example.com")
        self.assertEqual(w["customer_current_email"], "change@example.com")
        new = self.keyring.secret_tool("lookup", "email", "new.address@example.com", "environment", "test")
        self.assertTrue(new.stdout.startswith("moved-811320-"), new.stdout + new.stderr)
        old = self.keyring.secret_tool("lookup", "email", "change@example.com", "environment", "test")
        self.assertEqual(old.stdout, "")
        # The new email works with the stored key; the old one logs in no more.
        self.assertEqual(self.profile("new.address@example.com")["profile"]["email"], "new.address@example.com")
        self.assertNotEqual(self.login("change@example.com", harness.PASSWORD).returncode, 0)
        self.assertEqual(self.login("new.address@example.com", harness.PASSWORD).returncode, 0)
        line = self.changes_in_history()[-1]
        self.assertEqual(list(line)[-2:], ["fields", "new_email"])
        self.assertEqual((line["action"], line["fields"], line["new_email"]),
                         ("set-email", ["email"], "new.address@example.com"))

    def test_set_email_to_the_same_email_is_nothing(self):
        out = self.change("set-email", "change@example.com", "CHANGE@example.com", "--yes")
        self.assertEqual(out["outcome"], "nothing")
        self.assertEqual(self.writes(), [])

    def test_set_email_refused_when_taken(self):
        out = self.change("set-email", "change@example.com", "johndoe@email.com", "--yes", status=1)
        self.assertEqual(out["message"], "The email is already registered")
        old = self.keyring.secret_tool("lookup", "email", "change@example.com", "environment", "test")
        self.assertNotEqual(old.stdout, "")

    # set-password

    def test_set_password_from_stdin_works_at_the_next_login(self):
        out = self.change("set-password", "change@example.com", "--new-password-stdin", "--yes",
                          stdin=NEW_PASSWORD + "\n")
        self.assertEqual(out["fields"], [{"field": "password", "before": None, "after": None}])
        self.assertEqual((out["outcome"], out["verified"]), ("applied", True))
        self.assertNotIn("new_password", out)
        self.assertEqual(self.writes()[0]["body"]["customer_new_password"], len(NEW_PASSWORD))
        self.assertEqual(self.login("change@example.com", NEW_PASSWORD).returncode, 0)
        self.assertEqual(self.login("change@example.com", harness.PASSWORD).returncode, 1)
        line = self.changes_in_history()[-1]
        self.assertEqual((line["action"], line["fields"]), ("set-password", ["password"]))
        with open(os.path.join(self.home, ".local", "state", "boxlogin", "history")) as f:
            self.assertNotIn(NEW_PASSWORD, f.read())

    def test_password_rules_are_checked_before_anything_is_sent(self):
        for pw in ("short", "x" * 65, "pass\t12345", "          ", "Change@Example.com"):
            r = self.bl("set-password", "change@example.com", "--new-password-stdin", "--yes",
                        stdin=pw + "\n")
            self.assertEqual(r.returncode, 2, pw)
            self.assertNotIn(pw.strip() or "xx", r.stderr)
        self.assertEqual(self.api.posts(), [])
        self.assertEqual(self.changes_in_history(), [])

    def test_generate_prints_it_once_and_it_logs_in(self):
        r = self.bl("set-password", "change@example.com", "--generate", "--yes")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("password: (new)", r.stdout)
        pw = r.stdout.split("New password (shown once): ", 1)[1].split()[0]
        self.assertEqual(len(pw), 12)
        self.assertTrue(set(pw) <= set(string.ascii_letters + string.digits) - set("0O1lI"), pw)
        self.assertTrue(any(c.isdigit() for c in pw))
        self.assertEqual(r.stdout.count(pw), 1)
        self.assertNotIn(pw, r.stderr)
        self.assertEqual(self.login("change@example.com", pw).returncode, 0)
        out = self.change("set-password", "change@example.com", "--generate", "--yes")
        self.assertEqual(list(out)[5:7], ["new_password", "outcome"])
        self.assertEqual(self.login("change@example.com", out["new_password"]).returncode, 0)
        for path in (os.path.join(self.home, ".local", "state", "boxlogin", "history"), self.api.request_log):
            with open(path) as f:
                text = f.read()
            self.assertNotIn(pw, text)
            self.assertNotIn(out["new_password"], text)

    def test_generate_dry_run_prints_no_password(self):
        r = self.bl("set-password", "change@example.com", "--generate", "--dry-run")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("shown once", r.stdout)
        self.assertIn('"customer_new_password":"(withheld)"', r.stdout)
        self.assertEqual(self.writes(), [])

    def test_password_typed_twice_on_the_terminal(self):
        status, screen = run_in_pty(["set-password", "change@example.com", "--base-url", self.api.base_url,
                                     "--cacert", self.pki["ca"]], self.env,
                                    [("New password", NEW_PASSWORD + "\n"), ("again", NEW_PASSWORD + "\n"),
                                     ("Apply this change?", "yes\n")])
        self.assertEqual(status, 0, screen)
        self.assertNotIn(NEW_PASSWORD, screen)  # echo off
        self.assertEqual(self.login("change@example.com", NEW_PASSWORD).returncode, 0)


if __name__ == "__main__":
    unittest.main()
