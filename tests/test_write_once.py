"""A write is sent once (SPEC "How every change runs", step 4): never again by us, and
never by libcurl, which resends a POST on a reused connection that died before the first
byte of its reply (NOTES.md). Drives the real client and libcurl (tests/lib/write_once.c)
against a loopback API whose writes lose their reply (tests/lib/drop_api.py)."""
import os
import shutil
import socket
import subprocess
import tempfile
import unittest

import harness
from drop_api import DropApi

HELPER = os.path.join(harness.BUILD, "tests", "write_once")
NEW_PASSWORD = "n3w-Secret-pass"


def free_port():
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WriteOnce(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="bl-write-once-")
        cls.pki = harness.make_pki(cls.dir)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def drive(self, base_url, *calls, timeout=None, preload=None, env=None):
        """Runs the helper; returns {call: {field: value}} from its lines."""
        args = [HELPER, base_url, "--cacert", self.pki["ca"]]
        if timeout is not None:
            args += ["--timeout", str(timeout)]
        env = dict(os.environ, BOXLOGIN_TEST_NEW_PASSWORD=NEW_PASSWORD, **(env or {}))
        if preload is not None:
            env["LD_PRELOAD"] = preload
        p = subprocess.run(args + list(calls), env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        out = {}
        for line in p.stdout.splitlines():
            name, rest = line.split(": ", 1)
            head, message = rest.split(" message=", 1)
            out[name] = dict(kv.split("=", 1) for kv in head.split()) | {"message": message}
        self.assertEqual(list(out), list(calls), p.stdout)
        return out

    def serve(self, mode, tls=True, **kw):
        api = DropApi(mode, cert=self.pki["server"] if tls else None, **kw)
        self.addCleanup(api.stop)
        return api

    def assert_reply_lost_once(self, tls):
        api = self.serve("reset", tls=tls)
        out = self.drive(api.base_url, "profile", "password")
        self.assertEqual(out["profile"]["status"], "200")
        self.assertEqual(out["profile"]["kind"], "ok")
        # The server saw the write once, on the connection of the read before it.
        writes = api.writes()
        self.assertEqual(len(writes), 1, api.requests())
        self.assertEqual(writes[0]["connection"], api.requests()[0]["connection"])
        self.assertEqual(writes[0]["body"]["customer_new_password"], NEW_PASSWORD)
        self.assertEqual(writes[0]["body"]["customer_email"], "johndoe@email.com")
        self.assertEqual(writes[0]["body"]["customer_box_id"], 811111)
        # And the client says its reply was lost: unknown, not "not sent".
        w = out["password"]
        self.assertEqual(w["sent"], "resend-stopped", w)
        self.assertEqual(w["write"], "unknown", w)
        self.assertEqual(w["kind"], "network", w)
        self.assertIn("after the request was sent", w["message"])
        self.assertIn("may or may not", w["message"])

    def test_a_write_whose_connection_dies_is_not_sent_again_tls(self):
        self.assert_reply_lost_once(tls=True)

    def test_a_write_whose_connection_dies_is_not_sent_again_plain(self):
        self.assert_reply_lost_once(tls=False)

    def test_a_write_that_could_not_connect_was_certainly_not_sent(self):
        out = self.drive(f"http://127.0.0.1:{free_port()}/wcf-services", "password")
        w = out["password"]
        self.assertEqual((w["sent"], w["write"], w["kind"]), ("not-sent", "not-sent", "network"), w)

    def test_a_write_that_times_out_is_not_sent_again(self):
        api = self.serve("stall", tls=True, stall_s=3)
        out = self.drive(api.base_url, "profile", "password", timeout=1)
        self.assertEqual(len(api.writes()), 1, api.requests())
        w = out["password"]
        self.assertEqual((w["sent"], w["write"], w["kind"]), ("sent", "unknown", "network"), w)
        self.assertIn("within 1.0 s", w["message"])

    def test_a_write_answered_404_is_an_answer(self):
        # No fallback to another path for a write: the 404 is its reply.
        api = self.serve("404", tls=True)
        out = self.drive(api.base_url, "password")
        self.assertEqual(len(api.requests()), 1, api.requests())
        w = out["password"]
        self.assertEqual((w["status"], w["sent"], w["write"], w["kind"]),
                         ("404", "sent", "answered", "ok"), w)

    def test_the_new_password_leaves_no_unwiped_copy(self):
        # Every block freed (ours, cJSON's, libcurl's, OpenSSL's) is searched for it.
        check = os.path.join(harness.BUILD, "tests", "secret_check.so")
        if harness.SANITIZED or not os.path.exists(check):
            self.skipTest("the secret check runs in the plain build")
        secrets = os.path.join(self.dir, "secrets")
        with open(secrets, "w") as f:
            f.write(f"new_password={NEW_PASSWORD}\n")
        api = self.serve("reset", tls=True)
        out = self.drive(api.base_url, "profile", "password", preload=check,
                         env={"BOXLOGIN_SECRET_CHECK": secrets})
        self.assertEqual(out["password"]["write"], "unknown")
        self.assertFalse(os.path.exists(secrets + ".hits"), open(secrets + ".hits").read()
                         if os.path.exists(secrets + ".hits") else "")


if __name__ == "__main__":
    unittest.main()
