/* Youth and adult membership (DESIGN.md section 3): the enrolment request
 * read and checked, the new member stored with a fresh card number (an
 * adult's yearly fee charged), the renewal, and the 18th-birthday rule
 * applied by "balied memberships age-out". */
#ifndef BALIED_MEMBERSHIP_H
#define BALIED_MEMBERSHIP_H

#include "core/date.h"
#include "core/errcode.h"
#include "service/domain/rules.h"
#include "service/domain/session.h"
#include "service/store/store.h"
#include "core/validate.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <time.h>

enum { MEMBERSHIP_CARD_LEN = 15, MEMBERSHIP_REASON_MAX = 500 };

struct membership_guardian {
	char *name;
	char *relation; /* "parent", "guardian" or "other" */
	char *phone;    /* national digits, or NULL */
	char *email;    /* or NULL */
};

/* An enrolment as checked; every string owned (membership_request_clear). */
struct membership_request {
	char *given_name;
	char *family_name;
	struct civil_date birth;
	char birth_iso[DATE_STR_LEN];
	char postcode[VALIDATE_POSTCODE_LEN]; /* "1234 AB" */
	long house_number;
	char *suffix; /* or NULL */
	char *email;  /* or NULL */
	char *phone;  /* or NULL */
	char *branch;
	bool has_guardian;
	struct membership_guardian guardian;
	bool override_duplicate;
	char *override_reason; /* with override_duplicate */
	int age;               /* on the day of enrolment */
	bool adult;            /* kind "adult": no guardian, the ID document was checked */
	char *membership;      /* adult: the category's name (rules_membership_find) */
	unsigned fee_cents;    /* adult: the category's yearly fee, set by the caller */
};

/* Why an enrolment is refused: the error code, and for invalid_field the
 * field ("postcode", "guardian.phone") and the reason (validate.h's names). */
struct membership_problem {
	enum errcode code;
	const char *field;
	const char *reason;
	const char *message; /* English, for the log and the error body */
};

/*
 * Reads and checks an enrolment body (DESIGN.md section 2) as of today: the
 * fields, the age (youth: not_eligible_age from 18; adult: under 18), the
 * guardian under guardian_age (guardian_required; an adult has none), an
 * adult's membership and id_checked (which must be true), the override's
 * form. Needs no database, nor the rules: the caller checks that the
 * membership category exists.
 * False with *why set on a refusal; req then needs clearing all the same.
 */
bool membership_read(const cJSON *body, struct civil_date today, unsigned guardian_age,
		     struct membership_request *req, struct membership_problem *why);
void membership_request_clear(struct membership_request *req);

struct membership_result {
	char card[MEMBERSHIP_CARD_LEN];
	char expires_on[DATE_STR_LEN];
	long long patron_id;
	long long charge_id;  /* the yearly fee's charge, 0 when there is none */
	char **duplicates; /* cards of members the request matches (see below); NULL-terminated */
};

enum membership_outcome {
	MEMBERSHIP_ENROLLED,
	MEMBERSHIP_UNKNOWN_BRANCH, /* invalid_field branch */
	MEMBERSHIP_DUPLICATE,      /* result->duplicates names them; nothing stored */
	MEMBERSHIP_CARDS_EXHAUSTED,/* the prefix has no numbers left (logged) */
	MEMBERSHIP_STORE_FAILED,   /* logged */
};

/*
 * Stores the member in the caller's transaction: the duplicate check (same
 * family name, ignoring case, date of birth and postcode; passed when
 * req->override_duplicate), the next card number of prefix, the patron and
 * guardian rows, and the audit log (who; for an override also why, and the
 * matched cards). A youth membership runs to the day before the 18th
 * birthday; an adult one a year (to the day before today's date next year),
 * with req->fee_cents charged (membership_fee) when not 0. Free result with
 * membership_result_clear.
 */
enum membership_outcome membership_enrol(struct store *store, const struct membership_request *req,
					 const char *prefix, struct civil_date today,
					 const struct session *who, time_t now,
					 struct membership_result *result);
void membership_result_clear(struct membership_result *result);

/* The cards of members (but patron exclude_id; 0 for none) with family_name
 * (ignoring case), the date of birth birth_iso and postcode: the duplicate
 * check of an enrolment and of an edit. At most 5, in *out, NULL-terminated
 * (free each and the list). False when the store fails (logged). */
bool membership_duplicates(struct store *store, const char *family_name, const char *birth_iso,
			   const char *postcode, long long exclude_id, char ***out);
/* The last day of a year of membership from start: the day before start's
 * date a year later (29 February: 28 February). */
struct civil_date membership_year_end(struct civil_date start);

/* Charges an adult membership's yearly fee (kind membership_fee, described
 * by the category's name membership), or with card a replacement card's fee
 * (replacement_card; membership NULL), at who's desk; nothing when
 * fee_cents is 0 (*charge_id 0). In the caller's transaction; false when the
 * store failed. */
bool membership_charge(struct store *store, long long patron_id, bool card,
			   unsigned fee_cents, const char *membership, const struct session *who,
			   time_t now, long long *charge_id);

/*
 * The next card number of prefix (1-9 digits): prefix, a sequence that only
 * goes up (kept in card_sequences, so a number is never given twice, even
 * after the member is gone), and the Luhn digit: 14 digits. Runs in the
 * caller's transaction. Returns 1 with card set, 0 when no number is left
 * (or the prefix is not 1-12 digits), -1 when the store failed (logged).
 */
int membership_next_card(struct store *store, const char *prefix, char card[MEMBERSHIP_CARD_LEN]);

enum membership_renew_outcome {
	MEMBERSHIP_RENEWED,
	MEMBERSHIP_RENEW_NO_PATRON,     /* no patron has this card (it may be a replaced one) */
	MEMBERSHIP_RENEW_NOT_DUE,       /* out->due_from: the first day it may be renewed */
	MEMBERSHIP_RENEW_AGE,           /* youth who is 18, or will be before a renewal helps */
	MEMBERSHIP_RENEW_NO_MEMBERSHIP, /* an adult without a category; the rules have none */
	MEMBERSHIP_RENEW_UNKNOWN_MEMBERSHIP, /* the category is not in the rules */
	MEMBERSHIP_RENEW_STORE_FAILED,  /* logged */
};

struct membership_renewal {
	char category[8];                /* "youth" or "adult" */
	char membership[RULES_TYPE_LEN]; /* adult: the category renewed; "" for youth */
	char previous[DATE_STR_LEN];     /* the expiry before */
	char expires_on[DATE_STR_LEN];   /* the new expiry */
	char due_from[DATE_STR_LEN];     /* NOT_DUE */
	int age;                         /* AGE */
	unsigned fee_cents;              /* charged; 0 for youth */
	long long charge_id;             /* 0 when nothing was charged */
};

/*
 * Renews the membership of card in the caller's transaction, when it expires
 * within rules->membership_renewal_days of today or has expired. Adult: a
 * new year from the day after the old expiry or from today, whichever is
 * later, in membership (NULL: the member's own category, or the first of
 * the rules for a member without one) with its fee
 * charged. Youth: to the day before the 18th birthday, free. Audited
 * ("membership_renewal"). Nothing is changed on a refusal.
 */
enum membership_renew_outcome membership_renew(struct store *store, const struct rules *rules,
					       const char *card, const char *membership,
					       struct civil_date today, const struct session *who,
					       time_t now, struct membership_renewal *out);

struct membership_age_out_counts {
	unsigned converted; /* became adult members */
	unsigned ended;     /* memberships ended */
};

/*
 * Applies the 18th-birthday rule on day: every youth member who is 18 or
 * older on day and was not aged out before becomes an adult member (expiry:
 * one year from the 18th birthday) or has the membership ended (the card
 * stays expired: expires_on is the day before the birthday), as the rules
 * say; each change is in the audit log. Runs its own transaction and is
 * idempotent: a second run on the same or a later day changes nothing for
 * those already done.
 */
bool membership_age_out(struct store *store, enum rules_youth_at_18 rule, struct civil_date day,
			time_t now, struct membership_age_out_counts *counts);

#endif
