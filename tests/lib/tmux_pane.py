"""Drives the real boxlogin binary in a real terminal: a tmux pane of fixed size on a
private tmux server, typing with send-keys and reading with capture-pane."""
import os
import shlex
import shutil
import subprocess
import tempfile
import time

import harness


class Pane:
    def __init__(self, args, env, width=80, height=24, binary=None, term="xterm-256color"):
        self.dir = tempfile.mkdtemp(prefix="bl-pane-")
        self.socket = os.path.join(self.dir, "tmux.sock")
        self.status_file = os.path.join(self.dir, "status")
        cmd = " ".join(shlex.quote(a) for a in [binary or harness.BIN, *args])
        # The shell records the exit status and whether the tty settings came back.
        # The shell shares the terminal's process group: Ctrl-C must not end it too.
        # tmux gives the pane its own TERM (default-terminal): a terminal type asked for
        # is set inside the pane, where boxlogin reads it.
        pane_term = f"TERM={shlex.quote(term)}; export TERM; " if term != "xterm-256color" else ""
        script = (f"{pane_term}trap : INT; before=$(stty -g); {cmd}; echo $? > {self.status_file}.tmp; "
                  f"[ \"$(stty -g)\" = \"$before\" ] && echo same >> {self.status_file}.tmp; "
                  f"mv {self.status_file}.tmp {self.status_file}; sleep 60")
        tenv = dict(env, TERM=term)
        tenv.pop("TMUX", None)
        self.tmux("-f", "/dev/null", "new-session", "-d", "-x", str(width), "-y", str(height),
                  "sh", "-c", script, env=tenv)
        self.tmux("set-option", "-g", "set-clipboard", "on")
        self.wait_for("boxlogin", timeout=60)

    def tmux(self, *args, env=None):
        return subprocess.run(["tmux", "-S", self.socket, *args], env=env or dict(os.environ),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)

    def keys(self, *keys, literal=False):
        self.tmux("send-keys", *(["-l"] if literal else []), *keys)

    def type(self, text):
        self.keys(text, literal=True)

    def screen(self, escapes=False):
        return self.tmux("capture-pane", "-p", *(["-e"] if escapes else [])).stdout

    def lines(self):
        return self.screen().splitlines()

    def flag(self, name):
        return self.tmux("display-message", "-p", "#{%s}" % name).stdout.strip()

    def cursor(self):
        return int(self.flag("cursor_x")), int(self.flag("cursor_y"))

    def wait_for(self, text, timeout=10, gone=False):
        """Waits until text is on screen (or gone) and returns the screen, once the
        drawing that brought it has finished: a later line of the same screen may still
        be on its way when the first matches. A screen that keeps changing (a spinner's
        clock) is returned as it stands after a short while."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            s = self.screen()
            if (text in s) != gone:
                return self._settled(s, lambda now: (text in now) != gone)
            time.sleep(0.02)
        raise AssertionError(f"{'still' if gone else 'never'} on screen: {text!r}\n{self.screen()}")

    def _settled(self, first, still, quiet=0.05, longest=0.3):
        last, until = first, time.time() + longest
        while time.time() < until:
            time.sleep(quiet)
            now = self.screen()
            if now == last or not still(now):
                return last
            last = now
        return last

    def settle(self, quiet=0.2, timeout=10):
        """Waits until screen and cursor have not changed for `quiet` seconds: for a test
        that must read where the program left the focus before it goes on."""
        deadline = time.time() + timeout
        last, since = None, time.time()
        while time.time() < deadline:
            now = (self.screen(), self.flag("cursor_x"), self.flag("cursor_y"))
            if now != last:
                last, since = now, time.time()
            elif time.time() - since >= quiet:
                return
            time.sleep(0.02)
        raise AssertionError("the screen never settled:\n" + self.screen())

    def pid(self):
        shell = self.flag("pane_pid")
        out = subprocess.run(["pgrep", "-P", shell], stdout=subprocess.PIPE, text=True).stdout.split()
        return int(out[0]) if out else None

    def resize(self, width, height):
        self.tmux("resize-window", "-x", str(width), "-y", str(height))

    def exit_status(self, timeout=10):
        """(exit status, whether the tty settings were restored) once boxlogin has exited."""
        deadline = time.time() + timeout
        while not os.path.exists(self.status_file):
            if time.time() > deadline:
                raise AssertionError("boxlogin did not exit:\n" + self.screen())
            time.sleep(0.02)
        with open(self.status_file) as f:
            words = f.read().split()
        return int(words[0]), "same" in words[1:]

    def clipboard(self):
        return self.tmux("show-buffer").stdout

    def close(self):
        self.tmux("kill-server")
        shutil.rmtree(self.dir, ignore_errors=True)


class PaneTestCase(harness.ApiTestCase):
    """Tests that run boxlogin in tmux panes against the class's stand-in API: each test in
    a throwaway HOME, with the requests seen so far cleared, and its panes closed after."""

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        self.env = harness.clean_env(self.home)
        self.api.clear()
        self.panes = []

    def tearDown(self):
        for p in self.panes:
            p.close()

    def open_pane(self, *extra, env=None, width=80, height=24, wait="Customer login"):
        """boxlogin against the stand-in, without a keyring, once `wait` is on screen."""
        p = Pane(["--base-url", self.api.base_url, "--cacert", self.pki["ca"], "--no-keyring", *extra],
                 env or self.env, width, height)
        self.panes.append(p)
        if wait:
            p.wait_for(wait)
        return p
