/* Golden screens: the whole 80x24 screen of log-in, home, help, check out
 * with a blocked patron, that patron on the patron screen, check in to the
 * hold shelf and the IDO form, in English (C.UTF-8) and Dutch
 * (nl_NL.UTF-8), each compared row by row with its file under
 * tests/tui/screens/ (golden.h). The training data is the
 * same on every run but for its dates, which count from today; the
 * terminal's name is fixed in balie.conf. What still changes from run to
 * run (the clock in the top row, today's date and the dates counted from
 * it) is masked as HH:MM, YYYY-MM-DD and DD-MM-YYYY, so the files show
 * where each stands. BALIE_GOLDEN_UPDATE=1 writes the files
 * (tests/tui/README.md). */
#include "circref.h"
#include "desk.h"
#include "golden.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define BRANCH "CEN"
/* Demo patron 21 is blocked by hand in the training data (seed.c). */
#define BLOCKED_PATRON 21

/* The service's day cannot be fixed here (BALIED_TEST_TODAY): the desk
 * stamps each transaction with its own clock, and a service on another
 * day refuses the stamp. So the dates are masked instead. */
static const struct golden_mask masks[] = {
	{0, "[0-2][0-9]:[0-5][0-9]", "HH:MM"},
	{-1, "[0-9]{4}-[0-9]{2}-[0-9]{2}", "YYYY-MM-DD"},
	{-1, "[0-9]{2}-[0-9]{2}-[0-9]{4}", "DD-MM-YYYY"},
	{0, NULL, NULL},
};

/* What each screen says once it is there, in the language of the test. */
struct golden_lang {
	const char *lang;
	const char *help;     /* the help screen's title */
	const char *checkout; /* check out asks for a card */
	const char *checkin;  /* check in's counts, before the first item */
	const char *ido;      /* the IDO form's title */
	const char *patron;   /* the patron screen's line of the date of birth */
};

static const struct golden_lang langs[] = {
	{"C.UTF-8", "Key bindings", "Scan the patron's card.", "Hold shelf: 0",
	 "IDO question log", "Born "},
	{"nl_NL.UTF-8", "Sneltoetsen", "Scan de pas van de lener.", "Afhaalkast: 0",
	 "IDO-vragen:", "Geboren "},
};

struct golden_world {
	char blocked_card[15];
	char *blocked_name;
	char *hold_barcode; /* an item that goes to the hold shelf when checked in */
	char *hold_title;
};

/* Learns from a reference training service the blocked patron's name and
 * an item that a check-in sends to the hold shelf (which item that is does
 * not depend on the day). */
static bool golden_world_learn(struct golden_world *w)
{
	struct circref *cr = circref_start(BRANCH);
	if (!cr)
		return false;
	circref_card(BLOCKED_PATRON, w->blocked_card);
	struct circ_patron *p = circref_patron(cr, w->blocked_card);
	if (p && p->n_blocks > 0)
		w->blocked_name = xstrdup(p->name);
	circ_patron_free(p);
	char **items = NULL;
	size_t n = circref_loaned_items(cr, 1, 40, &items);
	for (size_t i = 0; i < n; i++) {
		struct circ_checkin *c = w->hold_barcode ? NULL : circref_checkin(cr, items[i]);
		if (c && c->route == CIRC_HOLD_SHELF) {
			w->hold_barcode = xstrdup(items[i]);
			w->hold_title = xstrdup(c->title);
		}
		circ_checkin_free(c);
		free(items[i]);
	}
	free(items);
	bool stopped = circref_stop(cr);
	return stopped && w->blocked_name && w->hold_barcode;
}

static void golden_world_free(struct golden_world *w)
{
	free(w->blocked_name);
	free(w->hold_barcode);
	free(w->hold_title);
}

/* Compares the screen with screens/WHAT.LANG.txt. */
static bool screen_is(struct desk *d, const char *what, const char *lang)
{
	char *name = xasprintf("%s.%s", what, lang);
	bool same = ok(golden_wait(d->vt, name, masks, DESK_STEP_MS),
		       "the whole %s screen in %s is screens/%s.txt", what, lang, name);
	free(name);
	return same;
}

static struct desk *golden_desk(const char *lang)
{
	/* The terminal's name, shown in the top row, is the host's unless set. */
	char *conf = circref_conf_dup(BRANCH, "terminal = balie-1\n");
	const struct desk_file files[] = {{".config/balie/balie.conf", conf}, {NULL, NULL}};
	struct desk *d = desk_start(&(struct desk_opts){.lang = lang, .files = files});
	free(conf);
	if (d && !vt_wait_text(d->vt, "beheer", DESK_START_MS)) {
		desk_stop(d);
		return NULL;
	}
	return d;
}

static void test_circulation(const struct golden_world *w, const struct golden_lang *l)
{
	const char *lang = l->lang;
	struct desk *d = golden_desk(lang);
	if (!ok(d != NULL, "the desk starts in %s", lang))
		return;
	screen_is(d, "login", lang);
	ok(desk_type_login(d, "balie", "oefenen") && vt_wait_gone(d->vt, "beheer", DESK_STEP_MS),
	   "balie logs in");
	screen_is(d, "home", lang);

	vt_key(d->vt, "F1");
	ok(vt_wait_text(d->vt, l->help, DESK_STEP_MS), "F1 opens help");
	screen_is(d, "help", lang);
	vt_key(d->vt, "F1");
	ok(vt_wait_gone(d->vt, l->help, DESK_STEP_MS), "and F1 closes it");

	vt_key(d->vt, "F2");
	ok(vt_wait_text(d->vt, l->checkout, DESK_STEP_MS), "F2 opens check out");
	vt_scan(d->vt, w->blocked_card);
	ok(vt_wait_text(d->vt, w->blocked_name, DESK_STEP_MS), "check out shows the blocked patron");
	screen_is(d, "checkout_blocked", lang);

	vt_key(d->vt, "F5");
	vt_scan(d->vt, w->blocked_card);
	ok(vt_wait_text(d->vt, l->patron, DESK_STEP_MS), "the patron screen shows the patron");
	screen_is(d, "patron_shown", lang);

	vt_key(d->vt, "F3");
	ok(vt_wait_text(d->vt, l->checkin, DESK_STEP_MS), "F3 opens check in");
	vt_scan(d->vt, w->hold_barcode);
	ok(vt_wait_text(d->vt, w->hold_title, DESK_STEP_MS), "check in shows the item");
	screen_is(d, "checkin_hold_shelf", lang);
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
}

static void test_ido(const struct golden_lang *l)
{
	const char *lang = l->lang;
	struct desk *d = golden_desk(lang);
	if (!ok(d != NULL, "the desk starts in %s", lang))
		return;
	ok(desk_type_login(d, "ido", "oefenen") && vt_wait_text(d->vt, l->ido, DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Bibliotheekdiensten", DESK_STEP_MS),
	   "ido logs in and the pick lists came");
	screen_is(d, "ido_form", lang);
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
}

int main(void)
{
	struct golden_world w = {0};
	if (ok(golden_world_learn(&w),
	       "the reference has patron %d blocked and an item for the hold shelf",
	       BLOCKED_PATRON)) {
		for (size_t i = 0; i < sizeof langs / sizeof *langs; i++) {
			const struct golden_lang *l = &langs[i];
			if (i > 0 && !ok(desk_need_locale(l->lang), "the locale %s exists", l->lang))
				continue;
			test_circulation(&w, l);
			test_ido(l);
		}
	}
	golden_world_free(&w);
	return tap_done();
}
