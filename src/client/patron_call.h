/* The desk's calls that change a patron (balied(8): PATCH /patrons/{card},
 * its note, message, block, reading history, and erasure) and read the
 * kept reading history, as typed calls through the scan queue, so that
 * they keep their place among the scans. None is journaled: they need the
 * service, and offline the failure says so (API_UNREACHABLE). */
#ifndef BALIE_PATRON_CALL_H
#define BALIE_PATRON_CALL_H

#include "client/call.h"
#include "client/scanq.h"

#include <stdbool.h>
#include <stddef.h>

/* The fields of an edit, in the order of the enrolment form. */
enum patron_call_field {
	PATRON_CALL_GIVEN_NAME,
	PATRON_CALL_FAMILY_NAME,
	PATRON_CALL_POSTCODE,
	PATRON_CALL_HOUSE_NUMBER,
	PATRON_CALL_SUFFIX,
	PATRON_CALL_EMAIL,
	PATRON_CALL_PHONE,
	PATRON_CALL_FIELDS
};

/* The body member of a field ("house_number_suffix"). */
const char *patron_call_field_name(enum patron_call_field f);

/* A change done: f NULL; else why not (valid during the call only). */
typedef void (*patron_call_fn)(void *ctx, unsigned tag, const struct call_failure *f);

/* Sends the fields of value that are not NULL ("" clears an optional one). */
void patron_call_edit_start(struct scanq *q, const char *card,
			    const char *const value[PATRON_CALL_FIELDS], patron_call_fn done,
			    void *ctx, unsigned tag);
/* Sets the staff note (message false) or the message for the patron; ""
 * clears it. */
void patron_call_text_start(struct scanq *q, const char *card, bool message, const char *text,
			    patron_call_fn done, void *ctx, unsigned tag);
/* Blocks the patron by hand (block true) or lifts the block, with reason. */
void patron_call_block_start(struct scanq *q, const char *card, bool block, const char *reason,
			     patron_call_fn done, void *ctx, unsigned tag);
/* The patron's choice to keep a reading history. */
void patron_call_keep_history_start(struct scanq *q, const char *card, bool keep,
				    patron_call_fn done, void *ctx, unsigned tag);
/* Erases the patron's data (administration only). */
void patron_call_erase_start(struct scanq *q, const char *card, patron_call_fn done, void *ctx,
			     unsigned tag);

/* A returned loan of the kept reading history; strings owned. */
struct patron_call_past {
	char *item_barcode, *title, *returned_on; /* returned_on YYYY-MM-DD, or "" */
};
struct patron_call_history {
	struct patron_call_past *loans; /* the last returned first */
	size_t n;
};
/* The answer of GET /patrons/{card}/history; NULL and *err for another. */
struct patron_call_history *patron_call_history_decode(const cJSON *body, char **err);
void patron_call_history_free(struct patron_call_history *h);

/* The callback owns h (or gets NULL and f). */
typedef void (*patron_history_fn)(void *ctx, unsigned tag, struct patron_call_history *h,
				  const struct call_failure *f);
void patron_call_history_start(struct scanq *q, const char *card, patron_history_fn done,
			       void *ctx, unsigned tag);

#endif
