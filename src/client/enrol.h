/* The youth and adult enrolment as the desk sends and reads it (POST
 * /memberships, GET /memberships/rules; balied(8)), and the welcome slip. Decoders work
 * like session.h's: plain structs with owned strings, NULL and *err
 * (allocated, English) for a body that is not what the protocol says. */
#ifndef BALIE_ENROL_H
#define BALIE_ENROL_H

#include "client/api.h"
#include "client/call.h"
#include "core/date.h"
#include "client/slip.h"

#include <cjson/cJSON.h>
#include <stdbool.h>

enum { ENROL_SHORT_DAYS_DEFAULT = 30, ENROL_MAX_MEMBERSHIPS = 16 };

/* An adult membership category of the rules file and its yearly fee. */
struct enrol_membership {
	char *name;
	long long fee_cents;
};

struct enrol_rules {
	int youth_age;        /* 18 */
	int guardian_age;     /* under this age a guardian is recorded */
	struct civil_date today; /* the service's date */
	int short_days;       /* a membership of fewer days is short (30 when not said) */
	bool end_at_18;       /* youth_at_18 is "end" (else the membership becomes adult) */
	/* The adult categories (none from a service before them). */
	struct enrol_membership memberships[ENROL_MAX_MEMBERSHIPS];
	size_t n_memberships;
};

struct enrol_rules *enrol_rules_decode(const cJSON *body, char **err);
void enrol_rules_free(struct enrol_rules *r);

/* What the desk's form holds; NULL or "" for an optional field left empty. */
struct enrol_form {
	const char *given_name, *family_name;
	const char *birth_date; /* YYYY-MM-DD */
	const char *postcode, *house_number, *suffix, *email, *phone;
	const char *branch;
	bool guardian;          /* send the guardian part */
	const char *guardian_name, *guardian_relation, *guardian_phone, *guardian_email;
	bool consent;
	const char *override_reason; /* non-NULL: override duplicate_member */
	bool adult;             /* an adult membership: no guardian part */
	const char *membership; /* adult: the category */
	bool id_checked;        /* adult: the desk saw an ID document */
};

/* Returns a new body for POST /memberships; free with cJSON_Delete. */
cJSON *enrol_body_new(const struct enrol_form *f);

struct enrol_result {
	char *card;
	char *category;
	struct civil_date expires_on;
	char *membership;     /* adult: the category, else NULL */
	long long fee_cents;  /* charged to the account (0 when not said) */
};

struct enrol_result *enrol_result_decode(const cJSON *body, char **err);
void enrol_result_free(struct enrol_result *r);

/* For a refusal of POST /memberships: the field it is about ("postcode",
 * "guardian.consent", ...) and the reason ("format", ...); either may be NULL. */
void enrol_refusal(const struct api_reply *reply, const char **field, const char **reason);
/* For duplicate_member: the cards it matched, as "card, card" (allocated), or NULL. */
char *enrol_duplicate_cards_dup(const struct api_reply *reply);

/* The typed calls (call.h). The callback owns what it gets (free it with
 * its _free), or gets NULL and f. Each returns the call's id (never 0) for
 * call_cancel. */
typedef void (*enrol_rules_fn)(void *ctx, struct enrol_rules *r, const struct call_failure *f);
unsigned enrol_rules_start(struct api *api, enrol_rules_fn done, void *ctx);

/* For a duplicate_member refusal, cards are the members it matched ("card,
 * card"), else NULL. */
typedef void (*enrol_send_fn)(void *ctx, struct enrol_result *r, const struct call_failure *f,
			      const char *cards);
/* Sends the enrolment f with retry's Idempotency-Key: the last try's when
 * f is the same, so that a child is never enrolled twice. */
unsigned enrol_send_start(struct api *api, const struct enrol_form *f, struct call_retry *retry,
			  enrol_send_fn done, void *ctx);

/* The welcome slip: the library's greeting, the name, the card number, until
 * when it is valid, and that it is free (youth) or the membership and its
 * fee (an adult's enrolment; a result without membership names none).
 * Returns a new slip. */
struct slip *enrol_slip_new(unsigned width, const char *branch_name, const char *given_name,
			    const char *family_name, const struct enrol_result *r,
			    struct civil_date today);

#endif
