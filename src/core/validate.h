/* The fields of a youth enrolment checked the same way by the desk (as each
 * field is left) and by the service (before anything is stored): names,
 * Dutch postcode, house number and suffix, date of birth, e-mail, phone.
 * A check answers with a problem; its wire name is the "reason" of an
 * invalid_field error (DESIGN.md section 2) and its text is the desk's. */
#ifndef BALIE_VALIDATE_H
#define BALIE_VALIDATE_H

#include "core/date.h"

#include <stdbool.h>
#include <stddef.h>

/* X(enum name, wire reason, the desk's words in English) */
#define VALIDATE_PROBLEMS(X) \
	X(OK, "ok", N_("Correct.")) \
	X(MISSING, "missing", N_("This must be filled in.")) \
	X(TOO_LONG, "too_long", N_("This is too long.")) \
	X(FORMAT, "format", N_("This is not in the right form.")) \
	X(LETTERS_NOT_USED, "letters_not_used", N_("Postcodes never end in SA, SD or SS.")) \
	X(NOT_A_DATE, "not_a_date", N_("This date does not exist.")) \
	X(IN_FUTURE, "in_future", N_("This date lies in the future.")) \
	X(TOO_OLD, "too_old", N_("This date lies too far in the past.")) \
	X(OUT_OF_RANGE, "out_of_range", N_("This number is out of range.")) \
	X(UNKNOWN, "unknown", N_("This is not one of the choices."))

enum validate_problem {
#define VALIDATE_ENUM(name, wire, text) VALIDATE_##name,
	VALIDATE_PROBLEMS(VALIDATE_ENUM)
#undef VALIDATE_ENUM
	VALIDATE_PROBLEM_COUNT
};

/* The wire name ("format"), and back (VALIDATE_FORMAT for a name this build
 * does not know). */
const char *validate_problem_name(enum validate_problem p);
enum validate_problem validate_problem_from_name(const char *name);
/* The desk's words, translated. */
const char *validate_problem_text(enum validate_problem p);

enum {
	VALIDATE_NAME_MAX = 100,   /* bytes of a name */
	VALIDATE_EMAIL_MAX = 254,
	VALIDATE_POSTCODE_LEN = 8, /* "1234 AB" and the NUL */
	VALIDATE_PHONE_LEN = 16,   /* "+31" and at most 11 digits, or the national form, and the NUL */
	VALIDATE_SUFFIX_MAX = 8,
	VALIDATE_HOUSE_NUMBER_MAX = 99999,
	VALIDATE_OLDEST_YEARS = 130, /* a date of birth further back is a typing error */
};

/*
 * A person's given or family name: 1-VALIDATE_NAME_MAX bytes of UTF-8 after
 * trimming blanks, with at least one letter, and no digits, control
 * characters or punctuation other than space, hyphen, apostrophe (' or
 * U+2019) and full stop ("van 't Hek", "Jan-Willem", "Zoë", "Yılmaz").
 * A letter is a code point of the Unicode general category L (any script);
 * combining marks (category M) may follow; anything else beyond ASCII (the
 * digits of other scripts, fractions, superscripts, U+FEFF, U+FFFE) is no
 * part of a name. The desk and the service both call this.
 */
enum validate_problem validate_name(const char *s);

/*
 * A Dutch postcode: four digits not starting with 0, an optional space, two
 * letters (either case) other than SA, SD and SS. On success out gets the
 * normal form "1234 AB".
 */
enum validate_problem validate_postcode(const char *s, char out[VALIDATE_POSTCODE_LEN]);

/* A house number: digits only, 1..VALIDATE_HOUSE_NUMBER_MAX; sets *out. */
enum validate_problem validate_house_number(const char *s, long *out);
/* A house number suffix ("A", "bis", "2", "III", "-3"): 1-VALIDATE_SUFFIX_MAX
 * letters and digits, a hyphen or space only between them. Empty is missing:
 * the caller decides whether a suffix is optional. */
enum validate_problem validate_house_suffix(const char *s);
/* validate_house_suffix, and on success out gets the normal form as stored:
 * without the blanks around it, letters in upper case ("b" is "B"). */
enum validate_problem validate_house_suffix_normal(const char *s,
						  char out[VALIDATE_SUFFIX_MAX + 1]);

/* An e-mail address of the ordinary form local@domain.tld, at most
 * VALIDATE_EMAIL_MAX bytes, no spaces or quotes. */
enum validate_problem validate_email(const char *s);

/*
 * A Dutch phone number: ten digits starting with 0 ("020 123 4567",
 * "06-12345678"), or +31 / 0031 and the nine digits after the 0, with any
 * spaces, hyphens, dots or parentheses between. On success out gets the
 * national form of digits only, e.g. "0612345678".
 */
enum validate_problem validate_phone(const char *s, char out[VALIDATE_PHONE_LEN]);

/*
 * A date of birth, "YYYY-MM-DD" (dutch false) or dd-mm-jjjj (dutch true):
 * a date that exists, not after today, and at most VALIDATE_OLDEST_YEARS
 * back. Sets *out.
 */
enum validate_problem validate_birth_date(const char *s, bool dutch, struct civil_date today,
					  struct civil_date *out);

/* Youth membership (DESIGN.md section 3) is for ages 0 up to, not
 * including, VALIDATE_YOUTH_AGE on the day of enrolment. */
enum { VALIDATE_YOUTH_AGE = 18 };
/* True when someone born on birth may become a youth member on day. */
bool validate_youth_eligible(struct civil_date birth, struct civil_date day);
/* The last day of a youth membership: the day before the 18th birthday
 * (for a child born on 29 February, 28 February of a common year). */
struct civil_date validate_youth_last_day(struct civil_date birth);
/* The days a youth membership taken out on day runs, day and the last day
 * both counted: 1 when the 18th birthday is tomorrow. */
long validate_youth_days(struct civil_date birth, struct civil_date day);

/* The card number check: 14 digits whose last is the Luhn digit of the rest. */
bool validate_card(const char *s);
/* True for 14 digits whose last is not the Luhn digit of the rest: a card
 * misread or mistyped (any other code is not a card at all, and is looked
 * up and not found). */
bool validate_card_check_digit_wrong(const char *s);

/* Copies s without leading and trailing blanks into a new string. */
char *validate_trim_dup(const char *s);

#endif
