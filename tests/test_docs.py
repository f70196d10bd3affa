"""The man page and the sample config stay in step with the program."""
import os
import re
import subprocess
import tempfile
import unittest

import harness


class Docs(unittest.TestCase):
    def test_man_page_renders_without_warnings(self):
        r = subprocess.run(["man", "--warnings", "-l", os.path.join(harness.ROOT, "assets", "boxlogin.1")],
                           env=dict(os.environ, MANWIDTH="80", MANPAGER="cat", PAGER="cat"),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        self.assertIn("EXIT STATUS", r.stdout)

    def test_man_page_documents_every_help_option(self):
        help_text = harness.boxlogin(["--help"], harness.clean_env(tempfile.mkdtemp())).stdout
        options = set(re.findall(r"--[a-z][a-z-]+", help_text))
        with open(os.path.join(harness.ROOT, "assets", "boxlogin.1")) as f:
            man = f.read().replace("\\-", "-")
        self.assertGreater(len(options), 14)
        for opt in sorted(options):
            self.assertIn(opt, man)
        for command in ("login", "keys", "forget", "setup"):
            self.assertRegex(man, rf"\.TP\n\.BR? {command}\b")

    def test_sample_config_parses(self):
        home = tempfile.mkdtemp()
        r = harness.boxlogin(["login", "--config", os.path.join(harness.ROOT, "assets", "config.example"),
                              "--email", "a@b.c", "--password-stdin", "--no-keyring", "--json",
                              "--base-url", "http://127.0.0.1:1/x"], harness.clean_env(home), stdin="pw\n")
        # Parsed and used: the login got as far as the (refused) connection.
        self.assertEqual(r.returncode, 3, r.stdout + r.stderr)


if __name__ == "__main__":
    unittest.main()
