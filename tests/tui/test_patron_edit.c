/* Changing a patron at the desk: the patron screen shows the date of birth,
 * address and contact details; the edit form changes the e-mail address and
 * the screen shows the new one; a message for the patron is shown once as a
 * line on the check-out screen, and not at the next check-out; the check-out
 * panel lists the patron's loans with their due dates; a block by hand set
 * and lifted with reasons; the reading history kept and shown; erasure not
 * offered to the desk role, and done by administration after asking twice.
 * What the screen should say is asked from a reference training service. */
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
	vt_type(d->vt, "Bel 06-12345678", 2);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, "This looks like a BSN, an IBAN, an e-mail address or a phone number",
			DESK_STEP_MS),
	   "a phone number in the message: the desk says why before it sends");
	vt_send(d->vt, "\x15"); /* ^U empties the field */
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

/* A block by hand and lifting it, each with a reason, and the reading
 * history turned on and shown. */
static void test_block_and_history(struct desk *d, const struct circ_patron *p)
{
	vt_key(d->vt, "F5");
	vt_send(d->vt, p->card);
	vt_send(d->vt, "\r");
	vt_wait_text(d->vt, "Reading history: not kept", DESK_STEP_MS);
	vt_send(d->vt, "\x02"); /* ^B */
	ok(vt_wait_text(d->vt, "Why is the patron blocked?", DESK_STEP_MS), "^B asks why");
	vt_type(d->vt, "Pas kwijt gemeld", 2);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, "BLOCKED: blocked by the library: Pas kwijt gemeld", DESK_STEP_MS),
	   "Enter blocks the patron; the screen says so with the reason");
	vt_send(d->vt, "\x02");
	ok(vt_wait_text(d->vt, "Why is the block lifted?", DESK_STEP_MS),
	   "^B on a blocked patron asks why the block is lifted");
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, "Give a reason.", DESK_STEP_MS), "not without a reason");
	vt_type(d->vt, "Pas teruggevonden", 2);
	vt_send(d->vt, "\r");
	ok(vt_wait_gone(d->vt, "BLOCKED: blocked by the library", DESK_STEP_MS),
	   "with one the block is lifted");
	vt_send(d->vt, "\x1b" "g");
	ok(vt_wait_text(d->vt, "Reading history: kept", DESK_STEP_MS),
	   "Esc then k keeps the reading history");
	vt_send(d->vt, "\x1b" "h");
	ok(vt_wait_text(d->vt, "Reading history (the last returned first)", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "No loans kept.", DESK_STEP_MS),
	   "Esc then h shows it: nothing kept yet");
	vt_send(d->vt, "\x1b" "h");
	ok(vt_wait_gone(d->vt, "No loans kept.", DESK_STEP_MS), "and again shows the loans");
	vt_send(d->vt, "\x1b" "x");
	ok(vt_wait_quiet(d->vt, 300, DESK_STEP_MS) && !vt_find(d->vt, "Erase all data", NULL, NULL),
	   "Esc then x erases nothing for the desk role (administration only)");
}

/* Administration erases a patron without loans, after asking twice. */
static void test_erase(struct desk *d, const struct circ_patron *gone)
{
	vt_key(d->vt, "F10");
	ok(vt_wait_text(d->vt, "beheer", DESK_STEP_MS), "F10 logs out");
	desk_type_login(d, "beheer", "oefenen");
	ok(vt_wait_text(d->vt, "Fatima el Amrani", DESK_STEP_MS), "beheer logs in");
	vt_key(d->vt, "F5");
	vt_send(d->vt, gone->card);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, gone->name, DESK_STEP_MS), "the patron without loans is shown");
	vt_send(d->vt, "\x1b" "x");
	char *ask = xasprintf("Erase all data of %s?", gone->name);
	ok(vt_wait_text(d->vt, ask, DESK_STEP_MS), "Esc then x asks once");
	free(ask);
	vt_send(d->vt, "\x1b" "x");
	ok(vt_wait_text(d->vt, "Really erase?", DESK_STEP_MS), "and again asks twice");
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, "The patron's data were erased.", DESK_STEP_MS) &&
		   vt_wait_gone(d->vt, gone->name, DESK_STEP_MS),
	   "Enter erases the patron, who is gone from the screen");
	vt_send(d->vt, gone->card);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, "No patron with this card number.", DESK_STEP_MS),
	   "the card finds nobody any more");
}

/* A demo patron (from 2 on) with no loans, holds or fines, or NULL. */
static struct circ_patron *patron_without_loans(struct circref *cr)
{
	for (unsigned n = 2; n <= 50; n++) {
		char card[15];
		circref_card(n, card);
		struct circ_patron *p = circref_patron(cr, card);
		if (p && p->n_loans == 0 && p->n_holds == 0 && p->fines_cents == 0)
			return p;
		circ_patron_free(p);
	}
	return NULL;
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
			test_block_and_history(d, p);
			struct circ_patron *gone = patron_without_loans(cr);
			if (ok(gone != NULL, "the reference has a patron without loans"))
				test_erase(d, gone);
			circ_patron_free(gone);
			ok(desk_stop(d), "balie ended cleanly and left nothing running");
		}
	}
	circ_patron_free(p);
	ok(circref_stop(cr), "the reference service stopped cleanly");
	return tap_done();
}
