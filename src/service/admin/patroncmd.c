#include "service/admin/patroncmd.h"

#include "core/i18n.h"
#include "core/validate.h"
#include "service/domain/erasure.h"
#include "service/domain/jobs.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int erase_failed(enum erasure_status s, unsigned loans, long long balance)
{
	switch (s) {
	case ERASURE_NOT_FOUND:
		fprintf(stderr, "%s\n", _("balied: no patron with this card"));
		break;
	case ERASURE_HAS_LOANS:
		fprintf(stderr, P_("balied: the patron has %u item on loan: not erased\n",
				   "balied: the patron has %u items on loan: not erased\n", loans),
			loans);
		break;
	case ERASURE_HAS_BALANCE:
		fprintf(stderr, _("balied: the patron owes %lld cents: not erased\n"), balance);
		break;
	default:
		fprintf(stderr, "%s\n", _("balied: the patron could not be erased"));
		break;
	}
	return 1;
}

static int erase(const struct admin_ctx *ctx, int argc, char **argv)
{
	if (argc != 2 || !validate_card(argv[1])) {
		admin_usage(&patroncmd_entry, stderr);
		return 2;
	}
	struct circ_ctx cc;
	circ_ctx_init(&cc, ctx->store, ctx->rules, time(NULL), "", 0);
	if (!store_begin(ctx->store))
		return erase_failed(ERASURE_FAILED, 0, 0);
	unsigned loans;
	long long balance;
	enum erasure_status s =
		erasure_erase(&cc, argv[1], ERASURE_ON_REQUEST, NULL, &loans, &balance);
	if (s != ERASURE_DONE || !store_commit(ctx->store)) {
		store_rollback(ctx->store);
		return erase_failed(s == ERASURE_DONE ? ERASURE_FAILED : s, loans, balance);
	}
	printf("%s\n", _("The patron's data were erased."));
	return 0;
}

static int retention(const struct admin_ctx *ctx, int argc, char **argv)
{
	struct civil_date day;
	int status = admin_date_option(&patroncmd_entry, argc, argv, &day);
	if (status >= 0)
		return status;
	struct erasure_counts counts;
	bool done = erasure_retention(ctx->store, ctx->rules, day, time(NULL), &counts);
	jobs_record(ctx->store, "retention", done, time(NULL));
	if (!done) {
		fprintf(stderr, "%s\n", _("balied: the retention rule could not be applied"));
		return 1;
	}
	char iso[DATE_STR_LEN];
	date_format_iso(day, iso);
	printf(P_("%s: %u patron erased", "%s: %u patrons erased", counts.erased), iso,
	       counts.erased);
	printf(_("; kept for loans: %u, for a balance: %u\n"), counts.kept_loans,
	       counts.kept_balance);
	return 0;
}

static int patroncmd_run(const struct admin_ctx *ctx, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "erase") == 0)
		return erase(ctx, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "retention") == 0)
		return retention(ctx, argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)) {
		admin_usage(&patroncmd_entry, stdout);
		return 0;
	}
	admin_usage(&patroncmd_entry, stderr);
	return 2;
}

const struct admin_cmd patroncmd_entry = {
	.name = "patrons",
	.usage = N_("Usage: balied [--db PATH | --config FILE] patrons erase CARD\n"
		   "       balied [--db PATH | --config FILE] patrons retention [--date YYYY-MM-DD]\n"
		   "erase: erases the patron's data (not with loans or an open balance).\n"
		   "retention: erases the patrons whose membership ended more than\n"
		   "retention_months (balied-rules(5)) before the date (default today).\n"
		   "Run it daily; it is safe while balied runs.\n"),
	.needs_rules = true,
	.run = patroncmd_run,
};
