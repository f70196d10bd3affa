#!/usr/bin/env python3
"""Runs every test of `make check`: the cmocka unit tests (as TAP) and the Python
suites (tests/test_*.py), then prints one line: `check: N passed, N failed`."""
import argparse
import glob
import importlib
import os
import shutil
import tempfile
import subprocess
import sys
import time
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))


def run_unit(binary, args=()):
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP")
    p = subprocess.run([binary, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    passed = failed = 0
    for line in p.stdout.splitlines():
        if line.startswith("ok "):
            passed += 1
        elif line.startswith("not ok "):
            failed += 1
            print("FAIL", os.path.basename(binary), line)
    if p.returncode != 0 and failed == 0:
        failed = 1
        print("FAIL", os.path.basename(binary), "exited with", p.returncode)
        print(p.stdout)
    elif failed:
        print(p.stdout)
    return passed, failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("suites", nargs="*", help="Python suite names (default: all)")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    os.environ["BOXLOGIN_BUILD"] = build
    # Sanitizer reports go to files, so that one printed inside a terminal test is not missed.
    reports = tempfile.mkdtemp(prefix="bl-sanitizer-")
    # Full stacks on leaks (the fast unwinder stops in libraries built without frame
    # pointers), so that a suppression can name the library function that leaks.
    os.environ["ASAN_OPTIONS"] = (f"log_path={reports}/asan:detect_leaks=1:"
                                  "fast_unwind_on_malloc=0:malloc_context_size=40")
    os.environ["LSAN_OPTIONS"] = f"suppressions={os.path.join(TESTS, 'lib', 'lsan.supp')}:print_suppressions=0"
    os.environ["UBSAN_OPTIONS"] = f"log_path={reports}/ubsan:print_stacktrace=1"
    os.environ["TSAN_OPTIONS"] = (f"log_path={reports}/tsan:second_deadlock_stack=1:"
                                  f"suppressions={os.path.join(TESTS, 'lib', 'tsan.supp')}")
    sys.path.insert(0, TESTS)
    sys.path.insert(0, os.path.join(TESTS, "lib"))
    passed = failed = 0
    start = time.time()

    if not a.suites:
        for binary in sorted(glob.glob(os.path.join(build, "tests", "test_*"))):
            p, f = run_unit(binary)
            print("unit %-28s %d passed, %d failed" % (os.path.basename(binary), p, f))
            passed, failed = passed + p, failed + f
        # The fuzz corpus and every crash reproducer, through each harness once.
        for binary in sorted(glob.glob(os.path.join(build, "tests", "replay_*"))):
            target = os.path.basename(binary)[len("replay_"):]
            inputs = sorted(glob.glob(os.path.join(TESTS, "fuzz", "corpus", target, "*")) +
                            glob.glob(os.path.join(TESTS, "fuzz", "crashes", target, "*")))
            p, f = run_unit(binary, inputs)
            print("fuzz replay %-21s %d inputs, %d failed" % (target, p + f, f))
            passed, failed = passed + (f == 0), failed + (f != 0)

    names = a.suites or sorted(os.path.basename(f)[:-3] for f in glob.glob(os.path.join(TESTS, "test_*.py")))
    for name in names:
        suite = unittest.defaultTestLoader.loadTestsFromModule(importlib.import_module(name))
        result = unittest.TextTestRunner(stream=sys.stdout, verbosity=1).run(suite)
        bad = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
        print("suite %-27s %d passed, %d failed, %d skipped" % (
            name, result.testsRun - bad - len(result.skipped), bad, len(result.skipped)))
        passed += result.testsRun - bad - len(result.skipped)
        failed += bad

    for report in sorted(glob.glob(os.path.join(reports, "*"))):
        failed += 1
        print("FAIL sanitizer report", os.path.basename(report))
        with open(report) as f:
            print(f.read())
    shutil.rmtree(reports, ignore_errors=True)

    print("(%.1f s)" % (time.time() - start))
    print("check: %d passed, %d failed" % (passed, failed))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
