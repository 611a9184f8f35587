#include "service/domain/cashup.h"

#include "core/log.h"

#include <string.h>

/* The local midnight that starts day d (the zone's own offset that day, so
 * that a day of 23 or 25 hours is counted whole). */
static time_t day_start(struct civil_date d)
{
	struct tm tm = { .tm_year = d.year - 1900, .tm_mon = d.month - 1, .tm_mday = d.day,
			 .tm_isdst = -1 };
	return mktime(&tm);
}

struct window {
	time_t from, to;
	const struct cashup_query *q;
};

static void bind_window(struct db_stmt *st, const struct window *w)
{
	db_bind_int64(st, 1, (long long)w->from);
	db_bind_int64(st, 2, (long long)w->to);
	db_bind_text(st, 3, w->q->branch, -1);
	if (w->q->terminal)
		db_bind_text(st, 4, w->q->terminal, -1);
	else
		db_bind_null(st, 4);
}

static bool finish(struct store *store, struct db_stmt *st, int rc, const char *what)
{
	store_done(st);
	if (rc == DB_DONE)
		return true;
	log_error("database: %s: %s", what, store_errmsg(store));
	return false;
}

/* Counts and sums of the credits by kind, and of the payments by method. */
static bool credit_totals(struct store *store, const struct window *w, struct cashup_totals *out)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT kind, coalesce(method, ''), count(*), sum(amount_cents) FROM credits"
		" WHERE created_at >= ?1 AND created_at < ?2 AND branch_code = ?3"
		" AND (?4 IS NULL OR terminal = ?4) GROUP BY kind, method");
	bind_window(st, w);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *kind = db_column_text(st, 0);
		long long n = db_column_int64(st, 2), cents = db_column_int64(st, 3);
		enum payment_method m;
		if (strcmp(kind, "payment") == 0 &&
		    payment_method_from_name(db_column_text(st, 1), &m)) {
			out->payments += n;
			out->payments_cents += cents;
			out->method_count[m] += n;
			out->method_cents[m] += cents;
		} else if (strcmp(kind, "refund") == 0) {
			out->refunds += n;
			out->refunds_cents += cents;
		} else if (strcmp(kind, "waiver") == 0) {
			out->waivers += n;
			out->waivers_cents += cents;
		}
	}
	return finish(store, st, rc, "adding up credits");
}

/* What the payments covered, by the kind of charge. */
static bool kind_totals(struct store *store, const struct window *w, struct cashup_totals *out)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT ch.kind, sum(a.amount_cents) FROM credits c"
		" JOIN credit_allocations a ON a.credit_id = c.id"
		" JOIN charges ch ON ch.id = a.charge_id"
		" WHERE c.created_at >= ?1 AND c.created_at < ?2 AND c.branch_code = ?3"
		" AND (?4 IS NULL OR c.terminal = ?4) AND c.kind = 'payment'"
		" AND c.method IN ('cash', 'pin') GROUP BY ch.kind");
	bind_window(st, w);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		enum account_charge_kind k;
		if (!account_charge_kind_from_name(db_column_text(st, 0), &k))
			k = ACCOUNT_OTHER;
		out->kind_cents[k] += db_column_int64(st, 1);
	}
	return finish(store, st, rc, "adding up payments by kind");
}

bool cashup_totals(struct store *store, const struct cashup_query *q, struct cashup_totals *out)
{
	memset(out, 0, sizeof *out);
	struct window w = { .from = day_start(q->day),
			    .to = day_start(date_add_days(q->day, 1)), .q = q };
	return credit_totals(store, &w, out) && kind_totals(store, &w, out);
}

bool cashup_each_desk(struct store *store, const struct cashup_query *q, cashup_desk_fn fn,
		      void *ctx)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT coalesce(terminal, ''), count(*),"
		" sum(CASE method WHEN 'cash' THEN amount_cents ELSE 0 END),"
		" sum(CASE method WHEN 'pin' THEN amount_cents ELSE 0 END) FROM credits"
		" WHERE created_at >= ?1 AND created_at < ?2 AND branch_code = ?3"
		" AND kind = 'payment' AND method IN ('cash', 'pin')"
		" GROUP BY coalesce(terminal, '') ORDER BY 1");
	struct cashup_query branch = { .day = q->day, .branch = q->branch };
	struct window w = { .from = day_start(q->day),
			    .to = day_start(date_add_days(q->day, 1)), .q = &branch };
	bind_window(st, &w);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct cashup_desk d = { .terminal = db_column_text(st, 0),
					 .payments = db_column_int64(st, 1) };
		d.method_cents[PAYMENT_CASH] = db_column_int64(st, 2);
		d.method_cents[PAYMENT_PIN] = db_column_int64(st, 3);
		fn(ctx, &d);
	}
	return finish(store, st, rc, "adding up payments by desk");
}
