"""`make demo` stops everything it started, however it ends."""
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import harness
from tmux_pane import Pane

DEMO = os.path.join(harness.TESTS, "lib", "demo.py")


def private_buses(tmp):
    """The dbus-daemons run with a private configuration under the directory tmp."""
    out = subprocess.run(["pgrep", "-f", f"dbus-daemon --config-file={tmp}/"], stdout=subprocess.PIPE, text=True)
    return set(out.stdout.split())


class Demo(unittest.TestCase):
    def start(self, *extra):
        home = tempfile.mkdtemp(prefix="bl-demo-test-")
        # The demo's own temporary files (its keyring's bus among them) go here, apart
        # from those of any other test.
        self.tmp = os.path.join(home, "tmp")
        os.mkdir(self.tmp)
        env = harness.clean_env(home, {"TMPDIR": self.tmp})
        pane = Pane([DEMO, "--build", harness.BUILD, *extra], env, binary=sys.executable)
        pane.wait_for("Press Enter to start the UI", timeout=60)
        started = private_buses(self.tmp)
        self.assertEqual(len(started), 1, "the demo starts one private bus")
        return pane, started

    def assert_stopped(self, pids):
        deadline = time.time() + 10
        while private_buses(self.tmp) and time.time() < deadline:
            time.sleep(0.05)
        self.assertEqual(private_buses(self.tmp), set(), "the demo's dbus-daemon is still running")

    def test_a_hang_up_at_the_prompt_stops_what_the_demo_started(self):
        pane, started = self.start()
        pane.tmux("kill-server")  # the terminal window closes: SIGHUP
        self.assert_stopped(started)

    def test_a_hang_up_in_the_ui_stops_what_the_demo_started(self):
        pane, started = self.start()
        pane.keys("Enter")
        pane.wait_for("Customer login")
        pane.tmux("kill-server")
        self.assert_stopped(started)

    def test_the_demo_in_spanish_and_portuguese(self):
        for lang, title in (("es", "Inicio de sesión del cliente"), ("pt_BR", "Login do cliente")):
            pane, started = self.start("--lang", lang)
            pane.keys("Enter")
            pane.wait_for(title)
            pane.keys("F10")
            self.assert_stopped(started)
            pane.close()

    def test_sigterm_at_the_prompt_stops_what_the_demo_started(self):
        pane, started = self.start()
        os.kill(pane.pid(), signal.SIGTERM)
        self.assert_stopped(started)
        pane.close()


if __name__ == "__main__":
    unittest.main()
