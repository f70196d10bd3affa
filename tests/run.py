#!/usr/bin/env python3
"""Runs every test of `make check`: the cmocka unit tests (as TAP), the fuzz replays and
the Python suites (tests/test_*.py), then prints one line: `check: N passed, N failed`.

Independent units run at once, as many as -j (default: one per CPU): each unit binary,
each replay and each test class of a suite (a shard) in a child process of its own, with
its own TMPDIR and its own folder of sanitizer reports. A suite's output is printed whole
once all its shards have finished. The longest shards start first: their wall times of
the last run are kept in BUILD/tests/check-times.json."""
import argparse
import concurrent.futures
import glob
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
# A shard that runs this long is stuck: it is stopped and counted as a failure.
SHARD_TIMEOUT = 900


class Job:
    """One child process: a unit binary, a replay or a shard of a suite."""

    def __init__(self, name, group, cmd, kind):
        self.name, self.group, self.cmd, self.kind = name, group, cmd, kind
        self.passed = self.failed = self.skipped = 0
        self.output = ""
        self.seconds = 0.0

    def run(self, root, base_env):
        """Runs the child with a private TMPDIR and sanitizer report folder; fills in the counts."""
        # Short names: the tests' private D-Bus and tmux sockets are made under TMPDIR, and
        # a socket's path is limited to 107 bytes.
        own = tempfile.mkdtemp(prefix="", dir=root)
        tmp, reports = os.path.join(own, "t"), os.path.join(own, "r")
        os.mkdir(tmp)
        os.mkdir(reports)
        result = os.path.join(own, "result.json")
        env = dict(base_env, TMPDIR=tmp,
                   ASAN_OPTIONS=f"log_path={reports}/asan:" + base_env["ASAN_OPTIONS"],
                   UBSAN_OPTIONS=f"log_path={reports}/ubsan:" + base_env["UBSAN_OPTIONS"],
                   TSAN_OPTIONS=f"log_path={reports}/tsan:" + base_env["TSAN_OPTIONS"])
        if self.kind != "suite":
            env["CMOCKA_MESSAGE_OUTPUT"] = "TAP"
        cmd = [*self.cmd, "--result", result] if self.kind == "suite" else self.cmd
        start = time.time()
        p = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, errors="replace")
        try:
            out, _ = p.communicate(timeout=SHARD_TIMEOUT)
            stuck = False
        except subprocess.TimeoutExpired:
            p.kill()
            out, _ = p.communicate()
            stuck = True
        self.seconds = time.time() - start
        if self.kind == "suite":
            self.output = out
            try:
                with open(result) as f:
                    r = json.load(f)
                self.passed, self.failed, self.skipped = r["passed"], r["failed"], r["skipped"]
            except (OSError, ValueError, KeyError):
                self.failed += 1
                self.output += f"FAIL {self.name} exited with {p.returncode} without a result\n"
        else:
            self.tap(out, p.returncode)
        if stuck:
            self.failed += 1
            self.output += f"FAIL {self.name} still running after {SHARD_TIMEOUT} s: stopped\n"
        # Reports go to files, so that one printed inside a terminal test is not missed.
        for report in sorted(glob.glob(os.path.join(reports, "*"))):
            self.failed += 1
            with open(report, errors="replace") as f:
                self.output += f"FAIL sanitizer report {os.path.basename(report)} ({self.name})\n{f.read()}"
        shutil.rmtree(own, ignore_errors=True)

    def tap(self, out, returncode):
        """Counts a cmocka binary's TAP lines; a replay counts as one test."""
        binary = os.path.basename(self.cmd[0])
        lines = []
        for line in out.splitlines():
            if line.startswith("ok "):
                self.passed += 1
            elif line.startswith("not ok "):
                self.failed += 1
                lines.append(f"FAIL {binary} {line}")
        if returncode != 0 and self.failed == 0:
            self.failed = 1
            lines += [f"FAIL {binary} exited with {returncode}", out]
        elif self.failed:
            lines.append(out)
        if self.kind == "unit":
            lines.append("unit %-28s %d passed, %d failed" % (binary, self.passed, self.failed))
        else:
            lines.append("fuzz replay %-21s %d inputs, %d failed" % (self.name[len("replay "):],
                                                                     self.passed + self.failed, self.failed))
            self.passed, self.failed = int(self.failed == 0), int(self.failed != 0)
        self.output = "\n".join(lines) + "\n"


def unit_jobs(build):
    jobs = []
    for binary in sorted(glob.glob(os.path.join(build, "tests", "test_*"))):
        name = os.path.basename(binary)
        jobs.append(Job("unit " + name, "unit " + name, [binary], "unit"))
    # The fuzz corpus and every crash reproducer, through each harness once.
    for binary in sorted(glob.glob(os.path.join(build, "tests", "replay_*"))):
        target = os.path.basename(binary)[len("replay_"):]
        inputs = sorted(glob.glob(os.path.join(TESTS, "fuzz", "corpus", target, "*")) +
                        glob.glob(os.path.join(TESTS, "fuzz", "crashes", target, "*")))
        jobs.append(Job("replay " + target, "replay " + target, [binary, *inputs], "replay"))
    return jobs


def suite_jobs(build, names):
    """One job per test class of each suite named (a module, or module.Class[.test] as is)."""
    jobs = []
    child = [sys.executable, os.path.abspath(__file__), "--build", build, "--child"]
    for name in names:
        if "." in name:
            jobs.append(Job(name, name.split(".")[0], [*child, name], "suite"))
            continue
        classes = []
        for test in iter_tests(unittest.defaultTestLoader.loadTestsFromModule(importlib.import_module(name))):
            cls = type(test)
            if cls.__module__ == name and cls.__name__ not in classes:
                classes.append(cls.__name__)
        for cls in classes:
            jobs.append(Job(f"{name}.{cls}", name, [*child, f"{name}.{cls}"], "suite"))
    return jobs


def iter_tests(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from iter_tests(t)
        else:
            yield t


def child(names, result_path):
    """Runs tests in this process (a shard) and writes its counts to result_path."""
    suite = unittest.defaultTestLoader.loadTestsFromNames(names)
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=1).run(suite)
    bad = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    with open(result_path, "w") as f:
        json.dump({"passed": result.testsRun - bad - len(result.skipped), "failed": bad,
                   "skipped": len(result.skipped)}, f)
    return 0


def load_times(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def run_all(jobs, times, workers, root, env):
    """Runs the jobs on a pool of workers; prints each group's output whole once all its jobs
    are done. Returns (passed, failed)."""
    groups = {}
    for job in jobs:
        groups.setdefault(job.group, []).append(job)
    left = {g: len(js) for g, js in groups.items()}
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        # Longest first (as measured last time; a shard never seen counts as long), so
        # that no long shard starts last.
        order = sorted(jobs, key=lambda j: -times.get(j.name, 60.0))
        futures = {pool.submit(job.run, root, env): job for job in order}
        try:
            for fut in concurrent.futures.as_completed(futures):
                fut.result()
                job = futures[fut]
                left[job.group] -= 1
                if left[job.group]:
                    continue
                done = groups[job.group]
                for j in done:
                    sys.stdout.write(j.output)
                p, f, s = (sum(getattr(j, k) for j in done) for k in ("passed", "failed", "skipped"))
                if done[0].kind == "suite":
                    print("suite %-27s %d passed, %d failed, %d skipped (%.1f s in %d shard%s)" % (
                        job.group, p, f, s, sum(j.seconds for j in done), len(done),
                        "" if len(done) == 1 else "s"))
                sys.stdout.flush()
                passed, failed = passed + p, failed + f
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return passed, failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                    help="how many children run at once (default: the number of CPUs)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    ap.add_argument("suites", nargs="*", help="Python suites, or module.Class[.test] (default: all)")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    os.environ["BOXLOGIN_BUILD"] = build
    sys.path.insert(0, TESTS)
    sys.path.insert(0, os.path.join(TESTS, "lib"))
    if a.child:
        return child(a.suites, a.result)

    # Full stacks on leaks (the fast unwinder stops in libraries built without frame
    # pointers), so that a suppression can name the library function that leaks. Each
    # child adds its own log_path.
    env = dict(os.environ,
               ASAN_OPTIONS="detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=40",
               LSAN_OPTIONS=f"suppressions={os.path.join(TESTS, 'lib', 'lsan.supp')}:print_suppressions=0",
               UBSAN_OPTIONS="print_stacktrace=1",
               TSAN_OPTIONS=f"second_deadlock_stack=1:suppressions={os.path.join(TESTS, 'lib', 'tsan.supp')}")
    # Each child's temporary files under one folder of this run.
    root = tempfile.mkdtemp(prefix="blc-")
    env["PYTHONUNBUFFERED"] = "1"  # a child's prints and its programs' output, in order
    start = time.time()

    names = a.suites or sorted(os.path.basename(f)[:-3] for f in glob.glob(os.path.join(TESTS, "test_*.py")))
    jobs = ([] if a.suites else unit_jobs(build)) + suite_jobs(build, names)
    times_path = os.path.join(build, "tests", "check-times.json")
    times = load_times(times_path)
    print(f"({len(jobs)} jobs, {a.jobs} at a time)", flush=True)
    try:
        passed, failed = run_all(jobs, times, a.jobs, root, env)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    # Whole classes and binaries only: a single test run by name is not a unit of a full run.
    times.update({j.name: round(j.seconds, 2) for j in jobs if j.name.count(".") < 2})
    try:
        with open(times_path + ".tmp", "w") as f:
            json.dump(times, f, indent=0, sort_keys=True)
        os.replace(times_path + ".tmp", times_path)
    except OSError:
        pass
    print("(%.1f s)" % (time.time() - start))
    print("check: %d passed, %d failed" % (passed, failed))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
