/* The function-key line at 80 columns and the help screen (acceptance review
 * of issues 3-5): the screen's own keys first, log out and lock always, the
 * other screens' keys as room allows; a key that does nothing in the
 * screen's state is not shown; help texts wrap under their column instead
 * of being cut at column 80, and the enrolment screen's help says what its
 * keys do there. In English and in Dutch. */
#include "circref.h"
#include "desk.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define BRANCH "CEN"
#define KEYROW 23

/* True when the key line holds every one of want and none of unwanted. */
static bool keyline_is(struct desk *d, const char *const *want, const char *const *unwanted)
{
	char *row = vt_row_dup(d->vt, KEYROW);
	bool good = true;
	for (size_t i = 0; want && want[i]; i++)
		good = good && strstr(row, want[i]) != NULL;
	for (size_t i = 0; unwanted && unwanted[i]; i++)
		good = good && strstr(row, unwanted[i]) == NULL;
	if (!good)
		diag("key line: %s", row);
	free(row);
	return good;
}

/* Waits until the key line is as wanted (it follows the screen's state). */
static bool wait_keyline(struct desk *d, const char *const *want, const char *const *unwanted)
{
	for (int i = 0; i < 100; i++) {
		if (keyline_is(d, want, unwanted))
			return true;
		vt_pump(d->vt, 100);
	}
	return keyline_is(d, want, unwanted);
}

/* The whole screen as one line of words, so a wrapped text can be found. */
static bool screen_says(struct desk *d, const char *text)
{
	char *all = vt_screen_dup(d->vt);
	/* Rows become one string: each row's end and the next row's indent
	 * collapse to one space. */
	char *flat = xstrdup(all);
	size_t n = 0;
	bool space = false;
	for (const char *p = all; *p; p++) {
		bool blank = *p == ' ' || *p == '\n';
		if (blank && space)
			continue;
		flat[n++] = blank ? ' ' : *p;
		space = blank;
	}
	flat[n] = '\0';
	bool found = strstr(flat, text) != NULL;
	free(flat);
	free(all);
	return found;
}

/* Waits until the screen says text (see screen_says); dumps on timeout. */
static bool wait_says(struct desk *d, const char *text)
{
	for (int i = 0; i < 100; i++) {
		if (screen_says(d, text))
			return true;
		vt_pump(d->vt, 100);
	}
	vt_dump(d->vt, stdout);
	return false;
}

static void test_english(struct circref *cr)
{
	char card[15];
	circref_card(5, card);
	struct circ_patron *p = circref_patron(cr, card);
	struct desk *d = p ? circref_desk(BRANCH, "C.UTF-8", NULL, NULL) : NULL;
	if (!ok(d != NULL, "the desk starts and logs in (English)")) {
		circ_patron_free(p);
		return;
	}
	ok(wait_keyline(d, (const char *[]){"F1 Help", "F7 IDO", "F10 Log out", "F11 Lock", NULL},
			NULL),
	   "home: help, IDO, log out and lock are on the key line");

	vt_key(d->vt, "F2");
	ok(vt_wait_text(d->vt, "Scan the patron's card.", DESK_STEP_MS), "F2 opens check out");
	ok(wait_keyline(d, (const char *[]){"F10", "F11", "F5", NULL},
			(const char *[]){"F9", "F12", "F2", NULL}),
	   "check out between patrons: no override or done, no F2 for the screen itself");
	vt_send(d->vt, card);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, p->name, DESK_STEP_MS), "the card is taken");
	ok(wait_keyline(d, (const char *[]){"F12 Done", "F5", "F10", "F11", "F1", NULL},
			(const char *[]){"F9", NULL}),
	   "check out with a patron: F12 Done first, then F10, F11, F5; no F9 without a refusal");

	vt_key(d->vt, "F1");
	ok(vt_wait_text(d->vt, "Key bindings", DESK_STEP_MS), "F1 opens the help");
	ok(wait_says(d, "Override the refusal with a reason, or renew an item the patron "
			  "already has"),
	   "a help text longer than the row wraps, whole, under its column");
	vt_key(d->vt, "Esc");
	ok(vt_wait_gone(d->vt, "Key bindings", DESK_STEP_MS), "Esc closes the help");

	vt_key(d->vt, "F12");
	vt_key(d->vt, "F6");
	ok(vt_wait_text(d->vt, "Enrol: youth membership", DESK_STEP_MS), "F6 opens the enrolment");
	ok(wait_keyline(d, (const char *[]){"F12 Send", "F10", "F11", NULL},
			(const char *[]){"F9", NULL}),
	   "enrol: F12 sends; no F9 while there is nothing to override");
	vt_key(d->vt, "F1");
	ok(vt_wait_text(d->vt, "Key bindings", DESK_STEP_MS), "F1 opens the enrolment's help");
	ok(wait_says(d, "Print the welcome slip of the member just enrolled") &&
		   !screen_says(d, "loan slip"),
	   "^B prints the welcome slip there, not the loan slip");
	ok(wait_says(d, "Enrol anyway, with a reason, a child the service took for a member") &&
		   !screen_says(d, "renew an item"),
	   "F9 enrols anyway there, it renews nothing");
	ok(desk_stop(d), "the desk stops cleanly");
	circ_patron_free(p);
}

static void test_dutch(struct circref *cr)
{
	char card[15];
	circref_card(6, card);
	struct circ_patron *p = circref_patron(cr, card);
	struct desk *d = p ? circref_desk(BRANCH, "nl_NL.UTF-8", NULL, NULL) : NULL;
	if (!ok(d != NULL, "the desk starts and logs in (Dutch)")) {
		circ_patron_free(p);
		return;
	}
	ok(wait_keyline(d, (const char *[]){"F1 Hulp", "F7 IDO", "F10 Afmelden", "F11", NULL}, NULL),
	   "home in Dutch: F7 IDO, F10 Afmelden and F11 are on the key line");
	vt_key(d->vt, "F2");
	vt_send(d->vt, card);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, p->name, DESK_STEP_MS), "check out: the card is taken");
	ok(wait_keyline(d, (const char *[]){"F12 Klaar", "F5", "F10 Afmelden", "F11", NULL},
			(const char *[]){"F9", NULL}),
	   "check out in Dutch: F12 Klaar, F5, F10 Afmelden and F11; no F9 without a refusal");
	vt_key(d->vt, "F1");
	ok(vt_wait_text(d->vt, "Sneltoetsen", DESK_STEP_MS), "F1 opens the help in Dutch");
	ok(wait_says(d, "Maak een uitzondering op de weigering, met een reden, of verleng een "
			  "exemplaar dat de lener al heeft"),
	   "the Dutch override help is whole, wrapped under its column");
	ok(desk_stop(d), "the Dutch desk stops cleanly");
	circ_patron_free(p);
}

int main(void)
{
	struct circref *cr = circref_start(BRANCH);
	if (ok(cr != NULL, "a reference training service")) {
		test_english(cr);
		if (ok(desk_need_locale("nl_NL.UTF-8"), "the locale nl_NL.UTF-8 exists"))
			test_dutch(cr);
	}
	ok(circref_stop(cr), "the reference service stopped cleanly");
	return tap_done();
}
