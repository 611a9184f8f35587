/* Civil dates (no time of day, no zone): what due dates, birth dates and
 * opening days are. "Today" is taken in the local zone, which balied sets to
 * Europe/Amsterdam and the desk takes from TZ. */
#ifndef BALIE_DATE_H
#define BALIE_DATE_H

#include <stdbool.h>
#include <time.h>

struct civil_date {
	int year;  /* 1..9999 */
	int month; /* 1..12 */
	int day;   /* 1..31 */
};

enum { DATE_STR_LEN = 11 }; /* "2026-11-22" or "22-11-2026" and the NUL */

/* True for a real date of the Gregorian calendar in years 1..9999. */
bool date_is_valid(struct civil_date d);
bool date_is_leap_year(int year);
int date_days_in_month(int year, int month);

/* "YYYY-MM-DD", exactly; false for anything else or a date that does not exist. */
bool date_parse_iso(const char *s, struct civil_date *out);
/* "dd-mm-jjjj" as a Dutch desk types it: day and month of one or two digits,
 * separated by '-', '/' or '.', a four-digit year; false for a date that does not exist. */
bool date_parse_dutch(const char *s, struct civil_date *out);
void date_format_iso(struct civil_date d, char out[DATE_STR_LEN]);
/* dd-mm-jjjj */
void date_format_dutch(struct civil_date d, char out[DATE_STR_LEN]);

/* Days since 1970-01-01 (negative before), and back. */
long date_to_days(struct civil_date d);
struct civil_date date_from_days(long days);
struct civil_date date_add_days(struct civil_date d, long n);
/* <0, 0 or >0 as a is before, on or after b. */
int date_compare(struct civil_date a, struct civil_date b);
/* ISO weekday: 1 = Monday .. 7 = Sunday. */
int date_weekday(struct civil_date d);

/*
 * Whole years of age on the day on for someone born on birth; -1 when on is
 * before birth. Someone born on 29 February has a birthday on 1 March in a
 * common year (so is 18 on 1 March, not 28 February).
 */
int date_age_on(struct civil_date birth, struct civil_date on);
/* The day someone born on birth turns years old (29 February -> 1 March). */
struct civil_date date_birthday(struct civil_date birth, int years);

/* The local date of an instant, and today. */
struct civil_date date_of_time(time_t t);
struct civil_date date_today(void);

#endif
