#include "service/training/testclock.h"

#include "core/date.h"
#include "core/i18n.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <time.h>

bool testclock_offset(bool training, time_t *offset, char **err)
{
	const char *today = getenv("BALIED_TEST_TODAY");
	*offset = 0;
	if (!today || !*today)
		return true;
	if (!training) {
		/* Refused rather than ignored: a real library must never run on a
		 * clock someone left set. */
		*err = xstrdup(_("BALIED_TEST_TODAY is only for a training service (--training)"));
		return false;
	}
	struct civil_date d;
	if (!date_parse_iso(today, &d)) {
		*err = xasprintf(_("BALIED_TEST_TODAY: \"%s\" is not a date (YYYY-MM-DD)"), today);
		return false;
	}
	/* The same time of day on that date, so that the local date is right
	 * across a change to or from summer time. */
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	tm.tm_year = d.year - 1900;
	tm.tm_mon = d.month - 1;
	tm.tm_mday = d.day;
	tm.tm_isdst = -1;
	*offset = mktime(&tm) - now;
	return true;
}
