# boxlogin: `make` builds build/boxlogin; `make check` installs what the tests need
# and runs them all; `make demo` runs the UI against the local stand-in API.

PREFIX      ?= /usr/local
prefix      ?= $(PREFIX)
exec_prefix ?= $(prefix)
bindir      ?= $(exec_prefix)/bin
datarootdir ?= $(prefix)/share
mandir      ?= $(datarootdir)/man
man1dir     ?= $(mandir)/man1
bashcompdir ?= $(datarootdir)/bash-completion/completions
localedir   ?= $(datarootdir)/locale
INSTALL     ?= install
PYTHON      ?= python3
PKG_CONFIG  ?= pkg-config

PKGS := ncursesw formw libcurl libcjson libsecret-1 libssl
# libsecret is loaded with dlopen on first use (src/keyring.c): its headers only.
LINK_PKGS := ncursesw formw libcjson libssl

# SANITIZE=1: AddressSanitizer + UBSan; TSAN=1: ThreadSanitizer. Each builds in its own folder.
BUILD := build
ifeq ($(SANITIZE),1)
BUILD := build/sanitize
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif
ifeq ($(TSAN),1)
BUILD := build/tsan
SAN_FLAGS := -fsanitize=thread -fno-omit-frame-pointer
endif

CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wpointer-arith -Wvla
ifeq ($(WERROR),1)
WARN     += -Werror
endif
HARDEN   := -fstack-protector-strong -fPIE -D_FORTIFY_SOURCE=2
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(LINK_PKGS) 2>/dev/null)
ALL_CFLAGS  = -std=c11 -D_GNU_SOURCE $(WARN) $(HARDEN) $(SAN_FLAGS) $(PKG_CFLAGS) \
              -DLOCALEDIR='"$(localedir)"' $(CFLAGS)
ALL_LDFLAGS = -pie -Wl,-z,relro,-z,now $(SAN_FLAGS) $(LDFLAGS)
LIBS        = $(PKG_LIBS) -ldl -lpthread -lm

CORE_SRC := $(filter-out src/main.c,$(wildcard src/*.c)) $(wildcard src/cmd/*.c)
UI_SRC   := $(wildcard ui/*.c)
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/obj/%.o)
UI_OBJ   := $(UI_SRC:%.c=$(BUILD)/obj/%.o)
MAIN_OBJ := $(BUILD)/obj/src/main.o
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_TARGETS := decode wcfdate config profile shipments shipment jsonscan
REPLAY_BIN := $(FUZZ_TARGETS:%=$(BUILD)/tests/replay_%)
# Preloaded by tests/test_secrets.py: checks every freed block for the test's secrets.
SECRET_CHECK := $(BUILD)/tests/secret_check.so
FUZZ_SECONDS ?= 60
FUZZ_CC     ?= clang
FUZZ_SRC    := src/decode.c src/text.c src/wcfdate.c src/session.c src/secmem.c src/error.c \
               src/config.c src/value.c src/jsonread.c src/jsonscan.c src/jsonwrite.c src/account.c \
               src/account_json.c src/i18n.c
FUZZ_HDR    := $(wildcard tests/fuzz/*.h)

# Translations (SPEC "Languages"): the template and one catalog per language in assets/po,
# compiled into $(BUILD)/locale, where the binary finds them when run from the build tree.
LINGUAS  := es pt_BR
PO_DIR   := assets/po
MO_FILES := $(LINGUAS:%=$(BUILD)/locale/%/LC_MESSAGES/boxlogin.mo)
XGETTEXT_FLAGS := --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=P_:1,2 --keyword=C_:1c,2 \
                  --add-comments=TRANSLATORS: --package-name=boxlogin --sort-by-file \
                  --flag=error_set:3:c-format --flag=fail:3:c-format --flag=ui_say:3:c-format \
                  --flag=usage_error:2:c-format --flag=cmd_reword:2:c-format --flag=cmd_say:1:c-format \
                  --msgid-bugs-address=boxlogin@skypostal.invalid

.PHONY: all check check-build check-tsan hooks deps demo bench fuzz fuzz-deps lint install uninstall clean pkgcheck pot template FORCE deb

all: pkgcheck $(BUILD)/boxlogin $(MO_FILES) $(BUILD)/tests/locale

pkgcheck:
	@$(PKG_CONFIG) --exists $(PKGS) || { \
	  echo "boxlogin: missing build libraries ($(PKGS)); 'make deps' installs them"; exit 1; }
	@command -v msgfmt >/dev/null || { \
	  echo "boxlogin: missing msgfmt (Debian package gettext); 'make deps' installs it"; exit 1; }

# The binary has $(localedir) compiled in (src/i18n.c): a make with another prefix (make
# install PREFIX=/opt/x after make) rebuilds it, so that it finds the catalogs it installs.
$(BUILD)/localedir: FORCE
	@mkdir -p $(@D)
	@echo '$(localedir)' | cmp -s - $@ 2>/dev/null || echo '$(localedir)' > $@
$(BUILD)/obj/src/i18n.o: $(BUILD)/localedir

FORCE:

$(BUILD)/locale/%/LC_MESSAGES/boxlogin.mo: $(PO_DIR)/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

# The binaries under $(BUILD)/tests (the hooks build) find the same catalogs.
$(BUILD)/tests/locale:
	@mkdir -p $(@D)
	ln -sfn ../locale $@

# The template, from the marked strings of the sources (TEMPLATE=FILE writes it elsewhere:
# the tests compare it with the catalogs); `make pot` then merges each catalog with it.
TEMPLATE ?= $(PO_DIR)/boxlogin.pot
template:
	@xgettext $(XGETTEXT_FLAGS) -o $(TEMPLATE) src/*.c src/cmd/*.c ui/*.c

pot: template
	@for l in $(LINGUAS); do \
	  msgmerge --quiet --update --backup=none --no-fuzzy-matching $(PO_DIR)/$$l.po \
	    $(PO_DIR)/boxlogin.pot && \
	  msgattrib --no-obsolete -o $(PO_DIR)/$$l.po $(PO_DIR)/$$l.po || exit 1; \
	done

$(BUILD)/boxlogin: $(MAIN_OBJ) $(UI_OBJ) $(BUILD)/libcore.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/libcore.a: $(CORE_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libcore.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc $(shell $(PKG_CONFIG) --cflags cmocka) $(ALL_LDFLAGS) \
	  -o $@ $< $(BUILD)/libcore.a $(shell $(PKG_CONFIG) --libs cmocka) $(LIBS)

# The binary with its test hooks (src/worker.c: BOXLOGIN_TEST_PAUSE), for the tests that
# must land a key at one exact point of the worker's work.
HOOKS_BIN := $(BUILD)/tests/boxlogin-hooks
$(HOOKS_BIN): $(CORE_SRC) $(UI_SRC) src/main.c $(wildcard src/*.h src/cmd/*.h ui/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DBOXLOGIN_TEST_HOOKS $(ALL_LDFLAGS) -o $@ $(filter %.c,$^) $(LIBS)

hooks: $(HOOKS_BIN)

# The fuzz harnesses, run once over each corpus file: no libFuzzer needed.
$(BUILD)/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(FUZZ_HDR) $(BUILD)/libcore.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc $(ALL_LDFLAGS) -o $@ $< tests/fuzz/replay.c $(BUILD)/libcore.a $(LIBS)

# Without the sanitizers: their runtime must come first, so the sanitized runs skip it.
$(SECRET_CHECK): tests/lib/secret_check.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g -fPIC -shared -o $@ $<

# Drives the API client through the real libcurl for tests/test_write_once.py: a read, then
# a write on the same connection.
WRITE_ONCE := $(BUILD)/tests/write_once
$(WRITE_ONCE): tests/lib/write_once.c $(BUILD)/libcore.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libcore.a $(LIBS)

# Static analysis with the checked-in configuration (.clang-tidy; cppcheck's options here).
LINT_SRC := $(wildcard src/*.c src/cmd/*.c ui/*.c tests/fuzz/*.c)
lint:
	@sh .ci/deps lint
	cppcheck --quiet --enable=warning,style,performance,portability --std=c11 -D_GNU_SOURCE \
	  --inline-suppr --error-exitcode=1 -Isrc -Iui $(LINT_SRC)
	@for f in $(LINT_SRC); do \
	  clang-tidy --quiet $$f -- -std=c11 -D_GNU_SOURCE $(PKG_CFLAGS) -Isrc 2>/dev/null || exit 1; \
	done
	@echo "lint: cppcheck and clang-tidy found nothing"

# libFuzzer with ASan + UBSan: each harness for FUZZ_SECONDS, new inputs in build/fuzz/.
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_SRC) $(FUZZ_HDR)
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
	  $(shell $(PKG_CONFIG) --cflags libcjson) -o $@ $(filter %.c,$^) \
	  $(shell $(PKG_CONFIG) --libs libcjson) -lm

fuzz-deps:
	@sh .ci/deps fuzz

build/fuzz/fuzz_%: | fuzz-deps

fuzz: $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/corpus-$$t build/fuzz/crashes-$$t; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=build/fuzz/crashes-$$t/ build/fuzz/corpus-$$t tests/fuzz/corpus/$$t \
	    2>&1 | grep -E '^(#[0-9]+[[:space:]]+DONE|stat::|==[0-9]+==ERROR|SUMMARY|artifact)' || exit 1; \
	done

-include $(CORE_OBJ:.o=.d) $(UI_OBJ:.o=.d) $(MAIN_OBJ:.o=.d)

# Installs the Debian packages the build and the tests need, saying which.
deps:
	@sh .ci/deps

# A fresh make after deps, so that pkg-config sees the libraries deps installed.
# The package test (tests/test_package.py) runs `make deb`: its tools are installed first.
check: deps
	@sh .ci/deps deb
	@$(MAKE) --no-print-directory check-build WERROR=1
	@$(PYTHON) tests/run.py --build $(BUILD)

check-build: all $(UNIT_BIN) $(REPLAY_BIN) $(HOOKS_BIN) $(SECRET_CHECK) $(WRITE_ONCE)

# The worker and the UI loop under ThreadSanitizer: the terminal tests, the account view
# (parallel calls) included.
check-tsan: deps
	@$(MAKE) --no-print-directory all hooks TSAN=1 WERROR=1
	@$(PYTHON) tests/run.py --build build/tsan test_ui test_ui_account test_ui_exits test_ui_lists \
	  test_ui_pass test_ui_pass2 test_ui_pass3 test_ui_change test_preconnect

demo: deps
	@$(MAKE) --no-print-directory all
	@$(PYTHON) tests/lib/demo.py --build $(BUILD) $(if $(DEMO_LANG),--lang $(DEMO_LANG))

# Speed and memory as ratios against references measured in the same run
# (see tests/bench/README.md).
RTT_MS ?= 60
FILTER_BENCH := $(BUILD)/bench/filter_bench
$(FILTER_BENCH): tests/bench/filter_bench.c $(BUILD)/obj/ui/place_picker.o $(BUILD)/obj/ui/list.o \
  $(BUILD)/obj/ui/term.o $(BUILD)/libcore.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Iui -Isrc $(ALL_LDFLAGS) -o $@ $< $(BUILD)/obj/ui/place_picker.o \
	  $(BUILD)/obj/ui/list.o $(BUILD)/obj/ui/term.o \
	  $(BUILD)/libcore.a $(LIBS)

bench:
	@sh .ci/deps bench
	@$(MAKE) --no-print-directory all $(FILTER_BENCH)
	@$(PYTHON) tests/bench/bench.py --build $(BUILD) --rtt-ms $(RTT_MS) --out build/bench.md

install: all
	$(INSTALL) -d $(DESTDIR)$(bindir) $(DESTDIR)$(man1dir) $(DESTDIR)$(bashcompdir)
	$(INSTALL) -m 755 $(BUILD)/boxlogin $(DESTDIR)$(bindir)/boxlogin
	$(INSTALL) -m 644 assets/boxlogin.1 $(DESTDIR)$(man1dir)/boxlogin.1
	$(INSTALL) -m 644 assets/boxlogin.bash $(DESTDIR)$(bashcompdir)/boxlogin
	@for l in $(LINGUAS); do \
	  $(INSTALL) -d $(DESTDIR)$(localedir)/$$l/LC_MESSAGES $(DESTDIR)$(mandir)/$$l/man1 && \
	  $(INSTALL) -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/boxlogin.mo \
	    $(DESTDIR)$(localedir)/$$l/LC_MESSAGES/boxlogin.mo && \
	  $(INSTALL) -m 644 assets/man/$$l/boxlogin.1 $(DESTDIR)$(mandir)/$$l/man1/boxlogin.1 \
	  || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(bindir)/boxlogin $(DESTDIR)$(man1dir)/boxlogin.1 \
	  $(DESTDIR)$(bashcompdir)/boxlogin \
	  $(LINGUAS:%=$(DESTDIR)$(localedir)/%/LC_MESSAGES/boxlogin.mo) \
	  $(LINGUAS:%=$(DESTDIR)$(mandir)/%/man1/boxlogin.1)

clean:
	rm -rf build

# The Debian package build/boxlogin_VERSION_ARCH.deb: assets/debian/ holds its control
# template, copyright and changelog, and build-deb.sh, which makes it from a staging
# install. Its own build, build/deb, without sanitizers and with PREFIX=/usr: the binary
# has the catalogs' folder ($(localedir)) compiled in.
DEB_BUILD := build/deb
deb:
	@sh .ci/deps --build-only deb
	@rm -rf $(DEB_BUILD)/root
	@$(MAKE) --no-print-directory install BUILD=$(DEB_BUILD) SANITIZE= TSAN= PREFIX=/usr \
	  DESTDIR=$(CURDIR)/$(DEB_BUILD)/root
	@sh assets/debian/build-deb.sh $(DEB_BUILD)/root build
