/* The patron screen renews a membership and replaces a lost card, the real
 * desk against its own training service: the expired youth card of the demo
 * data renewed free of charge, a second renewal not yet due, a card
 * replacement asked and not done, then done with its welcome slip, the
 * patron shown under the new card with the loans kept, and a check-out on
 * the old card refused with the new card's last digits; offline both say
 * they need the service. */
#include "circref.h"
#include "desk.h"
#include "offsvc.h"
#include "tap.h"
#include "core/date.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BRANCH "CEN"

/* The demo patron whose card expired 20 days ago (seed.c). */
enum { DEMO_EXPIRED = 7 };

static char *read_file_dup(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = xcalloc(1, 8192);
	size_t n = fread(buf, 1, 8191, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void open_patron(struct desk *d, const char *card, const char *name)
{
	vt_send(d->vt, card);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, name, DESK_STEP_MS), "the patron %s is shown", name);
}

static void test_renewal(struct desk *d, struct circref *cr)
{
	char card[15];
	circref_card(DEMO_EXPIRED, card);
	struct circ_patron *p = circref_patron(cr, card);
	if (!ok(p && p->n_blocks > 0, "the demo data has a patron with an expired card"))
		goto out;
	open_patron(d, card, p->name);
	vt_send(d->vt, "\x1b" "l");
	ok(vt_wait_text(d->vt, "Membership renewed until", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "free of charge", DESK_STEP_MS),
	   "Esc then l renews the youth membership, free of charge");
	ok(vt_wait_gone(d->vt, "BLOCKED", DESK_STEP_MS), "and the card is no longer blocked");
	vt_send(d->vt, "\x1b" "l");
	ok(vt_wait_text(d->vt, "cannot be renewed yet", DESK_STEP_MS),
	   "once more: not yet due, and from when");
out:
	circ_patron_free(p);
}

/* An adult with loans whose card does not expire within a month. */
static struct circ_patron *pick_adult(struct circref *cr)
{
	struct circ_patron *pats[8];
	size_t n = circref_pick_patrons(cr, 1, pats, 8);
	struct circ_patron *chosen = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!chosen && pats[i]->n_loans > 0)
			chosen = pats[i];
		else
			circ_patron_free(pats[i]);
	}
	return chosen;
}

static void new_card_shown(struct desk *d, char out[15])
{
	out[0] = '\0';
	int row = -1, col = -1;
	if (!vt_find(d->vt, "New card ", &row, &col))
		return;
	char *line = vt_row_dup(d->vt, row);
	const char *at = strstr(line, "New card ");
	if (at)
		snprintf(out, 15, "%.14s", at + strlen("New card "));
	free(line);
}

static void test_replacement(struct desk *d, struct circref *cr, const char *slip_path)
{
	struct circ_patron *p = pick_adult(cr);
	if (!ok(p != NULL, "the demo data has an adult with loans"))
		return;
	open_patron(d, p->card, p->name);
	vt_send(d->vt, "\x1b" "v");
	ok(vt_wait_text(d->vt, "1 lost, 2 stolen", DESK_STEP_MS),
	   "Esc then v asks why the card is replaced");
	vt_send(d->vt, "x");
	ok(vt_wait_text(d->vt, "The card was not replaced.", DESK_STEP_MS),
	   "another key keeps the card");
	vt_send(d->vt, "\x1b" "v");
	ok(vt_wait_text(d->vt, "1 lost, 2 stolen", DESK_STEP_MS), "and asks again");
	vt_send(d->vt, "1");
	ok(vt_wait_text(d->vt, "old blocked", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "2.50 charged", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Welcome slip printed.", DESK_STEP_MS),
	   "1: lost; a new card, the fee charged, the welcome slip printed");
	char fresh[15];
	new_card_shown(d, fresh);
	ok(strlen(fresh) == 14 && strncmp(fresh, "21000", 5) == 0 && strcmp(fresh, p->card) != 0,
	   "the new card number is on the screen: %s", fresh);
	char *head = xasprintf("(adult, %s)", fresh);
	char *loans = xasprintf(p->n_loans == 1 ? "%zu loan" : "%zu loans", p->n_loans);
	ok(vt_wait_text(d->vt, head, DESK_STEP_MS) && vt_wait_text(d->vt, loans, DESK_STEP_MS),
	   "the patron is shown under the new card, with the %s", loans);
	free(head);
	free(loans);
	char *slip = read_file_dup(slip_path);
	ok(slip && strstr(slip, fresh) && strstr(slip, p->name),
	   "the welcome slip holds the new card and the name");
	ok(slip && !strstr(slip, "Youth membership") && !strstr(slip, "a year."),
	   "and no words of a youth membership or a yearly fee");
	free(slip);

	vt_key(d->vt, "F2");
	vt_send(d->vt, p->card);
	vt_send(d->vt, "\r");
	/* The sentence wraps: the digits may stand on the next row. */
	char *told = xasprintf("%s.", fresh + 10);
	ok(vt_wait_text(d->vt, "reported lost and is blocked", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "card now ends in", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, told, DESK_STEP_MS),
	   "a check-out on the old card is refused, naming the new card's last digits (%s)", told);
	free(told);
	circ_patron_free(p);
}

/* The service goes away while a patron is shown: the renewal that finds
 * it gone says so, and then the replacement says so without asking. */
static void test_offline(void)
{
	struct offsvc *s = offsvc_start();
	char card[1][15];
	if (!ok(s && offsvc_pick_patrons(s, false, card, 1) == 1, "a service of its own, a patron"))
		goto out;
	char *more = xasprintf("%srequest_timeout = 1000\n", offsvc_server_conf(s));
	struct desk *d = circref_desk(BRANCH, "C.UTF-8", more, NULL);
	free(more);
	if (!ok(d != NULL, "the desk logs in to that service"))
		goto out;
	vt_key(d->vt, "F5");
	vt_send(d->vt, card[0]);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, "Card valid until", DESK_STEP_MS), "online: the patron is shown");
	ok(offsvc_kill(s), "the service goes away");
	vt_send(d->vt, "\x1b" "l");
	ok(vt_wait_text(d->vt, "Renewing a membership needs the service; the desk is offline.",
			DESK_STEP_MS),
	   "a renewal finds no service and says it needs it");
	ok(vt_wait_row(d->vt, 0, "OFFLINE", DESK_STEP_MS), "the desk went offline with it");
	vt_send(d->vt, "\x1b" "v");
	ok(vt_wait_text(d->vt, "Replacing a card needs the service; the desk is offline.",
			DESK_STEP_MS) && !vt_find(d->vt, "1 lost, 2 stolen", NULL, NULL),
	   "a replacement says at once that it needs the service, and asks nothing");
	ok(desk_stop(d), "the desk stops cleanly");
out:
	ok(!s || offsvc_stop(s), "that service stops and nothing is left");
}

int main(void)
{
	char dir[] = "/tmp/membercard-slip-XXXXXX";
	if (!ok(mkdtemp(dir) != NULL, "a directory for the slip"))
		return tap_done();
	char *slip_path = xasprintf("%s/slip.txt", dir);
	char *conf = xasprintf("print_command = cat > %s\n", slip_path);
	struct circref *cr = circref_start(BRANCH);
	struct desk *d = cr ? circref_desk(BRANCH, "C.UTF-8", conf, NULL) : NULL;
	free(conf);
	if (ok(d != NULL, "the desk starts and logs in as balie")) {
		vt_send(d->vt, "\x10"); /* ^P */
		ok(vt_wait_text(d->vt, "Card or name", DESK_STEP_MS), "^P opens the patron screen");
		test_renewal(d, cr);
		test_replacement(d, cr, slip_path);
	}
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
	ok(!cr || circref_stop(cr), "the reference service stopped");
	test_offline();
	unlink(slip_path);
	rmdir(dir);
	free(slip_path);
	return tap_done();
}
