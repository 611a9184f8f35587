/* The bodies of circulation (DESIGN.md section 2): GET /patrons/{card},
 * GET /patrons?q=&birth_date=, POST /checkouts, POST /checkins and POST
 * /renewals, as plain structs. Every string is owned and was sanitised when
 * the reply arrived (api.c). A decoder refuses a body with a missing or
 * mistyped required field: it returns NULL and sets *err (allocated,
 * English, for the log); optional fields become "" or 0. */
#ifndef BALIE_CIRC_H
#define BALIE_CIRC_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* The longest barcode or card number a desk accepts from a scanner. */
enum { CIRC_BARCODE_MAX = 32 };

struct circ_loan {
	char *item_barcode;
	char *title;
	char *author;  /* "" when not given */
	char *due_on;  /* YYYY-MM-DD */
	bool overdue;
	/* Of the answer of a POST /checkouts or /renewals (circ_loan_decode);
	 * false and 0 in a patron's list. */
	bool returned_first;           /* it was on loan to another patron, checked in first */
	long long returned_fine_cents; /* what that return cost the other patron */
	bool unchanged;                /* a renewal that moved nothing: renewed already */
	long long fine_cents;          /* a renewal: charged for the days overdue */
};

struct circ_hold {
	char *item_barcode; /* "" when not given */
	char *title;        /* "" when not given */
	char *pickup_by;    /* YYYY-MM-DD, or "" */
	char *branch;       /* the pickup branch's code, or "" */
	char *status;       /* waiting, in_transit, ready or expired; "" when not given */
	char *id;           /* the hold's id (to cancel it), or "" */
	long long place;    /* waiting: its place in the queue (1 first); else 0 */
};

struct circ_patron {
	char *card;
	char *name;
	char *category;     /* "youth" or "adult" */
	char *home_branch;
	char *expires_on;   /* YYYY-MM-DD */
	char **blocks;      /* codes: card_expired, fines_over_limit, ... */
	size_t n_blocks;
	struct circ_loan *loans;
	size_t n_loans;
	struct circ_hold *holds_ready;
	size_t n_holds_ready;
	struct circ_hold *holds; /* every open hold, waiting ones too, then the
				  * lately expired ones */
	size_t n_holds;
	char *manual_block;      /* the reason of a block by hand, or NULL */
	long long fines_cents;   /* the open balance of the account */
	long long accruing_fines_cents; /* on overdue loans, not charged; 0 when not said */
};

struct circ_patron *circ_patron_decode(const cJSON *body, char **err);
void circ_patron_free(struct circ_patron *p);
/* The item was just lent to the patron: its hold is fulfilled, so it leaves
 * the holds of p. True when there was one. */
bool circ_patron_hold_fulfilled(struct circ_patron *p, const char *item_barcode);

struct circ_found {
	char *card;
	char *name;
	char *birth_date; /* YYYY-MM-DD, or "" */
	char *category;   /* or "" */
};

struct circ_search {
	struct circ_found *items;
	size_t n;
};

/* The answer of GET /patrons?q=: {"patrons":[...]} (a bare list is taken too). */
struct circ_search *circ_search_decode(const cJSON *body, char **err);
void circ_search_free(struct circ_search *s);

/* The "loan" of a POST /checkouts or /renewals answer. */
struct circ_loan *circ_loan_decode(const cJSON *body, char **err);
void circ_loan_free(struct circ_loan *l);

enum circ_route { CIRC_SHELVE, CIRC_HOLD_SHELF, CIRC_TRANSIT };

struct circ_checkin {
	char *barcode;
	char *title;
	long long fine_cents;
	enum circ_route route;
	char *branch;   /* hold_shelf: the pickup branch; transit: where to; or "" */
	char *hold_for; /* hold_shelf: the patron's initials; or "" */
	char *pickup_by;/* hold_shelf: the last day to fetch it (YYYY-MM-DD); or "" */
	bool found;     /* it was missing and is available again */
	bool again;     /* checked in here already: nothing changed, nothing to count */
};

struct circ_checkin *circ_checkin_decode(const cJSON *body, char **err);
void circ_checkin_free(struct circ_checkin *c);

/* Returns new bodies; free with cJSON_Delete. For a checkout, blocks (n of
 * them) and reason make the override; blocks NULL for none. */
cJSON *circ_checkout_body_new(const char *card, const char *barcode, const char *const *blocks,
			      size_t n_blocks, const char *reason);
cJSON *circ_item_body_new(const char *barcode);
/* A renewal; blocks (n of them) and reason make the override, blocks NULL for none. */
cJSON *circ_renewal_body_new(const char *barcode, const char *const *blocks, size_t n_blocks,
			     const char *reason);

/* The path of GET /patrons/{card} and of the search, newly allocated and
 * escaped; birth_date (YYYY-MM-DD) may be NULL. */
char *circ_patron_path_dup(const char *card);
/* s escaped for a path or a query (RFC 3986), newly allocated. */
char *circ_escape_dup(const char *s);
char *circ_search_path_dup(const char *q, const char *birth_date);

/* The blocks named in a patron_blocked refusal's details ("blocks"), as a
 * new list of n codes (free each and the list), or NULL with *n 0. */
char **circ_refusal_blocks_dup(const cJSON *details, size_t *n);

/* The desk's words for a block code, translated; the code itself when new. */
const char *circ_block_text(const char *code);
/* "BLOCKED: fines over the limit, blocked by the library: Pas als gestolen
 * gemeld": the patron's blocks in the desk's words, with the reason of a
 * block by hand; allocated, NULL when there is none. */
char *circ_blocks_line_dup(const struct circ_patron *p);
/* The hold's state in the desk's words, with the pickup branch's name:
 * "ready in Zuid (until 05-12-2026)", "on its way to Zuid", "waiting (pickup
 * Zuid)"; allocated. */
char *circ_hold_state_dup(const struct circ_hold *h, const char *branch_name,
			  const char *pickup_by_shown);

/* True for what a scanner can send as a barcode or card: 1 to
 * CIRC_BARCODE_MAX characters, each an ASCII letter, digit, '-', '.', '/',
 * '+', '$', '%' or space inside. */
bool circ_barcode_plausible(const char *s);
/* Why s is not plausible, translated (too long; a space at either end; a
 * character a scanner does not send), or NULL when it is. */
const char *circ_barcode_problem(const char *s);

/* Euro cents as the desk writes money: "€ 12,50". */
void circ_money(long long cents, char out[32]);

#endif
