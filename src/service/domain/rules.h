/* The library's rules (balied-rules(5)): loan periods, limits, fines and the
 * youth membership, read once at start from the rules file. Every value has
 * the default of DESIGN.md section 3, so a missing file key keeps it. */
#ifndef BALIED_RULES_H
#define BALIED_RULES_H

#include <stdbool.h>
#include <stddef.h>

enum rules_youth_at_18 {
	RULES_YOUTH_TO_ADULT, /* the membership becomes an adult one */
	RULES_YOUTH_END,      /* the membership ends */
};

enum {
	RULES_MAX_TYPES = 32,     /* item types with their own loan period */
	RULES_TYPE_LEN = 33,      /* an item type code and its NUL */
	RULES_PREFIX_MAX = 9,     /* digits of card_prefix; a card is 14 digits */
	RULES_MAX_MEMBERSHIPS = 16, /* adult membership categories */
};

/* An adult membership category and its yearly fee (cents). */
struct rules_membership {
	char name[RULES_TYPE_LEN]; /* e.g. "basis"; the codes of item types' form */
	unsigned fee_cents;
};

struct rules_loan_period {
	char type[RULES_TYPE_LEN]; /* item type code, e.g. "book" */
	unsigned days;
};

struct rules_cost {
	char type[RULES_TYPE_LEN]; /* item type code */
	unsigned cents;
};

struct rules {
	/* Loan periods in days per item type, and for a type not listed. */
	struct rules_loan_period periods[RULES_MAX_TYPES];
	size_t n_periods;
	unsigned loan_days_default;
	unsigned max_loans_adult;
	unsigned max_loans_youth;
	unsigned max_renewals;
	/* Money in cents. A fine runs per day overdue per item, up to the cap. */
	unsigned fine_per_day_adult;
	unsigned fine_cap_adult;
	unsigned fine_per_day_youth;
	unsigned fine_cap_youth;
	/* Unpaid fines above this block loans (fines_over_limit). */
	unsigned fine_block_limit;
	/* Open days of the pickup branch a held item waits on the hold shelf. */
	unsigned hold_pickup_days;
	/* Open holds a patron may have, and the fee of placing one (cents). */
	unsigned hold_limit_adult;
	unsigned hold_limit_youth;
	unsigned hold_fee_adult_cents;
	unsigned hold_fee_youth_cents;
	/* Youth membership: under this age a parent or guardian is recorded (14-16). */
	unsigned guardian_age;
	enum rules_youth_at_18 youth_at_18;
	/* A youth membership that would run fewer days than this is short: the
	 * desk warns before it sends (0: never). */
	unsigned youth_short_days;
	/* Months after a membership ended (its expiry date) that the patron's
	 * data are kept; then "balied patrons retention" erases them. */
	unsigned retention_months;
	/* The first digits of every new card number. */
	char card_prefix[RULES_PREFIX_MAX + 1];
	/* Adult membership categories, in the order of the file (or the
	 * defaults when the file names none). */
	struct rules_membership memberships[RULES_MAX_MEMBERSHIPS];
	size_t n_memberships;
	bool memberships_from_file; /* the first membership_fee_ line dropped the defaults */
	/* A membership may be renewed from this many days before it expires. */
	unsigned membership_renewal_days;
	/* The fee of a replacement card (cents). */
	unsigned replacement_card_fee_adult;
	unsigned replacement_card_fee_youth;
	/* What a lost item costs its borrower, in cents, per item type, and
	 * for a type not listed. */
	struct rules_cost costs[RULES_MAX_TYPES];
	size_t n_costs;
	unsigned replacement_cost_default;
	/* A lost item found again: its lost-item charge is cancelled and what
	 * was paid of it refunded. */
	bool lost_item_refund;
	/* Patrons with more claimed returns than this are flagged. */
	unsigned claims_returned_limit;
	/* Fines count only the days the branch is open (its weekdays and
	 * closed days), as due dates skip closed days. */
	bool fines_skip_closed_days;
};

/* Fills r with the defaults: book 21 days, audiovisual 7, magazine 14, game
 * 21, others 21; 25 loans for adults, 15 for youth; 2 renewals; adults 0.25
 * a day up to 5.00 an item, youth nothing; a block above 10.00; 7 days on
 * the hold shelf; 15 holds for adults and youth, a fee of 1.00 for adults and
 * none for youth; guardian under 16; youth_at_18 adult; a youth membership
 * under 30 days is short; data kept 24 months after the membership
 * ended; card_prefix 21000; adult memberships basis 25.00, plus 45.00 and
 * 65plus 20.00 a year, renewable from 30 days before expiry; a replacement
 * card 2.50 for adults and nothing for youth; replacement costs book 25.00,
 * audiovisual 30.00, magazine 5.00, game 40.00, others 25.00; a found lost
 * item's charge refunded; more than 3 claimed returns flag a patron; fines
 * skip the days the branch is closed. */
void rules_init(struct rules *r);

/*
 * Reads a rules file over r. On failure returns false and sets *err
 * (allocated, translated, "FILE:LINE: key: reason"). r may then be half set:
 * start again from rules_init.
 */
bool rules_read_file(struct rules *r, const char *path, char **err);
/* The same for text in memory; name stands for the file in errors. */
bool rules_read_text(struct rules *r, const char *name, const char *text, char **err);

/* Sets one key as the file would; on failure sets *reason (allocated,
 * translated, naming the key). */
bool rules_set(struct rules *r, const char *key, const char *value, char **reason);

/* The replacement cost in cents of an item type. */
unsigned rules_replacement_cost(const struct rules *r, const char *item_type);

/* The loan period in days of an item type. */
unsigned rules_loan_days(const struct rules *r, const char *item_type);

/* The per-day fine and the cap per item for a patron category
 * ("youth" or "adult"). */
unsigned rules_fine_per_day(const struct rules *r, const char *category);
unsigned rules_fine_cap(const struct rules *r, const char *category);
/* The loan limit of a patron category. */
unsigned rules_max_loans(const struct rules *r, const char *category);
/* The open holds limit and the hold fee (cents) of a patron category. */
unsigned rules_hold_limit(const struct rules *r, const char *category);
unsigned rules_hold_fee(const struct rules *r, const char *category);
/* The fee of a replacement card (cents) of a patron category. */
unsigned rules_replacement_card_fee(const struct rules *r, const char *category);
/* The adult membership category of that name, or NULL. */
const struct rules_membership *rules_membership_find(const struct rules *r, const char *name);

#endif
