"""A command's connection to the API, opened while libcurl loads and the keyring answers
(src/preconnect.c): the first call uses it, so that the command pays one TCP round trip
during its keyring lookups instead of after them. Real binary, real TLS stand-in,
real keyring; a counting relay in front of the stand-in tells how many connections the
command opened."""
import os
import re
import signal
import socket
import subprocess
import threading
import time
import unittest

import harness
from connect_proxy import ConnectProxy
from hold_proxy import pipe

EMAIL = "change@example.com"
EARLY = "using the connection opened while the keyring answered"


class CountingRelay:
    """A loopback TCP relay to the stand-in that counts the connections it accepts."""

    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.accepted = 0
        self.peers = []  # the client ports, in the order accepted
        self.lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                client, peer = self.server.accept()
            except OSError:
                return
            with self.lock:
                self.accepted += 1
                self.peers.append(peer[1])
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client):
        try:
            up = socket.create_connection(("127.0.0.1", self.upstream_port))
        except OSError:
            client.close()
            return
        threading.Thread(target=pipe, args=(up, client), daemon=True).start()
        pipe(client, up)

    def count(self):
        with self.lock:
            return self.accepted

    def clear(self):
        with self.lock:
            self.accepted = 0
            self.peers = []

    def accepted_before(self, test):
        """The ports of the connections accepted before a marker connection the test
        makes now: connections are accepted in the order they were made, so once the
        marker is accepted, every earlier one has been."""
        marker = socket.create_connection(("127.0.0.1", self.port))
        test.addCleanup(marker.close)
        port = marker.getsockname()[1]
        deadline = time.time() + 10
        while True:
            with self.lock:
                if port in self.peers:
                    return self.peers[:self.peers.index(port)]
            test.assertLess(time.time(), deadline, "the marker connection was never accepted")
            time.sleep(0.01)

    def stop(self):
        self.server.close()


class ClosingRelay(CountingRelay):
    """A CountingRelay that closes the first connection it accepts at once, as a server
    does with one that stays idle too long."""

    def _relay(self, client):
        if self.count() == 1:
            client.close()
            return
        super()._relay(client)


def unanswered_port(test):
    """A loopback port whose SYNs go unanswered: a listener that never accepts, its
    accept queue (of one) already full."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    filler = socket.create_connection(server.getsockname())
    test.addCleanup(server.close)
    test.addCleanup(filler.close)
    return server.getsockname()[1]


class Preconnect(harness.FreshApiTestCase):
    def setUp(self):
        super().setUp()
        self.keyring = harness.Keyring(self.home)
        self.addCleanup(self.keyring.stop)
        self.env = self.keyring.env
        self.relay = CountingRelay(self.api.port)
        self.addCleanup(self.relay.stop)
        self.base = f"https://127.0.0.1:{self.relay.port}/wcf-services"
        self.log = os.path.join(self.work, "bl.log")

    def bl(self, *args, env=None, base=None):
        return harness.boxlogin([*args, "--base-url", base or self.base, "--cacert", self.pki["ca"],
                                 "--log", self.log], env or self.env)

    def log_text(self):
        with open(self.log, encoding="utf-8") as f:
            return f.read()

    def stored(self):
        r = self.bl("lookup", EMAIL)
        self.assertEqual(r.returncode, 0, r.stderr)
        os.unlink(self.log)
        self.relay.clear()

    def test_a_change_with_a_stored_key_makes_one_connection_during_the_keyring(self):
        self.stored()
        r = self.bl("set-type", EMAIL, "--vip", "--yes")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("applied", r.stdout.lower() + r.stderr.lower())
        text = self.log_text()
        self.assertEqual(text.count(EARLY), 1, text)
        # The read, the write and the read back: one connection, libcurl's only.
        self.assertEqual(len(self.relay.accepted_before(self)), 1)
        self.assertEqual(text.count("Connected to 127.0.0.1"), 1, text)
        self.assertEqual(text.count("Re-using existing connection"), 2, text)

    def test_every_command_of_the_api_takes_it(self):
        r = self.bl("lookup", EMAIL, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(EARLY, self.log_text())
        self.assertEqual(len(self.relay.accepted_before(self)), 1)

    def test_no_prewarm_leaves_the_connecting_to_the_first_call(self):
        self.stored()
        r = self.bl("set-type", EMAIL, "--business", "--yes", "--no-prewarm")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn(EARLY, self.log_text())
        self.assertEqual(len(self.relay.accepted_before(self)), 1)
        config = os.path.join(self.work, "config")
        with open(config, "w") as f:
            f.write("prewarm = false\n")
        os.unlink(self.log)
        r = self.bl("lookup", EMAIL, "--config", config)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn(EARLY, self.log_text())

    def test_a_refused_connection_says_what_it_says_without_it(self):
        # A port nobody listens on: the early connection is refused, libcurl tries
        # itself and says so, as without it.
        s = socket.create_server(("127.0.0.1", 0))
        dead = f"https://127.0.0.1:{s.getsockname()[1]}/wcf-services"
        s.close()
        early = self.bl("lookup", EMAIL, base=dead)
        late = self.bl("lookup", EMAIL, "--no-prewarm", base=dead)
        self.assertEqual(early.returncode, 3, early.stderr)
        self.assertEqual((early.returncode, early.stdout, early.stderr),
                         (late.returncode, late.stdout, late.stderr))
        self.assertNotIn(EARLY, self.log_text())

    def test_a_connection_closed_before_the_first_call_is_not_used(self):
        # The server closed it while the command waited (a password typed, the keyring
        # unlocked; here a test pause before the first call takes it): libcurl
        # connects anew and the command works.
        relay = ClosingRelay(self.api.port)
        self.addCleanup(relay.stop)
        base = f"https://127.0.0.1:{relay.port}/wcf-services"
        env = dict(self.env, BOXLOGIN_TEST_PAUSE="early-take=300")
        r = harness.boxlogin(["lookup", EMAIL, "--base-url", base, "--cacert", self.pki["ca"],
                              "--log", self.log], env, binary=os.path.join(harness.BUILD, "tests", "boxlogin-hooks"))
        self.assertEqual(r.returncode, 0, r.stderr)
        text = self.log_text()
        self.assertIn("test pause at early-take", text)
        self.assertNotIn(EARLY, text)
        self.assertEqual(len(relay.accepted_before(self)), 2)

    def test_a_connection_idle_over_10_s_is_not_used(self):
        # A middlebox may drop an idle connection without a word: one opened more than
        # 10 s before the first call (a test pause here) is closed, libcurl connects.
        env = dict(self.env, BOXLOGIN_TEST_PAUSE="early-take=10300")
        r = harness.boxlogin(["lookup", EMAIL, "--base-url", self.base, "--cacert", self.pki["ca"],
                              "--log", self.log], env, binary=os.path.join(harness.BUILD, "tests", "boxlogin-hooks"))
        self.assertEqual(r.returncode, 0, r.stderr)
        text = self.log_text()
        self.assertIn("test pause at early-take", text)
        self.assertNotIn(EARLY, text)
        self.assertEqual(len(self.relay.accepted_before(self)), 2)

    def test_a_connection_never_answered_ends_as_it_did_without_it(self):
        dead = f"https://127.0.0.1:{unanswered_port(self)}/wcf-services"
        early = self.bl("lookup", EMAIL, "--timeout", "1", base=dead)
        late = self.bl("lookup", EMAIL, "--timeout", "1", "--no-prewarm", base=dead)
        self.assertEqual(early.returncode, 3, early.stderr)
        # The same words, but for the milliseconds libcurl counted.
        same = [(r.returncode, re.sub(r"\d+ (ms|milliseconds)", "N ms", r.stderr)) for r in (early, late)]
        self.assertEqual(same[0], same[1])
        self.assertNotIn(EARLY, self.log_text())

    def test_ctrl_c_while_the_connection_is_made_cancels(self):
        dead = f"https://127.0.0.1:{unanswered_port(self)}/wcf-services"
        proc = subprocess.Popen([harness.BIN, "lookup", EMAIL, "--base-url", dead, "--cacert", self.pki["ca"],
                                 "--timeout", "20", "--log", self.log], env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 10
        while "POST " not in (open(self.log).read() if os.path.exists(self.log) else ""):
            self.assertLess(time.time(), deadline)
            time.sleep(0.02)
        time.sleep(0.3)  # in the open-socket callback, waiting for the connection
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=5)
        self.assertEqual(proc.returncode, 130, err)
        self.assertIn("Cancelled", err)

    def test_plain_http_to_loopback_is_opened_early_to_an_address_only(self):
        plain = harness.StandIn(self.work, plain=True, name="plain")
        self.addCleanup(plain.stop)
        r = self.bl("lookup", EMAIL, base=plain.base_url)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(EARLY, self.log_text())
        os.unlink(self.log)
        # localhost is libcurl's to resolve (always to loopback): no early connection.
        r = self.bl("lookup", EMAIL, base=plain.base_url.replace("127.0.0.1", "localhost"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn(EARLY, self.log_text())

    def test_a_name_is_looked_up_once_and_connected_to_early(self):
        # localhost: a name (the stand-in's certificate names it), resolved by the
        # early connection's thread and handed to libcurl, which does not look it up.
        base = f"https://localhost:{self.relay.port}/wcf-services"
        r = self.bl("lookup", EMAIL, base=base)
        self.assertEqual(r.returncode, 0, r.stderr)
        text = self.log_text()
        self.assertIn("Added localhost:%d:" % self.relay.port, text)
        self.assertIn("found in DNS cache", text)
        # The relay listens on 127.0.0.1 only: the early connection serves when the
        # name's first address is that one (getaddrinfo's order, as here); when it is
        # ::1, it is refused and libcurl goes on to 127.0.0.1 as it always does.
        first = socket.getaddrinfo("localhost", self.relay.port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_ADDRCONFIG)[0][4][0]
        if first == "127.0.0.1":
            self.assertIn(EARLY, text)
            self.assertEqual(len(self.relay.accepted_before(self)), 1, text)
        else:
            self.assertNotIn(EARLY, text)

    def test_through_a_proxy_the_api_host_is_never_connected_to_directly(self):
        proxy = ConnectProxy()
        self.addCleanup(proxy.stop)
        env = dict(self.env, https_proxy=proxy.url)
        r = self.bl("lookup", EMAIL, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(proxy.request_lines, [f"CONNECT 127.0.0.1:{self.relay.port} HTTP/1.1"])
        # The one connection the relay saw is the proxy's tunnel.
        self.assertEqual(len(self.relay.accepted_before(self)), 1)
        self.assertNotIn(EARLY, self.log_text())

    def test_a_command_without_the_api_opens_nothing(self):
        r = self.bl("history")
        self.assertIn(r.returncode, (0, 1), r.stderr)
        r = self.bl("keys")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.relay.accepted_before(self), [])


if __name__ == "__main__":
    unittest.main()
