#!/usr/bin/env python3
"""`make bench`: boxlogin's speed and memory, as ratios against a reference measured in
the same run (curl for the batch login, the targets of the speed work elsewhere), over
a delay proxy that adds --rtt-ms to every exchange with the stand-in API."""
import argparse
import fcntl
import json
import os
import pty
import re
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

LIB = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib")
sys.path.insert(0, LIB)

import harness  # noqa: E402
from tmux_pane import Pane  # noqa: E402

EMAIL = "johndoe@email.com"


class Proxy:
    def __init__(self, work, upstream_port, rtt_ms):
        port_file = os.path.join(work, "proxy.port")
        self.proc = subprocess.Popen([sys.executable, os.path.join(LIB, "delay_proxy.py"), "--upstream-port",
                                      str(upstream_port), "--rtt-ms", str(rtt_ms), "--port-file", port_file])
        deadline = time.time() + 10
        while not os.path.exists(port_file):
            if time.time() > deadline:
                raise RuntimeError("the delay proxy did not start")
            time.sleep(0.02)
        with open(port_file) as f:
            self.port = int(f.read())

    def stop(self):
        self.proc.terminate()
        self.proc.wait(5)


def timed(cmd, env, stdin=None):
    """(wall seconds, peak RSS KiB) of one run; fails loudly if the run failed."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if stdin is not None:
        p.stdin.write(stdin.encode())
    p.stdin.close()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    err = p.stderr.read().decode()
    p.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{cmd[0]} failed: {err}")
    return wall, usage.ru_maxrss


def instructions(cmd, env, stdin=None):
    r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd], env=env,
                       input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=300)
    m = re.search(r"Collected : (\d+)", r.stderr)
    if r.returncode != 0 or not m:
        raise RuntimeError("callgrind failed: " + r.stderr[-2000:])
    return int(m.group(1))


def ui_session(base_url, ca, env, log, extra, lookups, rtt_s):
    """Five lookups in a tmux pane; returns (Enter->session ms per lookup, RSS KiB, private KiB)."""
    p = Pane(["--base-url", base_url, "--cacert", ca, "--no-keyring", "--log", log, *extra], env)
    try:
        p.wait_for("Customer login")
        time.sleep(max(1.0, 10 * rtt_s))  # the agent types for a while: time for the warm-up
        for _ in range(lookups):
            p.type(EMAIL)
            p.keys("Tab")
            p.type(harness.PASSWORD)
            p.keys("Enter")
            p.wait_for("John Doe")
            p.keys("n")
            p.wait_for("Customer login")
            time.sleep(0.2)
        pid = p.pid()
        with open(f"/proc/{pid}/status") as f:
            rss = int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))
        with open(f"/proc/{pid}/smaps_rollup") as f:
            text = f.read()
        private = sum(int(x) for x in re.findall(r"Private_(?:Clean|Dirty):\s+(\d+)", text))
        p.keys("F10")
        p.exit_status()
    finally:
        p.close()
    with open(log) as f:
        ms = [float(m) for m in re.findall(r"login \d+: session ([\d.]+) ms after Enter", f.read())]
    return ms, rss, private


def form_drawn_ms(cmd, env):
    """Start to the form on screen, through a pty of 80x24: exec, libraries, config, first paint."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(cmd[0], cmd, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen, elapsed = b"", None
    while elapsed is None and time.perf_counter() - start < 10:
        r, _, _ = select.select([fd], [], [], 1)
        if r:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
            if b"Customer login" in seen:
                elapsed = (time.perf_counter() - start) * 1000
    os.write(fd, b"\x1b[21~")  # F10
    os.waitpid(pid, 0)
    os.close(fd)
    return elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--rtt-ms", type=float, default=60.0)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--out", help="also write the table here (Markdown)")
    a = ap.parse_args()
    binary = os.path.join(os.path.abspath(a.build), "boxlogin")
    rtt = a.rtt_ms / 1000
    work = tempfile.mkdtemp(prefix="boxlogin-bench-")
    pki = harness.make_pki(work)
    api = harness.StandIn(work, cert=pki["server"])
    proxy = Proxy(work, api.port, a.rtt_ms)
    base = f"https://127.0.0.1:{proxy.port}/wcf-services"
    env = harness.clean_env(os.path.join(work, "home"))
    os.makedirs(env["HOME"])
    env["TERM"] = "xterm-256color"
    rows = []
    try:
        # 1. batch login vs curl sending the identical POST, alternating.
        body = os.path.join(work, "body.json")
        with open(os.open(body, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
            json.dump({"user_code": 396, "app_key": harness.GENERIC_APP_KEY, "customer_email": EMAIL,
                       "customer_password": harness.PASSWORD,
                       "user_info": {"user_code": 396, "app_key": harness.GENERIC_APP_KEY}}, f,
                      separators=(",", ":"))
        bl = [binary, "login", "--email", EMAIL, "--password-stdin", "--json", "--base-url", base, "--cacert",
              pki["ca"], "--no-keyring"]
        curl = ["/usr/bin/curl", "-sS", "-o", "/dev/null", "--cacert", pki["ca"], "-H",
                "Content-Type: application/json", "-H", "Accept: application/json", "--data-binary", f"@{body}",
                base + "/service-customer.svc/customer/customer-login"]
        bl_runs, curl_runs = [], []
        for _ in range(a.runs):
            bl_runs.append(timed(bl, env, harness.PASSWORD + "\n"))
            curl_runs.append(timed(curl, env))
        bl_wall = statistics.median(w for w, _ in bl_runs) * 1000
        curl_wall = statistics.median(w for w, _ in curl_runs) * 1000
        rows.append(("batch login, median wall time", f"{bl_wall:.0f} ms", f"curl {curl_wall:.0f} ms",
                     bl_wall / curl_wall, "≤ 1.00"))
        bl_ins = instructions(bl, env, harness.PASSWORD + "\n")
        curl_ins = instructions(curl, env)
        rows.append(("batch login, instructions (callgrind)", f"{bl_ins / 1e6:.1f} M", f"curl {curl_ins / 1e6:.1f} M",
                     bl_ins / curl_ins, "≤ 1.00"))
        bl_rss = max(r for _, r in bl_runs)
        curl_rss = max(r for _, r in curl_runs)
        rows.append(("batch login, peak RSS", f"{bl_rss / 1024:.1f} MiB", f"curl {curl_rss / 1024:.1f} MiB",
                     bl_rss / curl_rss, "-"))

        # 2-4. the UI, with and without the warm-up.
        api.clear()
        warm_ms, rss, private = ui_session(base, pki["ca"], env, os.path.join(work, "warm.log"), [], 5, rtt)
        connections = len({r["connection"] for r in api.requests()})
        cold_ms, _, _ = ui_session(base, pki["ca"], env, os.path.join(work, "cold.log"), ["--no-prewarm"], 5, rtt)
        for label, ms, target in (("UI Enter → session, first lookup, warm-up on", warm_ms[0], "≤ 1.3 RTT"),
                                  ("UI Enter → session, next lookups, warm-up on", statistics.median(warm_ms[1:]),
                                   "≤ 1.3 RTT"),
                                  ("UI Enter → session, first lookup, warm-up off", cold_ms[0], "≈ 3 RTT"),
                                  ("UI Enter → session, next lookups, warm-up off",
                                   statistics.median(cold_ms[1:]), "-")):
            rows.append((label, f"{ms:.0f} ms", f"RTT {a.rtt_ms:.0f} ms", ms / a.rtt_ms, target))
        rows.append(("UI connections for five lookups (warm-up on)", f"{connections}", "target 1", connections / 1,
                     "1"))
        rows.append(("UI resident memory after five lookups", f"{rss / 1024:.1f} MiB", "target 12 MiB",
                     rss / 1024 / 12, "≤ 1.00"))
        rows.append(("UI private memory after five lookups", f"{private / 1024:.1f} MiB", "target 12 MiB",
                     private / 1024 / 12, "-"))

        # 5. start to the form on screen, and the floor of the measurement itself: a program that
        # prints the same words at once, started the same way.
        drawn, floor = [], []
        for _ in range(a.runs):
            drawn.append(form_drawn_ms([binary, "--base-url", base, "--cacert", pki["ca"], "--no-keyring"], env))
            floor.append(form_drawn_ms(["/bin/echo", "Customer login"], env))
        drawn, floor = statistics.median(drawn), statistics.median(floor)
        rows.append(("start → form drawn (pty, median)", f"{drawn:.1f} ms", f"echo {floor:.1f} ms", drawn / 30,
                     "≤ 1.00 of 30 ms"))
        rows.append(("start → form drawn, less the echo floor", f"{drawn - floor:.1f} ms", "target 30 ms",
                     (drawn - floor) / 30, "≤ 1.00"))
    finally:
        proxy.stop()
        api.stop()

    head = (f"boxlogin bench: RTT {a.rtt_ms:.0f} ms added by tests/lib/delay_proxy.py, {a.runs} alternating runs, "
            f"{time.strftime('%Y-%m-%d')}")
    lines = [head, "", "| measure | boxlogin | reference | ratio | target |", "|---|---|---|---|---|"]
    lines += [f"| {m} | {v} | {r} | {x:.2f} | {t} |" for m, v, r, x, t in rows]
    print("\n".join(lines))
    if a.out:
        with open(a.out, "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
