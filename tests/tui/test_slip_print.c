/* Receipts from the desk: the loan slip goes through the print
 * command of balie.conf (here one that writes to a file) in CP858, checked
 * byte for byte: the accented title and the euro sign of the fines. The
 * patron is the demo patron over the fine limit, so the visit needs an
 * override first. A check-in to the hold shelf prints its slip too. */
#include "circref.h"
#include "desk.h"
#include "client/config.h"
#include "client/slip.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BRANCH "CEN"
#define ACCENTED 8 /* SEED_ACCENTED_ITEM in src/service/training/seed.h */

static void test_loan_slip(struct circref *cr)
{
	char card[15], item[15];
	circref_card(12, card); /* fines over the limit in the demo data */
	circref_item(ACCENTED, item);
	struct circ_patron *p = circref_patron(cr, card);
	/* The due date the desk will get: the reference lends the book to
	 * someone else and takes it back. */
	char other[15];
	circref_card(5, other);
	struct circ_loan *l = circref_checkout(cr, other, item);
	if (l)
		circ_checkin_free(circref_checkin(cr, item));
	if (!ok(p && l && p->fines_cents > 0 && strstr(l->title, "é"),
		"the reference has patron 12 with fines and the accented book (%s)",
		l ? l->title : "none"))
		goto out;
	struct desk *d = circref_desk(BRANCH, "C.UTF-8",
				      "print_command = cat >> \"$HOME/slips.bin\"\n", NULL);
	if (!ok(d != NULL, "the desk starts with a print command and logs in"))
		goto out;
	vt_key(d->vt, "F2");
	vt_send(d->vt, card);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, "BLOCKED: fines over the limit", DESK_STEP_MS),
	   "patron 12 is blocked for fines");
	vt_send(d->vt, item);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, "F9: override.", DESK_STEP_MS), "the book is refused");
	vt_key(d->vt, "F9");
	vt_wait_text(d->vt, "Reason", DESK_STEP_MS);
	vt_send(d->vt, "paid part of the fines at the desk\r");
	ok(circref_wait_row2(d->vt, item, "due ", DESK_STEP_MS), "with a reason it is lent");
	vt_send(d->vt, "\x02"); /* ^B: the loan slip, and the visit ends */
	ok(vt_wait_text(d->vt, "The loan slip was printed.", DESK_STEP_MS),
	   "^B prints the loan slip and says so");

	/* What the printer must get: the slip of this visit, in CP858. */
	struct civil_date today = date_today(); /* the desk's day (TZ set in main) */
	char *branch = circref_branch_name_dup(cr, BRANCH);
	const struct circ_loan *loans[] = {l};
	struct slip *s = slip_loan_new(CONFIG_DEFAULT_PRINT_WIDTH, branch, card, loans, 1,
				       p->fines_cents, today);
	char *text = slip_text_dup(s);
	size_t want_len = 0, got_len = 0;
	char *err = NULL;
	char *want = slip_encode_dup(text, "CP858", &want_len, &err);
	char *path = xasprintf("%s/slips.bin", d->home);
	char *got = circref_wait_file_dup(d->vt, path, want_len, &got_len);
	ok(got && got_len == want_len && memcmp(got, want, want_len) == 0,
	   "the print command got the loan slip byte for byte in CP858 (%zu bytes, want %zu)",
	   got_len, want_len);
	ok(got && memmem(got, got_len, "Caf\x82 Zo\x89 en de cr\x8Ame br\x96l\x82" "e", 27),
	   "the title's é, ë, è and û are CP858 bytes");
	char money[32];
	snprintf(money, sizeof money, "\xD5%lld.%02lld", p->fines_cents / 100, p->fines_cents % 100);
	ok(got && memmem(got, got_len, money, strlen(money)), "the fines have the euro sign 0xD5");
	ok(got && !memmem(got, got_len, "\xC3", 1) && !memmem(got, got_len, "\xE2\x82\xAC", 3),
	   "no UTF-8 reached the printer");
	if (got && (got_len != want_len || memcmp(got, want, want_len) != 0))
		diag("wanted:\n%s", text);
	free(text);
	free(want);
	free(err);
	slip_free(s);
	free(branch);

	/* A check-in to the hold shelf prints its slip after the loan slip. */
	char **items = NULL;
	size_t n = circref_loaned_items(cr, 1, 30, &items);
	const char *held = NULL;
	struct circ_checkin *c = NULL;
	for (size_t i = 0; i < n && !held; i++) {
		c = circref_checkin(cr, items[i]);
		if (c && c->route == CIRC_HOLD_SHELF)
			held = items[i];
		else
			circ_checkin_free(c);
	}
	if (ok(held != NULL, "the reference has a loan for the hold shelf")) {
		vt_key(d->vt, "F3");
		vt_send(d->vt, held);
		vt_send(d->vt, "\r");
		ok(vt_wait_text(d->vt, "HOLD SHELF", DESK_STEP_MS), "it goes to the hold shelf");
		size_t len2 = 0;
		char *all = circref_wait_file_dup(d->vt, path, got_len + 10, &len2);
		const char *second = all && len2 > got_len ? all + got_len : "";
		ok(strstr(second, "HOLD SHELF") && strstr(second, c->hold_for) &&
			   strstr(second, held),
		   "its slip names the hold shelf, the initials %s and the item", c->hold_for);
		free(all);
		circ_checkin_free(c);
	}
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
	free(got);
	free(path);
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
out:
	circ_patron_free(p);
	circ_loan_free(l);
}

static void test_print_fails(void)
{
	struct desk *d = circref_desk(BRANCH, "C.UTF-8",
				      "print_command = echo 'paper out' >&2; exit 3\n", NULL);
	if (!ok(d != NULL, "the desk starts with a failing print command"))
		return;
	char card[15], item[15];
	circref_card(2, card);
	circref_item(ACCENTED, item);
	vt_key(d->vt, "F2");
	vt_send(d->vt, card);
	vt_send(d->vt, "\r");
	vt_wait_text(d->vt, "Card valid until", DESK_STEP_MS);
	vt_send(d->vt, item);
	vt_send(d->vt, "\r");
	ok(circref_wait_row2(d->vt, item, "due ", DESK_STEP_MS), "the book is lent");
	unsigned bells = vt_bells(d->vt);
	vt_send(d->vt, "\x02");
	ok(vt_wait_text(d->vt, "The slip was not printed.", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "exit status 3", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "paper out", DESK_STEP_MS),
	   "a failing print command is named with its status and what it said");
	ok(vt_wait_bells(d->vt, bells + 1, DESK_STEP_MS), "and rings the bell");
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
}

int main(void)
{
	/* The slip's date is the desk's day, in the desk's time zone. */
	setenv("TZ", "Europe/Amsterdam", 1);
	tzset();
	struct circref *cr = circref_start(BRANCH);
	if (ok(cr != NULL, "a reference training service"))
		test_loan_slip(cr);
	ok(circref_stop(cr), "the reference service stopped cleanly");
	test_print_fails();
	return tap_done();
}
