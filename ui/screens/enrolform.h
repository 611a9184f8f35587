/* The enrolment form (F6): a member's fields, each checked as it is left
 * with src/core/validate.h (the postcode normalised to 1234 AB, the date of
 * birth as dd-mm-jjjj with the age shown at once), the parent or guardian
 * part only under the guardian age, consent as an explicit yes; from 18 an
 * adult membership instead, with the category (and its fee) to choose and
 * the ID document checked as an explicit yes; the service's refusals beside
 * their field, and after success the card number in large type. It holds
 * what was typed; app_enrol.c does the network. */
#ifndef BALIE_ENROLFORM_H
#define BALIE_ENROLFORM_H

#include "ui/actions.h"
#include "core/date.h"
#include "client/enrol.h"
#include "ui/widgets/field.h"

#include <curses.h>
#include <stdbool.h>

enum enrol_field {
	ENROL_GIVEN,
	ENROL_FAMILY,
	ENROL_BIRTH,
	ENROL_POSTCODE,
	ENROL_HOUSE,
	ENROL_SUFFIX,
	ENROL_EMAIL,
	ENROL_PHONE,
	ENROL_MEMBERSHIP, /* adult: a choice of the rules' categories */
	ENROL_ID_CHECKED, /* adult: yes or no */
	ENROL_G_NAME,     /* the guardian part */
	ENROL_G_RELATION, /* a choice: parent, guardian, other */
	ENROL_G_PHONE,
	ENROL_G_EMAIL,
	ENROL_G_CONSENT,  /* yes or no */
	ENROL_N_FIELDS
};

enum enrol_state {
	ENROL_EDITING,
	ENROL_SENDING,
	ENROL_REASON,  /* typing the reason of a duplicate override */
	ENROL_DONE,    /* enrolled: the card is shown */
	ENROL_CLEARING, /* asking whether to empty the whole form */
};

struct enrol_screen {
	struct field fields[ENROL_N_FIELDS]; /* text fields (not the choices and yes/no) */
	char *problem[ENROL_N_FIELDS];       /* beside the field, or NULL */
	enum enrol_field focus;
	unsigned relation;                   /* index of the relation choice */
	bool consent;
	unsigned membership;                 /* index of the adult category */
	bool id_checked;
	int age;                             /* -1 while the date of birth is not known */
	struct field reason;
	enum enrol_state state;
	char *message;                       /* below the form */
	bool message_error;
	int message_field;                   /* the field whose problem the message is, or -1 */
	bool duplicate;                      /* the last refusal was duplicate_member */
	/* From GET /memberships/rules; defaults until it came. */
	int guardian_age;
	struct civil_date today;
	int short_days;                      /* a membership of fewer days is short */
	bool end_at_18;                      /* the membership ends at 18 (else adult) */
	bool short_warned;                   /* warned of a short one; the next send goes */
	/* The adult categories of the rules (kept over a reset). */
	struct enrol_membership memberships[ENROL_MAX_MEMBERSHIPS];
	size_t n_memberships;
	/* After success. */
	struct enrol_result *result;
	char *result_name;
	char *slip_message;
};

void enrol_screen_init(struct enrol_screen *e);
void enrol_screen_free(struct enrol_screen *e);
/* Empties the form for the next child. */
void enrol_screen_reset(struct enrol_screen *e);
void enrol_screen_set_rules(struct enrol_screen *e, int guardian_age, struct civil_date today);
void enrol_screen_set_message(struct enrol_screen *e, const char *msg, bool error);
/* The rules file's short membership and what happens at 18 (enrol.h). */
void enrol_screen_set_youth_end(struct enrol_screen *e, int short_days, bool end_at_18);
/* The adult categories of r, copied. */
void enrol_screen_set_memberships(struct enrol_screen *e, const struct enrol_rules *r);

/* The warning, allocated, for a membership that would run fewer than
 * short_days days: the last day, what then happens, and that send_key sends
 * it all the same; NULL when the membership is not short, or the date of
 * birth is not known. */
char *enrol_screen_short_dup(const struct enrol_screen *e, const char *send_key);

/* Asks whether to empty the whole form (state ENROL_CLEARING); the next key
 * answers: j or y empties it, any other keeps it. */
void enrol_screen_ask_clear(struct enrol_screen *e);
/* The answer to that question. */
void enrol_screen_answer_clear(struct enrol_screen *e, bool yes);

/* True when the guardian part is shown (the child is under the guardian age). */
bool enrol_screen_guardian_shown(const struct enrol_screen *e);

/* Moves the focus on (forward) or back, checking the field that is left.
 * Returns false when that check found a problem the desk should hear (the
 * bell); the focus moves all the same, nothing typed is lost. */
bool enrol_screen_move(struct enrol_screen *e, bool forward);
/* Checks every shown field; on a problem focuses the first and returns false. */
bool enrol_screen_check_all(struct enrol_screen *e);
/* True when the age is known and 18 or more: an adult membership. */
bool enrol_screen_adult(const struct enrol_screen *e);

/* A key that is no action; true when the form took it. */
bool enrol_screen_key(struct enrol_screen *e, keycode k);
/* True when k is typing into the focused field or choice. */
bool enrol_screen_takes_text(const struct enrol_screen *e, keycode k);

/* What the form holds, as the client sends it (with the override reason
 * when asked): form's strings are held here, until enrol_screen_form_clear. */
struct enrol_screen_form {
	struct enrol_form form;
	char *text[ENROL_N_FIELDS]; /* trimmed, of the text fields */
	char birth_iso[DATE_STR_LEN];
};

void enrol_screen_form_fill(const struct enrol_screen *e, const char *branch,
			    const char *override_reason, struct enrol_screen_form *out);
void enrol_screen_form_clear(struct enrol_screen_form *f);
/* Shows a refusal beside the field it names (the protocol's field name), or
 * as the message when it names none of the shown fields. With reason (an
 * invalid_field reason) the field's own words are used, else text. */
void enrol_screen_refused(struct enrol_screen *e, const char *field, const char *reason,
			  const char *text);
/* Takes r: the enrolment succeeded. */
void enrol_screen_done(struct enrol_screen *e, struct enrol_result *r);

void enrol_screen_draw(const struct enrol_screen *e, WINDOW *w, int top, int bottom, int cols,
		       const char *keys_hint, int *cy, int *cx);

#endif
