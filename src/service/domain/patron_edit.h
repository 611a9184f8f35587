/* Changing a patron at the desk: the name, address and contact details
 * (checked as at enrolment, core/validate.h), the staff note and the message
 * for the patron, a block by hand, and the reading-history choice, each
 * with its audit row. The functions run in the caller's transaction (the
 * Idempotency-Key's) unless they say otherwise. */
#ifndef BALIED_PATRON_EDIT_H
#define BALIED_PATRON_EDIT_H

#include "service/domain/session.h"
#include "service/store/store.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* The fields an edit may change, in the order of the enrolment form. */
enum patron_field {
	PATRON_GIVEN_NAME,
	PATRON_FAMILY_NAME,
	PATRON_POSTCODE,
	PATRON_HOUSE_NUMBER,
	PATRON_HOUSE_NUMBER_SUFFIX,
	PATRON_EMAIL,
	PATRON_PHONE,
	PATRON_FIELDS
};

enum { PATRON_EDIT_REASON_MAX = 500, PATRON_NOTE_MAX = 280, PATRON_BLOCK_REASON_MAX = 200 };

/* An edit as checked: each field given has its value in the stored form
 * (NULL clears an optional one). Free with patron_edit_clear. */
struct patron_edit {
	bool given[PATRON_FIELDS];
	char *value[PATRON_FIELDS];
	bool override_duplicate;
	char *override_reason;
};

/* The body member and the stored column of a field ("house_number_suffix"). */
const char *patron_field_name(enum patron_field f);

/*
 * Reads and checks an edit body: any of the fields (absent: unchanged;
 * null or "" clears house_number_suffix, email and phone), and optionally
 * "override":{"blocks":["duplicate_member"],"reason"}. Nothing else.
 * False with *field and *reason (validate.h's names, "unknown" for a member
 * that is no field, "missing" for a body without any) set on a refusal;
 * e needs clearing all the same.
 */
bool patron_edit_read(const cJSON *body, struct patron_edit *e, const char **field,
		      const char **reason);
void patron_edit_clear(struct patron_edit *e);

enum patron_change_status {
	PATRON_CHANGED,
	PATRON_CHANGE_NOT_FOUND,
	PATRON_CHANGE_DUPLICATE,   /* *duplicates names them; nothing stored */
	PATRON_CHANGE_FAILED,      /* logged */
};

/*
 * Applies e to the patron with card: the duplicate check of enrolment (the
 * same family name ignoring case, date of birth and postcode as another
 * member; passed with e->override_duplicate), the changes, and an audit row
 * "patron_edit" naming who and the fields changed, never their old or new
 * values. *duplicates (NULL-terminated, free with patron_cards_free) is set
 * for PATRON_CHANGE_DUPLICATE and for an override that passed one.
 */
enum patron_change_status patron_edit_apply(struct store *store, const char *card,
					    const struct patron_edit *e,
					    const struct session *who, time_t now,
					    char ***duplicates);
void patron_cards_free(char **cards);

enum patron_text { PATRON_STAFF_NOTE, PATRON_MESSAGE };

/* Sets (text NULL: clears) the staff note or the message for the patron;
 * a new message is shown at the next check-out again. Audited without the
 * text ("patron_note" or "patron_message"). */
enum patron_change_status patron_text_set(struct store *store, const char *card,
					  enum patron_text which, const char *text,
					  const struct session *who, time_t now);

/* What the patron screen shows beyond circ_patron_rec: the address,
 * contact details, staff note, message and when it was shown (0: not
 * yet). Strings allocated, NULL for none. */
struct patron_details {
	char *postcode, *house_number, *suffix, *email, *phone;
	char *staff_note, *message;
	time_t message_shown_at;
};
bool patron_details_read(struct store *store, long long patron_id, struct patron_details *out);
void patron_details_clear(struct patron_details *d);

/* The message for the patron if it was not shown yet, marking it shown now,
 * in a transaction of its own: *message allocated, or NULL for none. False
 * when the store fails (logged). */
bool patron_message_take(struct store *store, long long patron_id, time_t now, char **message);

/* Sets a block by hand with its reason (a new reason replaces the old),
 * or lifts it (block false); audited "manual_block" or "manual_unblock"
 * with the reason. */
enum patron_change_status patron_block_set(struct store *store, const char *card, bool block,
					   const char *reason, const struct session *who,
					   time_t now);

/* The patron's choice to keep a reading history; turning it off erases the
 * returned loans kept (*erased says how many). Audited "reading_history". */
enum patron_change_status patron_history_set(struct store *store, const char *card, bool keep,
					     const struct session *who, time_t now,
					     unsigned *erased);

/* A returned loan kept in the reading history. */
struct patron_past_loan {
	const char *item_barcode, *title, *author;
	time_t loaned_at, returned_at;
};
typedef void (*patron_past_loan_fn)(void *ctx, const struct patron_past_loan *loan);
/* Calls fn for at most max kept loans of the patron, the last returned first. */
bool patron_each_past_loan(struct store *store, long long patron_id, size_t max,
			   patron_past_loan_fn fn, void *ctx);

#endif
