/* A patron's details changed at the desk (patron_edit.h): each field is
 * checked by the same core/validate.h function the enrolment uses, and
 * stored in the form the enrolment stores it in. */
#include "service/domain/patron_edit.h"

#include "service/domain/audit.h"
#include "service/domain/membership.h"
#include "core/jsonx.h"
#include "core/log.h"
#include "core/validate.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Checks text and sets *out to what is stored (allocated). */
typedef enum validate_problem (*field_check_fn)(const char *text, char **out);

static enum validate_problem check_name(const char *text, char **out)
{
	enum validate_problem p = validate_name(text);
	if (p == VALIDATE_OK)
		*out = xstrdup(text);
	return p;
}

static enum validate_problem check_postcode(const char *text, char **out)
{
	char normal[VALIDATE_POSTCODE_LEN];
	enum validate_problem p = validate_postcode(text, normal);
	if (p == VALIDATE_OK)
		*out = xstrdup(normal);
	return p;
}

static enum validate_problem check_house_number(const char *text, char **out)
{
	long n;
	enum validate_problem p = validate_house_number(text, &n);
	if (p == VALIDATE_OK)
		*out = xasprintf("%ld", n);
	return p;
}

static enum validate_problem check_suffix(const char *text, char **out)
{
	char normal[VALIDATE_SUFFIX_MAX + 1];
	enum validate_problem p = validate_house_suffix_normal(text, normal);
	if (p == VALIDATE_OK)
		*out = xstrdup(normal);
	return p;
}

static enum validate_problem check_email(const char *text, char **out)
{
	enum validate_problem p = validate_email(text);
	if (p == VALIDATE_OK)
		*out = xstrdup(text);
	return p;
}

static enum validate_problem check_phone(const char *text, char **out)
{
	char national[VALIDATE_PHONE_LEN];
	enum validate_problem p = validate_phone(text, national);
	if (p == VALIDATE_OK)
		*out = xstrdup(national);
	return p;
}

/* The column's UPDATE is a literal of its own: store_stmt keeps statements
 * by the address of their text. */
static const struct {
	const char *name;
	field_check_fn check;
	bool optional;
	const char *update;
} fields[PATRON_FIELDS] = {
	[PATRON_GIVEN_NAME] = { "given_name", check_name, false,
				"UPDATE patrons SET given_name = ?2 WHERE id = ?1" },
	[PATRON_FAMILY_NAME] = { "family_name", check_name, false,
				 "UPDATE patrons SET family_name = ?2 WHERE id = ?1" },
	[PATRON_POSTCODE] = { "postcode", check_postcode, false,
			      "UPDATE patrons SET postcode = ?2 WHERE id = ?1" },
	[PATRON_HOUSE_NUMBER] = { "house_number", check_house_number, false,
				  "UPDATE patrons SET house_number = CAST(?2 AS INTEGER)"
				  " WHERE id = ?1" },
	[PATRON_HOUSE_NUMBER_SUFFIX] = { "house_number_suffix", check_suffix, true,
					 "UPDATE patrons SET house_number_suffix = ?2"
					 " WHERE id = ?1" },
	[PATRON_EMAIL] = { "email", check_email, true,
			   "UPDATE patrons SET email = ?2 WHERE id = ?1" },
	[PATRON_PHONE] = { "phone", check_phone, true,
			   "UPDATE patrons SET phone = ?2 WHERE id = ?1" },
};

const char *patron_field_name(enum patron_field f)
{
	return f < PATRON_FIELDS ? fields[f].name : "";
}

static bool field_of(const char *name, enum patron_field *f)
{
	for (unsigned i = 0; i < PATRON_FIELDS; i++) {
		if (strcmp(fields[i].name, name) == 0) {
			*f = (enum patron_field)i;
			return true;
		}
	}
	return false;
}

static bool refuse(const char **field, const char **reason, const char *f,
		   enum validate_problem p)
{
	*field = f;
	*reason = validate_problem_name(p);
	return false;
}

/* One field's member: a string (the house number a whole number too),
 * trimmed and checked; null or blank clears an optional field. */
static enum validate_problem read_field(const cJSON *item, enum patron_field f, char **out)
{
	*out = NULL;
	char *text = NULL;
	if (cJSON_IsNumber(item) && f == PATRON_HOUSE_NUMBER &&
	    item->valuedouble == (double)(long long)item->valuedouble)
		text = xasprintf("%lld", (long long)item->valuedouble);
	else if (cJSON_IsString(item))
		text = validate_trim_dup(item->valuestring);
	else if (!cJSON_IsNull(item))
		return VALIDATE_FORMAT;
	enum validate_problem p = VALIDATE_OK;
	if (!text || !*text)
		p = fields[f].optional ? VALIDATE_OK : VALIDATE_MISSING;
	else
		p = fields[f].check(text, out);
	free(text);
	return p;
}

static bool read_override(const cJSON *o, struct patron_edit *e, const char **field,
			  const char **reason)
{
	if (!cJSON_IsObject(o))
		return refuse(field, reason, "override", VALIDATE_FORMAT);
	const cJSON *blocks = jsonx_array(o, "blocks"), *b;
	cJSON_ArrayForEach(b, blocks) {
		if (!cJSON_IsString(b) || strcmp(b->valuestring, "duplicate_member") != 0)
			return refuse(field, reason, "override.blocks", VALIDATE_UNKNOWN);
		e->override_duplicate = true;
	}
	if (!e->override_duplicate)
		return refuse(field, reason, "override.blocks", VALIDATE_MISSING);
	const char *why = jsonx_string(o, "reason");
	e->override_reason = why ? validate_trim_dup(why) : NULL;
	if (!e->override_reason || !*e->override_reason)
		return refuse(field, reason, "override.reason", VALIDATE_MISSING);
	if (strlen(e->override_reason) > PATRON_EDIT_REASON_MAX)
		return refuse(field, reason, "override.reason", VALIDATE_TOO_LONG);
	return true;
}

bool patron_edit_read(const cJSON *body, struct patron_edit *e, const char **field,
		      const char **reason)
{
	*e = (struct patron_edit){ 0 };
	const cJSON *item;
	size_t n = 0;
	cJSON_ArrayForEach(item, body) {
		enum patron_field f;
		if (strcmp(item->string, "override") == 0) {
			if (!read_override(item, e, field, reason))
				return false;
			continue;
		}
		if (!field_of(item->string, &f))
			return refuse(field, reason, item->string, VALIDATE_UNKNOWN);
		enum validate_problem p = read_field(item, f, &e->value[f]);
		if (p != VALIDATE_OK)
			return refuse(field, reason, fields[f].name, p);
		e->given[f] = true;
		n++;
	}
	return n > 0 || refuse(field, reason, "fields", VALIDATE_MISSING);
}

void patron_edit_clear(struct patron_edit *e)
{
	for (unsigned i = 0; i < PATRON_FIELDS; i++)
		free(e->value[i]);
	free(e->override_reason);
	*e = (struct patron_edit){ 0 };
}

void patron_cards_free(char **cards)
{
	for (size_t i = 0; cards && cards[i]; i++)
		free(cards[i]);
	free(cards);
}

struct patron_key {
	long long id;
	char family[VALIDATE_NAME_MAX + 1];
	char birth[16];
	char postcode[VALIDATE_POSTCODE_LEN];
};

/* The patron's id and what the duplicate check compares; 1 found, 0 not, -1 failed. */
static int find_key(struct store *store, const char *card, struct patron_key *k)
{
	struct db_stmt *st = store_stmt(store, "SELECT id, family_name, birth_date, postcode"
					     " FROM patrons WHERE card = ?");
	db_bind_text(st, 1, card, -1);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		k->id = db_column_int64(st, 0);
		snprintf(k->family, sizeof k->family, "%s", db_column_text(st, 1));
		snprintf(k->birth, sizeof k->birth, "%s", db_column_text(st, 2));
		snprintf(k->postcode, sizeof k->postcode, "%s",
			 db_column_text(st, 3));
	} else if (rc != DB_DONE) {
		log_error("database: reading a patron: %s", store_errmsg(store));
	}
	store_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* The audit row: who and which fields; an override with why and whom it matched. */
static bool audit_edit(struct store *store, const struct session *who, time_t now,
		       const char *card, const struct patron_edit *e, char *const *duplicates)
{
	cJSON *details = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(details, "fields");
	for (unsigned i = 0; i < PATRON_FIELDS; i++)
		if (e->given[i])
			cJSON_AddItemToArray(list, cJSON_CreateString(fields[i].name));
	bool overridden = duplicates && duplicates[0];
	if (overridden) {
		cJSON *cards = cJSON_AddArrayToObject(details, "duplicate_of");
		for (size_t i = 0; duplicates[i]; i++)
			cJSON_AddItemToArray(cards, cJSON_CreateString(duplicates[i]));
	}
	char *text = jsonx_print_dup(details);
	cJSON_Delete(details);
	bool ok = audit_add(store, who, now, "patron_edit", card,
			    overridden ? e->override_reason : NULL, text);
	free(text);
	return ok;
}

enum patron_change_status patron_edit_apply(struct store *store, const char *card,
					    const struct patron_edit *e,
					    const struct session *who, time_t now,
					    char ***duplicates)
{
	*duplicates = NULL;
	struct patron_key k;
	int found = find_key(store, card, &k);
	if (found <= 0)
		return found < 0 ? PATRON_CHANGE_FAILED : PATRON_CHANGE_NOT_FOUND;
	if (e->given[PATRON_FAMILY_NAME])
		snprintf(k.family, sizeof k.family, "%s", e->value[PATRON_FAMILY_NAME]);
	if (e->given[PATRON_POSTCODE])
		snprintf(k.postcode, sizeof k.postcode, "%s", e->value[PATRON_POSTCODE]);
	if ((e->given[PATRON_FAMILY_NAME] || e->given[PATRON_POSTCODE])) {
		if (!membership_duplicates(store, k.family, k.birth, k.postcode, k.id, duplicates))
			return PATRON_CHANGE_FAILED;
		if ((*duplicates)[0] && !e->override_duplicate)
			return PATRON_CHANGE_DUPLICATE;
	}
	for (unsigned i = 0; i < PATRON_FIELDS; i++) {
		if (!e->given[i])
			continue;
		struct db_stmt *st = store_stmt(store, fields[i].update);
		db_bind_int64(st, 1, k.id);
		db_bind_text_or_null(st, 2, e->value[i]);
		if (!store_run(store, st, "changing a patron"))
			return PATRON_CHANGE_FAILED;
	}
	return audit_edit(store, who, now, card, e, *duplicates) ? PATRON_CHANGED
								  : PATRON_CHANGE_FAILED;
}

/* The patron's id by card; 1 found, 0 not, -1 failed. */
static int patron_id_of(struct store *store, const char *card, long long *id)
{
	struct db_stmt *st = store_stmt(store, "SELECT id FROM patrons WHERE card = ?");
	db_bind_text(st, 1, card, -1);
	int rc = db_step(st);
	*id = rc == DB_ROW ? db_column_int64(st, 0) : 0;
	if (rc != DB_ROW && rc != DB_DONE)
		log_error("database: reading a patron: %s", store_errmsg(store));
	store_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static enum patron_change_status found_status(int found)
{
	return found < 0 ? PATRON_CHANGE_FAILED : PATRON_CHANGE_NOT_FOUND;
}

enum patron_change_status patron_text_set(struct store *store, const char *card,
					  enum patron_text which, const char *text,
					  const struct session *who, time_t now)
{
	long long id;
	int found = patron_id_of(store, card, &id);
	if (found <= 0)
		return found_status(found);
	struct db_stmt *st = store_stmt(store, which == PATRON_STAFF_NOTE
		? "UPDATE patrons SET staff_note = ?2 WHERE id = ?1"
		: "UPDATE patrons SET message = ?2, message_shown_at = NULL WHERE id = ?1");
	db_bind_int64(st, 1, id);
	db_bind_text_or_null(st, 2, text && *text ? text : NULL);
	if (!store_run(store, st, "setting a patron's note"))
		return PATRON_CHANGE_FAILED;
	const char *details = text && *text ? "{\"cleared\":false}" : "{\"cleared\":true}";
	return audit_add(store, who, now, which == PATRON_STAFF_NOTE ? "patron_note"
								    : "patron_message",
			 card, NULL, details) ? PATRON_CHANGED : PATRON_CHANGE_FAILED;
}

bool patron_details_read(struct store *store, long long patron_id, struct patron_details *out)
{
	*out = (struct patron_details){ 0 };
	struct db_stmt *st = store_stmt(store,
		"SELECT postcode, house_number, house_number_suffix, email, phone, staff_note,"
		" message, message_shown_at FROM patrons WHERE id = ?");
	db_bind_int64(st, 1, patron_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		char **strings[] = { &out->postcode, &out->house_number, &out->suffix, &out->email,
				     &out->phone, &out->staff_note, &out->message };
		for (int i = 0; i < (int)(sizeof strings / sizeof strings[0]); i++)
			*strings[i] = db_column_dup(st, i);
		out->message_shown_at = (time_t)db_column_int64(st, 7);
	} else {
		log_error("database: reading a patron's details: %s",
			  store_errmsg(store));
	}
	store_done(st);
	return rc == DB_ROW;
}

void patron_details_clear(struct patron_details *d)
{
	free(d->postcode);
	free(d->house_number);
	free(d->suffix);
	free(d->email);
	free(d->phone);
	free(d->staff_note);
	free(d->message);
	*d = (struct patron_details){ 0 };
}

bool patron_message_take(struct store *store, long long patron_id, time_t now, char **message)
{
	*message = NULL;
	if (!store_begin(store))
		return false;
	struct db_stmt *st = store_stmt(store, "UPDATE patrons SET message_shown_at = ?2"
					     " WHERE id = ?1 AND message IS NOT NULL"
					     " AND message_shown_at IS NULL RETURNING message");
	db_bind_int64(st, 1, patron_id);
	db_bind_int64(st, 2, (long long)now);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*message = db_column_dup(st, 0);
		rc = db_step(st);
	}
	store_done(st);
	if (rc != DB_DONE || !store_commit(store)) {
		log_error("database: marking a message shown: %s", store_errmsg(store));
		store_rollback(store);
		free(*message);
		*message = NULL;
		return false;
	}
	return true;
}

enum patron_change_status patron_block_set(struct store *store, const char *card, bool block,
					   const char *reason, const struct session *who,
					   time_t now)
{
	long long id;
	int found = patron_id_of(store, card, &id);
	if (found <= 0)
		return found_status(found);
	struct db_stmt *st = store_stmt(store, "UPDATE patrons SET manual_block = ?2 WHERE id = ?1");
	db_bind_int64(st, 1, id);
	db_bind_text_or_null(st, 2, block ? reason : NULL);
	if (!store_run(store, st, "setting a block"))
		return PATRON_CHANGE_FAILED;
	return audit_add(store, who, now, block ? "manual_block" : "manual_unblock", card, reason,
			 NULL) ? PATRON_CHANGED : PATRON_CHANGE_FAILED;
}

enum patron_change_status patron_history_set(struct store *store, const char *card, bool keep,
					     const struct session *who, time_t now,
					     unsigned *erased)
{
	*erased = 0;
	long long id;
	int found = patron_id_of(store, card, &id);
	if (found <= 0)
		return found_status(found);
	struct db_stmt *st = store_stmt(store, "UPDATE patrons SET keep_history = ?2 WHERE id = ?1");
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, keep);
	if (!store_run(store, st, "setting the reading history"))
		return PATRON_CHANGE_FAILED;
	if (!keep) {
		st = store_stmt(store, "DELETE FROM loans WHERE patron_id = ?"
				       " AND returned_at IS NOT NULL");
		db_bind_int64(st, 1, id);
		if (!store_run(store, st, "erasing a reading history"))
			return PATRON_CHANGE_FAILED;
		*erased = (unsigned)store_changes(store);
	}
	char details[64];
	snprintf(details, sizeof details, "{\"keep\":%s,\"erased\":%u}", keep ? "true" : "false",
		 *erased);
	return audit_add(store, who, now, "reading_history", card, NULL, details)
		? PATRON_CHANGED : PATRON_CHANGE_FAILED;
}

bool patron_each_past_loan(struct store *store, long long patron_id, size_t max,
			   patron_past_loan_fn fn, void *ctx)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT i.barcode, t.title, t.author, l.loaned_at, l.returned_at"
		" FROM loans l JOIN items i ON i.id = l.item_id JOIN titles t ON t.id = i.title_id"
		" WHERE l.patron_id = ? AND l.returned_at IS NOT NULL"
		" ORDER BY l.returned_at DESC, l.id DESC LIMIT ?");
	db_bind_int64(st, 1, patron_id);
	db_bind_int64(st, 2, (long long)max);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct patron_past_loan l = {
			.item_barcode = db_column_text(st, 0),
			.title = db_column_text(st, 1),
			.author = db_column_text(st, 2),
			.loaned_at = (time_t)db_column_int64(st, 3),
			.returned_at = (time_t)db_column_int64(st, 4),
		};
		fn(ctx, &l);
	}
	store_done(st);
	if (rc != DB_DONE)
		log_error("database: reading a history: %s", store_errmsg(store));
	return rc == DB_DONE;
}
