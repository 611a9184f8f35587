#include "core/date.h"

#include <stdio.h>
#include <string.h>

bool date_is_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int date_days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (month < 1 || month > 12)
		return 0;
	return month == 2 && date_is_leap_year(year) ? 29 : days[month - 1];
}

bool date_is_valid(struct civil_date d)
{
	return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
	       d.day <= date_days_in_month(d.year, d.month);
}

/* Reads exactly n digits at *s; advances *s. */
static bool digits(const char **s, int min, int max, int *out)
{
	int v = 0, n = 0;
	while (n < max && **s >= '0' && **s <= '9') {
		v = v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	if (n < min)
		return false;
	*out = v;
	return true;
}

bool date_parse_iso(const char *s, struct civil_date *out)
{
	struct civil_date d;
	if (!digits(&s, 4, 4, &d.year) || *s++ != '-' || !digits(&s, 2, 2, &d.month) ||
	    *s++ != '-' || !digits(&s, 2, 2, &d.day) || *s != '\0' || !date_is_valid(d))
		return false;
	*out = d;
	return true;
}

bool date_parse_dutch(const char *s, struct civil_date *out)
{
	struct civil_date d;
	if (!digits(&s, 1, 2, &d.day) || !strchr("-/.", *s) || *s == '\0')
		return false;
	char sep = *s++;
	if (!digits(&s, 1, 2, &d.month) || *s++ != sep || !digits(&s, 4, 4, &d.year) ||
	    *s != '\0' || !date_is_valid(d))
		return false;
	*out = d;
	return true;
}

void date_format_iso(struct civil_date d, char out[DATE_STR_LEN])
{
	snprintf(out, DATE_STR_LEN, "%04u-%02u-%02u", (unsigned)d.year % 10000u,
		 (unsigned)d.month % 100u, (unsigned)d.day % 100u);
}

void date_format_dutch(struct civil_date d, char out[DATE_STR_LEN])
{
	snprintf(out, DATE_STR_LEN, "%02u-%02u-%04u", (unsigned)d.day % 100u,
		 (unsigned)d.month % 100u, (unsigned)d.year % 10000u);
}

/* Howard Hinnant's days_from_civil and civil_from_days. */
long date_to_days(struct civil_date d)
{
	long y = d.year - (d.month <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long mp = (d.month + 9) % 12;
	long doy = (153 * mp + 2) / 5 + d.day - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

struct civil_date date_from_days(long days)
{
	long z = days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	struct civil_date d;
	d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.year = (int)(yoe + era * 400 + (d.month <= 2));
	return d;
}

struct civil_date date_add_days(struct civil_date d, long n)
{
	return date_from_days(date_to_days(d) + n);
}

int date_compare(struct civil_date a, struct civil_date b)
{
	long da = date_to_days(a), db = date_to_days(b);
	return (da > db) - (da < db);
}

int date_weekday(struct civil_date d)
{
	long days = date_to_days(d); /* 1970-01-01 was a Thursday (4) */
	long w = (days % 7 + 7 + 3) % 7;
	return (int)w + 1;
}

struct civil_date date_birthday(struct civil_date birth, int years)
{
	struct civil_date b = { birth.year + years, birth.month, birth.day };
	if (b.month == 2 && b.day == 29 && !date_is_leap_year(b.year)) {
		b.month = 3;
		b.day = 1;
	}
	return b;
}

int date_age_on(struct civil_date birth, struct civil_date on)
{
	if (date_compare(on, birth) < 0)
		return -1;
	int age = on.year - birth.year;
	if (date_compare(on, date_birthday(birth, age)) < 0)
		age--;
	return age;
}

struct civil_date date_of_time(time_t t)
{
	struct tm tm;
	localtime_r(&t, &tm);
	return (struct civil_date){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday };
}

struct civil_date date_today(void)
{
	return date_of_time(time(NULL));
}
