/* Loan statistics from the anonymous rows of loan_stats (balied(8), GET
 * /stats/loans and /stats/loans.csv): loans, renewals, returns and in-house
 * use of a period, per day, branch, item type and patron category, for the
 * desk's chart and the yearly data delivery. Nobody's name is in them. */
#ifndef BALIED_LOAN_STATS_H
#define BALIED_LOAN_STATS_H

#include "service/store/store.h"

#include <cjson/cJSON.h>

struct loan_stats_period {
	const char *from, *to; /* YYYY-MM-DD, both included */
	const char *branch;    /* a branch code, or NULL for every branch */
};

/* {"from","to","branch","total":{counts},"by_day":[{"code", counts}],
 * "by_branch","by_item_type","by_category"}, where counts are "checkout",
 * "renewal","checkin","in_house"; NULL (logged) when the store fails. */
cJSON *loan_stats_json(struct store *store, const struct loan_stats_period *p);

/* The same rows as CSV for the data delivery (Dutch header, ';', CRLF, a
 * byte-order mark): one line per day, branch, item type, category and
 * action. Allocated; NULL (logged) when the store fails. */
char *loan_stats_csv_dup(struct store *store, const struct loan_stats_period *p);

#endif
