/* The 18th-birthday rule, run daily by "balied memberships age-out". Each
 * member aged out gets a row in youth_age_outs in the same transaction as the
 * change, so a second run (the same day, or a timer that fired twice) finds
 * nothing left to do. */
#include "service/domain/membership.h"

#include "service/domain/audit.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct due {
	long long id;
	char card[MEMBERSHIP_CARD_LEN];
	struct civil_date birth;
};

/* The youth members not yet aged out whose 18th birthday is on or before
 * day. The birth date is compared in C, for the 29 February rule. */
static bool find_due(struct store *store, struct civil_date day, struct due **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	struct db_stmt *st = store_stmt(store,
		"SELECT p.id, p.card, p.birth_date FROM patrons p WHERE p.category = 'youth'"
		" AND NOT EXISTS (SELECT 1 FROM youth_age_outs a WHERE a.patron_id = p.id)"
		" ORDER BY p.id");
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct civil_date birth;
		const char *b = db_column_text(st, 2);
		if (!b || !date_parse_iso(b, &birth) || validate_youth_eligible(birth, day))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		struct due *d = &(*out)[(*n)++];
		d->id = db_column_int64(st, 0);
		snprintf(d->card, sizeof d->card, "%s", db_column_text(st, 1));
		d->birth = birth;
	}
	store_done(st);
	if (rc != DB_DONE)
		log_error("database: finding members who turned 18: %s",
			  store_errmsg(store));
	return rc == DB_DONE;
}

static bool exec_step(struct store *store, struct db_stmt *st)
{
	bool ok = db_step(st) == DB_DONE;
	if (!ok)
		log_error("database: ageing out: %s", store_errmsg(store));
	store_done(st);
	return ok;
}

static bool age_out_one(struct store *store, const struct due *d, enum rules_youth_at_18 rule,
			struct civil_date day, time_t now)
{
	char on[DATE_STR_LEN], expires[DATE_STR_LEN];
	date_format_iso(day, on);
	struct civil_date birthday = date_birthday(d->birth, VALIDATE_YOUTH_AGE);
	bool adult = rule == RULES_YOUTH_TO_ADULT;
	if (adult) {
		/* A year of adult membership from the birthday; the library's own
		 * fee rules take over from there. */
		date_format_iso(date_add_days(date_birthday(d->birth, VALIDATE_YOUTH_AGE + 1), -1),
				expires);
		struct db_stmt *st = store_stmt(store, "UPDATE patrons SET category = 'adult',"
						     " expires_on = ? WHERE id = ?");
		db_bind_text(st, 1, expires, -1);
		db_bind_int64(st, 2, d->id);
		if (!exec_step(store, st))
			return false;
	} else {
		/* Ended: the card stays expired from the day before the birthday. */
		date_format_iso(date_add_days(birthday, -1), expires);
		struct db_stmt *st = store_stmt(store, "UPDATE patrons SET expires_on = ?"
						     " WHERE id = ? AND expires_on > ?");
		db_bind_text(st, 1, expires, -1);
		db_bind_int64(st, 2, d->id);
		db_bind_text(st, 3, expires, -1);
		if (!exec_step(store, st))
			return false;
	}
	struct db_stmt *st = store_stmt(store, "INSERT INTO youth_age_outs (patron_id, day, action)"
					     " VALUES (?, ?, ?)");
	db_bind_int64(st, 1, d->id);
	db_bind_text(st, 2, on, -1);
	db_bind_text(st, 3, adult ? "adult" : "end", -1);
	if (!exec_step(store, st))
		return false;
	char *details = xasprintf("{\"action\":\"%s\",\"expires_on\":\"%s\"}",
				  adult ? "adult" : "end", expires);
	bool ok = audit_add(store, NULL, now, "membership_age_out", d->card, NULL, details);
	free(details);
	return ok;
}

bool membership_age_out(struct store *store, enum rules_youth_at_18 rule, struct civil_date day,
			time_t now, struct membership_age_out_counts *counts)
{
	*counts = (struct membership_age_out_counts){ 0 };
	if (!store_begin(store))
		return false;
	struct due *due = NULL;
	size_t n = 0;
	bool ok = find_due(store, day, &due, &n);
	for (size_t i = 0; ok && i < n; i++)
		ok = age_out_one(store, &due[i], rule, day, now);
	free(due);
	if (!ok || !store_commit(store)) {
		store_rollback(store);
		*counts = (struct membership_age_out_counts){ 0 };
		return false;
	}
	if (rule == RULES_YOUTH_TO_ADULT)
		counts->converted = (unsigned)n;
	else
		counts->ended = (unsigned)n;
	if (n > 0)
		log_info("age-out: %zu youth memberships %s", n,
			 rule == RULES_YOUTH_TO_ADULT ? "converted to adult" : "ended");
	return true;
}
