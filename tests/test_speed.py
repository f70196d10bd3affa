"""The mechanism behind one-round-trip logins (not timed): warm-up and connection reuse."""
import os
import re
import tempfile
import time
import unittest

import harness
from harness import PASSWORD
from tmux_pane import Pane


class WarmConnection(harness.ApiTestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        self.env = harness.clean_env(self.home)
        self.api.clear()
        self.pane = None

    def tearDown(self):
        if self.pane:
            self.pane.close()

    def start(self, *extra):
        self.pane = Pane(["--base-url", self.api.base_url, "--cacert", self.pki["ca"], "--no-keyring", *extra],
                         self.env)
        self.pane.wait_for("Customer login")
        return self.pane

    def wait_requests(self, n):
        deadline = time.time() + 10
        while len(self.api.requests()) < n and time.time() < deadline:
            time.sleep(0.02)
        return self.api.requests()

    def lookups(self, p, count):
        for i in range(count):
            p.type("johndoe@email.com")
            p.keys("Tab")
            p.type(PASSWORD)
            p.keys("Enter")
            p.wait_for("John Doe")
            # n cancels what is in flight (and a cancelled transfer loses its connection):
            # let the profile and the shipments be answered first, no spinner in their tabs.
            deadline = time.time() + 30
            while not re.search(r"2 Profile +3 Shipments$", p.lines()[1].rstrip()):
                self.assertLess(time.time(), deadline, p.screen())
                time.sleep(0.02)
            p.keys("n")
            p.wait_for("Customer login")

    def account_calls(self, n_lookups):
        """Waits until each lookup's login, profile and shipments calls have been answered."""
        deadline = time.time() + 30
        while len(self.api.posts()) < 3 * n_lookups and time.time() < deadline:
            time.sleep(0.02)
        return self.api.requests()

    def test_the_login_and_the_account_calls_go_on_warm_connections(self):
        p = self.start()
        heads = self.wait_requests(2)
        self.assertEqual([(h["method"], h["path"]) for h in heads], [("HEAD", "/wcf-services")] * 2)
        self.lookups(p, 1)
        reqs = self.account_calls(1)
        warm = {r["connection"] for r in reqs if r["method"] == "HEAD"}
        posts = [r for r in reqs if r["method"] == "POST"]
        self.assertEqual(sorted(r["path"].rsplit("/", 1)[1] for r in posts),
                         ["customer-get-info", "customer-get-shipments", "customer-login"])
        self.assertEqual(len(warm), 2)  # the profile and the shipments go at once
        self.assertTrue({r["connection"] for r in posts} <= warm, reqs)

    def test_five_lookups_use_the_two_warm_connections(self):
        p = self.start()
        self.wait_requests(2)
        self.lookups(p, 5)
        reqs = self.account_calls(5)
        self.assertEqual([r["method"] for r in reqs].count("HEAD"), 2)
        self.assertEqual(len(self.api.posts()), 15)
        self.assertEqual(len({r["connection"] for r in reqs}), 2)

    def test_no_prewarm_sends_no_warm_up_but_still_reuses(self):
        p = self.start("--no-prewarm")
        self.lookups(p, 2)
        reqs = self.account_calls(2)
        self.assertEqual([r["method"] for r in reqs], ["POST"] * 6)
        self.assertLessEqual(len({r["connection"] for r in reqs}), 2)

    def test_prewarm_false_in_the_config_file(self):
        cfg = os.path.join(self.home, "config")
        with open(cfg, "w") as f:
            f.write("prewarm = false\n")
        p = self.start("--config", cfg)
        self.lookups(p, 1)
        self.assertEqual([r["method"] for r in self.account_calls(1)], ["POST"] * 3)

    def test_the_log_says_a_tab_is_drawn_once_its_answer_is_on_screen(self):
        # make bench times "Enter -> profile and shipments drawn" by these lines: one
        # logged when the tabs merely start loading would time nothing.
        log = os.path.join(self.home, "log")
        p = self.start("--log", log)
        self.lookups(p, 1)
        deadline = time.time() + 10
        while open(log).read().count(" drawn (cpu") < 2:
            self.assertLess(time.time(), deadline, open(log).read())
            time.sleep(0.02)
        lines = open(log).read().splitlines()
        session = next(i for i, l in enumerate(lines) if re.search(r"login \d+: session", l))
        replies = [i for i, l in enumerate(lines) if i > session and " reply: HTTP 200" in l]
        for part in ("profile", "shipments"):
            drawn = next(i for i, l in enumerate(lines) if i > session and f" {part} drawn (cpu" in l)
            self.assertTrue(replies and replies[0] < drawn, "\n".join(lines[session:drawn + 1]))

    def test_a_failed_warm_up_is_silent(self):
        log = os.path.join(self.home, "log")
        p = Pane(["--base-url", "https://127.0.0.1:1/wcf-services", "--no-keyring", "--log", log], self.env)
        self.pane = p
        p.wait_for("Customer login")
        deadline = time.time() + 10
        while "warm-up HEAD" not in open(log).read():  # it has failed by now
            self.assertLess(time.time(), deadline, "the warm-up never ended")
            time.sleep(0.02)
        p.keys("Tab")  # a redraw after the failure
        p.wait_for("(hidden; F2 shows it)")
        s = p.screen()
        self.assertNotIn("problem", s.lower())
        self.assertNotIn("error", s.lower())


if __name__ == "__main__":
    unittest.main()
