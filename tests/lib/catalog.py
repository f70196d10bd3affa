"""The translation catalogs (assets/po/*.po) read the way gettext reads them, and the
locales the language tests run in, made with localedef in a folder of the build tree (no
root needed: glibc reads them through LOCPATH)."""
import ast
import fcntl
import os
import re
import shutil
import subprocess
import tempfile

import harness

PO_DIR = os.path.join(harness.ROOT, "assets", "po")
LANGUAGES = {"es": "es_ES", "pt_BR": "pt_BR"}


class Entry:
    def __init__(self):
        self.context = None
        self.msgid = None
        self.plural = None
        self.msgstr = []
        self.fuzzy = False
        self.obsolete = False
        self.c_format = False

    @property
    def key(self):
        return (self.context, self.msgid)


def parse(path):
    """The entries of a .po or .pot file, the header (empty msgid) left out."""
    entries, cur, field = [], Entry(), None

    def done():
        nonlocal cur
        if cur.msgid is not None and cur.msgid != "":
            entries.append(cur)
        cur = Entry()

    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            obsolete = line.startswith("#~")
            if obsolete:
                line = line[2:].lstrip()
            if not line.strip():
                if cur.msgid is not None:
                    done()
                continue
            if line.startswith("#,"):
                flags = [x.strip() for x in line[2:].split(",")]
                cur.fuzzy = "fuzzy" in flags
                cur.c_format = "c-format" in flags
                continue
            if line.startswith("#"):
                continue
            cur.obsolete = cur.obsolete or obsolete
            m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
            if m:
                if m.group(1) == "msgctxt" or (m.group(1) == "msgid" and cur.msgstr):
                    if cur.msgid is not None:
                        done()
                field = m.group(1)
                text = ast.literal_eval(m.group(2))
            elif line.startswith('"'):
                text = ast.literal_eval(line)
            else:
                continue
            if field == "msgctxt":
                cur.context = (cur.context or "") + text
            elif field == "msgid":
                cur.msgid = (cur.msgid or "") + text
            elif field == "msgid_plural":
                cur.plural = (cur.plural or "") + text
            else:
                idx = int(field[7:-1]) if field != "msgstr" else 0
                while len(cur.msgstr) <= idx:
                    cur.msgstr.append("")
                cur.msgstr[idx] += text
    done()
    return entries


def parse_entries(path):
    """{(context, msgid): entry} of a catalog file, obsolete entries left out."""
    return {e.key: e for e in parse(path) if not e.obsolete}


def catalog(lang):
    return parse_entries(os.path.join(PO_DIR, lang + ".po"))


class Translator:
    """Looks strings up the way the program does: t("Email"), t.ctx("address", "State")."""

    def __init__(self, lang):
        self.lang = lang
        self.entries = catalog(lang)

    def __call__(self, msgid, n=None):
        e = self.entries.get((None, msgid))
        if e is None or not e.msgstr or not e.msgstr[0] or e.fuzzy:
            raise KeyError(f"no translation for {msgid!r}")
        if n is not None and e.plural is not None and len(e.msgstr) > 1:
            # The Plural-Forms of the catalogs: es (n != 1), pt_BR (n > 1).
            singular = n <= 1 if self.lang == "pt_BR" else n == 1
            return e.msgstr[0 if singular else 1]
        return e.msgstr[0]

    def ctx(self, context, msgid):
        e = self.entries.get((context, msgid))
        if e is None or not e.msgstr or not e.msgstr[0]:
            raise KeyError(f"no translation for {context!r} {msgid!r}")
        return e.msgstr[0]


# A locale whose decimal point is two bytes (U+066B): the test that replies read the same
# whatever LC_NUMERIC says runs in it.
TWO_BYTE_POINT = "ps_AF"


def locales():
    """A LOCPATH folder holding es_ES.UTF-8, pt_BR.UTF-8, ps_AF.UTF-8 and C.UTF-8, made once per
    build. Suites run at once (tests/run.py) share it: the first to need it makes it under a
    lock, each locale in a folder of its own renamed into place, so that no test ever reads
    one half made (nor one left half made by a run that was killed)."""
    path = os.path.join(harness.BUILD, "test-locales")
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for name in [*LANGUAGES.values(), TWO_BYTE_POINT, "C"]:
            out = os.path.join(path, name + ".UTF-8")
            if os.path.exists(os.path.join(out, "LC_MESSAGES")):
                continue
            shutil.rmtree(out, ignore_errors=True)
            part = tempfile.mkdtemp(prefix=f".{name}-", dir=path)
            try:
                subprocess.run(["localedef", "-i", name, "-f", "UTF-8", part], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                os.chmod(part, 0o755)
                os.rename(part, out)
            finally:
                shutil.rmtree(part, ignore_errors=True)
    return path


def env_for(env, lang):
    """env switched to a language's UTF-8 locale."""
    return dict(env, LOCPATH=locales(), LANG=f"{LANGUAGES[lang]}.UTF-8",
                LC_ALL=f"{LANGUAGES[lang]}.UTF-8")
