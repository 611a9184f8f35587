/* Hostile text at the desk: every string of tests/hostile/corpus.txt
 * is put into a training balied's database as an item's title and author, a
 * patron's names, a branch's name and an IDO topic, and the real desk shows
 * them: the login branch chooser, the top line, check out (and the loan
 * slip), renew, the patron screen, check in (to the hold shelf for a hostile
 * name, or in transit to a hostile branch, each with its slip), the IDO form
 * and its statistics. Everything the desk
 * writes is recorded (VT_TRACE) and parsed as a terminal would: no OSC, DCS,
 * APC, PM or SOS, no C1 control, no invalid UTF-8, no CSI the desk itself
 * never sends (device reports, window operations), and exactly the bells the
 * desk rings itself (none but one for each check-in that needs action); the frame lines stay where they are; and the
 * slips hold no control byte but line ends. */
#include "corpus.h"
#include "desk.h"
#include "harness.h"
#include "core/luhn.h"
#include "tap.h"
#include "core/xalloc.h"

#include <regex.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct hostile *corpus;
static size_t n_corpus;

static void card_of(size_t i, char out[15])
{
	snprintf(out, 14, "21000%08u", (unsigned)(900 + i) % 100000000u);
	out[13] = luhn_digit(out);
	out[14] = '\0';
}

static void barcode_of(size_t i, char out[15])
{
	snprintf(out, 14, "3100000%06u", (unsigned)(900 + i) % 1000000u);
	out[13] = luhn_digit(out);
	out[14] = '\0';
}

static bool bind_exec(sqlite3 *db, const char *sql, const char *a, const char *b,
		      const struct hostile *h)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		diag("%s: %s", sql, sqlite3_errmsg(db));
		return false;
	}
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	if (h)
		sqlite3_bind_text(st, 3, h->bytes, (int)h->len, SQLITE_STATIC);
	bool done = sqlite3_step(st) == SQLITE_DONE;
	if (!done)
		diag("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return done;
}

/* Patron, item, branch and IDO topic i for every string; CEN's own name is
 * the corpus's mixed string, so the top line shows it. */
static bool plant(const char *path)
{
	sqlite3 *db = NULL;
	bool done = sqlite3_open(path, &db) == SQLITE_OK;
	sqlite3_busy_timeout(db, 5000);
	done = done && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
	for (size_t i = 0; done && i < n_corpus; i++) {
		const struct hostile *h = &corpus[i];
		char card[15], barcode[15], code[24], topic[24];
		card_of(i, card);
		barcode_of(i, barcode);
		snprintf(code, sizeof code, "H%02zu", i);
		snprintf(topic, sizeof topic, "h%02zu", i);
		done = bind_exec(db, "INSERT INTO branches (code, name, open_weekdays)"
				     " VALUES (?1, ?2 || ?3, '1234567')", code, "", h) &&
		       bind_exec(db, "INSERT INTO patrons (card, given_name, family_name, birth_date,"
				     " postcode, house_number, category, home_branch, enrolled_on,"
				     " expires_on) VALUES (?1, ?3, ?2 || ?3, '1980-01-01', '1234AB', 1,"
				     " 'adult', 'CEN', '2020-01-01', '2099-12-31')", card, "", h) &&
		       bind_exec(db, "INSERT INTO titles (title, author) VALUES (?3, ?3)", "", "", h) &&
		       bind_exec(db, "INSERT INTO items (barcode, title_id, item_type,"
				     " home_branch, current_branch, status) VALUES (?1,"
				     " last_insert_rowid(), 'book', ?2, 'CEN', 'available')",
				 barcode, code, h) &&
		       bind_exec(db, "INSERT INTO ido_catalog (list, code, label, position)"
				     " VALUES ('topic', ?1, ?2 || ?3, 100)", topic, "", h) &&
		       bind_exec(db, "INSERT INTO ido_questions (visit_id, at, day, branch_code,"
				     " class, outcome, minutes, channel) VALUES (?1, strftime('%s'),"
				     " date('now', 'localtime'), 'CEN', 'other', 'answered', 5,"
				     " 'walk_in')", topic, "", NULL) &&
		       bind_exec(db, "INSERT INTO ido_question_codes (question_id, list, code)"
				     " VALUES (last_insert_rowid(), 'topic', ?1)", topic, "", NULL);
		if (done && strcmp(h->name, "mixed") == 0)
			done = bind_exec(db, "UPDATE branches SET name = ?3 WHERE code = 'CEN' AND"
					     " ?1 = ?2", "", "", h);
	}
	done = done && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_close(db);
	return done;
}

/* Every other item gets a waiting hold of the next hostile patron, to be
 * picked up here: its check-in goes to the hold shelf with a hold slip that
 * names that patron; the others go in transit to their hostile branch. */
static bool plant_holds(const char *path)
{
	sqlite3 *db = NULL;
	bool done = sqlite3_open(path, &db) == SQLITE_OK;
	sqlite3_busy_timeout(db, 5000);
	for (size_t i = 0; done && i < n_corpus; i += 2) {
		char card[15], barcode[15];
		card_of((i + 1) % n_corpus, card);
		barcode_of(i, barcode);
		done = bind_exec(db, "INSERT INTO holds (patron_id, item_id, pickup_branch, status,"
				     " placed_at) SELECT p.id, i.id, 'CEN', 'waiting', strftime('%s')"
				     " FROM patrons p, items i WHERE p.card = ?1 AND i.barcode = ?2",
				 card, barcode, NULL);
	}
	sqlite3_close(db);
	return done;
}

/* --- the terminal stream --- */

struct stream_check {
	unsigned osc, dcs, apc_pm_sos, c1, bad_utf8, bad_csi, bad_c0, bels;
	char bad_csi_seen[16];
};

/* The CSI finals the desk's curses sends on xterm-256color: cursor motion,
 * erasing, scrolling regions, modes and colours. A device report, a window
 * operation or anything else can only have come from data. ('t' is in the
 * terminfo's own smcup/rmcup: save and restore the window title.) */
static bool csi_final_ok(char final)
{
	return strchr("mHfABCDEFGJKdXPL@MSTrhlZ`abet", final) != NULL;
}

/* Parses what the desk wrote, as a terminal does. */
static void stream_parse(const unsigned char *s, size_t len, struct stream_check *c)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char b = s[i];
		if (b == 0x1b && i + 1 < len) {
			unsigned char k = s[++i];
			if (k == '[') {
				size_t j = i + 1;
				while (j < len && s[j] >= 0x20 && s[j] <= 0x3f)
					j++;
				if (j < len && !(s[j] >= 0x40 && s[j] <= 0x7e))
					c->bad_csi++;
				else if (j < len && !csi_final_ok((char)s[j])) {
					size_t l = strlen(c->bad_csi_seen);
					if (l + 1 < sizeof c->bad_csi_seen)
						c->bad_csi_seen[l] = (char)s[j];
					c->bad_csi++;
				}
				i = j;
			} else if (k == ']') {
				c->osc++;
			} else if (k == 'P') {
				c->dcs++;
			} else if (k == '_' || k == '^' || k == 'X') {
				c->apc_pm_sos++;
			}
			continue;
		}
		if (b == 0x07) {
			c->bels++;
			continue;
		}
		if (b < 0x20 && !strchr("\r\n\b\t\x0e\x0f", b)) {
			c->bad_c0++;
			continue;
		}
		if (b == 0x7f) {
			c->bad_c0++;
			continue;
		}
		if (b < 0x80)
			continue;
		/* UTF-8: a lead byte and its continuation bytes, shortest form. */
		size_t n = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2
			   : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
		if (n == 0 || i + n >= len) {
			c->bad_utf8++;
			continue;
		}
		unsigned cp = b & (0x3fu >> n);
		bool good = true;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				good = false;
			cp = (cp << 6) | (s[i + k] & 0x3fu);
		}
		if (good && ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
			     (cp >= 0xd800 && cp <= 0xdfff)))
			good = false;
		if (!good) {
			c->bad_utf8++;
			continue;
		}
		if (cp >= 0x80 && cp <= 0x9f)
			c->c1++;
		if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
			c->c1++; /* a bidi override or isolate counts as a control from data */
		i += n;
	}
}

/* The bytes the desk wrote, from the VT_TRACE file, from offset *pos on. */
static unsigned char *trace_out_dup(const char *path, long *pos, size_t *len)
{
	FILE *f = fopen(path, "r");
	*len = 0;
	if (!f)
		return NULL;
	fseek(f, *pos, SEEK_SET);
	size_t cap = 1 << 16;
	unsigned char *buf = xmalloc(cap);
	char *line = NULL;
	size_t size = 0;
	ssize_t got;
	while ((got = getline(&line, &size, f)) > 0) {
		char *p = strstr(line, " out ");
		char *colon = p ? strstr(p, ": ") : NULL;
		if (!colon || line[got - 1] != '\n')
			continue;
		for (char *q = colon + 2; *q && *q != '\n'; q++) {
			if (*len + 1 > cap)
				buf = xrealloc(buf, cap *= 2);
			if (q[0] == '\\' && q[1] == 'x') {
				unsigned v;
				sscanf(q + 2, "%2x", &v);
				buf[(*len)++] = (unsigned char)v;
				q += 3;
			} else {
				buf[(*len)++] = (unsigned char)*q;
			}
		}
	}
	*pos = ftell(f);
	free(line);
	fclose(f);
	return buf;
}

/* want_bells: how many bells the desk itself rings meanwhile (0 when
 * nothing needs attention), or -1 when that is not counted here. */
static bool stream_clean(const char *trace, long *pos, const char *what, int want_bells)
{
	size_t len;
	unsigned char *out = trace_out_dup(trace, pos, &len);
	struct stream_check c = { 0 };
	if (out)
		stream_parse(out, len, &c);
	free(out);
	bool clean = out && len > 0 && !c.osc && !c.dcs && !c.apc_pm_sos && !c.c1 && !c.bad_utf8 &&
		     !c.bad_csi && !c.bad_c0 && (want_bells < 0 || c.bels == (unsigned)want_bells);
	ok(clean,
	   "%s: %zu bytes to the terminal, no OSC (%u), DCS (%u), APC/PM/SOS (%u), C1 or bidi (%u),"
	   " bad UTF-8 (%u), foreign CSI (%u%s%s), stray C0 (%u), bells %u (want %d)", what, len,
	   c.osc, c.dcs, c.apc_pm_sos, c.c1, c.bad_utf8, c.bad_csi, *c.bad_csi_seen ? " " : "",
	   c.bad_csi_seen, c.bad_c0, c.bels, want_bells);
	return clean;
}

/* The parser itself finds what it must: a check that cannot fail proves
 * nothing. */
static void test_parser(void)
{
	static const char bad[] = "ok\x1b]0;t\x07 \x1bP1\x1b\\ \x1b_x \xc2\x9b" "2J \x9b \xc0\xaf"
				  " \x1b[6n \x01 \xe2\x80\xae \x07";
	struct stream_check c = { 0 };
	stream_parse((const unsigned char *)bad, sizeof bad - 1, &c);
	ok(c.osc == 1 && c.dcs == 1 && c.apc_pm_sos == 1 && c.c1 == 2 && c.bad_utf8 == 3 &&
		   c.bad_csi == 1 && c.bad_c0 == 1 && c.bels == 2,
	   "the stream parser finds an OSC, a DCS, an APC, C1 and bidi, bad UTF-8, a DSR, a C0 and"
	   " bells (%u %u %u %u %u %u %u %u)", c.osc, c.dcs, c.apc_pm_sos, c.c1, c.bad_utf8,
	   c.bad_csi, c.bad_c0, c.bels);
	struct stream_check g = { 0 };
	static const char good[] = "\x1b[?1049h\x1b[22;0;0t\x1b[1;1H\x1b[38;5;2mBoek \xe2\x82\xac"
				   " \xe5\x9b\xb3\x1b[0m\x1b(B\r\n";
	stream_parse((const unsigned char *)good, sizeof good - 1, &g);
	ok(!g.osc && !g.dcs && !g.apc_pm_sos && !g.c1 && !g.bad_utf8 && !g.bad_csi && !g.bad_c0,
	   "and nothing in what curses itself writes");
}

/* --- the screen --- */

struct frame {
	char *top, *bottom;
};

/* The frame must not move: the top line still ends in the state and the
 * clock (data before it did not push them away or wrap), and the bottom line
 * still begins with the first key (the keys shown change with the screen's
 * state, which is the desk's, not the data's). */
static bool frame_same(struct vt *vt, const struct frame *f)
{
	char *top = vt_row_dup(vt, 0), *bottom = vt_row_dup(vt, 23);
	regex_t re;
	regcomp(&re, "(TRAINING|online|OEFENOMGEVING) +[0-9]{2}:[0-9]{2}$", REG_EXTENDED | REG_NOSUB);
	bool same = strncmp(bottom, f->bottom, 8) == 0 && regexec(&re, top, 0, NULL, 0) == 0;
	regfree(&re);
	if (!same) {
		diag("top was    [%s]", f->top);
		diag("top now    [%s]", top);
		diag("bottom was [%s]", f->bottom);
		diag("bottom now [%s]", bottom);
	}
	free(top);
	free(bottom);
	return same;
}

static void frame_take(struct vt *vt, struct frame *f)
{
	free(f->top);
	free(f->bottom);
	f->top = vt_row_dup(vt, 0);
	f->bottom = vt_row_dup(vt, 23);
}

/* Waits until the row of a holds one of b or c after it. */
static bool wait_row_any(struct vt *vt, const char *a, const char *b, const char *c, int ms)
{
	for (int waited = 0; waited <= ms; waited += 20) {
		vt_pump(vt, 20);
		for (int r = 0; r < 24; r++) {
			char *row = vt_row_dup(vt, r);
			char *at = strstr(row, a);
			bool hit = at && (strstr(at, b) || (c && strstr(at, c)));
			free(row);
			if (hit)
				return true;
		}
	}
	vt_dump(vt, stdout);
	return false;
}

/* Waits until row differs from before; dumps on timeout. */
static bool wait_row_change(struct vt *vt, int row, const char *before, int ms)
{
	for (int waited = 0; waited <= ms; waited += 20) {
		vt_pump(vt, 20);
		char *now = vt_row_dup(vt, row);
		bool changed = strcmp(now, before) != 0;
		free(now);
		if (changed)
			return true;
	}
	vt_dump(vt, stdout);
	return false;
}

static void test_login_chooser(struct desk *d, const char *trace, long *pos)
{
	struct vt *vt = d->vt;
	ok(vt_wait_text(vt, "Log in to balie", DESK_START_MS) &&
		   vt_wait_text(vt, "Branch", DESK_STEP_MS) && vt_wait_gone(vt, "(loading", DESK_STEP_MS),
	   "the login screen lists the branches");
	vt_send(vt, "balie\toefenen\t");
	int row = -1;
	vt_find(vt, "Branch", &row, NULL);
	struct frame f = { 0 };
	frame_take(vt, &f);
	size_t n = n_corpus + 3;
	unsigned moved = 0, framed = 0;
	for (size_t i = 0; i < n; i++) {
		char *before = vt_row_dup(vt, row);
		vt_key(vt, "Right");
		moved += wait_row_change(vt, row, before, DESK_STEP_MS);
		framed += frame_same(vt, &f);
		free(before);
	}
	ok(moved == n, "Right steps through all %zu branch names in the chooser (%u changed)", n,
	   moved);
	ok(framed == n, "the frame lines stay put for every name (%u of %zu)", framed, n);
	free(f.top);
	free(f.bottom);
	stream_clean(trace, pos, "the login branch chooser", 0);
}

/* Check out item i to patron i, then ^B: the loan slip, the visit ends. */
static void test_checkout(struct desk *d, const char *trace, long *pos)
{
	struct vt *vt = d->vt;
	vt_key(vt, "F2");
	ok(vt_wait_text(vt, "Check out", DESK_STEP_MS), "F2 opens check out");
	struct frame f = { 0 };
	frame_take(vt, &f);
	unsigned lent = 0, framed = 0, slips = 0;
	for (size_t i = 0; i < n_corpus; i++) {
		char card[15], barcode[15], scan[40];
		card_of(i, card);
		barcode_of(i, barcode);
		snprintf(scan, sizeof scan, "%s\r", card);
		vt_send(vt, scan);
		/* The name may be too long for the card to show after it. */
		bool good = vt_wait_gone(vt, "Scan the patron's card.", DESK_STEP_MS) &&
			    vt_wait_text(vt, "Loans: 0", DESK_STEP_MS);
		snprintf(scan, sizeof scan, "%s\r", barcode);
		vt_send(vt, scan);
		good = good && wait_row_any(vt, barcode, "due ", NULL, DESK_STEP_MS);
		if (!good)
			diag("%s (%s) was not lent", barcode, corpus[i].name);
		lent += good;
		framed += frame_same(vt, &f);
		vt_send(vt, "\x02"); /* ^B */
		slips += vt_wait_text(vt, "The loan slip was printed.", DESK_STEP_MS);
	}
	ok(lent == n_corpus, "each hostile patron borrows the hostile item (%u of %zu)", lent,
	   n_corpus);
	ok(framed == n_corpus, "the frame lines stay put (%u of %zu)", framed, n_corpus);
	ok(slips == n_corpus, "a loan slip for each (%u)", slips);
	free(f.top);
	free(f.bottom);
	stream_clean(trace, pos, "check out of hostile titles to hostile names", 0);
}

static void test_renew(struct desk *d, const char *trace, long *pos)
{
	struct vt *vt = d->vt;
	vt_key(vt, "F4");
	ok(vt_wait_text(vt, "Renew", DESK_STEP_MS), "F4 opens renew");
	struct frame f = { 0 };
	frame_take(vt, &f);
	unsigned answered = 0, framed = 0;
	for (size_t i = 0; i < n_corpus; i++) {
		char barcode[15], scan[20];
		barcode_of(i, barcode);
		snprintf(scan, sizeof scan, "%s\r", barcode);
		vt_send(vt, scan);
		answered += wait_row_any(vt, barcode, "renewed to", "NOT RENEWED", DESK_STEP_MS);
		framed += frame_same(vt, &f);
	}
	ok(answered == n_corpus, "each hostile item is answered on renew (%u)", answered);
	ok(framed == n_corpus, "the frame lines stay put (%u)", framed);
	free(f.top);
	free(f.bottom);
	stream_clean(trace, pos, "renewals of hostile titles", 0);
}

static void test_patron(struct desk *d, const char *trace, long *pos)
{
	struct vt *vt = d->vt;
	vt_send(vt, "\x10"); /* ^P */
	ok(vt_wait_text(vt, "Card or name", DESK_STEP_MS), "^P opens the patron screen");
	struct frame f = { 0 };
	frame_take(vt, &f);
	unsigned shown = 0, framed = 0;
	for (size_t i = 0; i < n_corpus; i++) {
		char card[15], scan[20];
		card_of(i, card);
		snprintf(scan, sizeof scan, "%s\r", card);
		char *before = vt_screen_dup(vt);
		vt_send(vt, scan);
		/* The patron's one loan is the hostile item: its barcode shows. */
		char barcode[15];
		barcode_of(i, barcode);
		shown += vt_wait_text(vt, barcode, DESK_STEP_MS);
		framed += frame_same(vt, &f);
		free(before);
	}
	ok(shown == n_corpus, "each hostile patron is shown with the loan (%u)", shown);
	ok(framed == n_corpus, "the frame lines stay put (%u)", framed);
	free(f.top);
	free(f.bottom);
	stream_clean(trace, pos, "the patron screen with hostile names and titles", 0);
}

static void test_checkin(struct desk *d, const char *trace, long *pos)
{
	struct vt *vt = d->vt;
	vt_key(vt, "F3");
	ok(vt_wait_text(vt, "Check in", DESK_STEP_MS), "F3 opens check in");
	struct frame f = { 0 };
	frame_take(vt, &f);
	unsigned transit = 0, framed = 0;
	for (size_t i = 0; i < n_corpus; i++) {
		char barcode[15], scan[20];
		barcode_of(i, barcode);
		snprintf(scan, sizeof scan, "%s\r", barcode);
		vt_send(vt, scan);
		transit += wait_row_any(vt, barcode, i % 2 ? "IN TRANSIT to" : "HOLD SHELF", NULL,
					DESK_STEP_MS);
		framed += frame_same(vt, &f);
	}
	ok(transit == n_corpus, "each hostile item goes to the hold shelf for a hostile name or in"
	   " transit to its hostile branch (%u)", transit);
	ok(framed == n_corpus, "the frame lines stay put (%u)", framed);
	free(f.top);
	free(f.bottom);
	/* Each item needs the desk's action (hold shelf or transit): one bell each. */
	stream_clean(trace, pos, "check in with hostile titles and branch names", (int)n_corpus);
}

static void test_ido(struct desk *d, const char *trace, long *pos)
{
	struct vt *vt = d->vt;
	vt_key(vt, "F7");
	ok(vt_wait_text(vt, "Topics", DESK_STEP_MS), "F7 opens the IDO form");
	struct frame f = { 0 };
	frame_take(vt, &f);
	vt_send(vt, "\t");
	unsigned framed = 0, n = 0;
	int row = 0, col = 0;
	vt_find(vt, "Topics", &row, &col);
	/* Step down the topic list, through the hostile labels. */
	for (size_t i = 0; i < n_corpus + 20; i++, n++) {
		vt_key(vt, "Down");
		vt_wait_quiet(vt, 30, DESK_STEP_MS);
		framed += frame_same(vt, &f);
	}
	ok(framed == n, "the frame lines stay put in the topic list (%u of %u)", framed, n);
	vt_send(vt, "\x17"); /* ^W: statistics */
	ok(vt_wait_text(vt, "IDO statistics", DESK_STEP_MS), "^W opens the IDO statistics");
	vt_send(vt, "\r");
	ok(vt_wait_text(vt, "Per topic", DESK_STEP_MS) && vt_wait_text(vt, "questions", DESK_STEP_MS),
	   "the statistics show the topics");
	stream_clean(trace, pos, "the IDO pick lists and statistics with hostile labels", 0);
	free(f.top);
	free(f.bottom);
}

/* The slips: no control byte but line ends and form feeds, and the hostile
 * text is there, made harmless, not left out. */
static void test_slips(const char *home)
{
	char *path = xasprintf("%s/slips.bin", home);
	FILE *fp = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, bad = 0;
	long first = -1;
	if (fp) {
		FILE *mem = open_memstream(&text, &len);
		int c;
		while ((c = fgetc(fp)) != EOF)
			fputc(c, mem);
		fclose(mem);
		fclose(fp);
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c < 0x20 && c != '\n' && c != '\r' && c != '\f') || c == 0x7f) {
			if (first < 0)
				first = (long)i;
			bad++;
		}
	}
	ok(len > 1000 && bad == 0,
	   "the %zu bytes of loan, hold and transit slips hold no control byte but line ends (%zu"
	   " found, first at %ld)", len, bad, first);
	ok(text && memmem(text, len, "OVERSCHREVEN", 12) && memmem(text, len, "Regel twee", 10) &&
		   memmem(text, len, "HTTP/1.1 200 OK", 15),
	   "the slips hold the hostile titles and names as plain text");
	free(text);
	free(path);
}

int main(void)
{
	char *err = NULL;
	n_corpus = hostile_corpus_load_default(&corpus, &err);
	if (!ok(n_corpus >= 50, "the corpus has %zu hostile strings (at least 50)", n_corpus)) {
		diag("%s", err ? err : "");
		free(err);
		return tap_done();
	}
	test_parser();
	struct harness h;
	struct harness_opts hopts = { .training = true };
	if (!ok(harness_start(&h, &hopts), "a training balied starts") || !ok(plant(h.db),
	    "every string goes in as a title, author, patron, branch and IDO topic")) {
		harness_cleanup(&h);
		hostile_corpus_free(corpus, n_corpus);
		return tap_done();
	}
	char trace[128];
	snprintf(trace, sizeof trace, "%s/vt.trace", h.dir);
	setenv("VT_TRACE", trace, 1);
	long pos = 0;
	char *conf = xasprintf("server = %s\nprint_command = cat >> \"$HOME/slips.bin\"\n", h.url);
	const struct desk_file files[] = { { ".config/balie/balie.conf", conf }, { NULL, NULL } };
	struct desk *d = desk_start(&(struct desk_opts){ .files = files });
	if (ok(d != NULL, "the desk starts against it")) {
		test_login_chooser(d, trace, &pos);
		vt_send(d->vt, "\r");
		ok(vt_wait_text(d->vt, "balie", DESK_STEP_MS) &&
			   vt_wait_gone(d->vt, "Log in to balie", DESK_STEP_MS),
		   "balie logs in at the branch with the hostile name");
		stream_clean(trace, &pos, "the top line with a hostile branch name", 0);
		test_checkout(d, trace, &pos);
		test_renew(d, trace, &pos);
		test_patron(d, trace, &pos);
		ok(plant_holds(h.db), "holds of hostile patrons on every other item");
		test_checkin(d, trace, &pos);
		test_ido(d, trace, &pos);
		test_slips(d->home);
		ok(desk_stop(d), "the desk stops cleanly and gives the terminal back");
	}
	unsetenv("VT_TRACE");
	free(conf);
	ok(harness_stop(&h) == 0, "balied stops cleanly");
	if (tap_failed)
		harness_dump_log(&h);
	harness_cleanup(&h);
	hostile_corpus_free(corpus, n_corpus);
	return tap_done();
}
