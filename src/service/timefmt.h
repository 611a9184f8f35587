/* Instants and dates as the protocol writes them: RFC 3339 UTC instants and
 * YYYY-MM-DD dates in the local time zone (balied sets TZ from its settings). */
#ifndef BALIED_TIMEFMT_H
#define BALIED_TIMEFMT_H

#include <stdbool.h>
#include <time.h>

enum { TIMEFMT_INSTANT_LEN = 21, TIMEFMT_DATE_LEN = 11 }; /* with the NUL */

/* "2026-11-22T09:46:00Z" */
void timefmt_instant(time_t t, char out[TIMEFMT_INSTANT_LEN]);
/* The local date of t, "2026-11-22". */
void timefmt_date(time_t t, char out[TIMEFMT_DATE_LEN]);
/* The date days after (or before, when negative) the local date of t. */
void timefmt_date_add(time_t t, int days, char out[TIMEFMT_DATE_LEN]);
/* The ISO weekday (1 = Monday .. 7 = Sunday) of a "YYYY-MM-DD" date; 0 when
 * it is not a date. */
int timefmt_weekday(const char *date);

#endif
