#include "service/admin/holdcmd.h"

#include "core/date.h"
#include "core/i18n.h"
#include "service/domain/holds.h"
#include "service/domain/jobs.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int expire(struct store *store, const struct rules *rules, int argc, char **argv)
{
	struct civil_date day;
	int status = admin_date_option(&holdcmd_entry, argc, argv, &day);
	if (status >= 0)
		return status;
	char iso[DATE_STR_LEN];
	date_format_iso(day, iso);
	struct holds_expire_counts counts;
	bool done = holds_expire(store, rules, iso, time(NULL), &counts);
	jobs_record(store, "holds_expire", done, time(NULL));
	if (!done) {
		fprintf(stderr, "%s\n", _("balied: the hold shelf could not be cleared"));
		return 1;
	}
	printf(P_("%s: %u hold expired", "%s: %u holds expired", counts.expired), iso,
	       counts.expired);
	printf(P_("; %u copy went to the next hold\n", "; %u copies went to the next hold\n",
		  counts.passed_on), counts.passed_on);
	return 0;
}

static int holdcmd_run(const struct admin_ctx *ctx, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "expire") == 0)
		return expire(ctx->store, ctx->rules, argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)) {
		admin_usage(&holdcmd_entry, stdout);
		return 0;
	}
	admin_usage(&holdcmd_entry, stderr);
	return 2;
}

const struct admin_cmd holdcmd_entry = {
	.name = "holds",
	.usage = N_("Usage: balied [--db PATH | --config FILE] holds expire [--date YYYY-MM-DD]\n"
		   "Expires the holds ready on the hold shelf whose last day to fetch them is\n"
		   "before the date (default today); each copy goes to the next hold or back.\n"
		   "Run it daily; a second run changes nothing.\n"),
	.needs_rules = true,
	.run = holdcmd_run,
};
