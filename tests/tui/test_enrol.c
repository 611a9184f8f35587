/* Enrolling members at the desk, the real desk against its own training
 * service: a 7-year-old with a guardian and on to check out; a 17-year-old
 * without a guardian; an 18-year-old offered adult membership at once, not
 * sent before the ID document is checked, then an adult enrolled with a
 * category of the rules and its fee, and the welcome slip; a wrong
 * postcode caught before sending and corrected without retyping the rest;
 * a duplicate overridden with a reason. Dates are counted from today, as
 * the training service counts them. */
#include "circref.h"
#include "core/date.h"
#include "desk.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BRANCH "CEN"

static struct civil_date today;

/* dd-mm-jjjj of the day years ago, plus days. */
static void birth_dutch(int years, int days, char out[DATE_STR_LEN])
{
	struct civil_date d = today;
	d.year -= years;
	if (d.month == 2 && d.day == 29 && !date_is_leap_year(d.year))
		d.day = 28;
	date_format_dutch(date_add_days(d, days), out);
}

struct child {
	const char *given, *family;
	int years, days;
	const char *postcode, *house;
};

/* Opens the form with F6 and types the child's fields, Tab after each,
 * up to and including the phone field (left empty, like e-mail and suffix). */
static bool type_child(struct desk *d, const struct child *c)
{
	char birth[DATE_STR_LEN];
	birth_dutch(c->years, c->days, birth);
	bool sent = vt_key(d->vt, "F6") && vt_wait_text(d->vt, "Enrol: youth membership", DESK_STEP_MS);
	const char *parts[] = { c->given, c->family, birth, c->postcode, c->house, "", "", "" };
	for (size_t i = 0; sent && i < sizeof parts / sizeof parts[0]; i++)
		sent = vt_send(d->vt, parts[i]) && vt_key(d->vt, "Tab");
	return sent;
}

/* The card number the desk shows after an enrolment, or "". */
static void shown_card(struct desk *d, char out[15])
{
	out[0] = '\0';
	int row = -1, col = -1;
	if (!vt_find(d->vt, "Card number: ", &row, &col))
		return;
	char *line = vt_row_dup(d->vt, row);
	const char *at = strstr(line, "Card number: ");
	if (at)
		snprintf(out, 15, "%.14s", at + strlen("Card number: "));
	free(line);
}

/* F12 sends, as F12 finishes on every screen; F9 is the override. */
static bool send_form(struct desk *d)
{
	return vt_key(d->vt, "F12");
}

static void test_seven_year_old(struct desk *d, char card_out[15])
{
	const struct child c = { "Noor", "Vermeer", 7, -30, "1234ab", "12" };
	ok(type_child(d, &c), "F6 opens the form and the fields are typed");
	ok(vt_wait_text(d->vt, "7 years old", DESK_STEP_MS), "the age shows as soon as it is known");
	ok(vt_wait_text(d->vt, "1234 AB", DESK_STEP_MS), "the postcode is written 1234 AB");
	ok(vt_wait_text(d->vt, "Parent or guardian", DESK_STEP_MS),
	   "under 16 the guardian part appears");
	/* The cursor is in the guardian's name now. */
	vt_send(d->vt, "Karin Vermeer");
	vt_key(d->vt, "Tab");
	vt_key(d->vt, "Tab"); /* relation: parent */
	vt_send(d->vt, "06-12345678");
	vt_key(d->vt, "Tab");
	vt_key(d->vt, "Tab"); /* no e-mail */
	send_form(d);
	ok(vt_wait_text(d->vt, "Consent must be given", DESK_STEP_MS),
	   "without consent the form is not sent");
	ok(!vt_find(d->vt, "Enrolled", NULL, NULL), "nothing was enrolled");
	vt_send(d->vt, "j");
	ok(vt_wait_text(d->vt, "yes, consent given", DESK_STEP_MS), "j gives consent");
	send_form(d);
	ok(vt_wait_text(d->vt, "Enrolled: youth membership", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "print the welcome slip", DESK_STEP_MS),
	   "F12 enrols the child");
	char *keyline = vt_row_dup(d->vt, 23);
	ok(!strstr(keyline, "F9") && !strstr(keyline, "F12") && strstr(keyline, "F10"),
	   "after the enrolment the key line offers no send or override: %s", keyline);
	free(keyline);
	shown_card(d, card_out);
	ok(strlen(card_out) == 14 && strncmp(card_out, "21000", 5) == 0,
	   "the new card number is shown: %s", card_out);
	struct civil_date birth = today;
	birth.year -= 7;
	birth = date_add_days(birth, -30);
	char until[DATE_STR_LEN];
	date_format_dutch(date_add_days(date_birthday(birth, 18), -1), until);
	ok(vt_find(d->vt, until, NULL, NULL), "valid until the day before the 18th birthday: %s",
	   until);
	ok(vt_find(d->vt, "\u2588", NULL, NULL), "the card number in large type");
	vt_key(d->vt, "F2");
	ok(vt_wait_text(d->vt, "Noor Vermeer", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "youth", DESK_STEP_MS),
	   "F2 goes straight to check out with the new member's panel");
}

static char *read_file_dup(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = xcalloc(1, 65536);
	*len = fread(buf, 1, 65535, f);
	fclose(f);
	return buf;
}

/* Also the welcome slip, printed through balie.conf's print command (cat
 * into a file) in CP858: the ë of Zoë is the byte 0x89 there. */
/* The card on the screen into card, then ^B: the welcome slip as printed
 * (allocated), or NULL. */
static char *print_slip_dup(struct desk *d, const char *slip_path, char card[15])
{
	shown_card(d, card);
	vt_send(d->vt, "\x02"); /* ^B */
	ok(vt_wait_text(d->vt, "The welcome slip was printed.", DESK_STEP_MS),
	   "^B prints the welcome slip");
	size_t len = 0;
	return read_file_dup(slip_path, &len);
}

static void test_seventeen(struct desk *d, const char *slip_path)
{
	const struct child c = { "Zoë", "Bos", 17, -100, "2511 CV", "3" };
	ok(type_child(d, &c), "a 17-year-old typed in");
	ok(vt_wait_text(d->vt, "17 years old", DESK_STEP_MS), "17 years old");
	ok(!vt_find(d->vt, "Parent or guardian", NULL, NULL), "no guardian part at 17");
	send_form(d);
	ok(vt_wait_text(d->vt, "Enrolled: youth membership", DESK_STEP_MS),
	   "enrolled without a guardian");
	ok(vt_wait_text(d->vt, "Zoë Bos", DESK_STEP_MS), "the member's name is shown");
	ok(vt_wait_text(d->vt, "print the welcome slip", DESK_STEP_MS), "the keys are offered");
	char card[15];
	char *slip = print_slip_dup(d, slip_path, card);
	ok(slip && strstr(slip, "Welcome to the library, Zo\x89!"),
	   "the slip greets Zoë, her ë in CP858");
	ok(slip && strstr(slip, card) && strlen(card) == 14, "it holds the card number %s", card);
	ok(slip && strstr(slip, "Youth membership is free"), "and says the membership is free");
	free(slip);
}

static void test_eighteen(struct desk *d)
{
	const struct child c = { "Sara", "Smit", 18, 0, "2511 CV", "5" };
	ok(type_child(d, &c), "an 18-year-old typed in");
	ok(vt_wait_text(d->vt, "18 years: adult membership", DESK_STEP_MS),
	   "told at once beside the date of birth");
	ok(vt_wait_text(d->vt, "Enrol: adult membership", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "< basis, ", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "ID checked", DESK_STEP_MS) &&
		   !vt_find(d->vt, "Parent or guardian", NULL, NULL),
	   "the form turns into an adult one: a category, the ID question, no guardian");
	unsigned bells = vt_bells(d->vt);
	send_form(d);
	ok(vt_wait_text(d->vt, "Check an ID document", DESK_STEP_MS) &&
		   !vt_find(d->vt, "Enrolled", NULL, NULL),
	   "F12 sends nothing while the ID document is not checked");
	ok(vt_bells(d->vt) > bells, "with the bell");
}

/* An adult chooses the plus membership; the ID document is checked; the
 * fee is charged and named on the screen and on the welcome slip. */
static void test_adult(struct desk *d, const char *slip_path)
{
	const struct child c = { "Ruud", "Hendriks", 45, -20, "3511 AB", "8" };
	ok(type_child(d, &c), "a 45-year-old typed in");
	ok(vt_wait_text(d->vt, "< basis, ", DESK_STEP_MS), "the focus is on the membership");
	vt_send(d->vt, " ");
	ok(vt_wait_text(d->vt, "< plus, ", DESK_STEP_MS), "Space chooses the next: plus");
	vt_key(d->vt, "Tab");
	vt_send(d->vt, "j");
	ok(vt_wait_text(d->vt, "yes, ID document seen", DESK_STEP_MS), "j: the ID document seen");
	send_form(d);
	ok(vt_wait_text(d->vt, "Enrolled: adult membership plus", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "45.00 charged to the account", DESK_STEP_MS),
	   "enrolled as an adult, the fee charged to the account");
	char expires[DATE_STR_LEN];
	date_format_dutch(date_add_days(date_birthday(today, 1), -1), expires);
	char *valid = xasprintf("Valid until: %s", expires);
	ok(vt_wait_text(d->vt, valid, DESK_STEP_MS), "the card runs a year: %s", valid);
	free(valid);
	char card[15];
	char *slip = print_slip_dup(d, slip_path, card);
	ok(slip && strstr(slip, card) && strlen(card) == 14, "the slip holds the card %s", card);
	ok(slip && strstr(slip, "Adult membership plus: ") && strstr(slip, "45.00 a year."),
	   "and the membership with its yearly fee");
	ok(slip && !strstr(slip, "free until"), "not the youth membership's words");
	free(slip);
}

/* ^W empties the form for the next member, but only after a yes: here the
 * form of the 18-year-old, not sent for want of the ID check. */
static void test_clear(struct desk *d)
{
	vt_send(d->vt, "\x17"); /* ^W */
	ok(vt_wait_text(d->vt, "Empty the whole form?", DESK_STEP_MS),
	   "^W asks before it empties the form");
	ok(vt_find(d->vt, "Sara", NULL, NULL) && vt_find(d->vt, "Smit", NULL, NULL),
	   "the form is still full while it asks");
	vt_send(d->vt, "n");
	ok(vt_wait_text(d->vt, "Nothing was emptied", DESK_STEP_MS) &&
		   vt_find(d->vt, "Sara", NULL, NULL) && vt_find(d->vt, "Smit", NULL, NULL),
	   "n keeps the form as it was");
	vt_send(d->vt, "\x17");
	ok(vt_wait_text(d->vt, "Empty the whole form?", DESK_STEP_MS), "^W asks again");
	vt_key(d->vt, "Esc");
	ok(vt_wait_text(d->vt, "Nothing was emptied", DESK_STEP_MS) &&
		   vt_find(d->vt, "Sara", NULL, NULL),
	   "Escape keeps it too");
	vt_send(d->vt, "\x17");
	ok(vt_wait_text(d->vt, "Empty the whole form?", DESK_STEP_MS), "^W asks once more");
	vt_send(d->vt, "j");
	ok(vt_wait_text(d->vt, "The form is empty", DESK_STEP_MS) &&
		   vt_wait_gone(d->vt, "Sara", DESK_STEP_MS) && !vt_find(d->vt, "Smit", NULL, NULL) &&
		   !vt_find(d->vt, "18 years: adult membership", NULL, NULL),
	   "j empties it: no name, no date of birth, no age");
}

/* 18 tomorrow: a membership of one day is not sent without a word; the
 * desk says until when and what then happens, and F12 once more sends it. */
static void test_eighteen_tomorrow(struct desk *d)
{
	const struct child c = { "Daan", "Kok", 18, 1, "2511 CV", "9" };
	ok(type_child(d, &c), "a 17-year-old whose 18th birthday is tomorrow typed in");
	ok(vt_wait_text(d->vt, "17 years old", DESK_STEP_MS), "17 years old");
	unsigned bells = vt_bells(d->vt);
	send_form(d);
	char last[DATE_STR_LEN];
	date_format_dutch(today, last);
	char *want = xasprintf("runs only 1 day, until %s", last);
	ok(vt_wait_text(d->vt, want, DESK_STEP_MS) && vt_wait_bells(d->vt, bells + 1, DESK_STEP_MS),
	   "F12 warns with the bell: the membership %s", want);
	free(want);
	ok(vt_wait_text(d->vt, "it becomes an adult membership", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Press F12 again", DESK_STEP_MS),
	   "and says what the rules file does at 18 and which key sends it all the same");
	ok(!vt_find(d->vt, "Enrolled", NULL, NULL), "nothing was sent");
	send_form(d);
	ok(vt_wait_text(d->vt, "Enrolled: youth membership", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Daan Kok", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, last, DESK_STEP_MS),
	   "F12 once more enrols him, valid until today");
}

static void test_postcode(struct desk *d)
{
	const struct child c = { "Sem", "Bakker", 10, 0, "1234 SA", "7" };
	ok(type_child(d, &c), "a 10-year-old with postcode 1234 SA typed in");
	ok(vt_wait_text(d->vt, "Postcodes never end in SA, SD or SS", DESK_STEP_MS),
	   "the postcode is refused as it is left, beside the field");
	vt_send(d->vt, "Els Bakker");
	vt_key(d->vt, "Tab");
	vt_key(d->vt, "Tab");
	vt_key(d->vt, "Tab");
	vt_key(d->vt, "Tab");
	vt_send(d->vt, "j");
	send_form(d);
	ok(vt_wait_text(d->vt, "Not sent: correct the field marked in red", DESK_STEP_MS),
	   "F12 does not send it");
	/* F12 put the cursor in the postcode: ^U empties it, the rest stays. */
	vt_send(d->vt, "\x15" "1234 AB");
	vt_key(d->vt, "Tab");
	ok(vt_wait_gone(d->vt, "Postcodes never end", DESK_STEP_MS), "the corrected postcode is good");
	ok(vt_find(d->vt, "Sem", NULL, NULL) && vt_find(d->vt, "Bakker", NULL, NULL) &&
		   vt_find(d->vt, "Els Bakker", NULL, NULL),
	   "nothing else had to be typed again");
	send_form(d);
	ok(vt_wait_text(d->vt, "Enrolled: youth membership", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Sem Bakker", DESK_STEP_MS),
	   "Sem Bakker is enrolled");
}

static void test_duplicate(struct desk *d, const char *first_card)
{
	const struct child c = { "Fenna", "Vermeer", 7, -30, "1234 AB", "12" };
	ok(type_child(d, &c), "a child with the family name, date of birth and postcode of Noor");
	vt_send(d->vt, "Karin Vermeer");
	vt_key(d->vt, "Tab");
	vt_key(d->vt, "Tab");
	vt_key(d->vt, "Tab");
	vt_key(d->vt, "Tab");
	vt_send(d->vt, "j");
	send_form(d);
	ok(vt_wait_text(d->vt, "There is already a member", DESK_STEP_MS),
	   "the service refuses a duplicate");
	ok(vt_wait_text(d->vt, first_card, DESK_STEP_MS), "naming the card of the member (%s)",
	   first_card);
	ok(vt_wait_text(d->vt, "F9 enrols anyway", DESK_STEP_MS), "offering F9 to enrol anyway");
	vt_key(d->vt, "F9");
	ok(vt_wait_text(d->vt, "Type the reason", DESK_STEP_MS), "F9 asks for the reason");
	vt_send(d->vt, "Tweeling, paspoort gezien\r");
	ok(vt_wait_text(d->vt, "Enrolled: youth membership", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "print the welcome slip", DESK_STEP_MS) &&
		   vt_find(d->vt, "Fenna Vermeer", NULL, NULL),
	   "with a reason Fenna is enrolled");
	char card[15];
	shown_card(d, card);
	ok(strlen(card) == 14 && strcmp(card, first_card) != 0, "with a card of her own: %s", card);
}

/* The text from cell column col of row on (code points of width one). */
static const char *from_cell(const char *row, int col)
{
	const char *p = row;
	for (int c = 0; *p && c < col; c++)
		do
			p++;
		while ((*p & 0xc0) == 0x80);
	return p;
}

/* The message beside a field that begins with start: its rows (from the
 * column where it begins, down while they hold text there) joined by
 * spaces; allocated, or NULL when start is not on the screen. */
static char *beside_dup(struct desk *d, const char *start)
{
	int row, col;
	if (!vt_find(d->vt, start, &row, &col))
		return NULL;
	char *all = xstrdup("");
	for (int r = row; r < 23; r++) {
		char *line = vt_row_dup(d->vt, r);
		const char *at = from_cell(line, col);
		bool more = *at && *at != ' ';
		if (more) {
			char *joined = xasprintf("%s%s%s", all, *all ? " " : "", at);
			free(all);
			all = joined;
		}
		free(line);
		if (!more)
			break;
	}
	return all;
}

/* The same desk in Dutch: a 12-year-old with a guardian, by keyboard alone,
 * and what the desk says on the way. */
static void test_dutch(void)
{
	if (!ok(desk_need_locale("nl_NL.UTF-8"), "the locale nl_NL.UTF-8 exists"))
		return;
	struct desk *d = circref_desk(BRANCH, "nl_NL.UTF-8", NULL, NULL);
	if (!ok(d != NULL, "the Dutch desk starts and logs in"))
		return;
	char birth[DATE_STR_LEN];
	birth_dutch(12, -3, birth);
	vt_key(d->vt, "F6");
	ok(vt_wait_text(d->vt, "Inschrijven: jeugdlidmaatschap", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Geboortedatum", DESK_STEP_MS),
	   "F6 opens the form in Dutch");
	const char *parts[] = { "Lotte", "de Groot", birth, "3512je", "4" };
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		vt_send(d->vt, parts[i]);
		vt_key(d->vt, "Tab");
	}
	ok(vt_wait_text(d->vt, "12 jaar oud", DESK_STEP_MS), "the age in Dutch");
	ok(vt_wait_text(d->vt, "3512 JE", DESK_STEP_MS), "the postcode written 3512 JE");
	ok(vt_wait_text(d->vt, "Ouder/verzorger", DESK_STEP_MS), "the guardian part: Ouder/verzorger");
	vt_key(d->vt, "Tab");
	vt_key(d->vt, "Tab");
	vt_key(d->vt, "Tab");
	vt_send(d->vt, "Anne de Groot");
	vt_key(d->vt, "Tab");
	ok(vt_wait_text(d->vt, "< ouder >", DESK_STEP_MS), "the relation: ouder");
	vt_key(d->vt, "Tab");
	vt_send(d->vt, "0612");
	vt_key(d->vt, "Tab");
	ok(vt_wait_text(d->vt, "Een Nederlands nummer: 10 cijfers", DESK_STEP_MS),
	   "a short phone number is refused in Dutch");
	vt_key(d->vt, "BackTab");
	vt_send(d->vt, "345678");
	vt_key(d->vt, "Tab");
	vt_key(d->vt, "Tab");
	/* Sent without consent: the message beside the consent field is wider
	 * than the room beside it at 80 columns, and wraps there, whole. */
	vt_key(d->vt, "F12");
	ok(vt_wait_text(d->vt, "Er moet toestemming zijn", DESK_STEP_MS), "no consent: refused");
	/* The message may arrive in more than one write: wait for its end. */
	vt_wait_text(d->vt, "voor ja.", DESK_STEP_MS);
	char *beside = beside_dup(d, "Er moet toestemming zijn");
	ok(beside && strstr(beside, "Er moet toestemming zijn: druk j voor ja."),
	   "the whole message is beside the field: %s", beside ? beside : "(none)");
	free(beside);
	vt_send(d->vt, "j");
	ok(vt_wait_text(d->vt, "ja, toestemming gegeven", DESK_STEP_MS), "consent: ja");
	vt_key(d->vt, "F12");
	ok(vt_wait_text(d->vt, "Ingeschreven: jeugdlidmaatschap, gratis", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "welkomstbon", DESK_STEP_MS),
	   "enrolled, in Dutch");
	ok(vt_find(d->vt, "Pasnummer: 21000", NULL, NULL) &&
		   vt_find(d->vt, "Lid: Lotte de Groot", NULL, NULL),
	   "the card number and the member");
	ok(desk_stop(d), "the Dutch desk ended cleanly");
}

int main(void)
{
	setenv("TZ", "Europe/Amsterdam", 1);
	today = date_today();
	char dir[] = "/tmp/enrol-slip-XXXXXX";
	if (!ok(mkdtemp(dir) != NULL, "a directory for the slip"))
		return tap_done();
	char *slip_path = xasprintf("%s/slip.txt", dir);
	char *conf = xasprintf("print_command = cat > %s\n", slip_path);
	struct desk *d = circref_desk(BRANCH, "C.UTF-8", conf, NULL);
	free(conf);
	if (ok(d != NULL, "the desk starts and logs in as balie")) {
		char card[15] = "";
		test_seven_year_old(d, card);
		test_seventeen(d, slip_path);
		test_eighteen(d);
		test_clear(d);
		test_eighteen_tomorrow(d);
		test_adult(d, slip_path);
		vt_key(d->vt, "F10");
		ok(vt_wait_text(d->vt, "beheer", DESK_STEP_MS), "F10 logs out");
		desk_type_login(d, "balie", "oefenen");
		ok(vt_wait_gone(d->vt, "beheer", DESK_STEP_MS), "and in again: a fresh form");
		test_postcode(d);
		test_duplicate(d, card);
	}
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
	test_dutch();
	unlink(slip_path);
	rmdir(dir);
	free(slip_path);
	return tap_done();
}
