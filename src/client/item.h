/* The desk's item calls (balied(8)): the look-up of an item by barcode
 * (GET /items/{barcode}) and in-house use (POST /inhouse), as typed calls
 * through the desk's scan queue (client/scanq.h), so that they keep the
 * order of the scans. Every string is owned and was sanitised when the
 * reply arrived (api.c); optional fields are "" or 0. */
#ifndef BALIE_ITEM_H
#define BALIE_ITEM_H

#include "client/call.h"
#include "client/scanq.h"

#include <cjson/cJSON.h>
#include <stdbool.h>

struct item_info {
	char *barcode, *title, *author, *item_type;
	char *status;          /* available, on_loan, ..., lost, claimed_returned, ... */
	char *status_reason;   /* "" when none */
	char *home_branch, *current_branch;
	char *due_on;          /* YYYY-MM-DD while on loan, else "" */
	char *borrower_card;   /* "" when not on loan or not shown to this role */
	char *borrower_name;
	long long holds_waiting;
	char *last_checkin_on; /* YYYY-MM-DD, or "" */
	char *note;            /* "" when none */
	bool note_alert;
};

/* The answer of GET /items/{barcode}, or of POST /inhouse (its "item":
 * barcode, title and item_type only). NULL with *err (allocated, English)
 * when a required field is missing. */
struct item_info *item_info_decode(const cJSON *body, char **err);
void item_info_free(struct item_info *i);

/* The callbacks get the answer to keep (free it with item_info_free) or
 * NULL and the failure, valid during the call; tag is the caller's. */
typedef void (*item_info_fn)(void *ctx, unsigned tag, struct item_info *i,
			     const struct call_failure *f);

/* Looks item barcode up. */
void item_show_start(struct scanq *q, const char *barcode, item_info_fn done, void *ctx,
		     unsigned tag);
/* Counts one in-house use of item barcode; the answer has the item's title. */
void item_in_house_start(struct scanq *q, const char *barcode, item_info_fn done, void *ctx,
			 unsigned tag);

/* The answer of POST /items/{barcode}/status. */
struct item_status_answer {
	char *status;              /* the status set */
	bool loan_ended;
	char *patron_card;         /* the patron concerned, or "" */
	long long charge_cents;    /* 0: no charge */
	long long claims_returned; /* claimed_returned: the patron's claims now */
	bool claims_over_limit;
};
struct item_status_answer *item_status_answer_decode(const cJSON *body, char **err);
void item_status_answer_free(struct item_status_answer *a);
typedef void (*item_status_fn)(void *ctx, unsigned tag, struct item_status_answer *a,
			       const struct call_failure *f);
/* Sets the status of item barcode (lost, damaged, missing,
 * claimed_returned, withdrawn or available) with the desk's reason. */
void item_status_start(struct scanq *q, const char *barcode, const char *status,
		       const char *reason, item_status_fn done, void *ctx, unsigned tag);

/* The answer of PATCH /loans/{barcode}: the new due date and the one before. */
struct item_due_answer {
	char *due_on, *was; /* YYYY-MM-DD */
};
struct item_due_answer *item_due_answer_decode(const cJSON *body, char **err);
void item_due_answer_free(struct item_due_answer *a);
typedef void (*item_due_fn)(void *ctx, unsigned tag, struct item_due_answer *a,
			    const struct call_failure *f);
/* Sets the due date of the loan of item barcode to due_on (YYYY-MM-DD) with
 * the desk's reason (may be ""). */
void item_due_start(struct scanq *q, const char *barcode, const char *due_on, const char *reason,
		    item_due_fn done, void *ctx, unsigned tag);

/* The desk's words for an item status code, translated; the code itself
 * when new. */
const char *item_status_text(const char *code);

#endif
