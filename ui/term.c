/*
 * The terminal, in one place: curses starts here, colours are defined here,
 * and every way out restores the terminal here — the normal one (term_stop)
 * and a fatal signal, whose handler restores what curses changed with
 * async-signal-safe calls only and then lets the signal end the process.
 */
#include "term.h"
#include "../src/i18n.h"
#include "../src/text.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

/* One row a meaning: colours where there are colours, and what stands in for them. */
static const struct {
    short fg, bg;
    attr_t with_color, without_color;
} meanings[UI_MEANINGS] = {
    [UI_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
    [UI_TITLE] = {-1, -1, A_BOLD, A_BOLD},
    [UI_HEADER] = {COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE},
    [UI_HEADER_PROD] = {COLOR_YELLOW, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD},
    /* Badges: plain black (bold black is grey where bold means bright); the PROD badge
     * steady, and black on yellow against its red bar (reverse in monochrome: plain). */
    [UI_ENV_TEST] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_BOLD},
    [UI_ENV_PROD] = {COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_BOLD},
    [UI_GOOD] = {COLOR_BLACK, COLOR_GREEN, A_NORMAL, A_BOLD},
    [UI_BAD] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD},
    [UI_INFO] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_BOLD | A_UNDERLINE},
    [UI_PLAIN] = {-1, -1, A_NORMAL, A_NORMAL},
    [UI_UNKNOWN] = {COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_UNDERLINE},
    [UI_ERROR] = {COLOR_RED, -1, A_BOLD, A_BOLD},
    [UI_NOTICE] = {COLOR_CYAN, -1, A_NORMAL, A_NORMAL},
    [UI_HINT] = {-1, -1, A_DIM, A_DIM},
    [UI_KEY] = {-1, -1, A_BOLD, A_BOLD},
    [UI_FIELD] = {-1, -1, A_UNDERLINE, A_UNDERLINE},
    /* Underlined, not only dim: monochrome terminals (xterm-mono) have no dim. */
    [UI_COLUMNS] = {-1, -1, A_DIM | A_UNDERLINE, A_UNDERLINE},
};

/* Signals whose default action ends the process at once, without our loop. */
static const int fatal_signals[] = {SIGSEGV, SIGABRT, SIGBUS,  SIGFPE,
                                    SIGILL,  SIGQUIT, SIGTRAP, SIGSYS};

static SCREEN *curses_screen;
static int has_colour;
static int locale_is_utf8;

/* What the fatal-signal handler needs, prepared while it was still safe to compute. */
static struct termios tty_before;
static int tty_saved;
static char restore_bytes[256];
static size_t restore_len;

/* DECTCEM, for an xterm whose terminfo has no civis (xterm-mono): term_cursor. */
static const char cursor_hide[] = "\033[?25l", cursor_show[] = "\033[?25h";
static int cursor_by_hand; /* the terminal needs them */

int
term_unicode(void)
{
    return locale_is_utf8;
}

const char *
term_spinner(long tenths)
{
    static const char *const braille[] = {"⠋", "⠙", "⠹", "⠸", "⠼",
                                          "⠴", "⠦", "⠧", "⠇", "⠏"};
    static const char *const ascii[] = {"|", "/", "-", "\\"};

    return locale_is_utf8 ? braille[tenths % 10] : ascii[tenths % 4];
}

attr_t
term_attr(enum ui_meaning m)
{
    if (!has_colour)
        return meanings[m].without_color;
    return meanings[m].with_color | (m != UI_NORMAL ? COLOR_PAIR(m) : 0);
}

static void
colours_init(void)
{
    const char *no_color = getenv("NO_COLOR");

    has_colour = (no_color == NULL || no_color[0] == '\0') && has_colors() &&
                 start_color() == OK && COLOR_PAIRS > UI_MEANINGS;
    if (!has_colour)
        return;
    use_default_colors();
    for (int m = 1; m < UI_MEANINGS; m++)
        init_pair((short)m, meanings[m].fg, meanings[m].bg);
}

/* Whether tigetstr found the string capability: it answers NULL for an absent one and
 * (char *)-1 for a name that is no string capability. */
static int
has_capability(const char *s)
{
    return s != NULL && s != (const char *)-1; /* NOLINT(performance-no-int-to-ptr) */
}

/* Appends a terminfo string capability to the bytes the fatal handler writes. */
static void
add_restore(const char *capability)
{
    const char *s = tigetstr(capability);
    size_t n;

    if (!has_capability(s))
        return;
    n = strlen(s);
    if (n < sizeof restore_bytes - restore_len) {
        memcpy(restore_bytes + restore_len, s, n);
        restore_len += n;
    }
}

/* Only async-signal-safe calls: write, tcsetattr, sigaction, raise. */
static void
on_fatal_signal(int sig)
{
    struct sigaction dfl;
    ssize_t ignored;

    if (restore_len > 0)
        ignored = write(STDOUT_FILENO, restore_bytes, restore_len);
    (void)ignored;
    if (tty_saved)
        tcsetattr(STDIN_FILENO, TCSANOW, &tty_before);
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    /* Delivered when the handler returns (a fault simply happens again): the default
     * action then ends the process, its status naming the signal, without a core. */
    raise(sig);
}

static void
catch_fatal_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigfillset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
        sigaction(fatal_signals[i], &sa, NULL);
}

static void
release_fatal_signals(void)
{
    for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
        signal(fatal_signals[i], SIG_DFL);
}

/* Refuses the terminal: its type is unknown, or it cannot position the cursor. */
static int
refuse_terminal(struct bl_error *err, int unknown)
{
    const char *t = getenv("TERM");
    char *safe = text_sanitize(t != NULL ? t : "", t != NULL ? strnlen(t, 60) : 0);
    const char *type = safe != NULL ? safe : "";

    if (unknown)
        error_set(err, BL_USAGE,
                  _("terminal type '%s' is unknown; try TERM=xterm-256color, or use "
                    "'boxlogin login'"),
                  type);
    else
        error_set(err, BL_USAGE,
                  _("terminal type '%s' cannot move the cursor, which the UI needs; try "
                    "TERM=xterm-256color, or use 'boxlogin login'"),
                  type);
    free(safe);
    return -1;
}

int
term_start(struct bl_error *err)
{
    const char *cup;

    locale_is_utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    /* Terminals send UTF-8 whatever LANG says; read it whole rather than byte by byte
     * (which the form library would cut at the first non-ASCII character). What we draw
     * ourselves still falls back to ASCII (text_ascii). */
    if (!locale_is_utf8)
        setlocale(LC_CTYPE, "C.UTF-8");
    tty_saved = tcgetattr(STDIN_FILENO, &tty_before) == 0;
    curses_screen = newterm(NULL, stdout, stdin);
    if (curses_screen == NULL)
        return refuse_terminal(err, 1);
    set_term(curses_screen);
    cup = tigetstr("cup");
    if (!has_capability(cup)) {
        term_stop();
        return refuse_terminal(err, 0);
    }
    restore_len = 0;
    add_restore("sgr0");
    add_restore("cnorm");
    /* An xterm that its terminfo cannot hide the cursor on (xterm-mono) still can. */
    cursor_by_hand = !has_capability(tigetstr("civis")) && termname() != NULL &&
                     strncmp(termname(), "xterm", 5) == 0;
    if (cursor_by_hand && restore_len + sizeof cursor_show < sizeof restore_bytes) {
        memcpy(restore_bytes + restore_len, cursor_show, sizeof cursor_show - 1);
        restore_len += sizeof cursor_show - 1;
    }
    add_restore("rmkx");
    add_restore("rmcup");
    catch_fatal_signals();
    /* raw, not cbreak: Ctrl-C arrives as a key, and Ctrl-\, Ctrl-Z and Ctrl-S cannot
     * kill, stop or freeze the UI by accident. Signals sent with kill are still handled.
     */
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    colours_init();
    return 0;
}

void
term_stop(void)
{
    if (curses_screen == NULL)
        return;
    if (cursor_by_hand)
        term_cursor(1);
    endwin();
    delscreen(curses_screen);
    curses_screen = NULL;
    release_fatal_signals();
    restore_len = 0;
    if (tty_saved)
        tcsetattr(STDIN_FILENO, TCSANOW, &tty_before);
}

void
term_cursor(int visible)
{
    if (curs_set(visible) == ERR && cursor_by_hand) {
        putp(visible ? cursor_show : cursor_hide);
        fflush(stdout);
    }
}

/* Decodes UTF-8 into a new wide string; NULL when out of memory. */
static wchar_t *
widen(const char *s)
{
    size_t n = strlen(s);
    const char *end = s + n;
    wchar_t *w = calloc(n + 1, sizeof *w);
    mbstate_t st;
    size_t i = 0;

    if (w == NULL)
        return NULL;
    memset(&st, 0, sizeof st);
    /* One pass: a name can be as long as the 1 MiB reply allows. */
    while (s < end) {
        size_t k = mbrtowc(&w[i], s, (size_t)(end - s), &st);

        if (k == (size_t)-1 || k == (size_t)-2) {
            w[i] = L'?';
            k = 1;
            memset(&st, 0, sizeof st);
        }
        s += k;
        if (!locale_is_utf8 && w[i] > 0x7e) {
            /* The terminal may not show it: the ASCII the commands print too (base
             * letters, punctuation, else '?'), never longer than the k bytes just read.
             */
            char a[4];

            for (size_t j = 0, an = text_ascii((unsigned)w[i], a); j < an; j++)
                w[i++] = (wchar_t)(unsigned char)a[j];
            continue;
        }
        i++;
    }
    w[i] = L'\0';
    return w;
}

/* Wipes and frees a widened copy: the text drawn may be the customer key. */
static void
unwiden(wchar_t *w)
{
    if (w != NULL)
        explicit_bzero(w, (wcslen(w) + 1) * sizeof *w);
    free(w);
}

static int
cell_width(wchar_t c)
{
    int n = wcwidth(c);

    return n < 0 ? 1 : n;
}

/* Columns the first n wide characters of w take. */
static int
term_width_of(const wchar_t *w, size_t n)
{
    int cols = 0;

    for (size_t i = 0; i < n && w[i] != L'\0'; i++)
        cols += cell_width(w[i]);
    return cols;
}

int
term_width(const char *s)
{
    wchar_t *w = widen(s);
    int n = 0;

    for (size_t i = 0; w != NULL && w[i] != L'\0'; i++)
        n += cell_width(w[i]);
    unwiden(w);
    return n;
}

int
term_text(WINDOW *win, int y, int x, int width, const char *s, attr_t a)
{
    wchar_t *w = widen(s), ell = locale_is_utf8 ? 0x2026 : L'~';
    int used = 0, total = 0;
    size_t i;

    if (w == NULL || width <= 0) {
        unwiden(w);
        return 0;
    }
    for (i = 0; w[i] != L'\0'; i++)
        total += cell_width(w[i]);
    wattrset(win, (int)a);
    wmove(win, y, x);
    for (i = 0; w[i] != L'\0'; i++) {
        int cw = cell_width(w[i]);
        wchar_t one[2] = {wcwidth(w[i]) < 0 ? L'?' : w[i], L'\0'};

        if (total > width && used + cw > width - 1) {
            waddnwstr(win, &ell, 1);
            used++;
            break;
        }
        if (used + cw > width)
            break;
        waddnwstr(win, one, 1);
        used += cw;
    }
    wattrset(win, A_NORMAL);
    unwiden(w);
    return used;
}

int
term_label_column(int widest, int least)
{
    int most = COLS / 3;

    if (widest < least)
        widest = least;
    return widest < most ? widest : most;
}

void
term_field(int *row, int top, int first, int last, int label_w, const char *label,
           const char *value, attr_t a)
{
    int y = first + *row - top;

    if (y >= first && y <= last) {
        term_text(stdscr, y, 2, label_w, label, term_attr(UI_HINT));
        term_text(stdscr, y, 3 + label_w, COLS - 4 - label_w,
                  value != NULL && value[0] != '\0' ? value : "—", a);
    }
    (*row)++;
}

void
term_centred(int y, const char *s, attr_t a)
{
    int x = (COLS - term_width(s)) / 2;

    term_text(stdscr, y, x > 0 ? x : 0, COLS, s, a);
}

/* The most hints a footer has. */
#define FOOTER_MAX 24

/* The keys of the screen drawn last (its footer's table), for the help overlay. */
static const struct key_hint *screen_keys;
static int screen_keys_n;
static int typing;

void
term_typing(int on)
{
    typing = on;
}

/* The help hint's key: F1 where ? is a character being typed. */
static const char *
help_key(void)
{
    return typing ? "F1" : "?";
}

void
term_footer(const struct key_hint *hints, int n)
{
    const char *key[FOOTER_MAX], *what[FOOTER_MAX];
    /* TRANSLATORS: key hint (F1 or ?), one word: open the list of this screen's keys. */
    const char *help = _("help");
    /* TRANSLATORS: key hint (F1 or ?) when the footer had to leave keys out, one word:
     * the help lists them. */
    const char *more = _("more");
    int cost[FOOTER_MAX], shown[FOOTER_MAX], need, x = 1, next, dropped = 0;
    int help_w =
        term_width(help) > term_width(more) ? term_width(help) : term_width(more);

    if (n > FOOTER_MAX)
        n = FOOTER_MAX;
    screen_keys = hints;
    screen_keys_n = n;
    /* Each hint: the key, a space, what it does, two spaces before the next one. The line
     * starts at column 1 and keeps its last column free: need <= COLS - 1. The help hint
     * is always there. */
    need = 1 - 2 + term_width(help_key()) + 1 + help_w + 2;
    for (int i = 0; i < n; i++) {
        key[i] = hints[i].key != NULL && hints[i].key[0] != '\0' ? _(hints[i].key) : "";
        what[i] = _(hints[i].what);
        cost[i] =
            (key[i][0] != '\0' ? term_width(key[i]) + 1 : 0) + term_width(what[i]) + 2;
        shown[i] = hints[i].rank == HINT_ESSENTIAL;
        if (shown[i])
            need += cost[i];
    }
    /* Then the others by rank, lowest first (of equal ranks, the earlier hint), until one
     * does not fit: whatever is shown, every more important hint is shown too. */
    for (int rank = 1, fits = 1; fits && rank > 0; rank = next) {
        next = 0;
        for (int i = 0; fits && i < n; i++) {
            if (hints[i].rank == rank) {
                fits = need + cost[i] <= COLS - 1;
                shown[i] = fits;
                need += fits ? cost[i] : 0;
            } else if (hints[i].rank > rank && (next == 0 || hints[i].rank < next)) {
                next = hints[i].rank;
            }
        }
    }
    for (int i = 0; i < n; i++)
        dropped |= hints[i].rank > 0 && !shown[i];
    move(LINES - 1, 0);
    clrtoeol();
    for (int i = 0; i < n && x < COLS - 1; i++) {
        int y = LINES - 1;

        if (!shown[i])
            continue;
        if (key[i][0] != '\0')
            x += term_text(stdscr, y, x, COLS - x - 1, key[i], term_attr(UI_KEY)) + 1;
        x += term_text(stdscr, y, x, COLS - x - 1, what[i], term_attr(UI_HINT)) + 2;
    }
    /* The help hint last, where it is found at every width; "more" when keys are left
     * out: never silently. */
    if (x < COLS - 1)
        x +=
            term_text(stdscr, LINES - 1, x, COLS - x - 1, help_key(), term_attr(UI_KEY)) +
            1;
    if (x < COLS - 1)
        term_text(stdscr, LINES - 1, x, COLS - x - 1, dropped ? more : help,
                  term_attr(UI_HINT));
}

/* Whether the help already lists key (of the first n keys of list). */
static int
listed(const struct key_hint *list, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (list[i].key != NULL && strcmp(list[i].key, key) == 0)
            return 1;
    return 0;
}

/* The lines of the help: the keys that do the same (the same words) on one line. */
struct help_line {
    char key[64]; /* the keys, translated, a space between */
    const char *what;
};

/* Merges all[0 .. n-1] into lines (at most n); returns how many. */
static int
help_lines(const struct key_hint *const *all, int n, struct help_line *lines)
{
    int m = 0;

    for (int i = 0; i < n; i++) {
        const char *key = all[i]->key != NULL ? _(all[i]->key) : "";
        const char *what = _(all[i]->what);
        int k = 0;

        while (k < m && strcmp(lines[k].what, what) != 0)
            k++;
        if (k == m) {
            lines[m].key[0] = '\0';
            lines[m++].what = what;
        }
        if (key[0] != '\0' &&
            strlen(lines[k].key) + 1 + strlen(key) < sizeof lines[k].key)
            snprintf(lines[k].key + strlen(lines[k].key),
                     sizeof lines[k].key - strlen(lines[k].key), "%s%s",
                     lines[k].key[0] != '\0' ? " " : "", key);
    }
    return m;
}

int
term_help(const struct key_hint *extra, int n_extra, int page)
{
    const struct key_hint *all[FOOTER_MAX * 2];
    struct help_line lines[FOOTER_MAX * 2];
    /* TRANSLATORS: title of the help overlay (F1 or ?). */
    const char *title = _("Keys of this screen");
    /* TRANSLATORS: the last line of the help overlay. */
    const char *close = _("Any key closes this help");
    char more[160];
    int n = 0, key_w = 0, what_w = 0, w, h, rows, cols, col_w, top, left, pages, first;
    WINDOW *win;

    for (int i = 0; i < screen_keys_n; i++)
        all[n++] = &screen_keys[i];
    for (int i = 0; i < n_extra && n < TERM_COUNT(all); i++)
        if (extra[i].key == NULL || !listed(screen_keys, screen_keys_n, extra[i].key))
            all[n++] = &extra[i];
    n = help_lines(all, n, lines);
    for (int i = 0; i < n; i++) {
        int kw = term_width(lines[i].key), ww = term_width(lines[i].what);

        key_w = kw > key_w ? kw : key_w;
        what_w = ww > what_w ? ww : what_w;
    }
    if (key_w > 16)
        key_w = 16;
    /* The whole height: the title on the frame, the lines, the closing line. One
     * column; two where one would not fit and two show every line whole; else pages. */
    w = COLS - 4 < 76 ? COLS - 4 : 76;
    rows = LINES - 3 > 1 ? LINES - 3 : 1;
    cols = n > rows && (w - 4 - 2) / 2 - key_w - 2 >= what_w ? 2 : 1;
    pages = (n + rows * cols - 1) / (rows * cols);
    if (pages < 1)
        pages = 1;
    if (page >= pages)
        page = pages - 1;
    first = page * rows * cols;
    if (pages == 1)
        rows = (n + cols - 1) / cols;
    h = rows + 3;
    col_w = (w - 4 - (cols - 1) * 2) / cols;
    top = (LINES - h) / 2;
    left = (COLS - w) / 2;
    if (page < pages - 1) {
        /* TRANSLATORS: the last line of the help overlay when its keys take more than
           one page: Space is the key (keep it); the page, then how many. */
        snprintf(more, sizeof more, _("Space: more keys (%d/%d); any other key closes"),
                 page + 1, pages);
        close = more;
    }
    if ((win = newwin(h, w, top, left)) == NULL)
        return pages;
    werase(win);
    box(win, 0, 0);
    term_text(win, 0, 2, w - 4, title, A_BOLD);
    for (int i = first; i < n && i < first + rows * cols; i++) {
        int y = 1 + (i - first) % rows, x = 2 + ((i - first) / rows) * (col_w + 2);

        term_text(win, y, x, key_w, lines[i].key, term_attr(UI_KEY));
        term_text(win, y, x + key_w + 2, col_w - key_w - 2, lines[i].what, A_NORMAL);
    }
    term_text(win, h - 2, 2, w - 4, close, term_attr(UI_HINT));
    wnoutrefresh(win);
    delwin(win);
    return pages;
}

/* The last status drawn, whole, when it had to be cut: m shows it. */
static char status_whole[2048];
static int status_cut;

/* The most lines a status takes where m can show the rest of it. */
#define STATUS_LINES 3

/*
 * Where the lines of w start and end (indices) when it is wrapped at spaces into lines
 * of width columns, at most most lines; the last of them width - reserve columns when
 * the text does not fit without. Returns the lines, and sets *cut when text is left over.
 */
static int
wrap(const wchar_t *w, int width, int most, int reserve, size_t start[], size_t end[],
     int *cut)
{
    size_t i = 0;
    int n = 0;

    *cut = 0;
    while (n < most) {
        int cols = 0, room = width;
        size_t space = 0, j;

        while (n > 0 && w[i] == L' ')
            i++;
        if (w[i] == L'\0')
            break;
        for (j = i; w[j] != L'\0'; j++)
            cols += cell_width(w[j]);
        if (n == most - 1 && cols > width)
            room = width - reserve; /* the last line, and text left over: the hint */
        cols = 0;
        for (j = i; w[j] != L'\0'; j++) {
            if (cols + cell_width(w[j]) > room)
                break;
            if (w[j] == L' ')
                space = j;
            cols += cell_width(w[j]);
        }
        if (w[j] != L'\0' && space > i)
            j = space;
        if (j == i) /* not even one character fits */
            j = i + 1;
        start[n] = i;
        end[n++] = j;
        i = j;
    }
    while (w[i] == L' ')
        i++;
    *cut = w[i] != L'\0';
    return n;
}

/* Draws the status on at most most lines; m_hint: the last line may point to m. */
static int
status(const char *text, enum ui_meaning m, int most, int m_hint, int draw)
{
    wchar_t *w = widen(text);
    /* TRANSLATORS: ends a message cut to fit the screen; m is the key that shows it
     * whole, keep it. */
    const char *hint = _("(m: full message)");
    char tail[128];
    size_t start[64], end[64];
    int width = COLS - 4, n, cut;

    if (w == NULL || text[0] == '\0') {
        unwiden(w);
        return 0;
    }
    for (size_t i = 0; w[i] != L'\0'; i++)
        if (wcwidth(w[i]) < 0)
            w[i] = L'?';
    snprintf(tail, sizeof tail, "%s %s", locale_is_utf8 ? "…" : "~", m_hint ? hint : "");
    if (most > 64)
        most = 64;
    n = wrap(w, width, most < 1 ? 1 : most, term_width(tail), start, end, &cut);
    if (draw) {
        attr_t a = term_attr(m);
        int y = LINES - 1 - n;

        if (cut && m_hint) {
            snprintf(status_whole, sizeof status_whole, "%s", text);
            status_cut = 1;
        }
        for (int k = 0; k < n; k++, y++) {
            move(y, 0);
            clrtoeol();
            attrset((int)a);
            mvaddnwstr(y, 2, w + start[k], (int)(end[k] - start[k]));
            attrset(A_NORMAL);
        }
        if (cut)
            term_text(stdscr, LINES - 2,
                      2 + term_width_of(w + start[n - 1], end[n - 1] - start[n - 1]),
                      width, tail, a);
    }
    unwiden(w);
    return n;
}

int
term_wrapped(int y, int x, int width, int most, const char *text, attr_t a, int m_hint)
{
    wchar_t *w = widen(text);
    const char *hint = _("(m: full message)");
    char tail[128];
    size_t start[64], end[64];
    int n, cut;

    if (w == NULL || text[0] == '\0' || width < 1) {
        unwiden(w);
        return 0;
    }
    for (size_t i = 0; w[i] != L'\0'; i++)
        if (wcwidth(w[i]) < 0)
            w[i] = L'?';
    snprintf(tail, sizeof tail, "%s %s", locale_is_utf8 ? "…" : "~", m_hint ? hint : "");
    if (most > 64)
        most = 64;
    n = wrap(w, width, most < 1 ? 1 : most, term_width(tail), start, end, &cut);
    for (int k = 0; k < n; k++) {
        attrset((int)a);
        mvaddnwstr(y + k, x, w + start[k], (int)(end[k] - start[k]));
        attrset(A_NORMAL);
    }
    if (cut && m_hint) {
        snprintf(status_whole, sizeof status_whole, "%s", text);
        status_cut = 1;
    }
    if (cut)
        term_text(stdscr, y + n - 1,
                  x + term_width_of(w + start[n - 1], end[n - 1] - start[n - 1]), width,
                  tail, a);
    unwiden(w);
    return n;
}

int
term_status(const char *text, enum ui_meaning m)
{
    return status(text, m, STATUS_LINES, 1, 1);
}

int
term_status_lines(const char *text, enum ui_meaning m, int most)
{
    return status(text, m, most, 0, 1);
}

int
term_status_height(const char *text)
{
    return status(text, UI_NORMAL, STATUS_LINES, 1, 0);
}

void
term_status_reset(void)
{
    status_cut = 0;
    status_whole[0] = '\0';
}

const char *
term_status_cut(void)
{
    return status_cut ? status_whole : NULL;
}

void
term_message(const char *text)
{
    /* TRANSLATORS: the last line of the overlay that shows a message whole (m). */
    const char *close = _("Any key closes this message");
    wchar_t *w = widen(text);
    size_t start[64], end[64];
    int width = COLS - 4 < 76 ? COLS - 4 : 76, n, cut, h;
    WINDOW *win;

    if (w == NULL)
        return;
    n = wrap(w, width - 4, LINES - 6 < 64 ? LINES - 6 : 64, 2, start, end, &cut);
    h = n + 4;
    if ((win = newwin(h, width, (LINES - h) / 2, (COLS - width) / 2)) != NULL) {
        werase(win);
        box(win, 0, 0);
        for (int k = 0; k < n; k++)
            mvwaddnwstr(win, 1 + k, 2, w + start[k], (int)(end[k] - start[k]));
        if (cut)
            term_text(win, n, width - 3, 1, "…", A_NORMAL);
        term_text(win, h - 2, 2, width - 4, close, term_attr(UI_HINT));
        wnoutrefresh(win);
        delwin(win);
    }
    unwiden(w);
}

void
term_clipboard(const char *text)
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    /* The sequence is written from here, around stdio (whose buffer would keep a copy
     * of a copied password), and wiped after. */
    char seq[8 + 128 + 2] = "\033]52;c;";
    size_t n = strnlen(text, 90), o = strlen(seq), done = 0;

    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned char)text[i] << 16;

        v |= i + 1 < n ? (unsigned char)text[i + 1] << 8 : 0;
        v |= i + 2 < n ? (unsigned char)text[i + 2] : 0;
        seq[o++] = b64[(v >> 18) & 63];
        seq[o++] = b64[(v >> 12) & 63];
        seq[o++] = (char)(i + 1 < n ? b64[(v >> 6) & 63] : '=');
        seq[o++] = (char)(i + 2 < n ? b64[v & 63] : '=');
    }
    seq[o++] = '\a';
    fflush(stdout);
    while (done < o) {
        ssize_t k = write(STDOUT_FILENO, seq + done, o - done);

        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        done += (size_t)k;
    }
    explicit_bzero(seq, sizeof seq);
}
