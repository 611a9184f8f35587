/* Renewing a membership that has expired or soon will: an adult's a year
 * on with its fee, a youth member's to the 18th birthday, free. Runs in the
 * Idempotency-Key's transaction, so a repeated request renews once. */
#include "service/domain/membership.h"

#include "service/domain/audit.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct member {
	long long id;
	bool adult;
	struct civil_date birth, expires;
	char membership[RULES_TYPE_LEN]; /* "" when none */
};

/* 1 found, 0 no such card, -1 the store failed (logged). */
static int member_find(struct store *store, const char *card, struct member *m)
{
	*m = (struct member){ 0 };
	struct db_stmt *st = store_stmt(store, "SELECT id, category, birth_date, expires_on,"
					     " membership FROM patrons WHERE card = ?");
	db_bind_text(st, 1, card, -1);
	int rc = db_step(st);
	bool dates = false;
	if (rc == DB_ROW) {
		char cat[8], birth[DATE_STR_LEN], expires[DATE_STR_LEN];
		m->id = db_column_int64(st, 0);
		db_column_copy(st, 1, cat, sizeof cat);
		db_column_copy(st, 2, birth, sizeof birth);
		db_column_copy(st, 3, expires, sizeof expires);
		db_column_copy(st, 4, m->membership, sizeof m->membership);
		m->adult = strcmp(cat, "adult") == 0;
		dates = date_parse_iso(birth, &m->birth) && date_parse_iso(expires, &m->expires);
	}
	store_done(st);
	if (rc == DB_DONE)
		return 0;
	if (rc != DB_ROW || !dates) {
		log_error("database: reading a member to renew: %s",
			  rc == DB_ROW ? "a date is not a date" : store_errmsg(store));
		return -1;
	}
	return 1;
}

static bool save(struct store *store, const struct member *m, const struct membership_renewal *r)
{
	struct db_stmt *st = store_stmt(store, "UPDATE patrons SET expires_on = ?, membership = ?"
					     " WHERE id = ?");
	db_bind_text(st, 1, r->expires_on, -1);
	if (m->adult)
		db_bind_text(st, 2, r->membership, -1);
	else
		db_bind_null(st, 2);
	db_bind_int64(st, 3, m->id);
	bool ok = db_step(st) == DB_DONE;
	if (!ok)
		log_error("database: renewing a membership: %s", store_errmsg(store));
	store_done(st);
	return ok;
}

static bool audit_renewal(struct store *store, const struct session *who, time_t now,
			  const char *card, const struct membership_renewal *r)
{
	char *details = xasprintf("{\"category\":\"%s\",\"membership\":\"%s\","
				  "\"previous_expires_on\":\"%s\",\"expires_on\":\"%s\","
				  "\"fee_cents\":%u}",
				  r->category, r->membership, r->previous, r->expires_on,
				  r->fee_cents);
	bool ok = audit_add(store, who, now, "membership_renewal", card, NULL, details);
	free(details);
	return ok;
}

/* The new expiry of an adult, and the category and fee it is renewed in. */
static enum membership_renew_outcome adult_year(const struct rules *rules, const struct member *m,
						const char *membership, struct civil_date today,
						struct membership_renewal *out)
{
	/* An adult from before categories (or converted at 18) renews in the
	 * first category of the rules, unless the desk names one. */
	const char *name = membership ? membership : m->membership;
	if (!*name && rules->n_memberships > 0)
		name = rules->memberships[0].name;
	if (!*name)
		return MEMBERSHIP_RENEW_NO_MEMBERSHIP;
	const struct rules_membership *cat = rules_membership_find(rules, name);
	if (!cat)
		return MEMBERSHIP_RENEW_UNKNOWN_MEMBERSHIP;
	snprintf(out->membership, sizeof out->membership, "%s", cat->name);
	out->fee_cents = cat->fee_cents;
	struct civil_date start = date_add_days(m->expires, 1);
	if (date_compare(start, today) < 0)
		start = today;
	date_format_iso(membership_year_end(start), out->expires_on);
	return MEMBERSHIP_RENEWED;
}

static enum membership_renew_outcome youth_term(const struct member *m, struct civil_date today,
						struct membership_renewal *out)
{
	struct civil_date last = validate_youth_last_day(m->birth);
	out->age = date_age_on(m->birth, today);
	if (!validate_youth_eligible(m->birth, today) || date_compare(last, m->expires) <= 0)
		return MEMBERSHIP_RENEW_AGE;
	date_format_iso(last, out->expires_on);
	return MEMBERSHIP_RENEWED;
}

enum membership_renew_outcome membership_renew(struct store *store, const struct rules *rules,
					       const char *card, const char *membership,
					       struct civil_date today, const struct session *who,
					       time_t now, struct membership_renewal *out)
{
	*out = (struct membership_renewal){ 0 };
	struct member m;
	int found = member_find(store, card, &m);
	if (found <= 0)
		return found < 0 ? MEMBERSHIP_RENEW_STORE_FAILED : MEMBERSHIP_RENEW_NO_PATRON;
	snprintf(out->category, sizeof out->category, "%s", m.adult ? "adult" : "youth");
	date_format_iso(m.expires, out->previous);
	struct civil_date due = date_add_days(m.expires, -(long)rules->membership_renewal_days);
	date_format_iso(due, out->due_from);
	if (!m.adult && !validate_youth_eligible(m.birth, today)) {
		out->age = date_age_on(m.birth, today);
		return MEMBERSHIP_RENEW_AGE;
	}
	if (date_compare(today, due) < 0)
		return MEMBERSHIP_RENEW_NOT_DUE;
	enum membership_renew_outcome o = m.adult ? adult_year(rules, &m, membership, today, out)
						  : youth_term(&m, today, out);
	if (o != MEMBERSHIP_RENEWED)
		return o;
	if (!save(store, &m, out) ||
	    (m.adult && !membership_charge(store, m.id, false, out->fee_cents, out->membership, who,
					       now, &out->charge_id)) ||
	    !audit_renewal(store, who, now, card, out))
		return MEMBERSHIP_RENEW_STORE_FAILED;
	return MEMBERSHIP_RENEWED;
}
