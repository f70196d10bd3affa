"""The man page and the sample config stay in step with the program."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import harness


class Docs(unittest.TestCase):
    def test_man_page_renders_without_warnings(self):
        r = subprocess.run(["man", "--warnings", "-l", os.path.join(harness.ROOT, "assets", "boxlogin.1")],
                           env=dict(os.environ, MANWIDTH="80", MANPAGER="cat", PAGER="cat"),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        self.assertIn("EXIT STATUS", r.stdout)

    def test_man_page_documents_every_help_option(self):
        help_text = harness.boxlogin(["--help"], harness.clean_env(tempfile.mkdtemp())).stdout
        options = set(re.findall(r"--[a-z][a-z0-9-]+", help_text))
        with open(os.path.join(harness.ROOT, "assets", "boxlogin.1")) as f:
            man = f.read().replace("\\-", "-")
        self.assertGreater(len(options), 14)
        for opt in sorted(options):
            self.assertIn(opt, man)
        for command in ("login", "keys", "forget", "setup"):
            self.assertRegex(man, rf"\.TP\n\.B[RI]? {command}\b")

    def test_translated_man_pages_render_and_document_every_help_option(self):
        help_text = harness.boxlogin(["--help"], harness.clean_env(tempfile.mkdtemp())).stdout
        options = set(re.findall(r"--[a-z][a-z0-9-]+", help_text))
        for lang, title in (("es", "ESTADO DE SALIDA"), ("pt_BR", "STATUS DE SAÍDA")):
            with self.subTest(lang=lang):
                page = os.path.join(harness.ROOT, "assets", "man", lang, "boxlogin.1")
                r = subprocess.run(["man", "--warnings", "-l", page],
                                   env=dict(os.environ, MANWIDTH="80", MANPAGER="cat", PAGER="cat",
                                            LC_ALL="C.UTF-8"),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(r.stderr, "")
                self.assertIn(title, r.stdout)
                with open(page, encoding="utf-8") as f:
                    man = f.read().replace("\\-", "-")
                for opt in sorted(options):
                    self.assertIn(opt, man)
                for command in ("login", "keys", "forget", "setup", "profile", "shipments", "track",
                                "lookup", "history"):
                    self.assertRegex(man, rf"\.TP\n\.B[RI]? {command}\b")

    def test_sample_config_parses(self):
        home = tempfile.mkdtemp()
        # A private copy: a checkout made under umask 002 is group-writable, which is refused.
        sample = os.path.join(home, "config")
        shutil.copyfile(os.path.join(harness.ROOT, "assets", "config.example"), sample)
        os.chmod(sample, 0o600)
        r = harness.boxlogin(["login", "--config", sample,
                              "--email", "a@b.c", "--password-stdin", "--no-keyring", "--json",
                              "--base-url", "http://127.0.0.1:1/x"], harness.clean_env(home), stdin="pw\n")
        # Parsed and used: the login got as far as the (refused) connection.
        self.assertEqual(r.returncode, 3, r.stdout + r.stderr)


class Install(unittest.TestCase):
    def make(self, *args):
        """make in a copy of the build tree: an install for another prefix rebuilds the binary,
        and the suites that run at the same time run the build tree's. A make of its own: not
        the jobserver or the variables of a `make check` around it."""
        build = tempfile.mkdtemp(prefix="bl-build-")
        self.addCleanup(shutil.rmtree, build, ignore_errors=True)
        for name in ("obj", "locale", "libcore.a", "boxlogin", "localedir"):
            src, dst = os.path.join(harness.BUILD, name), os.path.join(build, name)
            # Times kept: only what the prefix changes is rebuilt.
            if os.path.isdir(src):
                shutil.copytree(src, dst, symlinks=True)
            else:
                shutil.copy2(src, dst)
        flavour = {"sanitize": ["SANITIZE=1"], "tsan": ["TSAN=1"]}.get(os.path.basename(harness.BUILD), [])
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
        return lambda target: subprocess.run(["make", "-s", "-C", harness.ROOT, *flavour, f"BUILD={build}",
                                              *args, target], check=True, stdout=subprocess.DEVNULL, env=env)

    def test_install_and_uninstall_honour_destdir_and_prefix(self):
        dest = tempfile.mkdtemp(prefix="bl-install-")
        make = self.make(f"DESTDIR={dest}", "PREFIX=/opt/bl")
        make("install")
        installed = ("bin/boxlogin", "share/man/man1/boxlogin.1", "share/bash-completion/completions/boxlogin",
                     "share/man/es/man1/boxlogin.1", "share/man/pt_BR/man1/boxlogin.1",
                     "share/locale/es/LC_MESSAGES/boxlogin.mo", "share/locale/pt_BR/LC_MESSAGES/boxlogin.mo")
        for path in installed:
            mode = 0o755 if path.startswith("bin/") else 0o644
            st = os.stat(os.path.join(dest, "opt/bl", path))
            self.assertEqual(st.st_mode & 0o777, mode, path)
        r = subprocess.run([os.path.join(dest, "opt/bl/bin/boxlogin"), "--version"], stdout=subprocess.PIPE,
                           text=True)
        self.assertTrue(r.stdout.startswith("boxlogin "))
        make("uninstall")
        for path in installed:
            self.assertFalse(os.path.exists(os.path.join(dest, "opt/bl", path)), path)

    def test_an_installed_binary_finds_its_catalogs(self):
        # Built for one prefix, installed under another: the install rebuilds it for its own.
        import catalog
        prefix = tempfile.mkdtemp(prefix="bl-prefix-")
        make = self.make(f"PREFIX={prefix}")
        try:
            make("install")
            # As in /usr/bin, a program called locale beside it: not a folder of catalogs.
            with open(os.path.join(prefix, "bin", "locale"), "w") as f:
                f.write("#!/bin/sh\n")
            os.chmod(os.path.join(prefix, "bin", "locale"), 0o755)
            env = catalog.env_for(harness.clean_env(prefix), "es")
            out = harness.boxlogin(["--help"], env, binary=os.path.join(prefix, "bin", "boxlogin")).stdout
            [status] = [e.msgstr[0] for (_, msgid), e in catalog.catalog("es").items()
                        if msgid.startswith("Exit status: 0 success")]
            self.assertIn(status, out)
        finally:
            make("uninstall")
            shutil.rmtree(prefix, ignore_errors=True)


class Completion(unittest.TestCase):
    def complete(self, *words):
        script = (f"source {harness.ROOT}/assets/boxlogin.bash; COMP_WORDS=(boxlogin {' '.join(words)}); "
                  f"COMP_CWORD={len(words)}; _boxlogin; echo \"${{COMPREPLY[*]}}\"")
        return subprocess.run(["bash", "-c", script], stdout=subprocess.PIPE, text=True, check=True).stdout.split()

    def test_commands_options_and_values(self):
        self.assertEqual(sorted(self.complete("lo")), ["login", "lookup"])
        self.assertEqual(sorted(self.complete("")), ["check", "forget", "history", "keys", "login",
                                                     "lookup", "places", "profile", "set-address",
                                                     "set-details", "set-email", "set-password",
                                                     "set-type", "setup", "shipments", "track"])
        self.assertEqual(self.complete("set-details", "--gender", ""), ["M", "F"])
        self.assertIn("--from", self.complete("shipments", "--"))
        self.assertEqual(self.complete("history", "--"), ["--json", "--csv", "--limit"])
        self.assertIn("--show-key", self.complete("lookup", "--"))
        self.assertEqual(self.complete("--env", ""), ["test", "prod"])
        self.assertIn("--password-stdin", self.complete("login", "--"))
        self.assertNotIn("--password-stdin", self.complete("--"))
        self.assertEqual(self.complete("forget", "--"), ["--all", "--env"])

    def test_every_help_option_is_completed(self):
        help_text = harness.boxlogin(["--help"], harness.clean_env(tempfile.mkdtemp())).stdout
        offered = set(self.complete("--"))
        for cmd in ("login", "forget", "shipments", "history", "lookup", "check", "set-password",
                    "set-type", "set-details", "set-address"):
            offered |= set(self.complete(cmd, "--"))
        for opt in set(re.findall(r"--[a-z][a-z0-9-]+", help_text)):
            self.assertIn(opt, offered)


if __name__ == "__main__":
    unittest.main()
