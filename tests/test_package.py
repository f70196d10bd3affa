"""The Debian package (`make deb`): its control fields, its files, the binary it installs,
and lintian's verdict on it."""
import gzip
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import harness

with open(os.path.join(harness.ROOT, "src", "version.h")) as f:
    VERSION = re.search(r'#define BOXLOGIN_VERSION "([^"]+)"', f.read()).group(1)

FILES = ("usr/bin/boxlogin", "usr/share/man/man1/boxlogin.1.gz",
         "usr/share/man/es/man1/boxlogin.1.gz", "usr/share/man/pt_BR/man1/boxlogin.1.gz",
         "usr/share/bash-completion/completions/boxlogin",
         "usr/share/locale/es/LC_MESSAGES/boxlogin.mo", "usr/share/locale/pt_BR/LC_MESSAGES/boxlogin.mo",
         "usr/share/doc/boxlogin/copyright", "usr/share/doc/boxlogin/changelog.Debian.gz")


def names(relations):
    """The package names of a Depends-style field, versions left out."""
    return {re.split(r"[\s(:]", alt.strip())[0] for rel in relations.split(",") for alt in rel.split("|")
            if alt.strip()}


# make deb builds the package from its own plain build (build/deb, PREFIX=/usr), whatever
# the build under test: under the sanitizers this suite would test the same package as the
# plain `make check` does, not the sanitized binary.
@unittest.skipIf(harness.SANITIZED, "the package is built from its own plain build (build/deb), "
                 "not the sanitized one; the plain `make check` tests it")
class Package(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.arch = subprocess.run(["dpkg", "--print-architecture"], stdout=subprocess.PIPE, text=True,
                                  check=True).stdout.strip()
        # A make of its own: not the jobserver or the variables of a `make check` around it.
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
        r = subprocess.run(["make", "-s", "-C", harness.ROOT, "deb"], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            raise AssertionError("make deb failed:\n" + r.stdout)
        cls.deb = os.path.join(harness.ROOT, "build", f"boxlogin_{VERSION}_{cls.arch}.deb")
        cls.dir = tempfile.mkdtemp(prefix="bl-Package-")
        cls.root = os.path.join(cls.dir, "root")
        subprocess.run(["dpkg", "-x", cls.deb, cls.root], check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def field(self, name):
        return subprocess.run(["dpkg-deb", "--field", self.deb, name], stdout=subprocess.PIPE, text=True,
                              check=True).stdout.strip()

    def test_control_fields(self):
        info = subprocess.run(["dpkg-deb", "--info", self.deb], stdout=subprocess.PIPE, text=True,
                              check=True).stdout
        self.assertIn(" Package: boxlogin\n", info)
        self.assertEqual(self.field("Package"), "boxlogin")
        self.assertRegex(self.field("Version"), rf"^{re.escape(VERSION)}-[0-9]+$")
        self.assertEqual(self.field("Architecture"), self.arch)
        self.assertEqual(self.field("Section"), "utils")
        self.assertEqual(self.field("Priority"), "optional")
        self.assertEqual(self.field("Maintainer"), "boxlogin maintainers <boxlogin@skypostal.invalid>")
        self.assertGreater(int(self.field("Installed-Size")), 0)
        description = self.field("Description").splitlines()
        self.assertGreater(len(description), 2, "a synopsis and a long description")
        # dpkg-shlibdeps's: the libraries the binary links, each with its minimum version;
        # libcurl, loaded with dlopen when the API is first needed, added by build-deb.sh.
        depends = self.field("Depends")
        for lib in (r"libc6", r"libcurl[0-9]+\w*", r"libncursesw[0-9]+\w*", r"libcjson[0-9]+\w*"):
            self.assertRegex(depends, rf"(^|, ){lib} \(>= [^)]+\)", depends)
        # libsecret is opened with dlopen when the keyring is first used: recommended only.
        self.assertFalse({n for n in names(depends) if n.startswith("libsecret")}, depends)
        self.assertTrue({"libsecret-1-0", "gnome-keyring"} <= names(self.field("Recommends")))

    def test_contents(self):
        listing = subprocess.run(["dpkg-deb", "--contents", self.deb], stdout=subprocess.PIPE, text=True,
                                 check=True).stdout
        entries = {}
        for line in listing.splitlines():
            mode, owner, _size, _date, _time, path = line.split(None, 5)
            entries[path.removeprefix("./").rstrip("/")] = (mode, owner)
        for path in FILES:
            self.assertIn(path, entries)
            self.assertEqual(entries[path], ("-rwxr-xr-x" if path.startswith("usr/bin/") else "-rw-r--r--",
                                             "root/root"), path)
        self.assertNotIn("usr/share/man/man1/boxlogin.1", entries)
        self.assertEqual({p.split("/")[0] for p in entries if p}, {"usr"})

    def test_compressed_files_are_gzip_9n_and_the_changelog_parses(self):
        for path in ("usr/share/man/man1/boxlogin.1.gz", "usr/share/doc/boxlogin/changelog.Debian.gz"):
            with open(os.path.join(self.root, path), "rb") as f:
                header = f.read(10)
            # gzip -n: no file name (FLG.FNAME) and no time stamp; -9: XFL 2 (best compression).
            self.assertEqual(header[:2], b"\x1f\x8b", path)
            self.assertFalse(header[3] & 0x08, path)
            self.assertEqual(header[4:8], b"\0\0\0\0", path)
            self.assertEqual(header[8], 2, path)
        changelog = os.path.join(self.dir, "changelog")
        with gzip.open(os.path.join(self.root, "usr/share/doc/boxlogin/changelog.Debian.gz"), "rb") as f, \
                open(changelog, "wb") as out:
            out.write(f.read())
        parsed = subprocess.run(["dpkg-parsechangelog", "-l", changelog, "-SVersion"], stdout=subprocess.PIPE,
                                text=True, check=True).stdout.strip()
        self.assertEqual(parsed, self.field("Version"))
        with open(os.path.join(self.root, "usr/share/doc/boxlogin/copyright")) as f:
            copyright_text = f.read()
        self.assertTrue(copyright_text.startswith(
            "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"))

    def test_installed_binary_runs_and_is_stripped(self):
        binary = os.path.join(self.root, "usr/bin/boxlogin")
        r = harness.boxlogin(["--version"], harness.clean_env(self.dir), binary=binary)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith(f"boxlogin {VERSION} "), r.stdout)
        sections = subprocess.run(["readelf", "--section-headers", "--wide", binary], stdout=subprocess.PIPE,
                                  text=True, check=True).stdout
        for section in (".symtab", ".debug_info", ".comment"):
            self.assertNotIn(f" {section} ", sections)

    @unittest.skipIf(shutil.which("lintian") is None, "lintian is not installed (`sh .ci/deps deb` installs it)")
    def test_lintian_reports_no_error(self):
        r = subprocess.run(["lintian", self.deb], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        errors = [line for line in r.stdout.splitlines() if line.startswith("E: ")]
        self.assertEqual(errors, [], r.stdout)


if __name__ == "__main__":
    unittest.main()
