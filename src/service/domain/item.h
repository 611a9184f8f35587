/* An item as the desk looks it up (balied(8), GET /items/{barcode}): its
 * title, state and place, its open loan, the holds waiting on its title,
 * when it was last checked in and its note; the note and its alert flag;
 * in-house use, counted in the anonymous statistics. Each function runs in
 * the caller's transaction. No JSON here (api/ep_items.c). */
#ifndef BALIED_ITEM_H
#define BALIED_ITEM_H

#include "service/domain/circulation.h"

#include <stdbool.h>
#include <time.h>

struct item_view {
	struct circ_item_rec item;
	/* What the desk said of it (lost, damaged, missing, claimed_returned,
	 * withdrawn) with its reason, else items.status and NULL. */
	char *status;
	char *status_reason;
	char due_on[CIRC_DATE_LEN];   /* of the open loan, or "" */
	char *borrower_card;          /* of the open loan, or NULL */
	char *borrower_name;          /* "given family", or NULL */
	unsigned holds_waiting;       /* waiting holds on the title or its copies */
	time_t last_checkin_at;       /* 0: never checked in since it was counted */
	char *note;                   /* or NULL */
	bool note_alert;
};

/* CIRC_OK, CIRC_ITEM_NOT_FOUND or CIRC_STORE_FAILED (logged). Free with
 * item_view_clear. */
enum circ_status item_view_find(struct store *store, const char *barcode,
				struct item_view *out);
void item_view_clear(struct item_view *v);

/* The item was checked in now: its last check-in. False (logged) when the
 * store fails. */
bool item_checked_in(const struct circ_ctx *ctx, long long item_id);

/* An item used in the library without a loan: one "in_house" count in
 * loan_stats for today, the desk's branch and the item's type (patron
 * category "none": no patron is involved). */
enum circ_status item_in_house(const struct circ_ctx *ctx, const char *barcode,
			       struct circ_item_rec *out);

/* True when code, scanned where an item was expected, is a patron's card:
 * one the store knows, or the shape of this library's cards (14 digits
 * with its card prefix and a valid Luhn digit). */
bool item_code_is_card(struct store *store, const struct rules *rules, const char *code);

enum { ITEM_NOTE_MAX = 500 };

/* The note of item_id when its alert flag is set (allocated), else NULL;
 * NULL too when the store fails (logged). */
char *item_alert_dup(struct store *store, long long item_id);

/* Sets the note of barcode (NULL or "" removes it) and its alert flag. */
enum circ_status item_note_set(struct store *store, const char *barcode, const char *note,
			       bool alert);

#endif
