/* Changing a patron at the desk: the patron screen shows the date of birth,
 * address and contact details; the edit form changes the e-mail address and
 * the screen shows the new one; a message for the patron is shown once as a
 * line on the check-out screen, and not at the next check-out; the check-out
 * panel lists the patron's loans with their due dates. What the screen
 * should say is asked from a reference training service. */
#include "circref.h"
#include "desk.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define BRANCH "CEN"
#define MESSAGE "Uw bestelde boek ligt klaar"

static void dutch_date(const char *iso, char out[16])
{
	snprintf(out, 16, "%.2s-%.2s-%.4s", iso + 8, iso + 5, iso);
}

static void test_edit(struct desk *d, const struct circ_patron *p)
{
	vt_send(d->vt, "\x10"); /* ^P */
	ok(vt_wait_text(d->vt, "Card or name", DESK_STEP_MS), "^P opens the patron screen");
	vt_send(d->vt, p->card);
	vt_send(d->vt, "\r");
	char born[16];
	dutch_date(p->details.birth_date, born);
	char *line = xasprintf("Born %s   Address: %s %s", born, p->details.postcode,
			       p->details.house_number);
	ok(vt_wait_text(d->vt, p->name, DESK_STEP_MS) && vt_wait_text(d->vt, line, DESK_STEP_MS),
	   "the patron screen shows the date of birth and the address: %s", line);
	free(line);
	vt_send(d->vt, "\x17"); /* ^W */
	ok(vt_wait_text(d->vt, "Change the patron", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, p->details.postcode, DESK_STEP_MS),
	   "^W opens the edit form, filled in");
	for (int i = 0; i < 5; i++) /* to the e-mail address */
		vt_send(d->vt, "\t");
	vt_send(d->vt, "\x15"); /* ^U empties the field */
	vt_type(d->vt, "nieuw.adres@example.nl", 2);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, "Saved.", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "E-mail: nieuw.adres@example.nl", DESK_STEP_MS),
	   "Enter saves the edit; the patron read again shows the new e-mail address");
	vt_send(d->vt, "\x17");
	vt_wait_text(d->vt, "Change the patron", DESK_STEP_MS);
	vt_send(d->vt, "\t\t"); /* the postcode */
	vt_send(d->vt, "\x15");
	vt_type(d->vt, "1234 SA", 2);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, "Postcode: Postcodes never end in SA, SD or SS.", DESK_STEP_MS) &&
		   vt_find(d->vt, "Change the patron", NULL, NULL),
	   "a postcode the service refuses: the field and why, and the form stays open");
	vt_send(d->vt, "\x1b");
	ok(vt_wait_gone(d->vt, "Change the patron", DESK_STEP_MS), "Esc closes the form");
}

static void test_message(struct desk *d, const struct circ_patron *p)
{
	vt_send(d->vt, "\x1b" "m");
	ok(vt_wait_text(d->vt, "A message for the patron", DESK_STEP_MS),
	   "Esc then m asks for the message");
	vt_type(d->vt, MESSAGE, 2);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, "Saved.", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Message for the patron: " MESSAGE, DESK_STEP_MS),
	   "Enter saves it; the patron screen shows it");
	vt_key(d->vt, "F2");
	vt_send(d->vt, p->card);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, p->name, DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Message for the patron: " MESSAGE, DESK_STEP_MS),
	   "the check-out screen shows the message as a line");
	size_t shown = p->n_loans < 2 ? p->n_loans : 2;
	for (size_t i = 0; i < shown; i++) {
		char due[16];
		dutch_date(p->loans[i].due_on, due);
		ok(circref_wait_row2(d->vt, due, p->loans[i].title, DESK_STEP_MS),
		   "the check-out panel lists the loan %s, due %s", p->loans[i].title, due);
	}
	vt_key(d->vt, "F12");
	ok(vt_wait_text(d->vt, "Scan the patron's card.", DESK_STEP_MS), "F12 ends the visit");
	vt_send(d->vt, p->card);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, p->name, DESK_STEP_MS) && vt_wait_quiet(d->vt, 300, DESK_STEP_MS) &&
		   !vt_find(d->vt, "Message for the patron", NULL, NULL),
	   "the next check-out does not show the message again");
}

int main(void)
{
	struct circref *cr = circref_start(BRANCH);
	if (!ok(cr != NULL, "a reference training service"))
		return tap_done();
	/* A demo patron with two loans or more and an address. */
	struct circ_patron *p = NULL;
	for (unsigned n = 2; n <= 30 && !p; n++) {
		char card[15];
		circref_card(n, card);
		p = circref_patron(cr, card);
		if (p && (p->n_loans < 2 || !*p->details.postcode)) {
			circ_patron_free(p);
			p = NULL;
		}
	}
	if (ok(p != NULL, "the reference has a patron with loans and an address")) {
		struct desk *d = circref_desk(BRANCH, "C.UTF-8", NULL, NULL);
		if (ok(d != NULL, "the desk starts and logs in")) {
			test_edit(d, p);
			test_message(d, p);
			ok(desk_stop(d), "balie ended cleanly and left nothing running");
		}
	}
	circ_patron_free(p);
	ok(circref_stop(cr), "the reference service stopped cleanly");
	return tap_done();
}
