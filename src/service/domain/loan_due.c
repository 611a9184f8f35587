#include "service/domain/loan_due.h"

#include "core/date.h"
#include "core/log.h"

#include <stdio.h>
#include <string.h>

enum { LOAN_DUE_MAX_DAYS = 366 };

const char *loan_due_problem(const char *due_on, const char *today)
{
	struct civil_date d, t;
	if (!due_on || strlen(due_on) != 10 || !date_parse_iso(due_on, &d) ||
	    !date_parse_iso(today, &t))
		return "invalid";
	long days = date_to_days(d) - date_to_days(t);
	if (days < 0)
		return "in_the_past";
	return days > LOAN_DUE_MAX_DAYS ? "too_far" : NULL;
}

enum circ_status loan_due_set(const struct circ_ctx *ctx, const char *barcode, const char *due_on,
			      struct loan_due_res *res)
{
	memset(res, 0, sizeof *res);
	enum circ_status s = circ_item_find(ctx, barcode, &res->item);
	if (s != CIRC_OK)
		return s;
	struct db_stmt *st = store_stmt(ctx->store,
		"SELECT l.id, l.due_on, p.card FROM loans l JOIN patrons p ON p.id = l.patron_id"
		" WHERE l.item_id = ? AND l.returned_at IS NULL");
	db_bind_int64(st, 1, res->item.id);
	int rc = db_step(st);
	long long loan_id = 0;
	if (rc == DB_ROW) {
		loan_id = db_column_int64(st, 0);
		snprintf(res->was, sizeof res->was, "%s", db_column_text(st, 1));
		snprintf(res->card, sizeof res->card, "%s", db_column_text(st, 2));
	}
	store_done(st);
	if (rc != DB_ROW && rc != DB_DONE) {
		log_error("database: reading a loan: %s", store_errmsg(ctx->store));
		return CIRC_STORE_FAILED;
	}
	if (!loan_id)
		return CIRC_NOT_ON_LOAN;
	st = store_stmt(ctx->store, "UPDATE loans SET due_on = ? WHERE id = ?");
	db_bind_text(st, 1, due_on, -1);
	db_bind_int64(st, 2, loan_id);
	bool ok = db_step(st) == DB_DONE;
	store_done(st);
	if (!ok)
		log_error("database: setting a due date: %s", store_errmsg(ctx->store));
	return ok ? CIRC_OK : CIRC_STORE_FAILED;
}

void loan_due_res_clear(struct loan_due_res *res)
{
	circ_item_clear(&res->item);
}
