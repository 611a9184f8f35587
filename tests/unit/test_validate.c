/* The field checks of a youth enrolment, shared by desk and service: postcode,
 * names, house number, date of birth and age (leap days, the day before and
 * on the 18th birthday), phone, e-mail, and the Luhn digit of card numbers. */
#include "core/luhn.h"
#include "tap.h"
#include "core/validate.h"

#include <stdlib.h>

static struct civil_date D(int y, int m, int d)
{
	return (struct civil_date){ y, m, d };
}

static void test_postcode(void)
{
	char out[VALIDATE_POSTCODE_LEN];
	static const struct {
		const char *in, *want;
	} good[] = {
		{ "1234 AB", "1234 AB" }, { "1234AB", "1234 AB" }, { "1234ab", "1234 AB" },
		{ " 9999 zz ", "9999 ZZ" }, { "1011 sb", "1011 SB" }, { "2500sz", "2500 SZ" },
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		out[0] = '\0';
		ok(validate_postcode(good[i].in, out) == VALIDATE_OK, "postcode \"%s\" is good",
		   good[i].in);
		is_str(out, good[i].want, "and is written \"%s\"", good[i].want);
	}
	static const struct {
		const char *in;
		enum validate_problem want;
	} bad[] = {
		{ "", VALIDATE_MISSING },          { "   ", VALIDATE_MISSING },
		{ "0123 AB", VALIDATE_FORMAT },    { "123 AB", VALIDATE_FORMAT },
		{ "12345 AB", VALIDATE_FORMAT },   { "1234  AB", VALIDATE_FORMAT },
		{ "1234 A", VALIDATE_FORMAT },     { "1234 A1", VALIDATE_FORMAT },
		{ "1234-AB", VALIDATE_FORMAT },    { "1234 ÅB", VALIDATE_FORMAT },
		{ "1234 SA", VALIDATE_LETTERS_NOT_USED }, { "1234sd", VALIDATE_LETTERS_NOT_USED },
		{ "1234 ss", VALIDATE_LETTERS_NOT_USED },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ok(validate_postcode(bad[i].in, out) == bad[i].want, "postcode \"%s\": %s", bad[i].in,
		   validate_problem_name(bad[i].want));
}

static void test_names(void)
{
	const char *good[] = { "Emma", "van 't Hek", "Jan-Willem", "Zoë", "Yılmaz", "d’Ancona",
			       "O'Neill", "J.P.", "El Idrissi", "Ægir" };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		ok(validate_name(good[i]) == VALIDATE_OK, "name \"%s\" is good", good[i]);
	ok(validate_name("") == VALIDATE_MISSING && validate_name("  ") == VALIDATE_MISSING,
	   "an empty name is missing");
	ok(validate_name("Emma2") == VALIDATE_FORMAT, "a digit in a name is refused");
	ok(validate_name("Emma <b>") == VALIDATE_FORMAT, "markup in a name is refused");
	ok(validate_name("--") == VALIDATE_FORMAT, "a name needs a letter");
	ok(validate_name("Em\xe2\x80\xaema") == VALIDATE_FORMAT, "a bidi override is refused");
	ok(validate_name("Em\xffma") == VALIDATE_FORMAT, "invalid UTF-8 is refused");
	/* No letter at all, or something beyond ASCII that is no letter: the
	 * Unicode general category decides, not the code point's size. */
	static const struct {
		const char *name, *what;
	} no_letter[] = {
		{ "\ufeff", "a byte-order mark" },
		{ "\ufffe", "the noncharacter U+FFFE" },
		{ "\u00bd\u00bc", "vulgar fractions" },
		{ "\u2153", "the vulgar fraction one third" },
		{ "\u0661\u0662\u0663", "Arabic-Indic digits" },
		{ "\u00b2\u00b3", "superscript digits" },
		{ "\u2074\u2075", "superscripts" },
		{ "\u2082\u2083", "subscripts" },
		{ "\u2460", "a circled digit" },
		{ "Emma\ufeff", "a byte-order mark after a name" },
		{ "Em\u0663ma", "an Arabic-Indic digit in a name" },
		{ "Emma\u2122", "a trade mark sign" },
		{ "\u3000", "an ideographic space alone" },
	};
	for (size_t i = 0; i < sizeof no_letter / sizeof no_letter[0]; i++)
		ok(validate_name(no_letter[i].name) == VALIDATE_FORMAT, "%s is no name",
		   no_letter[i].what);
	static const char *const letters[] = { "\u0645\u062d\u0645\u062f", "\u5f20\u4f1f",
					       "Zoe\u0308", "\u0130lker", "\u00d8ystein" };
	for (size_t i = 0; i < sizeof letters / sizeof letters[0]; i++)
		ok(validate_name(letters[i]) == VALIDATE_OK, "the letters of \"%s\" are a name",
		   letters[i]);
	char longname[VALIDATE_NAME_MAX + 2];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	ok(validate_name(longname) == VALIDATE_TOO_LONG, "a name of %zu bytes is too long",
	   sizeof longname - 1);
}

static void test_house(void)
{
	long n = 0;
	ok(validate_house_number("12", &n) == VALIDATE_OK && n == 12, "house number 12");
	ok(validate_house_number(" 7 ", &n) == VALIDATE_OK && n == 7, "blanks around it are fine");
	ok(validate_house_number("", &n) == VALIDATE_MISSING, "no house number is missing");
	ok(validate_house_number("0", &n) == VALIDATE_OUT_OF_RANGE, "house number 0 is refused");
	ok(validate_house_number("100000", &n) == VALIDATE_OUT_OF_RANGE, "100000 is out of range");
	ok(validate_house_number("12a", &n) == VALIDATE_FORMAT, "12a belongs in two fields");
	ok(validate_house_number("-3", &n) == VALIDATE_FORMAT, "a negative number is refused");
	const char *good[] = { "A", "bis", "2", "III", "-3", "hs", "A 2" };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		ok(validate_house_suffix(good[i]) == VALIDATE_OK, "suffix \"%s\" is good", good[i]);
	ok(validate_house_suffix("") == VALIDATE_MISSING, "an empty suffix is missing");
	ok(validate_house_suffix("A-") == VALIDATE_FORMAT, "a suffix cannot end in a hyphen");
	ok(validate_house_suffix("a/b") == VALIDATE_FORMAT, "a slash is refused");
	ok(validate_house_suffix("abcdefghi") == VALIDATE_TOO_LONG, "nine characters are too long");
	char suffix[VALIDATE_SUFFIX_MAX + 1] = "";
	ok(validate_house_suffix_normal(" b ", suffix) == VALIDATE_OK, "suffix \" b \" is good");
	is_str(suffix, "B", "and its normal form is upper case without blanks");
	ok(validate_house_suffix_normal("bis-2", suffix) == VALIDATE_OK, "suffix bis-2 is good");
	is_str(suffix, "BIS-2", "and is BIS-2");
	strcpy(suffix, "keep");
	ok(validate_house_suffix_normal("a/b", suffix) == VALIDATE_FORMAT && strcmp(suffix, "keep") == 0,
	   "a refused suffix leaves out alone");
}

static void test_birth_date(void)
{
	struct civil_date today = D(2026, 11, 22), d;
	ok(validate_birth_date("07-03-2019", true, today, &d) == VALIDATE_OK && d.year == 2019 &&
		   d.month == 3 && d.day == 7,
	   "07-03-2019 as the desk types it");
	ok(validate_birth_date("2019-03-07", false, today, &d) == VALIDATE_OK && d.day == 7,
	   "2019-03-07 as the protocol sends it");
	ok(validate_birth_date("22-11-2026", true, today, &d) == VALIDATE_OK,
	   "born today is a real date of birth");
	ok(validate_birth_date("23-11-2026", true, today, &d) == VALIDATE_IN_FUTURE,
	   "tomorrow is in the future");
	ok(validate_birth_date("31-02-2019", true, today, &d) == VALIDATE_NOT_A_DATE,
	   "31-02-2019 does not exist");
	ok(validate_birth_date("29-02-2019", true, today, &d) == VALIDATE_NOT_A_DATE,
	   "29-02-2019 does not exist");
	ok(validate_birth_date("29-02-2016", true, today, &d) == VALIDATE_OK,
	   "29-02-2016 does");
	ok(validate_birth_date("2019-02-30", false, today, &d) == VALIDATE_NOT_A_DATE,
	   "2019-02-30 does not exist");
	ok(validate_birth_date("7 maart", true, today, &d) == VALIDATE_FORMAT,
	   "words are not a date");
	ok(validate_birth_date("07-03-19", true, today, &d) == VALIDATE_FORMAT,
	   "a two-digit year is refused");
	ok(validate_birth_date("", true, today, &d) == VALIDATE_MISSING, "nothing is missing");
	ok(validate_birth_date("01-01-1890", true, today, &d) == VALIDATE_TOO_OLD,
	   "1890 is too far back");
}

static void test_age(void)
{
	struct civil_date birth = D(2008, 11, 22);
	ok(date_age_on(birth, D(2026, 11, 21)) == 17, "17 the day before the 18th birthday");
	ok(date_age_on(birth, D(2026, 11, 22)) == 18, "18 on the 18th birthday");
	ok(validate_youth_eligible(birth, D(2026, 11, 21)), "eligible the day before");
	ok(!validate_youth_eligible(birth, D(2026, 11, 22)), "not eligible on the birthday");
	ok(validate_youth_eligible(D(2026, 11, 22), D(2026, 11, 22)), "a newborn is eligible");
	ok(!validate_youth_eligible(D(2026, 11, 23), D(2026, 11, 22)),
	   "nobody born tomorrow is eligible");
	struct civil_date last = validate_youth_last_day(birth);
	ok(last.year == 2026 && last.month == 11 && last.day == 21,
	   "the membership runs to the day before the 18th birthday");

	/* Born on 29 February: 18 on 1 March of a common year. */
	struct civil_date leap = D(2008, 2, 29);
	ok(date_age_on(leap, D(2026, 2, 28)) == 17, "born 29-02-2008: 17 on 28-02-2026");
	ok(date_age_on(leap, D(2026, 3, 1)) == 18, "and 18 on 01-03-2026");
	ok(validate_youth_eligible(leap, D(2026, 2, 28)), "still eligible on 28-02-2026");
	ok(!validate_youth_eligible(leap, D(2026, 3, 1)), "no longer on 01-03-2026");
	last = validate_youth_last_day(leap);
	ok(last.month == 2 && last.day == 28 && last.year == 2026,
	   "the membership ends on 28-02-2026");
	ok(date_age_on(D(2004, 2, 29), D(2022, 2, 28)) == 17 &&
		   date_age_on(D(2004, 2, 29), D(2022, 3, 1)) == 18,
	   "born 29-02-2004: 18 on 01-03-2022");
	ok(date_age_on(D(2000, 2, 29), D(2018, 2, 28)) == 17, "born 29-02-2000: 17 on 28-02-2018");
	ok(date_age_on(D(2007, 3, 1), D(2025, 2, 28)) == 17 &&
		   date_age_on(D(2007, 3, 1), D(2025, 3, 1)) == 18,
	   "born 01-03-2007: 18 on 01-03-2025");
	ok(date_age_on(D(2019, 3, 7), D(2026, 11, 22)) == 7, "born 07-03-2019: 7 on 22-11-2026");
}

static void test_phone(void)
{
	char out[VALIDATE_PHONE_LEN];
	static const struct {
		const char *in, *want;
	} good[] = {
		{ "0612345678", "0612345678" },     { "06-12345678", "0612345678" },
		{ "020 123 4567", "0201234567" },   { "+31 6 12345678", "0612345678" },
		{ "+31612345678", "0612345678" },   { "0031 20 1234567", "0201234567" },
		{ "+31 (0)20 123 45 67", "0201234567" }, { "(020) 123.45.67", "0201234567" },
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		out[0] = '\0';
		ok(validate_phone(good[i].in, out) == VALIDATE_OK, "phone \"%s\" is good", good[i].in);
		is_str(out, good[i].want, "and is %s", good[i].want);
	}
	const char *bad[] = { "061234567",  "06123456789", "+32 2 123 45 67", "+31 0612345678 9",
			      "0012345678", "06-1234567a", "612345678",       "+",
			      "++31612345678", "0031 0 12345678" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ok(validate_phone(bad[i], out) == VALIDATE_FORMAT, "phone \"%s\" is refused", bad[i]);
	ok(validate_phone("", out) == VALIDATE_MISSING, "an empty phone number is missing");
}

static void test_email(void)
{
	const char *good[] = { "a@b.nl", "jan.de.vries@example.org", "x+tag@sub.example.com",
			       "o'neill@voorbeeld.nl", "A_B@mail-server.example.nl" };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		ok(validate_email(good[i]) == VALIDATE_OK, "e-mail \"%s\" is good", good[i]);
	const char *bad[] = { "jan",          "jan@",          "@example.nl",  "jan@example",
			      "jan@@example.nl", "jan@exa mple.nl", "jan de@x.nl", "jan@.nl",
			      "jan@x..nl",     "jan@-x.nl",     "jan@x-.nl",    ".jan@x.nl",
			      "jan.@x.nl",     "ja..n@x.nl",    "jan@x.n",      "jan@x.123",
			      "jan<@x.nl",     "jan@x.nl>" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ok(validate_email(bad[i]) == VALIDATE_FORMAT, "e-mail \"%s\" is refused", bad[i]);
	ok(validate_email("") == VALIDATE_MISSING, "an empty address is missing");
}

static void test_luhn(void)
{
	ok(luhn_digit("7992739871") == '3', "the textbook example: 7992739871 -> 3");
	ok(luhn_valid("79927398713"), "79927398713 is valid");
	ok(!luhn_valid("79927398710"), "79927398710 is not");
	ok(luhn_digit("") == '\0' && luhn_digit("12a") == '\0', "no digit for non-digits");
	char card[15] = "2100000000001";
	card[13] = luhn_digit(card);
	card[14] = '\0';
	ok(validate_card(card), "a 14-digit card with its check digit");
	card[12] = card[12] == '9' ? '0' : (char)(card[12] + 1);
	ok(!validate_card(card), "one digit typed wrong is caught");
	char swapped[15] = "21000000000120";
	swapped[13] = luhn_digit("2100000000012");
	char t = swapped[11];
	swapped[11] = swapped[12];
	swapped[12] = t;
	ok(!validate_card(swapped), "two neighbouring digits swapped are caught");
	ok(!validate_card("2100000000001") && !validate_card(NULL), "13 digits or none are no card");
}

int main(void)
{
	test_postcode();
	test_names();
	test_house();
	test_birth_date();
	test_age();
	test_phone();
	test_email();
	test_luhn();
	ok(validate_problem_from_name("letters_not_used") == VALIDATE_LETTERS_NOT_USED &&
		   validate_problem_from_name("new_reason") == VALIDATE_FORMAT,
	   "reasons from the wire, an unknown one as format");
	return tap_done();
}
