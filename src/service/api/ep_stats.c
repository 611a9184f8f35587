/*
 * GET /stats/loans and GET /stats/loans.csv (balied(8)): the loan
 * statistics of a period from the anonymous rows (domain/loan_stats.h).
 * Roles balie and beheer for the counts, beheer for the CSV (routes.c);
 * the period and branch as for the IDO statistics: from and to (default
 * this month so far), one's own branch unless one is beheer, who sees all
 * or the branch asked for.
 */
#include "service/api/endpoints.h"

#include "service/domain/loan_stats.h"
#include "core/log.h"

#include <stdlib.h>

static bool period(struct call *call, struct reply *out, struct loan_stats_period *p,
		   char from[DATE_STR_LEN], char to[DATE_STR_LEN])
{
	p->from = from;
	p->to = to;
	return ep_period_read(call, out, from, to, &p->branch);
}

void ep_loan_stats(struct call *call, struct reply *out)
{
	struct loan_stats_period p;
	char from[DATE_STR_LEN], to[DATE_STR_LEN];
	if (!period(call, out, &p, from, to))
		return;
	cJSON *stats = loan_stats_json(call->store, &p);
	if (!stats)
		reply_unavailable(out);
	else
		reply_json(out, 200, stats);
}

void ep_loan_stats_export(struct call *call, struct reply *out)
{
	struct loan_stats_period p;
	char from[DATE_STR_LEN], to[DATE_STR_LEN];
	if (!period(call, out, &p, from, to))
		return;
	char *csv = loan_stats_csv_dup(call->store, &p);
	if (!csv) {
		reply_unavailable(out);
		return;
	}
	log_info("loan statistics export %s..%s %s by \"%s\"", from, to,
		 p.branch ? p.branch : "all branches", call->session->username);
	free(out->body);
	out->status = 200;
	out->body = csv;
	out->content_type = "text/csv; charset=utf-8";
}
