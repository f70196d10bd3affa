"""The mechanism behind one-round-trip logins (not timed): warm-up and connection reuse."""
import os
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
            p.keys("n")
            p.wait_for("Customer login")

    def test_warm_up_and_login_share_one_connection(self):
        p = self.start()
        [head] = self.wait_requests(1)
        self.assertEqual((head["method"], head["path"]), ("HEAD", "/wcf-services"))
        self.lookups(p, 1)
        head, post = self.api.requests()
        self.assertEqual(post["method"], "POST")
        self.assertEqual(post["connection"], head["connection"])

    def test_five_lookups_use_one_connection(self):
        p = self.start()
        self.wait_requests(1)
        self.lookups(p, 5)
        reqs = self.api.requests()
        self.assertEqual([r["method"] for r in reqs], ["HEAD"] + ["POST"] * 5)
        self.assertEqual(len({r["connection"] for r in reqs}), 1)

    def test_no_prewarm_sends_no_warm_up_but_still_reuses(self):
        p = self.start("--no-prewarm")
        self.lookups(p, 2)
        reqs = self.api.requests()
        self.assertEqual([r["method"] for r in reqs], ["POST", "POST"])
        self.assertEqual(len({r["connection"] for r in reqs}), 1)

    def test_prewarm_false_in_the_config_file(self):
        cfg = os.path.join(self.home, "config")
        with open(cfg, "w") as f:
            f.write("prewarm = false\n")
        p = self.start("--config", cfg)
        self.lookups(p, 1)
        self.assertEqual([r["method"] for r in self.api.requests()], ["POST"])

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
