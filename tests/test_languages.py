"""SPEC "Languages": the catalogs are complete and valid, and the command line and the
terminal UI speak Spanish and Brazilian Portuguese in those locales, English in C (with
ASCII fallbacks) and English in --json output."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import catalog
import harness
from harness import PASSWORD, DOC_KEY
from tmux_pane import Pane, PaneTestCase

# The stand-in's data that happens to hold a word of the catalog: the API's, not ours
# (its address's neighborhood and locality, "Locality/To…" when cut, are also labels of
# the Address and phones form).
DATA = ("Test Campaign", "REC  RECEIVED", "Dora Disabled", "phone case",
        "Fake St., Neighborhood", "Locality/To")
DIRECTIVE = re.compile(r"%(?:\d+\$)?[-+ #0'I]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?:hh|h|ll|l|j|z|t|L)?[a-zA-Z%]")


def english_fragments(entries):
    """The English words of the catalog worth looking for on a translated screen: each
    literal piece (between format directives and line breaks) of a string whose
    translation differs, with at least four letters, that no translation also uses
    ("VIP", "Email" in Portuguese, product names)."""
    translated = "\n".join(s for e in entries.values() for s in e.msgstr)
    found = set()
    for e in entries.values():
        if e.msgstr and e.msgstr[0] == e.msgid:
            continue
        for text in filter(None, (e.msgid, e.plural)):
            for piece in re.split(r"\n|\t|  +", DIRECTIVE.sub("\n", text)):
                piece = piece.strip(" .,:;()[]\"'-")
                if sum(c.isalpha() for c in piece) >= 4 and not re.search(
                        r"(?<![A-Za-z])" + re.escape(piece) + r"(?![A-Za-z])", translated):
                    found.add(piece)
    return found


def english_left(text, fragments):
    """Which English fragments a text still shows, as whole words."""
    return sorted(f for f in fragments
                  if re.search(r"(?<![A-Za-z])" + re.escape(f) + r"(?![A-Za-z])", text))


def missing_translations(template, po):
    """The strings of the template that a catalog does not translate (absent, empty, fuzzy,
    or a plural without both forms)."""
    entries = catalog.parse_entries(po)
    missing = []
    for e in catalog.parse(template):
        t = entries.get(e.key)
        if (t is None or t.fuzzy or not t.msgstr or not all(t.msgstr)
                or (e.plural is not None and len(t.msgstr) < 2)):
            missing.append(e.msgid if e.context is None else f"{e.context}|{e.msgid}")
    return missing


class Catalogs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="bl-po-")
        cls.template = os.path.join(cls.dir, "boxlogin.pot")
        p = subprocess.run(["make", "-s", "--no-print-directory", "template", f"TEMPLATE={cls.template}"],
                           cwd=harness.ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if p.returncode != 0:
            raise AssertionError("xgettext failed:\n" + p.stdout)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_msgfmt_check_is_clean_and_nothing_is_fuzzy_or_untranslated(self):
        for lang in catalog.LANGUAGES:
            p = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null",
                                os.path.join(catalog.PO_DIR, lang + ".po")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=dict(os.environ, LC_ALL="C"))
            self.assertEqual(p.returncode, 0, p.stdout)
            self.assertRegex(p.stdout, r"^\d+ translated messages\.\n$", f"{lang}: {p.stdout}")

    def test_every_marked_string_has_a_translation(self):
        strings = catalog.parse(self.template)
        self.assertGreater(len(strings), 300, "the sources mark fewer strings than expected")
        for lang in catalog.LANGUAGES:
            self.assertEqual(missing_translations(self.template, os.path.join(catalog.PO_DIR, lang + ".po")),
                             [], f"{lang}.po lacks translations; run 'make pot' and translate")

    def test_a_missing_translation_is_caught(self):
        # The check above, on a catalog with one translation taken out.
        po = os.path.join(self.dir, "es.po")
        with open(os.path.join(catalog.PO_DIR, "es.po"), encoding="utf-8") as f:
            text = f.read()
        text = re.sub(r'(msgid "Network problem"\nmsgstr )"[^"]*"', r'\1""', text)
        with open(po, "w", encoding="utf-8") as f:
            f.write(text)
        self.assertEqual(missing_translations(self.template, po), ["Network problem"])

    def test_the_committed_template_matches_the_sources(self):
        now = {e.key for e in catalog.parse(self.template)}
        committed = {e.key for e in catalog.parse(os.path.join(catalog.PO_DIR, "boxlogin.pot"))}
        self.assertEqual(sorted(now - committed, key=str), [], "new strings: run 'make pot'")
        self.assertEqual(sorted(committed - now, key=str), [], "gone strings: run 'make pot'")

    def test_the_json_vocabulary_is_never_marked(self):
        # SPEC: --json, the keyring schema and label, config keys and history stay English.
        # (A context may show such a word to people: the history table's outcomes.)
        ids = {e.msgid for e in catalog.parse(self.template) if e.context is None}
        for word in ("rejected", "network", "server", "usage", "cancelled", "org.boxlogin.CustomerKey",
                     "SkyPostal customer key for %s (box %s, %s)", "user_code", "app_key"):
            self.assertNotIn(word, ids)


class CommandLine(harness.ApiTestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        self.env = harness.clean_env(self.home)

    def run_in(self, lang, args, stdin=None):
        env = self.env if lang is None else catalog.env_for(self.env, lang)
        return harness.boxlogin(args, env, stdin=stdin)

    def login(self, lang, email, *extra):
        return self.run_in(lang, ["login", "--email", email, "--password-stdin", "--no-keyring",
                                  "--base-url", self.api.base_url, "--cacert", self.pki["ca"], *extra],
                           stdin=PASSWORD + "\n")

    def test_help_is_translated_whole(self):
        english = self.run_in(None, ["--help"])
        self.assertEqual(english.returncode, 0)
        for lang in catalog.LANGUAGES:
            with self.subTest(lang=lang):
                t = catalog.Translator(lang)
                out = self.run_in(lang, ["--help"])
                self.assertEqual(out.returncode, 0, out.stderr)
                self.assertNotEqual(out.stdout, english.stdout)
                self.assertEqual(english_left(out.stdout, english_fragments(t.entries)), [], out.stdout)
                for option in ("--json", "--env", "--password-stdin", "--base-url"):
                    self.assertIn(option, out.stdout)  # option names are not translated

    def test_the_login_summary_and_an_error_line(self):
        for lang in catalog.LANGUAGES:
            with self.subTest(lang=lang):
                t = catalog.Translator(lang)
                words = english_fragments(t.entries)
                out = self.login(lang, "johndoe@email.com")
                self.assertEqual(out.returncode, 0, out.stderr)
                self.assertIn("811111", out.stdout)
                self.assertEqual(english_left(out.stdout, words), [], out.stdout)
                bad = self.run_in(lang, ["login", "--email", "johndoe@email.com", "--password-stdin",
                                         "--no-keyring", "--base-url", "https://127.0.0.1:9"], stdin="x\n")
                self.assertEqual(bad.returncode, 3)
                self.assertIn(t("Network problem"), bad.stderr)
                self.assertEqual(english_left(bad.stderr, words), [], bad.stderr)
                self.assertEqual(len(bad.stderr.strip().splitlines()[-1:]), 1)

    def test_the_history_table_is_translated_and_its_file_is_not(self):
        self.login(None, "johndoe@email.com")
        self.run_in(None, ["login", "--email", "johndoe@email.com", "--password-stdin", "--no-keyring",
                           "--base-url", self.api.base_url, "--cacert", self.pki["ca"]], stdin="wrong\n")
        as_json = self.run_in(None, ["history", "--json"]).stdout
        self.assertIn('"outcome":"rejected"', as_json.replace(" ", ""))
        for lang in catalog.LANGUAGES:
            with self.subTest(lang=lang):
                t = catalog.Translator(lang)
                out = self.run_in(lang, ["history"])
                self.assertEqual(out.returncode, 0, out.stderr)
                self.assertIn(t.ctx("history outcome", "session"), out.stdout)
                self.assertIn(t.ctx("history outcome", "rejected"), out.stdout)
                self.assertNotRegex(out.stdout, r"\b(session|rejected)\b")
                self.assertEqual(self.run_in(lang, ["history", "--json"]).stdout, as_json)

    def test_json_output_stays_english(self):
        english = self.login(None, "johndoe@email.com", "--json")
        bad_en = self.run_in(None, ["login", "--email", "a@b.co", "--password-stdin", "--no-keyring", "--json",
                                    "--base-url", "https://127.0.0.1:9"], stdin="x\n")
        for lang in catalog.LANGUAGES:
            with self.subTest(lang=lang):
                self.assertEqual(self.login(lang, "johndoe@email.com", "--json").stdout, english.stdout)
                bad = self.run_in(lang, ["login", "--email", "a@b.co", "--password-stdin", "--no-keyring",
                                         "--json", "--base-url", "https://127.0.0.1:9"], stdin="x\n")
                self.assertEqual(bad.stdout, bad_en.stdout)
                self.assertIn('"message":"Cannot connect', bad.stdout)

    def test_replies_read_the_same_whatever_the_decimal_point(self):
        # The API writes 10.5; under es_ES (",") and ps_AF (a two-byte point, which cJSON's
        # own number reading cannot take) every reply must read as it does in C.UTF-8.
        args = [["profile", "johndoe@email.com"], ["shipments", "johndoe@email.com"],
                ["track", "johndoe@email.com", "13869085"]]
        base = ["--json", "--password-stdin", "--no-keyring", "--no-history", "--base-url",
                self.api.base_url, "--cacert", self.pki["ca"]]
        for a in args:
            english = self.run_in(None, [*a, *base], stdin=PASSWORD + "\n")
            self.assertEqual(english.returncode, 0, english.stderr)
            if a[0] != "profile":
                self.assertRegex(english.stdout, r'"(value|weight_charged)":\d+\.\d*[1-9]')
            for name in ("es_ES", catalog.TWO_BYTE_POINT):
                with self.subTest(command=a[0], locale=name):
                    env = dict(self.env, LOCPATH=catalog.locales(), LANG=f"{name}.UTF-8",
                               LC_ALL=f"{name}.UTF-8")
                    out = harness.boxlogin([*a, *base], env, stdin=PASSWORD + "\n")
                    self.assertEqual((out.returncode, out.stdout), (0, english.stdout), out.stderr)

    def test_the_c_locale_gets_english_in_ascii(self):
        c_env = dict(self.env, LANG="C", LC_ALL="C")
        # Even with a Spanish LANGUAGE: gettext ignores it in the C locale.
        c_env["LANGUAGE"] = "es"
        for args in (["--help"], ["login", "--email", "a@b.co", "--password-stdin", "--no-keyring",
                                  "--base-url", "https://127.0.0.1:9"]):
            out = harness.boxlogin(args, c_env, stdin="x\n")
            english = self.run_in(None, args, stdin="x\n")
            self.assertEqual(out.stdout + out.stderr, english.stdout + english.stderr)
            (out.stdout + out.stderr).encode("ascii")  # no UTF-8 dashes or ellipses

    def test_a_locale_without_a_catalog_is_english(self):
        env = dict(self.env, LOCPATH=catalog.locales(), LANG="C.UTF-8", LC_ALL="C.UTF-8", LANGUAGE="fr")
        self.assertEqual(harness.boxlogin(["--help"], env).stdout, self.run_in(None, ["--help"]).stdout)


class Terminal(PaneTestCase):
    """Every screen in each language: what is drawn is the catalog's, with no English
    word of the catalog left, at 80x24 and at the smallest size, 60x16."""

    def start(self, lang, width, height):
        env = self.env if lang is None else catalog.env_for(self.env, lang)
        return self.open_pane(env=env, width=width, height=height, wait=None)

    def walk(self, lang, width, height):
        """Visits every screen; returns {name: screen text}."""
        t = catalog.Translator(lang)
        seen = {}
        p = self.start(lang, width, height)
        seen["form"] = p.wait_for(t("Customer login"))
        p.keys("Enter", "Enter")  # on to the password, then submit: nothing typed
        seen["form error"] = p.wait_for(t("Type the customer's email first"))
        p.keys("F4")
        seen["lookup form"] = p.wait_for(t("Look up a customer by email"))
        p.keys("F4")
        p.wait_for(t("Customer login"))
        p.keys("F3")
        seen["accounts"] = p.wait_for(t("Stored accounts and recent emails"))
        p.keys("Escape")
        p.wait_for(t("Customer login"))
        p.type("johndoe@email.com")
        p.keys("Tab")
        p.type("wrong-password")
        p.keys("Enter")
        seen["login rejected"] = p.wait_for(t("Login rejected"))
        p.type(PASSWORD)
        p.keys("Enter")
        p.wait_for(t("Box ID"))
        seen["summary"] = p.wait_for(t("Summary"))
        seen["verdict"] = p.wait_for(t("Account OK"))
        p.keys("?")  # the help overlay of the Summary, in the language too
        seen["help overlay"] = p.wait_for(t("Any key closes this help"))
        self.assertIn(t("Keys of this screen"), seen["help overlay"])
        self.assertIn(t("this help"), seen["help overlay"])
        p.keys("Escape")  # any key closes it, and does nothing else
        p.wait_for(t("Any key closes this help"), gone=True)
        p.keys("2")
        seen["profile"] = p.wait_for(t("Addresses"))
        p.keys("3")
        seen["shipments"] = p.wait_for(t("%zu shipment", 2).replace("%zu", "2"))
        p.keys("Enter")
        seen["shipment"] = p.wait_for(t("Charged weight"))
        p.keys("Escape")
        p.wait_for(t("%zu shipment", 2).replace("%zu", "2"))
        p.keys("n")  # a new lookup: F3 now lists the customer just looked up
        p.wait_for(t("Customer login"))
        p.keys("F3")
        seen["accounts with a recent email"] = p.wait_for(t("recent"))
        p.keys("Escape")
        p.wait_for(t("Customer login"))
        p.type("disabled@example.com")  # a verdict that says what is wrong
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")
        seen["verdict of a disabled account"] = p.wait_for(t("Disabled") + " · " + t("Inactive"))
        p.keys("n")
        p.wait_for(t("Customer login"))
        p.resize(40, 10)
        seen["too small"] = p.wait_for(t("Terminal too small"))
        p.resize(width, height)
        p.wait_for(t("Terminal too small"), gone=True)
        return seen

    def test_every_screen_speaks_the_language(self):
        for lang in catalog.LANGUAGES:
            t = catalog.Translator(lang)
            words = english_fragments(t.entries)
            for size in ((80, 24), (60, 16)):
                with self.subTest(lang=lang, size=size):
                    seen = self.walk(lang, *size)
                    for name, screen in seen.items():
                        ours = screen
                        for d in DATA:
                            ours = ours.replace(d, "")
                        self.assertEqual(english_left(ours, words), [], f"{name}:\n{screen}")
                        self.assertTrue(all(len(line) <= size[0] for line in screen.splitlines()))
                        if name != "too small":
                            # The way out is never dropped from the footer.
                            footer = screen.rstrip("\n").splitlines()[-1]
                            self.assertIn(t("quit"), footer, f"{name}:\n{screen}")
                    self.assertIn(t("ACTIVE"), seen["summary"])
                    self.assertIn(t("NOT VIP"), seen["summary"])
                    for p in self.panes:
                        p.close()
                    self.panes = []

    def test_the_english_walk_finds_english(self):
        # The check above can fail: the same walk in English shows the catalog's words.
        t = catalog.Translator("es")
        seen = self.walk_english()
        self.assertIn("Customer login", english_left(seen, english_fragments(t.entries)))

    def walk_english(self):
        p = self.start(None, 80, 24)
        return p.wait_for("Customer login")

    def test_the_c_locale_is_english_with_ascii_fallbacks(self):
        env = dict(self.env, LANG="C", LC_ALL="C", LANGUAGE="es")
        p = self.open_pane(env=env, width=60, height=16)
        p.type("johndoe@email.com")
        p.keys("Tab")
        p.type(PASSWORD)
        p.keys("Enter")
        s = p.wait_for("Box ID")
        p.keys("3")
        s += p.wait_for("RECEIVED")
        for ch in "…—–·":
            self.assertNotIn(ch, s)
        self.assertNotIn("??", s)  # each character replaced whole, not byte by byte
        s.encode("ascii")


if __name__ == "__main__":
    unittest.main()
