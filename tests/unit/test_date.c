/* Civil dates: what due dates, opening days and ages are computed with. */
#include "core/date.h"
#include "tap.h"

#include <stdlib.h>

static struct civil_date D(int y, int m, int d)
{
	return (struct civil_date){ y, m, d };
}

int main(void)
{
	struct civil_date d;
	char buf[DATE_STR_LEN];

	ok(date_parse_iso("2026-11-22", &d) && d.year == 2026 && d.month == 11 && d.day == 22,
	   "an ISO date parses");
	ok(!date_parse_iso("2026-02-29", &d), "29 February 2026 does not exist");
	ok(date_parse_iso("2024-02-29", &d), "29 February 2024 does");
	ok(!date_parse_iso("2026-13-01", &d), "month 13 is refused");
	ok(!date_parse_iso("2026-1-01", &d), "a one-digit month is not ISO");
	ok(!date_parse_iso("2026-11-22x", &d), "trailing text is refused");
	ok(!date_parse_iso("", &d), "the empty string is refused");

	ok(date_parse_dutch("07-03-2019", &d) && d.year == 2019 && d.month == 3 && d.day == 7,
	   "dd-mm-jjjj parses");
	ok(date_parse_dutch("7-3-2019", &d) && d.day == 7 && d.month == 3, "d-m-jjjj parses");
	ok(date_parse_dutch("7/3/2019", &d) && date_parse_dutch("7.3.2019", &d),
	   "slashes and dots parse too");
	ok(!date_parse_dutch("7-3/2019", &d), "mixed separators are refused");
	ok(!date_parse_dutch("31-04-2019", &d), "31 April is refused");
	ok(!date_parse_dutch("07-03-19", &d), "a two-digit year is refused");

	date_format_dutch(D(2026, 1, 5), buf);
	is_str(buf, "05-01-2026", "the Dutch form has two-digit day and month");
	date_format_iso(D(2026, 1, 5), buf);
	is_str(buf, "2026-01-05", "the ISO form");

	ok(date_to_days(D(1970, 1, 1)) == 0, "day 0 is 1 January 1970");
	ok(date_compare(date_from_days(date_to_days(D(2400, 2, 29))), D(2400, 2, 29)) == 0,
	   "days and back round-trip in 2400");
	date_format_iso(date_add_days(D(2026, 12, 25), 21), buf);
	is_str(buf, "2027-01-15", "21 days after Christmas 2026");
	date_format_iso(date_add_days(D(2024, 3, 1), -1), buf);
	is_str(buf, "2024-02-29", "the day before 1 March in a leap year");
	ok(date_weekday(D(2026, 11, 22)) == 7, "22 November 2026 is a Sunday");
	ok(date_weekday(D(2026, 11, 23)) == 1, "23 November 2026 is a Monday");
	ok(date_weekday(D(1969, 12, 31)) == 3, "31 December 1969 was a Wednesday");

	struct civil_date born = D(2008, 11, 22);
	ok(date_age_on(born, D(2026, 11, 21)) == 17, "17 the day before the 18th birthday");
	ok(date_age_on(born, D(2026, 11, 22)) == 18, "18 on the 18th birthday");
	struct civil_date leap = D(2008, 2, 29);
	ok(date_age_on(leap, D(2026, 2, 28)) == 17, "born 29 February: 17 on 28 February of a common year");
	ok(date_age_on(leap, D(2026, 3, 1)) == 18, "and 18 on 1 March");
	ok(date_age_on(leap, D(2028, 2, 29)) == 20, "in a leap year the birthday is 29 February");
	ok(date_age_on(born, D(2008, 11, 22)) == 0, "0 on the day of birth");
	ok(date_age_on(born, D(2008, 11, 21)) == -1, "-1 before birth");
	date_format_iso(date_birthday(leap, 18), buf);
	is_str(buf, "2026-03-01", "the 18th birthday of a 29 February child in 2026");

	setenv("TZ", "Europe/Amsterdam", 1);
	tzset();
	/* 2026-03-28T23:30:00Z is already 29 March in Amsterdam (UTC+1). */
	date_format_iso(date_of_time(1774740600), buf);
	is_str(buf, "2026-03-29", "the local date of an instant follows TZ");
	return tap_done();
}
