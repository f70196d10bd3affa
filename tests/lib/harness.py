"""Shared test fixtures: a throwaway PKI, stand-in API servers, a private keyring,
and running the real boxlogin binary in a clean environment."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

LIB = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(LIB)
ROOT = os.path.dirname(TESTS)
BUILD = os.environ.get("BOXLOGIN_BUILD", os.path.join(ROOT, "build"))
BIN = os.path.join(BUILD, "boxlogin")
SANITIZED = os.path.basename(BUILD) in ("sanitize", "tsan")
PASSWORD = "pass12345"
DOC_KEY = "YpbCNpzqxYqVWv+tzg4e4Ex6ALiT+DfKSYA3NY2dZcw="
GENERIC_APP_KEY = "1656d700707ad9a77f737e5df3db088a"


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def make_pki(d):
    """A CA with a certificate for 127.0.0.1/localhost/::1, one for another host, and
    a second CA (unknown to the client) with its own loopback certificate."""
    def ca(name):
        run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-keyout", f"{d}/{name}.key", "-out", f"{d}/{name}.pem", "-days", "2",
             "-subj", f"/CN=boxlogin test {name}"])

    def leaf(name, ca_name, san):
        run(["openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", f"{d}/{name}.key", "-out", f"{d}/{name}.csr", "-subj", f"/CN={name}"])
        with open(f"{d}/{name}.ext", "w") as f:
            f.write(f"subjectAltName={san}\nbasicConstraints=CA:FALSE\n"
                    "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n")
        run(["openssl", "x509", "-req", "-in", f"{d}/{name}.csr", "-CA", f"{d}/{ca_name}.pem",
             "-CAkey", f"{d}/{ca_name}.key", "-CAcreateserial", "-out", f"{d}/{name}.pem",
             "-days", "2", "-extfile", f"{d}/{name}.ext"])

    ca("ca")
    ca("otherca")
    leaf("server", "ca", "IP:127.0.0.1,DNS:localhost,IP:::1")
    leaf("wronghost", "ca", "DNS:wrong.example")
    leaf("stranger", "otherca", "IP:127.0.0.1,DNS:localhost")
    return {n: (f"{d}/{n}.pem", f"{d}/{n}.key") for n in ("server", "wronghost", "stranger")} | \
        {"ca": f"{d}/ca.pem", "otherca": f"{d}/otherca.pem"}


class StandIn:
    """The stand-in API on a free loopback port; stop() ends it."""

    def __init__(self, workdir, cert=None, plain=False, name="api"):
        self.request_log = os.path.join(workdir, f"{name}-requests.jsonl")
        port_file = os.path.join(workdir, f"{name}.port")
        for p in (port_file, self.request_log):
            if os.path.exists(p):
                os.unlink(p)
        cmd = [sys.executable, os.path.join(LIB, "stand_in_api.py"), "--port-file", port_file,
               "--request-log", self.request_log]
        cmd += ["--plain"] if plain else ["--cert", cert[0], "--key", cert[1]]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
        deadline = time.time() + 10
        while not os.path.exists(port_file):
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("the stand-in API did not start")
            time.sleep(0.02)
        with open(port_file) as f:
            self.port = int(f.read())
        scheme = "http" if plain else "https"
        self.base_url = f"{scheme}://127.0.0.1:{self.port}/wcf-services"

    def requests(self):
        if not os.path.exists(self.request_log):
            return []
        with open(self.request_log) as f:
            return [json.loads(line) for line in f]

    def posts(self):
        """The login requests (the UI's warm-up HEAD left out)."""
        return [r for r in self.requests() if r["method"] == "POST"]

    def clear(self):
        if os.path.exists(self.request_log):
            os.unlink(self.request_log)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(5)


def clean_env(home, extra=None):
    """An environment with a throwaway HOME and no boxlogin or bus settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("BOXLOGIN_") and k not in ("DBUS_SESSION_BUS_ADDRESS", "XDG_CONFIG_HOME",
                                                          "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR",
                                                          "DISPLAY", "NO_COLOR")}
    env.update(HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"), LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env.update(extra or {})
    return env


class Keyring:
    """A private D-Bus session with gnome-keyring's Secret Service, unlocked, in a throwaway
    HOME. secrets=False starts the bus alone (no Secret Service on it)."""

    def __init__(self, home, secrets=True):
        self.home = home
        self.runtime = tempfile.mkdtemp(prefix="bl-run-")
        os.chmod(self.runtime, 0o700)
        base = clean_env(home, {"XDG_RUNTIME_DIR": self.runtime,
                                "XDG_DATA_HOME": os.path.join(home, ".local", "share")})
        # No service directories: nothing is started behind the test's back (gnome-keyring
        # installs a D-Bus activation file that a standard session bus would use).
        config = os.path.join(self.runtime, "bus.conf")
        with open(config, "w") as f:
            f.write(f"""<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir={self.runtime}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>
<allow own="*"/></policy></busconfig>
""")
        out = subprocess.run(["dbus-daemon", f"--config-file={config}", "--fork", "--nopidfile",
                              "--print-address=1", "--print-pid=1"], env=base, stdout=subprocess.PIPE,
                             check=True, text=True)
        lines = out.stdout.split()
        self.address, self.pid = lines[0], int(lines[1])
        self.env = dict(base, DBUS_SESSION_BUS_ADDRESS=self.address)
        self.keyring = None
        if secrets:
            self.keyring = subprocess.Popen(
                ["gnome-keyring-daemon", "--unlock", "--components=secrets", "--foreground"],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env)
            self.keyring.stdin.write(b"test-keyring-password")
            self.keyring.stdin.close()
            self.wait_ready()

    def lock(self):
        """Restarts gnome-keyring without --unlock: the login keyring is then locked, and
        there is no prompter to unlock it."""
        self.secret_tool("store", "--label", "makes the login keyring", "boxlogin-test", "lock", input="x")
        self.keyring.terminate()
        self.keyring.wait(10)
        self.keyring = subprocess.Popen(["gnome-keyring-daemon", "--components=secrets", "--foreground"],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, env=self.env)
        self.wait_ready()

    def wait_ready(self):
        deadline = time.time() + 10
        while time.time() < deadline:
            r = subprocess.run(["secret-tool", "search", "--all", "boxlogin-probe", "x"], env=self.env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=10)
            if r.returncode in (0, 1) and "not provided" not in r.stderr:
                return
            time.sleep(0.1)
        raise RuntimeError("gnome-keyring did not come up on the private bus")

    def secret_tool(self, *args, input=None):
        return subprocess.run(["secret-tool", *args], env=self.env, input=input, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=20)

    def stop(self):
        if self.keyring is not None:
            self.keyring.terminate()
            self.keyring.wait(10)
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        shutil.rmtree(self.runtime, ignore_errors=True)


def boxlogin(args, env, stdin=None, timeout=30, binary=None):
    """Runs boxlogin; returns the CompletedProcess with text stdout/stderr."""
    return subprocess.run([binary or BIN, *args], input=stdin, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=timeout)


class FreshApiTestCase(unittest.TestCase):
    """A test class with a throwaway PKI, and a stand-in API of its own for each test
    (self.api, in self.work): the changes a test carries out stay its own. self.home is
    a fresh home under it; subclasses add their environment."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix=f"bl-{cls.__name__}-")
        cls.pki = make_pki(cls.dir)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="t-", dir=self.dir)
        self.api = StandIn(self.work, cert=self.pki["server"])
        self.addCleanup(self.api.stop)
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.work)


class ApiTestCase(unittest.TestCase):
    """A test class with a throwaway PKI and one stand-in API over TLS for all its tests."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix=f"bl-{cls.__name__}-")
        cls.pki = make_pki(cls.dir)
        cls.api = StandIn(cls.dir, cert=cls.pki["server"])

    @classmethod
    def tearDownClass(cls):
        cls.api.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)
