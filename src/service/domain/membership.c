/* The youth membership in the store: card numbers, the new member, and the
 * 18th-birthday rule. Enrolments run inside the Idempotency-Key's
 * transaction; writers take turns (store.h), so two desks enrolling at the
 * same moment never get the same card number. */
#include "service/domain/membership.h"

#include "service/domain/account.h"
#include "service/domain/audit.h"
#include "core/jsonx.h"
#include "core/log.h"
#include "core/luhn.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void make_card(const char *prefix, long long seq, char card[MEMBERSHIP_CARD_LEN])
{
	/* The sequence's digits from the right, zero-padded up to the prefix. */
	size_t plen = strlen(prefix);
	memcpy(card, prefix, plen);
	for (size_t i = 13; i > plen; i--) {
		card[i - 1] = (char)('0' + seq % 10);
		seq /= 10;
	}
	card[13] = '\0';
	card[13] = luhn_digit(card);
	card[14] = '\0';
}

static int card_taken(struct store *store, const char *card)
{
	/* A replaced card is never given again either. */
	struct db_stmt *st = store_stmt(store, "SELECT 1 FROM patrons WHERE card = ?1"
					     " UNION ALL SELECT 1 FROM replaced_cards WHERE card = ?1");
	db_bind_text(st, 1, card, -1);
	int rc = db_step(st);
	store_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* Where a prefix's sequence starts the first time: after the highest card
 * of that prefix already in the database (the demo data, an import). */
static bool first_sequence(struct store *store, const char *prefix, long long *next)
{
	size_t plen = strlen(prefix);
	struct db_stmt *st = store_stmt(store,
		"SELECT max(CAST(substr(card, ?1 + 1, 13 - ?1) AS INTEGER)) FROM patrons"
		" WHERE substr(card, 1, ?1) = ?2");
	db_bind_int64(st, 1, (int)plen);
	db_bind_text(st, 2, prefix, -1);
	int rc = db_step(st);
	*next = rc == DB_ROW ? db_column_int64(st, 0) + 1 : 1;
	store_done(st);
	if (rc != DB_ROW)
		log_error("database: reading card numbers: %s", store_errmsg(store));
	return rc == DB_ROW;
}

int membership_next_card(struct store *store, const char *prefix, char card[MEMBERSHIP_CARD_LEN])
{
	size_t plen = strlen(prefix);
	if (plen < 1 || plen > 12 || strspn(prefix, "0123456789") != plen) {
		log_error("card_prefix \"%s\" is not 1-12 digits", prefix);
		return 0;
	}
	long long limit = 1;
	for (size_t i = plen; i < 13; i++)
		limit *= 10;
	long long next = 0;
	struct db_stmt *st = store_stmt(store, "SELECT next FROM card_sequences WHERE prefix = ?");
	db_bind_text(st, 1, prefix, -1);
	int rc = db_step(st);
	if (rc == DB_ROW)
		next = db_column_int64(st, 0);
	store_done(st);
	if (rc != DB_ROW && (rc != DB_DONE || !first_sequence(store, prefix, &next)))
		return -1;
	int taken;
	/* A number someone put in by hand is stepped over, never given twice. */
	for (;;) {
		if (next < 1 || next >= limit) {
			log_error("card numbers with prefix %s are used up", prefix);
			return 0;
		}
		make_card(prefix, next, card);
		if ((taken = card_taken(store, card)) < 0)
			return -1;
		if (!taken)
			break;
		next++;
	}
	st = store_stmt(store, "INSERT INTO card_sequences (prefix, next) VALUES (?, ?)"
			       " ON CONFLICT (prefix) DO UPDATE SET next = excluded.next");
	db_bind_text(st, 1, prefix, -1);
	db_bind_int64(st, 2, next + 1);
	return store_run(store, st, "card sequence") ? 1 : -1;
}

static bool branch_exists(struct store *store, const char *code, bool *exists)
{
	struct db_stmt *st = store_stmt(store, "SELECT 1 FROM branches WHERE code = ?");
	db_bind_text(st, 1, code, -1);
	int rc = db_step(st);
	*exists = rc == DB_ROW;
	store_done(st);
	return rc == DB_ROW || rc == DB_DONE;
}

bool membership_duplicates(struct store *store, const char *family_name, const char *birth_iso,
			   const char *postcode, long long exclude_id, char ***out)
{
	enum { MAX_SHOWN = 5 };
	*out = xcalloc(MAX_SHOWN + 1, sizeof **out);
	struct db_stmt *st = store_stmt(store,
		"SELECT card FROM patrons WHERE birth_date = ? AND postcode = ?"
		" AND lower(family_name) = lower(?) AND id != ? ORDER BY card LIMIT 5");
	db_bind_text(st, 1, birth_iso, -1);
	db_bind_text(st, 2, postcode, -1);
	db_bind_text(st, 3, family_name, -1);
	db_bind_int64(st, 4, exclude_id);
	size_t n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && n < MAX_SHOWN)
		(*out)[n++] = xstrdup(db_column_text(st, 0));
	store_done(st);
	if (rc != DB_DONE && rc != DB_ROW)
		log_error("database: duplicate check: %s", store_errmsg(store));
	return rc == DB_DONE || rc == DB_ROW;
}

static bool insert_patron(struct store *store, const struct membership_request *req,
			  const char *card, const char *today, const char *expires, long long *id)
{
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO patrons (card, given_name, family_name, birth_date, postcode,"
		" house_number, house_number_suffix, email, phone, category, home_branch,"
		" enrolled_on, expires_on, membership)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	db_bind_text(st, 1, card, -1);
	db_bind_text(st, 2, req->given_name, -1);
	db_bind_text(st, 3, req->family_name, -1);
	db_bind_text(st, 4, req->birth_iso, -1);
	db_bind_text(st, 5, req->postcode, -1);
	db_bind_int64(st, 6, req->house_number);
	db_bind_text_or_null(st, 7, req->suffix);
	db_bind_text_or_null(st, 8, req->email);
	db_bind_text_or_null(st, 9, req->phone);
	db_bind_text(st, 10, req->adult ? "adult" : "youth", -1);
	db_bind_text(st, 11, req->branch, -1);
	db_bind_text(st, 12, today, -1);
	db_bind_text(st, 13, expires, -1);
	db_bind_text_or_null(st, 14, req->adult ? req->membership : NULL);
	if (!store_run(store, st, "adding a member"))
		return false;
	*id = store_last_id(store);
	return true;
}

static bool insert_guardian(struct store *store, const struct membership_guardian *g,
			    long long patron, time_t now)
{
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO guardians (patron_id, name, relation, phone, email, consent_at)"
		" VALUES (?, ?, ?, ?, ?, ?)");
	db_bind_int64(st, 1, patron);
	db_bind_text(st, 2, g->name, -1);
	db_bind_text(st, 3, g->relation, -1);
	db_bind_text_or_null(st, 4, g->phone);
	db_bind_text_or_null(st, 5, g->email);
	db_bind_int64(st, 6, (long long)now);
	return store_run(store, st, "adding a guardian");
}

/* The audit row: who enrolled whom; an override with its reason and the
 * members it was checked against. */
static bool audit_enrolment(struct store *store, const struct session *who, time_t now,
			    const struct membership_request *req, const char *card,
			    char *const *duplicates)
{
	if (!req->override_duplicate || !duplicates || !duplicates[0]) {
		if (!req->adult)
			return audit_add(store, who, now, "membership_enrol", card, NULL, NULL);
		char *d = xasprintf("{\"kind\":\"adult\",\"membership\":\"%s\","
				    "\"id_checked\":true,\"fee_cents\":%u}",
				    req->membership, req->fee_cents);
		bool ok = audit_add(store, who, now, "membership_enrol", card, NULL, d);
		free(d);
		return ok;
	}
	cJSON *details = cJSON_CreateObject();
	cJSON *blocks = cJSON_AddArrayToObject(details, "blocks");
	cJSON_AddItemToArray(blocks, cJSON_CreateString("duplicate_member"));
	cJSON *cards = cJSON_AddArrayToObject(details, "duplicate_of");
	for (size_t i = 0; duplicates[i]; i++)
		cJSON_AddItemToArray(cards, cJSON_CreateString(duplicates[i]));
	char *text = jsonx_print_dup(details);
	cJSON_Delete(details);
	bool ok = audit_add(store, who, now, "membership_override", card, req->override_reason, text);
	free(text);
	return ok;
}

enum membership_outcome membership_enrol(struct store *store, const struct membership_request *req,
					 const char *prefix, struct civil_date today,
					 const struct session *who, time_t now,
					 struct membership_result *result)
{
	*result = (struct membership_result){ 0 };
	bool exists;
	if (!branch_exists(store, req->branch, &exists))
		return MEMBERSHIP_STORE_FAILED;
	if (!exists)
		return MEMBERSHIP_UNKNOWN_BRANCH;
	if (!membership_duplicates(store, req->family_name, req->birth_iso, req->postcode, 0,
				   &result->duplicates))
		return MEMBERSHIP_STORE_FAILED;
	if (result->duplicates[0] && !req->override_duplicate)
		return MEMBERSHIP_DUPLICATE;
	int made = membership_next_card(store, prefix, result->card);
	if (made <= 0)
		return made < 0 ? MEMBERSHIP_STORE_FAILED : MEMBERSHIP_CARDS_EXHAUSTED;
	char day[DATE_STR_LEN];
	date_format_iso(today, day);
	date_format_iso(req->adult ? membership_year_end(today) : validate_youth_last_day(req->birth),
			result->expires_on);
	if (!insert_patron(store, req, result->card, day, result->expires_on, &result->patron_id) ||
	    (req->has_guardian && !insert_guardian(store, &req->guardian, result->patron_id, now)) ||
	    (req->adult && !membership_charge(store, result->patron_id, false, req->fee_cents,
						   req->membership, who, now, &result->charge_id)) ||
	    !audit_enrolment(store, who, now, req, result->card, result->duplicates))
		return MEMBERSHIP_STORE_FAILED;
	return MEMBERSHIP_ENROLLED;
}

struct civil_date membership_year_end(struct civil_date start)
{
	return date_add_days(date_birthday(start, 1), -1);
}

bool membership_charge(struct store *store, long long patron_id, bool card,
			   unsigned fee_cents, const char *membership, const struct session *who,
			   time_t now, long long *charge_id)
{
	*charge_id = 0;
	if (fee_cents == 0)
		return true;
	struct account_charge c = { .patron_id = patron_id,
				    .kind = card ? ACCOUNT_REPLACEMENT_CARD : ACCOUNT_MEMBERSHIP_FEE,
				    .amount_cents = fee_cents, .description = membership };
	struct account_where w = { .now = now, .branch = who ? who->branch : NULL,
				   .terminal = who ? who->terminal : NULL,
				   .staff_id = who ? who->staff_id : 0 };
	return account_charge_add(store, &c, &w, charge_id);
}

void membership_result_clear(struct membership_result *result)
{
	for (size_t i = 0; result->duplicates && result->duplicates[i]; i++)
		free(result->duplicates[i]);
	free(result->duplicates);
	result->duplicates = NULL;
}
