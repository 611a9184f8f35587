#include "service/timefmt.h"

#include <stdio.h>
#include <string.h>

void timefmt_instant(time_t t, char out[TIMEFMT_INSTANT_LEN])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, TIMEFMT_INSTANT_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void timefmt_date(time_t t, char out[TIMEFMT_DATE_LEN])
{
	timefmt_date_add(t, 0, out);
}

void timefmt_date_add(time_t t, int days, char out[TIMEFMT_DATE_LEN])
{
	struct tm tm;
	localtime_r(&t, &tm);
	/* Noon, so that a daylight-saving change never moves the day. */
	tm.tm_hour = 12;
	tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += days;
	tm.tm_isdst = -1;
	mktime(&tm);
	if (strftime(out, TIMEFMT_DATE_LEN, "%Y-%m-%d", &tm) == 0)
		out[0] = '\0'; /* a year beyond 9999 */
}

int timefmt_weekday(const char *date)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	int y, m, d;
	if (sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return 0;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	if (mktime(&tm) == (time_t)-1 || tm.tm_mday != d)
		return 0;
	return tm.tm_wday == 0 ? 7 : tm.tm_wday;
}
