"""Hardening of the history file, with real processes on real files: no line lost by
concurrent writers on a full file, an append that stays cheap, a short write that leaves
no torn line, and a huge file that is read only in part."""
import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import tempfile
import time
import unittest

import harness

MAX_LINES = 10000
TRIM_AT = 11000


def old_line(i):
    return ('{"time":"2025-01-01T00:00:00Z","environment":"test","action":"login",'
            '"email":"old%05d@example.com","box_id":811111,"outcome":"session"}\n' % i).encode()


class HistoryFile(unittest.TestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="bl-history-")
        self.state = os.path.join(self.home, "state")
        self.env = harness.clean_env(self.home, {"XDG_STATE_HOME": self.state})
        self.file = os.path.join(self.state, "boxlogin", "history")
        os.makedirs(os.path.dirname(self.file), mode=0o700)

    def tearDown(self):
        shutil.rmtree(self.home, ignore_errors=True)

    def fill(self, lines, tail=b""):
        with open(self.file, "wb") as f:
            f.write(b"".join(old_line(i) for i in range(lines)) + tail)
        os.chmod(self.file, 0o600)

    def append_cmd(self, email):
        """A lookup that fails at once (nothing listens on port 1) and is noted in the history."""
        return [harness.BIN, "login", "--email", email, "--password-stdin", "--no-keyring",
                "--base-url", "http://127.0.0.1:1/wcf-services"]

    def append(self, email, **kw):
        r = subprocess.run(self.append_cmd(email), input="pw\n", env=self.env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=30, **kw)
        self.assertEqual(r.returncode, 3, r.stderr)
        return r

    def lines(self):
        with open(self.file, "rb") as f:
            return f.read().split(b"\n")[:-1]

    def entries(self):
        return [json.loads(line) for line in self.lines()]

    def writers(self, count, per_writer):
        """count processes at once, each appending per_writer lines in a tight loop; returns
        the emails written."""
        script = ('for i in $(seq 1 %d); do echo pw | "$0" login --email "w$1-$i@example.com" '
                  '--password-stdin --no-keyring --base-url http://127.0.0.1:1/wcf-services '
                  '>/dev/null 2>>"$2"; done' % per_writer)
        errors = os.path.join(self.home, "errors")
        procs = [subprocess.Popen(["sh", "-c", script, harness.BIN, str(w), errors], env=self.env)
                 for w in range(count)]
        for p in procs:
            p.wait(60)
        with open(errors) as f:
            warnings = [line for line in f if "history" in line]
        self.assertEqual(warnings, [])
        return {"w%d-%d@example.com" % (w, i) for w in range(count) for i in range(1, per_writer + 1)}

    # Item 1: no line is lost, an append is O(1), a trim is rare.
    def test_sixteen_writers_on_a_full_history_lose_no_line(self):
        self.fill(MAX_LINES)
        wrote = self.writers(16, 12)
        got = [e["email"] for e in self.entries()]
        self.assertEqual(wrote - set(got), set())
        self.assertEqual(len(got), MAX_LINES + len(wrote))

    def test_writers_across_a_trim_lose_no_line(self):
        self.fill(TRIM_AT - 60)
        wrote = self.writers(16, 12)
        got = [e["email"] for e in self.entries()]
        self.assertEqual(wrote - set(got), set())
        self.assertGreaterEqual(len(got), MAX_LINES)
        self.assertLessEqual(len(got), TRIM_AT)
        # Only the oldest lines went, and they went from the start of the file.
        old = [g for g in got if g.startswith("old")]
        self.assertEqual(old, ["old%05d@example.com" % i for i in range(TRIM_AT - 60 - len(old), TRIM_AT - 60)])

    def test_an_append_to_a_full_history_does_not_rewrite_it(self):
        self.fill(MAX_LINES)
        before = os.stat(self.file)
        self.append("one@example.com")
        after = os.stat(self.file)
        self.assertEqual((after.st_ino, after.st_dev), (before.st_ino, before.st_dev))
        self.assertEqual(len(self.lines()), MAX_LINES + 1)
        self.assertEqual(self.entries()[-1]["email"], "one@example.com")

    def test_past_eleven_thousand_lines_the_file_is_trimmed_to_ten_thousand(self):
        self.fill(TRIM_AT)
        for i in range(60):
            self.append("t%d@example.com" % i)
        got = self.entries()
        self.assertLessEqual(len(got), TRIM_AT)
        self.assertGreaterEqual(len(got), MAX_LINES)
        self.assertEqual([e["email"] for e in got[-60:]], ["t%d@example.com" % i for i in range(60)])
        self.assertEqual(stat.S_IMODE(os.stat(self.file).st_mode), 0o600)

    # Item 2: a short write is cut back; a line torn before does not swallow the next.
    def test_a_short_write_leaves_no_torn_line(self):
        self.fill(5)
        size = os.path.getsize(self.file)

        def small_disk():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (size + 20, size + 20))

        r = subprocess.run(self.append_cmd("cut@example.com"), input="pw\n", env=self.env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=30,
                           preexec_fn=small_disk)
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("history", r.stderr)
        self.assertEqual(os.path.getsize(self.file), size)
        self.append("next@example.com")
        self.assertEqual([e["email"] for e in self.entries()][-2:], ["old00004@example.com", "next@example.com"])

    def test_a_line_torn_before_does_not_swallow_the_next(self):
        self.fill(3, tail=b'{"time":"2025-01-01T00:00:00Z","envir')
        self.append("next@example.com")
        self.assertEqual(json.loads(self.lines()[-1])["email"], "next@example.com")
        r = harness.boxlogin(["history", "--json"], self.env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([e["email"] for e in json.loads(r.stdout)][:2],
                         ["next@example.com", "old00002@example.com"])

    # Item 3: a huge file of few lines is read only in part, by appends and by `history`.
    def test_a_huge_history_of_few_lines_is_cut_down_by_size(self):
        self.fill(2)
        with open(self.file, "ab") as f:
            f.truncate(1 << 30)
        self.append("big@example.com")
        self.assertLess(os.path.getsize(self.file), 16 << 20)
        self.assertEqual(self.entries()[-1]["email"], "big@example.com")

    def read_bytes(self, args):
        """What the command reads from files (the history, here), traced with strace."""
        trace = os.path.join(self.home, "trace")
        try:
            # LeakSanitizer cannot run under ptrace: a sanitized build is traced without it.
            env = dict(self.env, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
            r = subprocess.run(["strace", "-f", "-o", trace, "-e", "trace=read,pread64", *args],
                               input="pw\n", env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, timeout=60)
        except FileNotFoundError:
            self.skipTest("no strace")
        if not os.path.exists(trace):
            self.skipTest("strace cannot trace here: " + r.stderr)
        total = 0
        with open(trace) as f:
            for line in f:
                if "pread64(" in line and " = " in line:
                    n = line.rsplit(" = ", 1)[1].split()[0]
                    total += int(n) if n.isdigit() else 0
        return total

    def test_history_reads_a_bounded_part_of_a_huge_file(self):
        with open(self.file, "wb") as f:
            f.truncate(1 << 30)
            f.seek(1 << 30)
            f.write(b"\n" + old_line(1) + old_line(2))
        os.chmod(self.file, 0o600)
        got = self.read_bytes([harness.BIN, "history", "--json"])
        self.assertLess(got, 16 << 20)
        r = harness.boxlogin(["history", "--json"], self.env)
        self.assertEqual([e["email"] for e in json.loads(r.stdout)], ["old00002@example.com", "old00001@example.com"])

    def test_an_append_reads_a_bounded_part_of_a_huge_file(self):
        with open(self.file, "wb") as f:
            f.truncate(1 << 30)
        os.chmod(self.file, 0o600)
        self.append("first@example.com")
        with open(self.file, "ab") as f:
            f.truncate(1 << 30)
        got = self.read_bytes(self.append_cmd("second@example.com"))
        self.assertLess(got, 16 << 20)


if __name__ == "__main__":
    unittest.main()
