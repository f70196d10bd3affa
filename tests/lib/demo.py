#!/usr/bin/env python3
"""`make demo`: the UI against the stand-in API on loopback, with a throwaway CA, and a
private gnome-keyring when the desktop has no session bus. Stops all it started."""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile

LIB = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, LIB)

import harness  # noqa: E402
import stand_in_api  # noqa: E402

SHOWN = ["johndoe@email.com", "disabled@example.com", "inactive@example.com", "noflags@example.com",
         "utf8@example.com", "escape@example.com", "syserror@example.com", "http500@example.com",
         "stall@example.com", "reset@example.com", "details@example.com", "bogota@example.com"]


class Ended(Exception):
    """A signal that ends the demo: the servers it started must stop all the same."""


def on_signal(sig, frame):
    # Once: a second signal must not cut the clean-up short.
    for s in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(s, signal.SIG_IGN)
    raise Ended(sig)


def say(text):
    """Prints, unless the terminal has gone (a hang-up): the clean-up goes on regardless."""
    try:
        print(text, flush=True)
    except OSError:
        pass


LOCALES = {"es": "es_ES", "pt_BR": "pt_BR"}


def language_env(lang, build):
    """The locale settings that show the UI in lang; a locale the machine lacks is made
    with localedef in the build tree and read through LOCPATH (no root needed)."""
    if lang == "en":
        return {"LANGUAGE": "", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    name = LOCALES[lang] + ".UTF-8"
    settings = {"LANGUAGE": "", "LANG": name, "LC_ALL": name}
    have = subprocess.run(["locale", "-a"], stdout=subprocess.PIPE, text=True).stdout.split()
    if LOCALES[lang] + ".utf8" not in have:
        path = os.path.join(build, "demo-locales")
        if not os.path.isdir(os.path.join(path, name)):
            print("boxlogin demo: making the %s locale in %s" % (name, path))
            os.makedirs(path, exist_ok=True)
            subprocess.run(["localedef", "-i", LOCALES[lang], "-f", "UTF-8", os.path.join(path, name)],
                           check=True)
        settings["LOCPATH"] = path
    return settings


def main():
    # A closed terminal window (SIGHUP) or a kill (SIGTERM) would end Python without its
    # finally blocks, leaving the private dbus-daemon and gnome-keyring running.
    for sig in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, on_signal)
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--lang", default="", choices=["", "en", *LOCALES],
                    help="the UI's language (default: your locale's)")
    a = ap.parse_args()
    binary = os.path.join(os.path.abspath(a.build), "boxlogin")
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        sys.exit("make demo: the UI needs a terminal")
    work = tempfile.mkdtemp(prefix="boxlogin-demo-")
    api = keyring = None
    try:
        pki = harness.make_pki(work)
        api = harness.StandIn(work, cert=pki["server"])
        env = dict(os.environ)
        # A throwaway HOME: your own config (say, environment = prod) stays out of the demo.
        env.update(HOME=os.path.join(work, "home"), XDG_CONFIG_HOME=os.path.join(work, "home", ".config"))
        os.makedirs(env["HOME"])
        for k in [k for k in env if k.startswith("BOXLOGIN_")]:
            del env[k]
        if env.get("DBUS_SESSION_BUS_ADDRESS"):
            where = "your desktop keyring (boxlogin forget --all removes them)"
        else:
            keyring = harness.Keyring(env["HOME"])
            env.update(keyring.env, TERM=os.environ.get("TERM", "xterm"))
            where = "a private gnome-keyring that stops with the demo"
        if a.lang:
            env.update(language_env(a.lang, os.path.abspath(a.build)))
        print("boxlogin demo: a stand-in SkyPostal API on %s" % api.base_url)
        print("Every account's password is %s. Accounts:\n" % stand_in_api.PASSWORD)
        for email in SHOWN:
            print("  %-24s %s" % (email, stand_in_api.ACCOUNTS[email][0]))
        print("\nCustomer keys go to %s." % where)
        input("Press Enter to start the UI (F10 or q quits)... ")
        status = subprocess.run([binary, "--base-url", api.base_url, "--cacert", pki["ca"],
                                 "--email", "johndoe@email.com"], env=env).returncode
        say("boxlogin exited with status %d; the demo's servers are stopped." % status)
    except (KeyboardInterrupt, EOFError, Ended, OSError):
        say("")
    finally:
        # A hang-up also ends input() with an error, and its SIGHUP may come after that,
        # even here before the signals are ignored: it must not cut the clean-up short.
        while True:
            try:
                for sig in (signal.SIGHUP, signal.SIGTERM):
                    signal.signal(sig, signal.SIG_IGN)
                break
            except Ended:
                pass
        if api:
            api.stop()
        if keyring:
            keyring.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
