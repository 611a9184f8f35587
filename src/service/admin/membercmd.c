#include "service/admin/membercmd.h"

#include "core/date.h"
#include "core/i18n.h"
#include "service/domain/jobs.h"
#include "service/domain/membership.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int age_out(struct store *store, const struct rules *rules, int argc, char **argv)
{
	struct civil_date day;
	int status = admin_date_option(&membercmd_entry, argc, argv, &day);
	if (status >= 0)
		return status;
	struct membership_age_out_counts counts;
	bool done = membership_age_out(store, rules->youth_at_18, day, time(NULL), &counts);
	jobs_record(store, "memberships_age_out", done, time(NULL));
	if (!done) {
		fprintf(stderr, "%s\n", _("balied: the youth memberships could not be updated"));
		return 1;
	}
	char iso[DATE_STR_LEN];
	date_format_iso(day, iso);
	if (rules->youth_at_18 == RULES_YOUTH_TO_ADULT)
		printf(P_("%s: %u youth member turned 18 and became an adult member\n",
			  "%s: %u youth members turned 18 and became adult members\n", counts.converted),
		       iso, counts.converted);
	else
		printf(P_("%s: %u youth member turned 18; the membership ended\n",
			  "%s: %u youth members turned 18; their memberships ended\n", counts.ended),
		       iso, counts.ended);
	return 0;
}

static int membercmd_run(const struct admin_ctx *ctx, int argc, char **argv)
{
	struct store *store = ctx->store;
	const struct rules *rules = ctx->rules;
	if (argc >= 2 && strcmp(argv[1], "age-out") == 0)
		return age_out(store, rules, argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)) {
		admin_usage(&membercmd_entry, stdout);
		return 0;
	}
	admin_usage(&membercmd_entry, stderr);
	return 2;
}

const struct admin_cmd membercmd_entry = {
	.name = "memberships",
	.usage = N_("Usage: balied [--db PATH | --config FILE] memberships age-out [--date YYYY-MM-DD]\n"
		   "Applies the rules file's youth_at_18 to youth members who are 18 on the date\n"
		   "(default today): their membership becomes an adult one, or ends. Run it daily;\n"
		   "a second run changes nothing.\n"),
	.needs_rules = true,
	.run = membercmd_run,
};
