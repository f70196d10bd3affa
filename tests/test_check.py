"""boxlogin check: many partner lookups at once (SPEC "Checking many accounts"), and the
--csv of shipments and history, against the stand-in API."""
import csv
import io
import json
import os
import pty
import re
import select
import signal
import subprocess
import tempfile
import time
import unittest

import harness

PARTNER = "/wcf-services/service-partner.svc/partner/customer-get-info"
# A progress line as drawn: the line cleared, then its text (the last one clears it only).
CLEAR = b"\r\x1b[K"
PROGRESS = re.compile(r"(\d+)/(\d+) checked, ([\d.]+)/s, (\d+) errors?(?:, about (\d+) s left)?$")


def read_until_exit(p, fd, timeout):
    """The bytes read from fd (a pty's master) while p runs, as (seconds since the start,
    bytes) chunks, until the pty is closed on the other side."""
    chunks, start, deadline = [], time.monotonic(), time.monotonic() + timeout
    while time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 0.05)
        if not r:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the slave is closed
            break
        if not data:
            break
        chunks.append((time.monotonic() - start, data))
    return chunks


def draws(chunks):
    """The progress lines drawn, as (time read, text): what follows each clear."""
    raw, stamps, out = b"", [], []
    for t, d in chunks:
        stamps.append((len(raw), t))
        raw += d
    at = raw.find(CLEAR)
    while at >= 0:
        end = raw.find(CLEAR, at + len(CLEAR))
        text = raw[at + len(CLEAR):end if end >= 0 else len(raw)]
        if text:
            out.append((max(t for off, t in stamps if off <= at), text.decode()))
        at = end
    return out


class Check(harness.ApiTestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        self.env = harness.clean_env(self.home, {"XDG_STATE_HOME": os.path.join(self.home, "state")})
        self.api.clear()

    def base(self):
        return ["--base-url", self.api.base_url, "--cacert", self.pki["ca"]]

    def run_check(self, *args, stdin=None, text=None, env=None, keyring=False, timeout=120):
        if text is not None:
            path = os.path.join(self.home, "list.txt")
            with open(path, "w") as f:
                f.write(text)
            args = (path, *args)
        extra = [] if keyring else ["--no-keyring"]
        return harness.boxlogin(["check", *args, *self.base(), *extra], env or self.env,
                                stdin=stdin if stdin is not None else "", timeout=timeout)

    def sent(self):
        return [r["body"]["customer_email"] for r in self.api.posts() if r["path"] == PARTNER]

    def history(self):
        path = os.path.join(self.home, "state", "boxlogin", "history")
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [json.loads(line) for line in f]

    def csv_rows(self, out):
        return list(csv.DictReader(io.StringIO(out, newline="")))

    def test_plain_list_in_order_once_each_with_bad_lines_named(self):
        r = self.run_check("--csv", text="# a comment\n\n  Bulk0001@check.example \nnot an email\n"
                           "johndoe@email.com\nbulk0001@check.example\nBULK0002@check.example\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = self.csv_rows(r.stdout)
        self.assertEqual([x["email"] for x in rows],
                         ["bulk0001@check.example", "johndoe@email.com", "bulk0002@check.example"])
        self.assertIn("line 4: not an email: not an email", r.stderr)
        # Sent trimmed but as typed; the duplicate never.
        self.assertEqual(sorted(self.sent()),
                         sorted(["Bulk0001@check.example", "johndoe@email.com", "BULK0002@check.example"]))

    def test_csv_input_with_quoted_cells_and_other_columns(self):
        text = ('name,"E-mail",EMAIL,notes\n'
                '"Doe, John",x,johndoe@email.com,"said ""hi"""\n'
                '"Multi\nline",x,bulk0004@check.example,"a\nb"\n'
                '# skipped\n'
                'Nobody,x,nobody,\n')
        r = self.run_check("--csv", text=text)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([x["email"] for x in self.csv_rows(r.stdout)],
                         ["johndoe@email.com", "bulk0004@check.example"])
        self.assertIn("line 7: not an email: nobody", r.stderr)
        self.assertNotIn("line 5", r.stderr)

    def test_standard_input_with_a_dash(self):
        r = self.run_check("-", "--json", stdin="bulk0005@check.example\nbulk0006@check.example\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        got = json.loads(r.stdout)
        self.assertEqual([x["email"] for x in got["results"]],
                         ["bulk0005@check.example", "bulk0006@check.example"])

    def test_json_shape_counts_and_exit_status_of_a_rejection(self):
        r = self.run_check("--json", text="bulk0011@check.example\nbulk0013@check.example\n"
                           "bulk0017@check.example\n")
        self.assertEqual(r.returncode, 1, r.stderr)
        got = json.loads(r.stdout)
        self.assertEqual(list(got), ["environment", "results", "checked", "counts"])
        self.assertEqual(got["environment"], "test")
        self.assertEqual(got["checked"], 3)
        self.assertEqual(got["counts"], {"session": 2, "rejected": 1, "network": 0, "server": 0})
        keys = ["email", "box_id", "first_name", "last_name", "name", "active", "vip", "business",
                "enabled", "verified", "outcome", "message"]
        for x in got["results"]:
            self.assertEqual(list(x), keys)
        ok, disabled, unknown = got["results"]
        self.assertEqual((ok["box_id"], ok["enabled"], ok["outcome"], ok["message"]), (700011, True, "session", None))
        self.assertEqual((disabled["enabled"], disabled["active"]), (False, False))
        self.assertEqual((unknown["outcome"], unknown["box_id"], unknown["enabled"]), ("rejected", None, None))
        self.assertIn("not registered", unknown["message"])
        self.assertNotIn("key", r.stdout.replace("customer_key", ""))

    def test_a_malformed_csv_record_is_a_bad_line_not_a_failure(self):
        # A quote inside a cell, and one that never closes: each is one bad line, and the
        # lines around them are still checked (the run used to end as out of memory).
        text = ('email,name\n'
                'johndoe@email.com,ok\n'
                'x"y,"a@b.com\n'
                'bulk0004@check.example,ok\n'
                '"bulk0001@check.example,never closed\n')
        r = self.run_check("--csv", text=text)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([x["email"] for x in self.csv_rows(r.stdout)],
                         ["johndoe@email.com", "bulk0004@check.example"])
        self.assertIn("line 3: not an email", r.stderr)
        self.assertIn("line 5: not an email", r.stderr)

    def test_a_stray_quote_does_not_swallow_the_rest_of_a_large_list(self):
        # An unterminated quote: the record stops at a bounded size, the run ends.
        text = 'email\n"O\n' + "".join("x%d,%s\n" % (i, "y" * 60) for i in range(3000)) + \
               "johndoe@email.com\n"
        r = self.run_check("--csv", text=text, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("line 2: not an email", r.stderr)

    def test_a_line_with_a_nul_byte_is_a_bad_line(self):
        path = os.path.join(self.home, "nul.txt")
        with open(path, "wb") as f:
            f.write(b"johndoe@email.com\x00junk\nbulk0004@check.example\n")
        r = self.run_check("--json", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([x["email"] for x in json.loads(r.stdout)["results"]], ["bulk0004@check.example"])
        self.assertIn("line 1: not an email", r.stderr)

    def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(self):
        r = self.run_check("--csv", text="formula@check.example\nbulk0027@check.example\nformula2@check.example\n")
        self.assertEqual(r.returncode, 1, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "email,box_id,first_name,last_name,active,vip,business,enabled,outcome,message")
        rows = self.csv_rows(r.stdout)
        self.assertEqual(rows[0]["first_name"], "'=HYPERLINK(\"http://x\")")
        self.assertEqual(rows[0]["last_name"], "'+Sum")
        self.assertEqual(rows[0]["box_id"], "799990")
        self.assertEqual(rows[0]["active"], "true")
        self.assertEqual(rows[1]["enabled"], "")
        self.assertEqual(rows[1]["outcome"], "rejected")
        self.assertEqual((rows[2]["first_name"], rows[2]["last_name"]), ("'-2+3", "'@SUM(A1:A2)"))
        # Cells that are not text (the box ID, the flags) keep what they are.
        self.assertEqual(rows[2]["box_id"], "799992")

    def test_no_progress_without_a_terminal(self):
        # Long enough (about 1.2 s) that a terminal would have seen the line redrawn.
        emails = ["slow%04d@check.example" % i for i in range(12)]
        r = self.run_check("--concurrency", "2", text="\n".join(emails) + "\n")
        self.assertEqual(r.returncode, 1, r.stderr)  # slow0007 is unknown
        for x in ("\r", "\x1b", "checked", "/s"):
            self.assertNotIn(x, r.stderr)
        for e in emails:
            self.assertIn(e, r.stdout)

    def check_on_a_terminal(self, *args, text, timeout=60):
        """Runs check with stderr on a pty (stdout a pipe): (status, stdout, stderr chunks)."""
        path = os.path.join(self.home, "list.txt")
        with open(path, "w") as f:
            f.write(text)
        master, slave = pty.openpty()
        p = subprocess.Popen([harness.BIN, "check", path, *args, "--no-keyring", *self.base()], env=self.env,
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave)
        os.close(slave)
        try:
            chunks = read_until_exit(p, master, timeout)
        finally:
            os.close(master)
        out = p.stdout.read().decode()
        p.stdout.close()
        return p.wait(timeout), out, chunks

    def test_progress_on_a_terminal_at_most_ten_times_a_second(self):
        # 60 accounts answered after 0.2 s each, 4 at a time, and one that fails twice
        # (its retry 1 s later): about 3 s of progress.
        emails = ["slow%04d@check.example" % i for i in range(30)] + ["down@check.example"] + \
            ["slow%04d@check.example" % i for i in range(30, 60)]
        status, out, chunks = self.check_on_a_terminal("--csv", text="# list\n" + "\n".join(emails) + "\n")
        self.assertEqual(status, 4, chunks)
        self.assertEqual([x["email"] for x in self.csv_rows(out)], emails)
        drawn = draws(chunks)
        lines = [PROGRESS.match(x) for _, x in drawn]
        self.assertTrue(all(lines), drawn)
        done = [int(m.group(1)) for m in lines]
        # done of the total (the file's 61 emails, the comment not counted), never going back.
        self.assertEqual({int(m.group(2)) for m in lines}, {61})
        self.assertEqual(done, sorted(done))
        self.assertGreater(done[-1], 40)
        self.assertTrue(any(float(m.group(3)) > 5 for m in lines), drawn)
        self.assertEqual(lines[-1].group(4), "1")
        left = [int(m.group(5)) for m in lines if m.group(5) is not None]
        # No estimate from the first few answers (they carry the connections' set-up).
        self.assertTrue(left and all(x <= 10 for x in left), drawn)
        self.assertLessEqual(left[-1], 2)
        # At most ten times a second over the run (the first draw at once), and taken
        # off at the end: the last bytes clear the line.
        span = drawn[-1][0] - drawn[0][0]
        self.assertGreater(span, 1.5)
        self.assertLessEqual(len(drawn), 10 * span + 2, drawn)
        self.assertTrue(b"".join(d for _, d in chunks).endswith(CLEAR))

    def test_progress_counts_only_the_emails_whose_outcome_is_known(self):
        # Four accounts that answer after 1.5 s, all sent at once: until then the line
        # says none is done.
        emails = ["late%04d@check.example" % i for i in range(4)]
        status, out, chunks = self.check_on_a_terminal("--concurrency", "8", "--json",
                                                       text="\n".join(emails) + "\n")
        self.assertEqual(status, 0, chunks)
        self.assertEqual(json.loads(out)["checked"], 4)
        drawn = draws(chunks)
        early = [x for t, x in drawn if t < drawn[0][0] + 1.2]
        self.assertGreaterEqual(len(early), 5, drawn)
        for x in early:
            self.assertTrue(x.startswith("0/4 checked, 0.0/s, 0 errors"), drawn)

    def test_progress_reading_a_pipe_with_the_rows_on_the_same_terminal(self):
        # stdout and stderr on one terminal, the list from a pipe: the line has no
        # total, and is taken off before rows are written, so that each row starts its
        # own line.
        emails = ["slow%04d@check.example" % i for i in range(300, 320)]
        master, slave = pty.openpty()
        p = subprocess.Popen([harness.BIN, "check", "--csv", "--concurrency", "2", "--no-keyring", *self.base()],
                             env=self.env, stdin=subprocess.PIPE, stdout=slave, stderr=slave)
        os.close(slave)
        try:
            p.stdin.write(("\n".join(emails) + "\n").encode())
            p.stdin.close()
            chunks = read_until_exit(p, master, 60)
        finally:
            os.close(master)
        self.assertEqual(p.wait(30), 1)  # slow0307 is unknown
        drawn = [x.split("\r\n")[0] for _, x in draws(chunks)]
        self.assertGreater(len(drawn), 3, chunks)
        for x in drawn:
            if "@" not in x:
                self.assertRegex(x, r"^\d+ checked, [\d.]+/s, \d+ errors?$")
        raw = b"".join(d for _, d in chunks)
        rows = [line for line in raw.split(b"\n") if b"@check.example," in line]
        self.assertEqual(len(rows), 20, raw)
        for line in rows:
            self.assertTrue(line.rsplit(CLEAR, 1)[-1].startswith(b"slow0"), line)

    def test_a_slow_input_does_not_hold_the_lookups_on_their_way(self):
        # Half the list, then nothing for a while: the first half's rows come out
        # before the rest is written.
        first = ["bulk%04d@check.example" % i for i in range(100, 106)]
        rest = ["bulk%04d@check.example" % i for i in range(106, 112)]
        p = subprocess.Popen([harness.BIN, "check", "-", "--csv", "--concurrency", "4", "--no-keyring",
                              *self.base()], env=self.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        try:
            p.stdin.write(("\n".join(first) + "\n").encode())
            p.stdin.flush()
            got, deadline = b"", time.monotonic() + 10
            while got.count(b"\n") < 1 + len(first) and time.monotonic() < deadline:
                r, _, _ = select.select([p.stdout], [], [], 0.1)
                if r:
                    got += os.read(p.stdout.fileno(), 65536)
            self.assertEqual([x["email"] for x in self.csv_rows(got.decode())], first)
            p.stdin.write(("\n".join(rest) + "\n").encode())
            p.stdin.close()
            out = got + p.stdout.read()
            self.assertEqual(p.wait(30), 1, p.stderr.read())  # bulk0107 is unknown
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
            p.stdout.close()
            p.stderr.close()
        self.assertEqual([x["email"] for x in self.csv_rows(out.decode())], first + rest)

    def test_a_server_error_is_retried_once(self):
        r = self.run_check("--json", text="flaky@check.example\ndown@check.example\n")
        self.assertEqual(r.returncode, 4, r.stderr)
        got = json.loads(r.stdout)
        self.assertEqual([x["outcome"] for x in got["results"]], ["session", "server"])
        self.assertEqual(sorted(self.sent()), ["down@check.example"] * 2 + ["flaky@check.example"] * 2)
        times = [x["time"] for x in self.api.posts() if x["body"]["customer_email"] == "down@check.example"]
        self.assertGreaterEqual(times[1] - times[0], 0.9)

    def test_a_401_stops_the_check(self):
        emails = ["bulk%04d@check.example" % i for i in range(40, 43)] + ["unauthorized@example.com"] + \
            ["slow%04d@check.example" % i for i in range(50)]
        r = self.run_check("--json", "--concurrency", "1", text="\n".join(emails) + "\n")
        self.assertEqual(r.returncode, 1, r.stderr)
        got = json.loads(r.stdout)
        self.assertEqual([x["email"] for x in got["results"]], emails[:4])
        self.assertEqual(got["results"][3]["outcome"], "rejected")
        self.assertLessEqual(len(self.sent()), 5)
        self.assertIn("boxlogin:", r.stderr)

    def test_ctrl_c_writes_what_is_done_and_exits_130(self):
        path = os.path.join(self.home, "slow.txt")
        with open(path, "w") as f:
            f.write("".join("slow%04d@check.example\n" % i for i in range(200)))
        log = os.path.join(self.home, "check.log")
        p = subprocess.Popen([harness.BIN, "check", path, "--json", "--concurrency", "2", "--no-keyring",
                              "--log", log, *self.base()], env=self.env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        p.send_signal(signal.SIGINT)
        stopped = time.time()
        out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 130, err)
        got = json.loads(out)
        n = len(got["results"])
        self.assertGreater(n, 0)
        self.assertLess(n, 200)
        self.assertEqual(got["checked"], n)
        self.assertEqual(sum(got["counts"].values()), n)
        self.assertEqual([x["email"] for x in got["results"]], ["slow%04d@check.example" % i for i in range(n)])
        # Nothing is sent after Ctrl-C: what was sent is what was written and the two
        # on their way then. The program's log (whole: it has ended) says what it sent;
        # the stand-in logs a request as it arrives, so it is read once it has them all.
        on_wire = open(log).read().count("> POST " + PARTNER + " ")
        self.assertLessEqual(on_wire, n + 2)
        deadline = time.time() + 5
        while len([x for x in self.api.posts() if x["path"] == PARTNER]) < on_wire and time.time() < deadline:
            time.sleep(0.02)
        sent = [x for x in self.api.posts() if x["path"] == PARTNER]
        self.assertLessEqual(len(sent), n + 2)
        self.assertEqual([x for x in sent if x["time"] > stopped + 0.1], [])
        self.assertEqual([x["action"] for x in self.history()], ["check"] * n)

    def test_a_403_stops_the_check(self):
        emails = ["bulk0044@check.example", "forbidden@example.com"] + \
            ["slow%04d@check.example" % i for i in range(100, 140)]
        log = os.path.join(self.home, "check.log")
        r = self.run_check("--csv", "--concurrency", "2", "--log", log, text="\n".join(emails) + "\n")
        self.assertEqual(r.returncode, 1, r.stderr)
        rows = self.csv_rows(r.stdout)
        got = [x["email"] for x in rows]
        # The lookup of bulk0044 runs beside forbidden's: when the 403 comes first it is
        # cancelled and has no row (seen on a sanitised build); what is written is in
        # input order, the refusal included.
        self.assertEqual(got, [e for e in emails if e in got])
        self.assertIn("forbidden@example.com", got)
        self.assertEqual(rows[got.index("forbidden@example.com")]["outcome"], "rejected")
        # At once: at most the lookups on their way then, never the rest of the list.
        self.assertLessEqual(len(rows), 3)
        self.assertLessEqual(len(self.sent()), 4)
        # What the program sent, from its own log (whole: it has ended), not only what
        # the stand-in had logged by then.
        self.assertLessEqual(open(log).read().count("> POST " + PARTNER + " "), 4)
        self.assertIn("boxlogin:", r.stderr)

    def test_ctrl_c_while_the_input_is_waited_for(self):
        # Every email sent is done, and the pipe is open but silent: Ctrl-C ends the
        # wait for it, with what is done written.
        p = subprocess.Popen([harness.BIN, "check", "--json", "--no-keyring", *self.base()], env=self.env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            p.stdin.write(b"bulk0091@check.example\nbulk0092@check.example\n")
            p.stdin.flush()
            deadline = time.monotonic() + 10
            while len([x for x in self.api.posts() if x["path"] == PARTNER]) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.5)
            p.send_signal(signal.SIGINT)
            out, err = p.communicate(timeout=10)
        finally:
            if p.poll() is None:
                p.kill()
                p.communicate()
        self.assertEqual(p.returncode, 130, err)
        got = json.loads(out)
        self.assertEqual([x["email"] for x in got["results"]], ["bulk0091@check.example", "bulk0092@check.example"])

    def test_history_has_a_check_line_per_email(self):
        r = self.run_check(text="bulk0061@check.example\nbulk0067@check.example\nbulk0061@check.example\n")
        self.assertEqual(r.returncode, 1, r.stderr)
        lines = self.history()
        self.assertEqual([(x["action"], x["email"], x["box_id"], x["outcome"]) for x in lines],
                         [("check", "bulk0061@check.example", 700061, "session"),
                          ("check", "bulk0067@check.example", None, "rejected")])
        r = harness.boxlogin(["history", "--json"], self.env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(json.loads(r.stdout)), 2)

    def test_nothing_is_stored_in_the_keyring(self):
        keyring = harness.Keyring(self.home)
        self.addCleanup(keyring.stop)
        r = self.run_check(text="johndoe@email.com\nbulk0071@check.example\n", env=keyring.env, keyring=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        for email in ("johndoe@email.com", "bulk0071@check.example"):
            s = keyring.secret_tool("search", "--all", "email", email)
            self.assertNotIn("secret", s.stdout + s.stderr)
        self.assertNotIn(harness.DOC_KEY, r.stdout + r.stderr)

    def test_a_thousand_emails_over_eight_connections(self):
        emails = ["bulk%04d@check.example" % i for i in range(1000)]
        r = self.run_check("--csv", "--concurrency", "8", text="\n".join(emails) + "\n")
        self.assertEqual(r.returncode, 1, r.stderr)  # every tenth is unknown
        rows = self.csv_rows(r.stdout)
        self.assertEqual([x["email"] for x in rows], emails)
        self.assertEqual(sum(x["outcome"] == "rejected" for x in rows), 100)
        self.assertEqual(sum(x["enabled"] == "false" for x in rows), 100)
        posts = [x for x in self.api.posts() if x["path"] == PARTNER]
        self.assertEqual(len(posts), 1000)
        self.assertLessEqual(len({x["connection"] for x in posts}), 8)

    def test_one_connection_sends_the_next_email_as_soon_as_one_is_done(self):
        # One at a time, each lookup a few ms on loopback: the next goes out when the
        # last is done (it used to wait for the loop's 100 ms tick: 3 s for these 30).
        emails = ["bulk%04d@check.example" % i for i in range(200, 230)]
        start = time.monotonic()
        r = self.run_check("--csv", "--concurrency", "1", text="\n".join(emails) + "\n")
        wall = time.monotonic() - start
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(len(self.csv_rows(r.stdout)), 30)
        self.assertLess(wall, 1.5)

    def test_usage_errors(self):
        for args in (["--concurrency", "0"], ["--concurrency", "17"], ["--concurrency", "x"],
                     ["--csv", "--json"]):
            r = self.run_check(*args, text="johndoe@email.com\n")
            self.assertEqual(r.returncode, 2, (args, r.stderr))
        self.assertEqual(self.sent(), [])
        r = harness.boxlogin(["lookup", "johndoe@email.com", "--csv", *self.base()], self.env)
        self.assertEqual(r.returncode, 2)

    def test_history_csv(self):
        self.run_check(text="bulk0081@check.example\n")
        r = harness.boxlogin(["history", "--csv"], self.env)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "time,environment,action,email,box_id,outcome,fields,new_email")
        row = next(csv.reader([lines[1]]))
        self.assertEqual(row[1:], ["test", "check", "bulk0081@check.example", "700081", "session", "", ""])

    def test_shipments_csv(self):
        r = harness.boxlogin(["shipments", "johndoe@email.com", "--json", "--password-stdin", "--no-keyring",
                              *self.base()], self.env, stdin=harness.PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = json.loads(r.stdout)["shipments"]
        r2 = harness.boxlogin(["shipments", "johndoe@email.com", "--csv", "--password-stdin", "--no-keyring",
                               *self.base()], self.env, stdin=harness.PASSWORD + "\n")
        self.assertEqual(r2.returncode, 0, r2.stderr)
        got = list(csv.reader(io.StringIO(r2.stdout, newline="")))
        self.assertEqual(got[0], list(rows[0]))
        self.assertEqual(len(got), len(rows) + 1)


if __name__ == "__main__":
    unittest.main()
