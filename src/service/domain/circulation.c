#include "service/domain/circulation.h"

#include "service/domain/account.h"
#include "service/domain/holds.h"
#include "service/domain/item.h"

#include "core/date.h"
#include "core/log.h"
#include "core/validate.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const block_names[] = {
	"card_expired", "fines_over_limit", "manual_block", "max_loans_reached",
};

const char *circ_block_name(unsigned bit)
{
	if (bit == CIRC_OVERRIDE_HOLD)
		return "item_on_hold_for_other";
	for (unsigned i = 0; i < 4; i++)
		if (bit == 1u << i)
			return block_names[i];
	return "unknown";
}

unsigned circ_block_from_name(const char *name)
{
	if (name && strcmp(name, "item_on_hold_for_other") == 0)
		return CIRC_OVERRIDE_HOLD;
	for (unsigned i = 0; i < 4; i++)
		if (name && strcmp(block_names[i], name) == 0)
			return 1u << i;
	return 0;
}

const char *circ_route_name(enum circ_route_action a)
{
	return a == CIRC_ROUTE_HOLD_SHELF ? "hold_shelf" : a == CIRC_ROUTE_TRANSIT ? "transit"
										  : "shelve";
}

void circ_ctx_init(struct circ_ctx *ctx, struct store *store, const struct rules *rules,
		   time_t now, const char *branch, long long staff_id)
{
	*ctx = (struct circ_ctx){ .store = store, .rules = rules, .now = now, .branch = branch,
				  .staff_id = staff_id };
	date_format_iso(date_of_time(now), ctx->today);
}

/* ---- patrons and items ---- */

enum circ_status circ_patron_find(struct store *store, const char *card,
				  struct circ_patron_rec *out)
{
	memset(out, 0, sizeof *out);
	struct db_stmt *st = store_stmt(store,
		"SELECT p.id, p.card, p.given_name, p.family_name, p.birth_date, p.category,"
		" p.home_branch, p.expires_on, p.manual_block, p.keep_history,"
		" (SELECT count(*) FROM loans l WHERE l.patron_id = p.id AND l.returned_at IS NULL),"
		" (SELECT coalesce(sum(c.amount_cents - c.paid_cents), 0) FROM charges c"
		"   WHERE c.patron_id = p.id AND c.paid_cents < c.amount_cents"
		"   AND c.cancelled_at IS NULL)"
		" FROM patrons p WHERE p.card = ?");
	db_bind_text(st, 1, card, -1);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_column_int64(st, 0);
		out->card = db_column_dup(st, 1);
		out->given_name = db_column_dup(st, 2);
		out->family_name = db_column_dup(st, 3);
		out->birth_date = db_column_dup(st, 4);
		out->category = db_column_dup(st, 5);
		out->home_branch = db_column_dup(st, 6);
		out->expires_on = db_column_dup(st, 7);
		out->manual_block = db_column_dup(st, 8);
		out->keep_history = db_column_int(st, 9) != 0;
		out->loans = (unsigned)db_column_int(st, 10);
		out->fines_cents = db_column_int64(st, 11);
	} else if (rc != DB_DONE) {
		log_error("database: reading a patron: %s", store_errmsg(store));
	}
	store_done(st);
	return rc == DB_ROW ? CIRC_OK : rc == DB_DONE ? CIRC_PATRON_NOT_FOUND
							      : CIRC_STORE_FAILED;
}

const char *circ_card_problem(const char *card)
{
	return validate_card_check_digit_wrong(card) ? "check_digit" : NULL;
}

void circ_patron_clear(struct circ_patron_rec *p)
{
	free(p->card);
	free(p->given_name);
	free(p->family_name);
	free(p->birth_date);
	free(p->category);
	free(p->home_branch);
	free(p->expires_on);
	free(p->manual_block);
	memset(p, 0, sizeof *p);
}

unsigned circ_patron_blocks(const struct circ_ctx *ctx, const struct circ_patron_rec *p)
{
	unsigned blocks = 0;
	/* The card is good through its expiry date. */
	if (p->expires_on && strcmp(p->expires_on, ctx->today) < 0)
		blocks |= CIRC_BLOCK_CARD_EXPIRED;
	if (p->fines_cents > (long long)ctx->rules->fine_block_limit)
		blocks |= CIRC_BLOCK_FINES_OVER_LIMIT;
	if (p->manual_block)
		blocks |= CIRC_BLOCK_MANUAL;
	if (p->loans >= rules_max_loans(ctx->rules, p->category))
		blocks |= CIRC_BLOCK_MAX_LOANS;
	return blocks;
}

enum circ_status circ_item_find(const struct circ_ctx *ctx, const char *barcode,
				struct circ_item_rec *out)
{
	memset(out, 0, sizeof *out);
	struct db_stmt *st = store_stmt(ctx->store,
		"SELECT i.id, i.barcode, t.title, t.author, i.item_type, i.home_branch,"
		" i.current_branch, i.status, i.title_id"
		" FROM items i JOIN titles t ON t.id = i.title_id WHERE i.barcode = ?");
	db_bind_text(st, 1, barcode, -1);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_column_int64(st, 0);
		out->barcode = db_column_dup(st, 1);
		out->title = db_column_dup(st, 2);
		out->author = db_column_dup(st, 3);
		out->type = db_column_dup(st, 4);
		out->home_branch = db_column_dup(st, 5);
		out->current_branch = db_column_dup(st, 6);
		out->status = db_column_dup(st, 7);
		out->title_id = db_column_int64(st, 8);
	}
	store_done(st);
	if (rc != DB_ROW && rc != DB_DONE) {
		store_failed(ctx->store, "reading an item");
		return CIRC_STORE_FAILED;
	}
	return rc == DB_ROW ? CIRC_OK : CIRC_ITEM_NOT_FOUND;
}

void circ_item_clear(struct circ_item_rec *i)
{
	free(i->barcode);
	free(i->title);
	free(i->author);
	free(i->type);
	free(i->home_branch);
	free(i->current_branch);
	free(i->status);
	memset(i, 0, sizeof *i);
}

bool circ_item_set(const struct circ_ctx *ctx, long long item_id, const char *status)
{
	struct db_stmt *st = store_stmt(ctx->store,
		"UPDATE items SET status = ?, current_branch = ? WHERE id = ?");
	db_bind_text(st, 1, status, -1);
	db_bind_text(st, 2, ctx->branch, -1);
	db_bind_int64(st, 3, item_id);
	return store_run(ctx->store, st, "updating an item");
}

/* ---- the open loan of an item ---- */

struct open_loan {
	long long id;           /* 0 when the item is not on loan */
	long long patron_id;
	char due_on[CIRC_DATE_LEN];
	unsigned renewals;
	char category[8];
	bool keep_history;
	time_t loaned_at;
};

static bool open_loan_find(const struct circ_ctx *ctx, long long item_id, struct open_loan *out)
{
	memset(out, 0, sizeof *out);
	struct db_stmt *st = store_stmt(ctx->store,
		"SELECT l.id, l.patron_id, l.due_on, l.renewals, p.category, p.keep_history,"
		" l.loaned_at FROM loans l JOIN patrons p ON p.id = l.patron_id"
		" WHERE l.item_id = ? AND l.returned_at IS NULL");
	db_bind_int64(st, 1, item_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_column_int64(st, 0);
		out->patron_id = db_column_int64(st, 1);
		db_column_copy(st, 2, out->due_on, sizeof out->due_on);
		out->renewals = (unsigned)db_column_int(st, 3);
		db_column_copy(st, 4, out->category, sizeof out->category);
		out->keep_history = db_column_int(st, 5) != 0;
		out->loaned_at = (time_t)db_column_int64(st, 6);
	}
	store_done(st);
	return rc == DB_ROW || rc == DB_DONE || store_failed(ctx->store, "reading a loan");
}

/* ---- dates ---- */

bool circ_branch_open_on(const struct circ_ctx *ctx, const char *branch, const char *weekdays,
			 struct civil_date d)
{
	char digit = (char)('0' + date_weekday(d));
	if (!strchr(weekdays, digit))
		return false;
	char iso[DATE_STR_LEN];
	date_format_iso(d, iso);
	struct db_stmt *st = store_stmt(ctx->store,
		"SELECT 1 FROM branch_closed_dates WHERE branch_code = ? AND date = ?");
	db_bind_text(st, 1, branch, -1);
	db_bind_text(st, 2, iso, -1);
	bool closed = db_step(st) == DB_ROW;
	store_done(st);
	return !closed;
}

void circ_branch_weekdays(const struct circ_ctx *ctx, const char *branch, char out[8])
{
	struct db_stmt *st = store_stmt(ctx->store,
		"SELECT open_weekdays FROM branches WHERE code = ?");
	db_bind_text(st, 1, branch, -1);
	out[0] = '\0';
	if (db_step(st) == DB_ROW)
		db_column_copy(st, 0, out, 8);
	store_done(st);
}

/* The first day on or after d that the desk's branch is open; d itself when
 * the branch opens on no day within a year (a calendar not filled in). */
static struct civil_date next_open_day(const struct circ_ctx *ctx, struct civil_date d)
{
	char weekdays[8];
	circ_branch_weekdays(ctx, ctx->branch, weekdays);
	if (!weekdays[0])
		return d;
	for (int i = 0; i < 366; i++) {
		struct civil_date c = date_add_days(d, i);
		if (circ_branch_open_on(ctx, ctx->branch, weekdays, c))
			return c;
	}
	return d;
}

void circ_due_date(const struct circ_ctx *ctx, const char *item_type, char out[CIRC_DATE_LEN])
{
	struct civil_date today;
	date_parse_iso(ctx->today, &today);
	struct civil_date due = date_add_days(today, rules_loan_days(ctx->rules, item_type));
	date_format_iso(next_open_day(ctx, due), out);
}

static long days_between(const char *from, const char *to)
{
	struct civil_date a, b;
	if (!date_parse_iso(from, &a) || !date_parse_iso(to, &b))
		return 0;
	return date_to_days(b) - date_to_days(a);
}

/* ---- statistics ---- */

static bool count_stat(const struct circ_ctx *ctx, const char *item_type, const char *category,
		       const char *action)
{
	struct db_stmt *st = store_stmt(ctx->store,
		"INSERT INTO loan_stats (day, branch_code, item_type, patron_category, action, count)"
		" VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (day, branch_code, item_type,"
		" patron_category, action) DO UPDATE SET count = count + 1");
	db_bind_text(st, 1, ctx->today, -1);
	db_bind_text(st, 2, ctx->branch, -1);
	db_bind_text(st, 3, item_type, -1);
	db_bind_text(st, 4, category, -1);
	db_bind_text(st, 5, action, -1);
	return store_run(ctx->store, st, "counting a loan");
}

/* ---- fines and returns ---- */

/* The days after due_on up to today that the desk's branch was open; as
 * many as there are days when its calendar is not filled in. */
static long open_days_after(const struct circ_ctx *ctx, const char *due_on, long days)
{
	char weekdays[8];
	circ_branch_weekdays(ctx, ctx->branch, weekdays);
	struct civil_date d;
	if (!weekdays[0] || !date_parse_iso(due_on, &d))
		return days;
	/* Past a year the cap has long been reached: the rest counts whole. */
	long counted = days > 366 ? days - 366 : 0;
	for (long i = counted + 1; i <= days; i++)
		counted += circ_branch_open_on(ctx, ctx->branch, weekdays, date_add_days(d, i));
	return counted;
}

/* The fine for a loan due on due_on, as of today; sets *days overdue (the
 * days the branch was open, when the rules skip closed days). */
static long long fine_for(const struct circ_ctx *ctx, const char *due_on, const char *category,
			  long *days)
{
	*days = days_between(due_on, ctx->today);
	if (*days > 0 && ctx->rules->fines_skip_closed_days)
		*days = open_days_after(ctx, due_on, *days);
	if (*days <= 0) {
		*days = 0;
		return 0;
	}
	long long fine = (long long)*days * rules_fine_per_day(ctx->rules, category);
	long long cap = rules_fine_cap(ctx->rules, category);
	return fine < cap ? fine : cap;
}

long long circ_fine_accruing(const struct circ_ctx *ctx, const char *due_on, const char *category)
{
	long days;
	return fine_for(ctx, due_on, category, &days);
}

static bool fine_add(const struct circ_ctx *ctx, long long patron_id, const char *barcode,
		     long long cents)
{
	if (cents <= 0)
		return true;
	struct account_charge charge = { .patron_id = patron_id, .kind = ACCOUNT_OVERDUE_FINE,
					 .amount_cents = cents, .item_barcode = barcode };
	return account_charge_add(ctx->store, &charge, &(struct account_where){
		.now = ctx->now, .branch = ctx->branch, .terminal = ctx->terminal,
		.staff_id = ctx->staff_id }, NULL);
}

/*
 * Ends an open loan: the fine, the statistic, and the privacy rule: the loan
 * row stays (returned) only for a patron who keeps a reading history, and is
 * deleted for everyone else, leaving nothing but the count in loan_stats.
 */
static bool loan_return(const struct circ_ctx *ctx, const struct circ_item_rec *item,
			const struct open_loan *loan, long long *fine, long *days)
{
	*fine = fine_for(ctx, loan->due_on, loan->category, days);
	if (ctx->amnesty)
		*fine = 0;
	return fine_add(ctx, loan->patron_id, item->barcode, *fine) &&
	       count_stat(ctx, item->type, loan->category, "checkin") &&
	       circ_loan_end(ctx, loan->id, loan->keep_history);
}

bool circ_loan_end(const struct circ_ctx *ctx, long long loan_id, bool keep_history)
{
	struct db_stmt *st = keep_history
		? store_stmt(ctx->store, "UPDATE loans SET returned_at = ?2 WHERE id = ?1")
		: store_stmt(ctx->store, "DELETE FROM loans WHERE id = ?1");
	db_bind_int64(st, 1, loan_id);
	if (keep_history)
		db_bind_int64(st, 2, (long long)ctx->now);
	return store_run(ctx->store, st, "ending a loan");
}

/* An item already on the hold shelf: its route is the ready hold's, and
 * nothing changes. */
static enum circ_status checkin_on_shelf(const struct circ_ctx *ctx, struct circ_checkin_res *res)
{
	struct holds_first hold;
	if (!holds_first_for(ctx, &res->item, HOLDS_SHELF, &hold))
		return CIRC_STORE_FAILED;
	if (!hold.id || strcmp(hold.status, "ready") != 0)
		return CIRC_NOT_ON_LOAN;
	res->again = true;
	res->route = CIRC_ROUTE_HOLD_SHELF;
	snprintf(res->route_branch, sizeof res->route_branch, "%s", hold.pickup_branch);
	memcpy(res->hold_for, hold.initials, sizeof res->hold_for);
	memcpy(res->hold_card4, hold.card4, sizeof res->hold_card4);
	memcpy(res->pickup_by, hold.pickup_by, sizeof res->pickup_by);
	return CIRC_OK;
}

enum circ_status circ_checkin(const struct circ_ctx *ctx, const char *barcode,
			      struct circ_checkin_res *res)
{
	memset(res, 0, sizeof *res);
	enum circ_status s = circ_item_find(ctx, barcode, &res->item);
	if (s != CIRC_OK)
		return s;
	struct open_loan loan;
	if (!open_loan_find(ctx, res->item.id, &loan))
		return CIRC_STORE_FAILED;
	/* A replay from before this loan began returned an earlier one: this
	 * loan is left alone (effects ordered by occurred_at). */
	if (loan.id && loan.loaned_at > ctx->now) {
		res->loan_started_at = loan.loaned_at;
		return CIRC_LOAN_STARTED_LATER;
	}
	if (loan.id) {
		res->was_on_loan = true;
		memcpy(res->due_on, loan.due_on, sizeof res->due_on);
		if (!loan_return(ctx, &res->item, &loan, &res->fine_cents, &res->days_overdue))
			return CIRC_STORE_FAILED;
		if (ctx->amnesty)
			res->fine_waived_cents = fine_for(ctx, loan.due_on, loan.category,
							  &res->days_overdue);
	} else if (strcmp(res->item.status, "hold_shelf") == 0) {
		return checkin_on_shelf(ctx, res);
	} else if (strcmp(res->item.status, "in_transit") == 0) {
		/* Sent on from this branch and scanned here again: not an arrival. */
		res->again = strcmp(res->item.current_branch, ctx->branch) == 0;
	} else if (strcmp(res->item.status, "missing") == 0) {
		res->found = true;
	} else {
		return CIRC_NOT_ON_LOAN;
	}
	/* Returned, arrived here or found: it goes on from here. */
	return item_checked_in(ctx, res->item.id) && holds_route_item(ctx, &res->item, res)
		       ? CIRC_OK
		       : CIRC_STORE_FAILED;
}

void circ_checkin_res_clear(struct circ_checkin_res *res)
{
	circ_item_clear(&res->item);
}

/* ---- checkout ---- */

static bool loan_add(const struct circ_ctx *ctx, const struct circ_patron_rec *p,
		     const struct circ_item_rec *item, const char *due_on)
{
	struct db_stmt *st = store_stmt(ctx->store,
		"INSERT INTO loans (item_id, patron_id, branch_code, staff_id, loaned_at, due_on)"
		" VALUES (?, ?, ?, ?, ?, ?)");
	db_bind_int64(st, 1, item->id);
	db_bind_int64(st, 2, p->id);
	db_bind_text(st, 3, ctx->branch, -1);
	if (ctx->staff_id)
		db_bind_int64(st, 4, ctx->staff_id);
	db_bind_int64(st, 5, (long long)ctx->now);
	db_bind_text(st, 6, due_on, -1);
	return store_run(ctx->store, st, "adding a loan") && circ_item_set(ctx, item->id, "on_loan") &&
	       count_stat(ctx, item->type, p->category, "checkout");
}

/* The checks that refuse an item whatever the patron's blocks. */
static enum circ_status item_refusal(const struct circ_ctx *ctx, const struct circ_patron_rec *p,
				     struct circ_checkout_res *res, const struct open_loan *loan,
				     const struct holds_first *hold)
{
	const char *status = res->item.status;
	if (strcmp(status, "missing") == 0 || strcmp(status, "not_loanable") == 0)
		return CIRC_ITEM_NOT_LOANABLE;
	if (loan->id && loan->patron_id == p->id) {
		memcpy(res->due_on, loan->due_on, sizeof res->due_on);
		res->renewals = loan->renewals;
		return CIRC_ALREADY_ON_LOAN;
	}
	if (hold->id && hold->patron_id != p->id)
		return CIRC_ITEM_ON_HOLD_FOR_OTHER;
	(void)ctx;
	return CIRC_OK;
}

enum circ_status circ_checkout(const struct circ_ctx *ctx, const struct circ_checkout_req *req,
			       struct circ_checkout_res *res)
{
	memset(res, 0, sizeof *res);
	enum circ_status s = circ_patron_find(ctx->store, req->card, &res->patron);
	if (s != CIRC_OK)
		return s;
	if ((s = circ_item_find(ctx, req->barcode, &res->item)) != CIRC_OK)
		return s;
	struct open_loan loan;
	struct holds_first hold;
	if (!open_loan_find(ctx, res->item.id, &loan) ||
	    !holds_first_for(ctx, &res->item, HOLDS_SHELF, &hold))
		return CIRC_STORE_FAILED;
	/* The override of a hold lends past it and leaves it waiting. */
	bool hold_overridden = hold.id && hold.patron_id != res->patron.id &&
			       (req->override_blocks & CIRC_OVERRIDE_HOLD);
	if (hold_overridden)
		hold.id = 0;
	if ((s = item_refusal(ctx, &res->patron, res, &loan, &hold)) != CIRC_OK)
		return s;
	/* Lent to someone else after this happened: returning that later loan
	 * would undo it (effects ordered by occurred_at). */
	if (loan.id && loan.loaned_at > ctx->now) {
		res->loan_started_at = loan.loaned_at;
		return CIRC_LOAN_STARTED_LATER;
	}
	res->blocks = circ_patron_blocks(ctx, &res->patron);
	if (res->blocks & ~req->override_blocks)
		return CIRC_PATRON_BLOCKED;
	res->overridden = res->blocks | (hold_overridden ? CIRC_OVERRIDE_HOLD : 0u);
	if (loan.id) {
		/* Still on loan to someone else: it is back on the desk, so it was returned. */
		long days;
		res->returned_first = true;
		if (!loan_return(ctx, &res->item, &loan, &res->returned_fine_cents, &days))
			return CIRC_STORE_FAILED;
	}
	if (hold.id) {
		res->hold_fulfilled = true;
		if (!holds_set(ctx, hold.id, "fulfilled", res->item.id, NULL))
			return CIRC_STORE_FAILED;
	} else if (!holds_fulfil_own(ctx, res->patron.id, &res->item, &res->hold_fulfilled)) {
		return CIRC_STORE_FAILED;
	}
	if (req->due_on)
		snprintf(res->due_on, sizeof res->due_on, "%s", req->due_on);
	else
		circ_due_date(ctx, res->item.type, res->due_on);
	if (!loan_add(ctx, &res->patron, &res->item, res->due_on))
		return CIRC_STORE_FAILED;
	res->patron.loans++;
	return CIRC_OK;
}

void circ_checkout_res_clear(struct circ_checkout_res *res)
{
	circ_patron_clear(&res->patron);
	circ_item_clear(&res->item);
}

/* ---- renewal ---- */

/* The borrower of an open loan, with the blocks that refuse a renewal. */
static enum circ_status renewal_patron(const struct circ_ctx *ctx, const struct open_loan *loan,
				       struct circ_renewal_res *res)
{
	struct db_stmt *st = store_stmt(ctx->store, "SELECT card FROM patrons WHERE id = ?");
	db_bind_int64(st, 1, loan->patron_id);
	char card[CIRC_CODE_LEN * 2] = "";
	int rc = db_step(st);
	if (rc == DB_ROW)
		db_column_copy(st, 0, card, sizeof card);
	store_done(st);
	if (rc != DB_ROW) {
		store_failed(ctx->store, "reading a borrower");
		return CIRC_STORE_FAILED;
	}
	enum circ_status s = circ_patron_find(ctx->store, card, &res->patron);
	if (s == CIRC_OK)
		res->blocks = circ_patron_blocks(ctx, &res->patron) & CIRC_RENEWAL_BLOCKS;
	return s == CIRC_OK ? CIRC_OK : CIRC_STORE_FAILED;
}

enum circ_status circ_renew(const struct circ_ctx *ctx, const char *barcode,
			    unsigned override_blocks, struct circ_renewal_res *res)
{
	memset(res, 0, sizeof *res);
	res->max_renewals = ctx->rules->max_renewals;
	enum circ_status s = circ_item_find(ctx, barcode, &res->item);
	if (s != CIRC_OK)
		return s;
	struct open_loan loan;
	struct holds_first hold;
	if (!open_loan_find(ctx, res->item.id, &loan) ||
	    !holds_first_for(ctx, &res->item, HOLDS_SHELF | HOLDS_TITLE, &hold))
		return CIRC_STORE_FAILED;
	res->renewals = loan.renewals;
	memcpy(res->due_on, loan.due_on, sizeof res->due_on);
	if (!loan.id)
		return CIRC_NOT_ON_LOAN;
	if (loan.loaned_at > ctx->now) {
		res->loan_started_at = loan.loaned_at;
		return CIRC_LOAN_STARTED_LATER;
	}
	char due[CIRC_DATE_LEN];
	circ_due_date(ctx, res->item.type, due);
	/* Renewed already (a second read of the scanner): the date would not
	 * move, so the answer is the loan as it is and no renewal is used. */
	if (strcmp(due, loan.due_on) <= 0) {
		res->unchanged = true;
		return CIRC_OK;
	}
	if (hold.id && hold.patron_id != loan.patron_id)
		return CIRC_RENEWAL_BLOCKED_BY_HOLD;
	if ((s = renewal_patron(ctx, &loan, res)) != CIRC_OK)
		return s;
	if (res->blocks & ~override_blocks)
		return CIRC_PATRON_BLOCKED;
	res->overridden = res->blocks;
	if (loan.renewals >= ctx->rules->max_renewals)
		return CIRC_RENEWAL_LIMIT;
	/* The days already overdue are charged now; the new period starts today. */
	long days;
	res->fine_cents = fine_for(ctx, loan.due_on, loan.category, &days);
	memcpy(res->due_on, due, sizeof res->due_on);
	res->renewals = loan.renewals + 1;
	struct db_stmt *st = store_stmt(ctx->store,
		"UPDATE loans SET due_on = ?, renewals = renewals + 1 WHERE id = ?");
	db_bind_text(st, 1, res->due_on, -1);
	db_bind_int64(st, 2, loan.id);
	if (!store_run(ctx->store, st, "renewing a loan") ||
	    !fine_add(ctx, loan.patron_id, res->item.barcode, res->fine_cents) ||
	    !count_stat(ctx, res->item.type, loan.category, "renewal"))
		return CIRC_STORE_FAILED;
	return CIRC_OK;
}

void circ_renewal_res_clear(struct circ_renewal_res *res)
{
	circ_patron_clear(&res->patron);
	circ_item_clear(&res->item);
}

/* ---- initials ---- */

/* Appends the first character (all its UTF-8 bytes) of s, upper-cased when
 * ASCII, and a point. */
static size_t add_initial(const char *s, char *out, size_t at, size_t cap)
{
	if (!s || !*s)
		return at;
	size_t n = 1;
	while (s[n] && ((unsigned char)s[n] & 0xc0) == 0x80)
		n++;
	if (at + n + 2 > cap)
		return at;
	memcpy(out + at, s, n);
	out[at] = (char)toupper((unsigned char)out[at]);
	out[at + n] = '.';
	out[at + n + 1] = '\0';
	return at + n + 1;
}

void circ_initials(const char *given_name, const char *family_name,
		   char out[CIRC_INITIALS_LEN])
{
	out[0] = '\0';
	size_t at = add_initial(given_name, out, 0, CIRC_INITIALS_LEN);
	/* "van den Berg" files under B: skip the prefixes, which start lower case. */
	const char *f = family_name ? family_name : "";
	const char *word = f;
	for (const char *p = f; *p; p++) {
		bool starts = p == f || p[-1] == ' ';
		if (starts && !islower((unsigned char)*p)) {
			word = p;
			break;
		}
	}
	add_initial(word, out, at, CIRC_INITIALS_LEN);
}
