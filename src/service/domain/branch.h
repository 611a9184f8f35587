/* The branches of a library: their codes, names, open weekdays and closed
 * days (GET /branches, "balied branch ..."). Whether a code exists is
 * staff_branch_exists (staff.h). Rows are handed to a callback one at a
 * time; their strings live until it returns. */
#ifndef BALIED_BRANCH_H
#define BALIED_BRANCH_H

#include "service/store/store.h"

#include <stdbool.h>
#include <time.h>

/* True for a branch code: 1 to 16 of A-Z and 0-9. */
bool branch_code_ok(const char *code);
/* True for open weekdays: 1 to 7 distinct ISO weekday digits (1 Monday). */
bool branch_weekdays_ok(const char *days);

struct branch_row {
	const char *code, *name;
	const char *open_weekdays; /* ISO weekday digits, e.g. "123456" */
	const char *closed;        /* branch_each_summary: its closed days, space-separated
				    * in date order, or NULL for none; else NULL */
};
typedef void (*branch_fn)(void *ctx, const struct branch_row *b);

/* Calls fn for each branch by code. False (logged) when the store fails. */
bool branch_each(struct store *store, branch_fn fn, void *ctx);
/* Like branch_each, with every closed day of each branch in the row, past ones
 * too: the administrator's listing. */
bool branch_each_summary(struct store *store, branch_fn fn, void *ctx);

typedef void (*branch_date_fn)(void *ctx, const char *date);
/* Calls fn for each day (YYYY-MM-DD) from from on that the branch code is
 * closed, in date order. False (logged) when the store fails. */
bool branch_each_closed_from(struct store *store, const char *code, const char *from,
			     branch_date_fn fn, void *ctx);

/* Adds a branch with its audit entry, in a transaction of its own; the
 * fields must have been checked. False when the store fails. */
bool branch_add(struct store *store, const char *code, const char *name, const char *days,
		time_t now);
/* Marks the branch closed or open again on date (YYYY-MM-DD), with its audit
 * entry, in a transaction of its own; closing a closed day or opening an
 * open one changes nothing but the audit log. False when the store fails. */
bool branch_set_closed(struct store *store, const char *code, const char *date, bool closed,
		       time_t now);

#endif
