"""Human output and the locale (SPEC "Languages", "Decisions for this round"): a locale
that cannot encode the text (C, POSIX) gets ASCII, never a byte that an 8-bit terminal
reads as a C1 control; --json stays UTF-8, byte for byte the same in every locale; and
every table fits the terminal's width in every language."""
import os
import shutil
import tempfile
import unicodedata

import catalog
import harness
from harness import PASSWORD

# Names, merchants, tracking texts and an error description whose UTF-8 holds 9d (OSC)
# and 9b (CSI): tests/lib/stand_in_account.py.
C1 = "c1text@example.com"
C1_AWB = "60000001"
REJECTED = "c1error@example.com"

# Every way of asking for the C locale.
NOT_UTF8 = {"LANG=C": {"LANG": "C"}, "LC_ALL=C": {"LANG": "C.UTF-8", "LC_ALL": "C"},
            "LC_ALL=POSIX": {"LC_ALL": "POSIX"}}


def columns(text):
    """The terminal columns of one line: wide characters take two, combining marks none."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


class Base(harness.ApiTestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        self.env = harness.clean_env(self.home)

    def tearDown(self):
        shutil.rmtree(self.home, ignore_errors=True)

    def env_with(self, locale):
        env = {k: v for k, v in self.env.items() if k not in ("LANG", "LC_ALL", "LANGUAGE")}
        env.update(locale)
        return env

    def api_args(self, password=True):
        return [*(["--password-stdin"] if password else []), "--no-keyring",
                "--base-url", self.api.base_url, "--cacert", self.pki["ca"]]

    def commands(self):
        """(name, argv, expected exit status) of every command that prints server text."""
        api = self.api_args()
        return [
            ("login", ["login", "--email", C1, *api], 0),
            ("login --show-key", ["login", "--email", C1, "--show-key", *api], 0),
            ("lookup", ["lookup", C1, *self.api_args(False)], 0),
            ("profile", ["profile", C1, *api], 0),
            ("shipments", ["shipments", C1, *api], 0),
            ("track", ["track", C1, C1_AWB, *api], 0),
            ("rejected", ["login", "--email", REJECTED, *api], 1),
            ("history", ["history"], 0),
            ("usage", ["track", C1, "\u00dd\u00db", *api], 2),
            ("unknown command", ["\u00dd0;x"], 2),
            ("help", ["--help"], 0),
        ]

    def run_in(self, env, argv):
        """Runs boxlogin; returns (status, stdout bytes, stderr bytes)."""
        import subprocess
        p = subprocess.run([harness.BIN, *argv], input=(PASSWORD + "\n").encode(), env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        return p.returncode, p.stdout, p.stderr


class NotUtf8(Base):
    def test_every_command_prints_ascii_in_the_c_locale(self):
        # Fails while valid UTF-8 goes out as it is: "\u00dd0;" is c3 9d 30 3b.
        for name, locale in NOT_UTF8.items():
            env = self.env_with(locale)
            for what, argv, status in self.commands():
                with self.subTest(locale=name, command=what):
                    rc, out, err = self.run_in(env, argv)
                    self.assertEqual(rc, status, err)
                    for stream, data in (("stdout", out), ("stderr", err)):
                        c1 = [b for b in data if 0x80 <= b <= 0x9f]
                        self.assertEqual(c1, [], f"{stream}: C1 bytes in {data!r}")
                        high = sorted({b for b in data if b >= 0x80})
                        self.assertEqual(high, [], f"{stream}: non-ASCII bytes in {data!r}")

    def test_the_ascii_is_transliterated_not_dropped(self):
        env = self.env_with(NOT_UTF8["LC_ALL=C"])
        rc, out, _ = self.run_in(env, ["login", "--email", C1, *self.api_args()])
        self.assertEqual(rc, 0)
        text = out.decode("ascii")
        # Accents to their base letter, typographic punctuation to ASCII.
        self.assertIn('Y0;PWNED... U31m "Rod" - OEuvre', text)
        rc, out, _ = self.run_in(env, ["shipments", C1, *self.api_args()])
        self.assertIn("Cafe AEsir Lodz", out.decode("ascii"))
        rc, _, err = self.run_in(env, ["login", "--email", REJECTED, *self.api_args()])
        self.assertEqual(rc, 1)
        self.assertEqual(err.decode("ascii").splitlines()[-1],
                         "boxlogin: Login rejected: Cuenta Y0;bloqueada U2J")

    def test_tables_line_up_in_ascii(self):
        # A cell takes the columns it is printed in: "\u2026" three ("..."), "\u00dd" one.
        env = dict(self.env_with(NOT_UTF8["LC_ALL=C"]), COLUMNS="200")
        rc, out, _ = self.run_in(env, ["shipments", C1, *self.api_args()])
        self.assertEqual(rc, 0)
        header, *rows = out.decode("ascii").splitlines()[1:]
        status = header.index("STATUS")
        self.assertEqual(len(rows), 2, out)
        for r in rows:
            self.assertIn(r[status:status + 3], ("REC", "MAN"), "\n" + out.decode())

    def test_json_is_the_same_utf8_in_every_locale(self):
        commands = [("login", ["login", "--email", C1, "--json", *self.api_args()]),
                    ("lookup", ["lookup", C1, "--json", *self.api_args(False)]),
                    ("profile", ["profile", C1, "--json", *self.api_args()]),
                    ("shipments", ["shipments", C1, "--json", *self.api_args()]),
                    ("track", ["track", C1, C1_AWB, "--json", *self.api_args()]),
                    ("rejected", ["login", "--email", REJECTED, "--json", *self.api_args()]),
                    ("history", ["history", "--json"])]
        for what, argv in commands:
            with self.subTest(command=what):
                rc, utf8, _ = self.run_in(self.env, argv)
                self.assertIn(rc, (0, 1))
                if what != "history":  # (it holds emails, box IDs and words only)
                    # Not escaped: the object is UTF-8 text.
                    self.assertIn("\u00dd".encode(), utf8)
                for name, locale in NOT_UTF8.items():
                    _, out, _ = self.run_in(self.env_with(locale), argv)
                    self.assertEqual(out, utf8, name)
                _, es, _ = self.run_in(catalog.env_for(self.env, "es"), argv)
                self.assertEqual(es, utf8)

    def test_utf8_output_keeps_the_text(self):
        rc, out, _ = self.run_in(self.env, ["login", "--email", C1, *self.api_args()])
        self.assertEqual(rc, 0)
        self.assertIn("\u00dd0;PWNED\u2026 \u00db31m \u201cR\u00f8d\u201d \u2014 \u0152uvre",
                      out.decode("utf-8"))
        rc, _, err = self.run_in(self.env, ["login", "--email", REJECTED, *self.api_args()])
        self.assertIn("Cuenta \u00dd0;bloqueada \u00db2J", err.decode("utf-8"))


class Width(Base):
    """Every table at 40 columns, in every language (and in C): no line wider."""

    def check_width(self, env, argv, width=40):
        rc, out, err = self.run_in(dict(env, COLUMNS=str(width)), argv)
        self.assertEqual(rc, 0, err)
        text = out.decode("utf-8")
        for line in text.splitlines():
            self.assertLessEqual(columns(line), width, "\n" + text)
        return text

    def test_tables_fit_40_columns_in_every_language(self):
        # history: 46-50 columns in Spanish and Portuguese before the fix.
        for email in ("johndoe@email.com", C1):
            self.run_in(self.env, ["login", "--email", email, *self.api_args()])
        self.run_in(self.env, ["login", "--email", "johndoe@email.com", "--password-stdin", "--no-keyring",
                               "--base-url", self.api.base_url, "--cacert", self.pki["ca"]])
        envs = {lang: catalog.env_for(self.env, lang) for lang in catalog.LANGUAGES}
        envs["C"] = self.env_with(NOT_UTF8["LC_ALL=C"])
        envs["C.UTF-8"] = self.env
        for lang, env in envs.items():
            for argv in (["history"], ["shipments", "johndoe@email.com", *self.api_args()],
                         ["shipments", C1, *self.api_args()],
                         ["track", "johndoe@email.com", "13869085", *self.api_args()],
                         ["track", C1, C1_AWB, *self.api_args()],
                         ["profile", C1, *self.api_args()]):
                for width in (40,):
                    with self.subTest(lang=lang, command=argv[0], width=width):
                        text = self.check_width(env, [*argv, "--no-history"] if argv[0] != "history"
                                                else argv, width)
                        if argv[0] == "history":
                            # The newest lookup's box ID or a cut mark is still there.
                            self.assertRegex(text, r"811111|811315|\u2026|\.\.\.")

    def test_a_cut_cell_ends_with_an_ellipsis(self):
        self.run_in(self.env, ["login", "--email", "johndoe@email.com", *self.api_args()])
        text = self.check_width(catalog.env_for(self.env, "es"), ["history"], 40)
        self.assertIn("\u2026", text)
        text = self.check_width(self.env_with(NOT_UTF8["LANG=C"]), ["history"], 40)
        self.assertIn("...", text)


class KeysWidth(Base):
    """boxlogin keys, with a private Secret Service, at 40 columns."""

    def setUp(self):
        super().setUp()
        self.keyring = harness.Keyring(self.home)
        self.env = dict(self.keyring.env, LANG="C.UTF-8", LC_ALL="C.UTF-8")

    def tearDown(self):
        self.keyring.stop()
        super().tearDown()

    def test_the_keys_table_fits(self):
        api = [a for a in self.api_args() if a != "--no-keyring"]
        rc, _, err = self.run_in(self.env, ["login", "--email", "johndoe@email.com", *api])
        self.assertEqual(rc, 0, err)
        for lang, env in [*((l, catalog.env_for(self.env, l)) for l in catalog.LANGUAGES),
                          ("C", self.env_with(NOT_UTF8["LC_ALL=C"]))]:
            with self.subTest(lang=lang):
                rc, out, err = self.run_in(dict(env, COLUMNS="40"), ["keys"])
                self.assertEqual(rc, 0, err)
                text = out.decode("utf-8")
                self.assertIn("johndoe@email.com", text)
                for line in text.splitlines():
                    self.assertLessEqual(columns(line), 40, "\n" + text)
