/* Erasing a patron (erasure.h): the refusals first, then the holds through
 * holds_cancel (a copy on the shelf must go on), then every row that names
 * the patron, children before the patron row. */
#include "service/domain/erasure.h"

#include "service/domain/account.h"
#include "service/domain/audit.h"
#include "service/domain/holds.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ERASURE_HOLDS_MAX = 64, ERASURE_BATCH = 100 };

/* The rows that name the patron (?1), in an order the foreign keys allow. */
static const char *const erase_sql[] = {
	"DELETE FROM notices WHERE patron_id = ?1",
	"DELETE FROM credit_allocations WHERE credit_id IN"
	" (SELECT id FROM credits WHERE patron_id = ?1)"
	" OR charge_id IN (SELECT id FROM charges WHERE patron_id = ?1)",
	"DELETE FROM credits WHERE patron_id = ?1",
	"DELETE FROM charges WHERE patron_id = ?1",
	"DELETE FROM loans WHERE patron_id = ?1",
	"DELETE FROM holds WHERE patron_id = ?1",
	"DELETE FROM guardians WHERE patron_id = ?1",
	"DELETE FROM youth_age_outs WHERE patron_id = ?1",
	"DELETE FROM patrons WHERE id = ?1",
};

static bool run_erase(struct store *store, long long patron_id)
{
	for (size_t i = 0; i < sizeof erase_sql / sizeof erase_sql[0]; i++) {
		struct db_stmt *st = store_stmt(store, erase_sql[i]);
		db_bind_int64(st, 1, patron_id);
		int rc = db_step(st);
		store_done(st);
		if (rc != DB_DONE) {
			log_error("database: erasing a patron: %s", store_errmsg(store));
			return false;
		}
	}
	return true;
}

/* The open holds' ids (at most ERASURE_HOLDS_MAX); -1 when the store failed. */
static int open_holds(struct store *store, long long patron_id, long long ids[])
{
	struct db_stmt *st = store_stmt(store, "SELECT id FROM holds WHERE patron_id = ?"
					     " AND status IN ('waiting', 'in_transit', 'ready')");
	db_bind_int64(st, 1, patron_id);
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW && n < ERASURE_HOLDS_MAX)
		ids[n++] = db_column_int64(st, 0);
	store_done(st);
	if (rc != DB_DONE && rc != DB_ROW) {
		log_error("database: reading holds: %s", store_errmsg(store));
		return -1;
	}
	return n;
}

static bool cancel_holds(const struct circ_ctx *ctx, const char *card, long long patron_id)
{
	long long ids[ERASURE_HOLDS_MAX];
	int n = open_holds(ctx->store, patron_id, ids);
	for (int i = 0; i < n; i++) {
		struct holds_hold hold;
		struct circ_checkin_res route;
		if (holds_cancel(ctx, card, ids[i], "other", &hold, &route) != HOLDS_OK)
			return false;
	}
	return n >= 0;
}

enum erasure_status erasure_erase(const struct circ_ctx *ctx, const char *card,
				  enum erasure_cause cause, const struct session *who,
				  unsigned *loans, long long *balance_cents)
{
	*loans = 0;
	*balance_cents = 0;
	struct circ_patron_rec p;
	enum circ_status s = circ_patron_find(ctx->store, card, &p);
	if (s != CIRC_OK)
		return s == CIRC_PATRON_NOT_FOUND ? ERASURE_NOT_FOUND : ERASURE_FAILED;
	enum erasure_status out = ERASURE_DONE;
	*loans = p.loans;
	*balance_cents = account_balance(ctx->store, p.id);
	if (*balance_cents < 0)
		out = ERASURE_FAILED;
	else if (p.loans > 0)
		out = ERASURE_HAS_LOANS;
	else if (*balance_cents > 0)
		out = ERASURE_HAS_BALANCE;
	if (out == ERASURE_DONE) {
		char details[96];
		snprintf(details, sizeof details, "{\"category\":\"%s\",\"cause\":\"%s\"}",
			 p.category, cause == ERASURE_ON_REQUEST ? "request" : "retention");
		if (!cancel_holds(ctx, card, p.id) || !run_erase(ctx->store, p.id) ||
		    !audit_add(ctx->store, who, ctx->now, "patron_erase", card, NULL, details))
			out = ERASURE_FAILED;
	}
	circ_patron_clear(&p);
	return out;
}

struct civil_date erasure_cutoff(struct civil_date day, unsigned months)
{
	long m = (long)day.year * 12 + (day.month - 1) - (long)months;
	struct civil_date d = { .year = (int)(m / 12), .month = (int)(m % 12) + 1, .day = day.day };
	int last = date_days_in_month(d.year, d.month);
	if (d.day > last)
		d.day = last;
	return d;
}

/* Up to ERASURE_BATCH cards of memberships ended before cutoff, after id
 * *after (which moves on); returns how many, -1 when the store failed. */
static int due_batch(struct store *store, const char *cutoff, long long *after,
		     char cards[][CIRC_CODE_LEN])
{
	struct db_stmt *st = store_stmt(store, "SELECT id, card FROM patrons"
					     " WHERE expires_on < ? AND id > ? ORDER BY id LIMIT ?");
	db_bind_text(st, 1, cutoff, -1);
	db_bind_int64(st, 2, *after);
	db_bind_int64(st, 3, ERASURE_BATCH);
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		*after = db_column_int64(st, 0);
		snprintf(cards[n++], CIRC_CODE_LEN, "%s", db_column_text(st, 1));
	}
	store_done(st);
	if (rc != DB_DONE) {
		log_error("database: finding patrons to erase: %s", store_errmsg(store));
		return -1;
	}
	return n;
}

/* One patron in a transaction of its own. */
static bool erase_one(const struct circ_ctx *ctx, const char *card, struct erasure_counts *counts)
{
	if (!store_begin(ctx->store))
		return false;
	unsigned loans;
	long long balance;
	enum erasure_status s = erasure_erase(ctx, card, ERASURE_BY_RETENTION, NULL, &loans, &balance);
	if (s != ERASURE_DONE || !store_commit(ctx->store)) {
		store_rollback(ctx->store);
		counts->kept_loans += s == ERASURE_HAS_LOANS;
		counts->kept_balance += s == ERASURE_HAS_BALANCE;
		/* Erased meanwhile by someone else is not a failure. */
		return s == ERASURE_HAS_LOANS || s == ERASURE_HAS_BALANCE || s == ERASURE_NOT_FOUND;
	}
	counts->erased++;
	return true;
}

bool erasure_retention(struct store *store, const struct rules *rules, struct civil_date day,
		       time_t now, struct erasure_counts *counts)
{
	*counts = (struct erasure_counts){ 0 };
	struct circ_ctx ctx;
	circ_ctx_init(&ctx, store, rules, now, "", 0);
	char cutoff[DATE_STR_LEN];
	date_format_iso(erasure_cutoff(day, rules->retention_months), cutoff);
	char (*cards)[CIRC_CODE_LEN] = xcalloc(ERASURE_BATCH, sizeof *cards);
	long long after = 0;
	int n;
	bool ok = true;
	while (ok && (n = due_batch(store, cutoff, &after, cards)) > 0)
		for (int i = 0; ok && i < n; i++)
			ok = erase_one(&ctx, cards[i], counts);
	free(cards);
	return ok && n == 0;
}
