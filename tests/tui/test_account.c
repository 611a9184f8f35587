/* The patron's account at the desk: the demo patron over the fine limit
 * is refused at check-out; on the patron screen F12 opens the account, F9
 * pays part of the balance by pin, the receipt reaches the print command
 * byte for byte in CP858, the fines block is gone at once; F12 waives a
 * charge with a reason; the same check-out goes through; the cash-up
 * (Esc k) shows the payment and the waiver. */
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
#define FINES_PATRON 12 /* 12.50 in fines in the demo data: 2.50, 5.00, 5.00 */

/* The receipt the desk must print for 3.00 by pin: the oldest fine (2.50)
 * and 0.50 of the next, 9.50 still open. */
static char *want_receipt_dup(struct circref *cr, const char *card, size_t *len)
{
	struct account_cover covered[] = { { .kind = (char *)"overdue_fine", .amount_cents = 250 },
					   { .kind = (char *)"overdue_fine", .amount_cents = 50,
					     .open_cents = 450 } };
	struct account_credit paid = { .method = (char *)"pin", .amount_cents = 300,
				       .covered = covered, .n_covered = 2, .balance_cents = 950 };
	char *branch = circref_branch_name_dup(cr, BRANCH);
	struct slip *s = slip_receipt_new(CONFIG_DEFAULT_PRINT_WIDTH, branch, card, &paid,
					  date_today());
	char *text = slip_text_dup(s);
	char *err = NULL;
	char *want = slip_encode_dup(text, "CP858", len, &err);
	free(text);
	free(err);
	slip_free(s);
	free(branch);
	return want;
}

static void test_pay(struct circref *cr)
{
	char card[15], item[15];
	circref_card(FINES_PATRON, card);
	circref_item(8, item);
	struct desk *d = circref_desk(BRANCH, "C.UTF-8",
				      "print_command = cat >> \"$HOME/slips.bin\"\n", NULL);
	if (!ok(d != NULL, "the desk starts with a print command and logs in"))
		return;
	vt_key(d->vt, "F2");
	vt_send(d->vt, card);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, "BLOCKED: fines over the limit", DESK_STEP_MS),
	   "patron %d is blocked for fines", FINES_PATRON);
	vt_send(d->vt, item);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, "F9: override.", DESK_STEP_MS), "the book is refused");
	vt_key(d->vt, "F12"); /* the visit ends */

	vt_key(d->vt, "F5");
	vt_wait_text(d->vt, "Card or name", DESK_STEP_MS);
	vt_send(d->vt, card);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, "Card valid until", DESK_STEP_MS), "the patron screen shows the patron");
	vt_key(d->vt, "F12");
	ok(vt_wait_text(d->vt, "Account of", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Balance: €12.50", DESK_STEP_MS),
	   "F12 opens the account: balance 12.50");
	ok(vt_wait_text(d->vt, "Overdue fine", DESK_STEP_MS), "the open charges are listed by kind");
	vt_key(d->vt, "F9");
	ok(vt_wait_text(d->vt, "Amount", DESK_STEP_MS) && vt_wait_text(d->vt, "12,50", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "[cash]  pin", DESK_STEP_MS),
	   "F9 asks the amount, the balance to start with, and cash");
	ok(vt_wait_gone(d->vt, "Reading the account", DESK_STEP_MS),
	   "once the account is there, the desk no longer says it is reading it");
	vt_send(d->vt, "\x15"); /* ^U empties the field */
	vt_send(d->vt, "3,00");
	vt_send(d->vt, "\t"); /* pin */
	ok(vt_wait_text(d->vt, "cash  [pin]", DESK_STEP_MS), "Tab chooses pin");
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, "Paid €3.00 by pin. Still to pay: €9.50.", DESK_STEP_MS),
	   "3.00 by pin is paid, 9.50 still open");
	ok(vt_wait_text(d->vt, "The receipt was printed.", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "for fines is lifted.", DESK_STEP_MS),
	   "the receipt was printed, and the fines block is gone");
	ok(vt_wait_text(d->vt, "Balance: €9.50", DESK_STEP_MS), "the account shows 9.50 open");

	size_t want_len = 0, got_len = 0;
	char *want = want_receipt_dup(cr, card, &want_len);
	char *path = xasprintf("%s/slips.bin", d->home);
	char *got = circref_wait_file_dup(d->vt, path, want_len, &got_len);
	ok(want && got && got_len == want_len && memcmp(got, want, want_len) == 0,
	   "the print command got the receipt byte for byte in CP858 (%zu bytes, want %zu)",
	   got_len, want_len);
	ok(got && memmem(got, got_len, "\xD5" "3.00", 5) && !memmem(got, got_len, "\xC3", 1),
	   "with the euro sign 0xD5 and no UTF-8");
	char masked[9];
	snprintf(masked, sizeof masked, "****%s", card + 10);
	ok(got && memmem(got, got_len, masked, 8) && !memmem(got, got_len, card, 14),
	   "the card shows its last four digits only");
	if (got && want && (got_len != want_len || memcmp(got, want, want_len) != 0))
		diag("got:\n%.*s", (int)got_len, got);
	free(want);
	free(got);
	free(path);

	ok(vt_wait_text(d->vt, "F12 Waive", DESK_STEP_MS),
	   "balie holds the permission waive: the key is on the key line");
	vt_key(d->vt, "F12"); /* the charge under the cursor: the newest, 5.00 */
	ok(vt_wait_text(d->vt, "Reason for waiving", DESK_STEP_MS), "F12 asks the reason");
	vt_send(d->vt, "lag in de inleverbus\r");
	ok(vt_wait_text(d->vt, "Waived €5.00. Still to pay: €4.50.", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Balance: €4.50", DESK_STEP_MS),
	   "the charge under the cursor is waived: 4.50 open");

	vt_send(d->vt, "\x1b"); /* back to the patron, looked up again */
	ok(vt_wait_text(d->vt, "Card or name", DESK_STEP_MS) &&
		   vt_wait_gone(d->vt, "BLOCKED", DESK_STEP_MS),
	   "Esc goes back to the patron, without the block");
	vt_key(d->vt, "F2");
	vt_send(d->vt, card);
	vt_send(d->vt, "\r");
	vt_wait_text(d->vt, "Card valid until", DESK_STEP_MS);
	vt_send(d->vt, item);
	vt_send(d->vt, "\r");
	ok(circref_wait_row2(d->vt, item, "due ", DESK_STEP_MS),
	   "the check-out refused before goes through now");

	vt_send(d->vt, "\x1bk");
	ok(vt_wait_text(d->vt, "Cash-up of desk", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "1 payment", DESK_STEP_MS),
	   "Esc k shows the cash-up: one payment");
	ok(circref_wait_row2(d->vt, "Pin", "€3.00", DESK_STEP_MS) &&
		   circref_wait_row2(d->vt, "Total", "€3.00", DESK_STEP_MS) &&
		   circref_wait_row2(d->vt, "Waived", "€5.00", DESK_STEP_MS),
	   "by pin 3.00, in all 3.00; 5.00 waived beside it");
	vt_send(d->vt, "\x02");
	ok(vt_wait_text(d->vt, "^B: print the cash-up", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "The cash-up slip was printed.", DESK_STEP_MS),
	   "^B, said on the screen, prints the cash-up");
	vt_send(d->vt, "\x1b");
	ok(vt_wait_text(d->vt, "Check out   Item", DESK_STEP_MS), "Esc goes back to check out");
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
}

int main(void)
{
	/* The receipt's date is the desk's day, in the desk's time zone. */
	setenv("TZ", "Europe/Amsterdam", 1);
	tzset();
	struct circref *cr = circref_start(BRANCH);
	if (ok(cr != NULL, "a reference training service"))
		test_pay(cr);
	ok(circref_stop(cr), "the reference service stopped cleanly");
	return tap_done();
}
