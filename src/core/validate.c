#include "core/validate.h"

#include "core/i18n.h"
#include "core/luhn.h"
#include "core/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>

static const char *const problem_names[] = {
#define VALIDATE_NAME(name, wire, text) wire,
	VALIDATE_PROBLEMS(VALIDATE_NAME)
#undef VALIDATE_NAME
};

static const char *const problem_texts[] = {
#define VALIDATE_TEXT(name, wire, text) text,
	VALIDATE_PROBLEMS(VALIDATE_TEXT)
#undef VALIDATE_TEXT
};

const char *validate_problem_name(enum validate_problem p)
{
	return (unsigned)p < VALIDATE_PROBLEM_COUNT ? problem_names[p] : "format";
}

enum validate_problem validate_problem_from_name(const char *name)
{
	for (unsigned i = 0; name && i < VALIDATE_PROBLEM_COUNT; i++)
		if (strcmp(problem_names[i], name) == 0)
			return (enum validate_problem)i;
	return VALIDATE_FORMAT;
}

const char *validate_problem_text(enum validate_problem p)
{
	return _(problem_texts[(unsigned)p < VALIDATE_PROBLEM_COUNT ? p : VALIDATE_FORMAT]);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_ascii_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char *validate_trim_dup(const char *s)
{
	if (!s)
		return xstrdup("");
	while (is_blank(*s))
		s++;
	size_t len = strlen(s);
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	return xstrndup(s, len);
}

/* The length of the UTF-8 sequence at s and its code point; 0 when it is
 * not well-formed (overlong, surrogate, beyond U+10FFFF, cut short). */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	if (n == 0 || (n == 3 && s[0] > 0xef))
		return 0;
	uint32_t v = s[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	static const uint32_t least[] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (v < least[n] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

enum validate_problem validate_name(const char *s)
{
	char *t = validate_trim_dup(s);
	size_t len = strlen(t);
	enum validate_problem p = VALIDATE_OK;
	bool letter = false;
	if (len == 0)
		p = VALIDATE_MISSING;
	else if (len > VALIDATE_NAME_MAX)
		p = VALIDATE_TOO_LONG;
	for (size_t i = 0; p == VALIDATE_OK && i < len;) {
		uint32_t cp;
		size_t n = utf8_next((const unsigned char *)t + i, &cp);
		if (n == 0) {
			p = VALIDATE_FORMAT;
			break;
		}
		i += n;
		if (cp < 0x80) {
			char c = (char)cp;
			if (is_ascii_letter(c))
				letter = true;
			else if (c != ' ' && c != '-' && c != '\'' && c != '.')
				p = VALIDATE_FORMAT;
		} else if (cp == 0x2019) {
			/* the typographic apostrophe of 't and d' */
		} else if (uc_is_general_category(cp, UC_LETTER)) {
			letter = true; /* the letters of every alphabet */
		} else if (!uc_is_general_category(cp, UC_MARK)) {
			/* Only letters and the accents that combine with them: no
			 * digits of other scripts, fractions, superscripts, symbols,
			 * spaces, format characters (U+FEFF, bidi controls) or
			 * noncharacters (U+FFFE). */
			p = VALIDATE_FORMAT;
		}
	}
	if (p == VALIDATE_OK && !letter)
		p = VALIDATE_FORMAT;
	free(t);
	return p;
}

enum validate_problem validate_postcode(const char *s, char out[VALIDATE_POSTCODE_LEN])
{
	char *t = validate_trim_dup(s);
	enum validate_problem p = VALIDATE_OK;
	size_t len = strlen(t);
	const char *letters = t + 4;
	if (len == 0) {
		p = VALIDATE_MISSING;
	} else if (len < 6 || len > 7 || t[0] < '1' || t[0] > '9' || !is_digit(t[1]) ||
		   !is_digit(t[2]) || !is_digit(t[3])) {
		p = VALIDATE_FORMAT;
	} else {
		if (len == 7 && *letters == ' ')
			letters++;
		if (strlen(letters) != 2 || !is_ascii_letter(letters[0]) ||
		    !is_ascii_letter(letters[1]))
			p = VALIDATE_FORMAT;
	}
	if (p == VALIDATE_OK) {
		char a = (char)(letters[0] & ~0x20), b = (char)(letters[1] & ~0x20);
		/* PostNL never gives out SA, SD and SS (for what they recalled). */
		if (a == 'S' && (b == 'A' || b == 'D' || b == 'S'))
			p = VALIDATE_LETTERS_NOT_USED;
		else
			snprintf(out, VALIDATE_POSTCODE_LEN, "%.4s %c%c", t, a, b);
	}
	free(t);
	return p;
}

enum validate_problem validate_house_number(const char *s, long *out)
{
	char *t = validate_trim_dup(s);
	enum validate_problem p = VALIDATE_OK;
	long v = 0;
	if (!*t)
		p = VALIDATE_MISSING;
	for (const char *c = t; p == VALIDATE_OK && *c; c++) {
		if (!is_digit(*c))
			p = VALIDATE_FORMAT;
		else if ((v = v * 10 + (*c - '0')) > VALIDATE_HOUSE_NUMBER_MAX)
			p = VALIDATE_OUT_OF_RANGE;
	}
	if (p == VALIDATE_OK && v == 0)
		p = VALIDATE_OUT_OF_RANGE;
	if (p == VALIDATE_OK)
		*out = v;
	free(t);
	return p;
}

enum validate_problem validate_house_suffix_normal(const char *s,
						  char out[VALIDATE_SUFFIX_MAX + 1])
{
	enum validate_problem p = validate_house_suffix(s);
	if (p != VALIDATE_OK)
		return p;
	char *t = validate_trim_dup(s);
	size_t i = 0;
	for (; t[i] && i < VALIDATE_SUFFIX_MAX; i++)
		out[i] = t[i] >= 'a' && t[i] <= 'z' ? (char)(t[i] - 'a' + 'A') : t[i];
	out[i] = '\0';
	free(t);
	return p;
}

enum validate_problem validate_house_suffix(const char *s)
{
	char *t = validate_trim_dup(s);
	size_t len = strlen(t);
	enum validate_problem p = len == 0 ? VALIDATE_MISSING
				  : len > VALIDATE_SUFFIX_MAX ? VALIDATE_TOO_LONG : VALIDATE_OK;
	/* A hyphen may also come first: "12-3" is typed as number 12, suffix "-3". */
	for (size_t i = 0; p == VALIDATE_OK && i < len; i++) {
		char c = t[i];
		bool sep = c == '-' || c == ' ';
		if (!is_digit(c) && !is_ascii_letter(c) && !sep)
			p = VALIDATE_FORMAT;
		else if (sep && (i + 1 == len || t[i + 1] == '-' || t[i + 1] == ' '))
			p = VALIDATE_FORMAT;
	}
	free(t);
	return p;
}

static bool email_local_char(char c)
{
	return is_ascii_letter(c) || is_digit(c) || (c && strchr("!#$%&'*+/=?^_`{|}~.-", c));
}

enum validate_problem validate_email(const char *s)
{
	char *t = validate_trim_dup(s);
	size_t len = strlen(t);
	enum validate_problem p = len == 0 ? VALIDATE_MISSING
				  : len > VALIDATE_EMAIL_MAX ? VALIDATE_TOO_LONG : VALIDATE_OK;
	const char *at = p == VALIDATE_OK ? strchr(t, '@') : NULL;
	if (p == VALIDATE_OK && (!at || at == t || at - t > 64 || strchr(at + 1, '@')))
		p = VALIDATE_FORMAT;
	for (const char *c = t; p == VALIDATE_OK && c < at; c++)
		if (!email_local_char(*c) || (*c == '.' && (c == t || c + 1 == at || c[1] == '.')))
			p = VALIDATE_FORMAT;
	if (p == VALIDATE_OK) {
		/* The domain: labels of letters, digits and inner hyphens, at least
		 * two of them, the last all letters. */
		const char *d = at + 1, *label = d;
		size_t labels = 0;
		bool tld_letters = true;
		for (const char *c = d;; c++) {
			if (*c == '.' || *c == '\0') {
				size_t n = (size_t)(c - label);
				if (n == 0 || n > 63 || label[0] == '-' || c[-1] == '-') {
					p = VALIDATE_FORMAT;
					break;
				}
				labels++;
				if (*c == '\0')
					break;
				label = c + 1;
				tld_letters = true;
			} else if (is_ascii_letter(*c)) {
				/* a letter */
			} else if (is_digit(*c) || *c == '-') {
				tld_letters = false;
			} else {
				p = VALIDATE_FORMAT;
				break;
			}
		}
		if (p == VALIDATE_OK && (labels < 2 || !tld_letters || strlen(label) < 2))
			p = VALIDATE_FORMAT;
	}
	free(t);
	return p;
}

enum validate_problem validate_phone(const char *s, char out[VALIDATE_PHONE_LEN])
{
	char digits[24];
	size_t n = 0;
	bool plus = false, any = false;
	enum validate_problem p = VALIDATE_OK;
	for (const char *c = s ? s : ""; *c && p == VALIDATE_OK; c++) {
		if (is_digit(*c)) {
			if (n + 1 >= sizeof digits)
				p = VALIDATE_TOO_LONG;
			else
				digits[n++] = *c;
			any = true;
		} else if (*c == '+' && !any && !plus) {
			plus = true;
			any = true;
		} else if (*c == ' ' || *c == '-' || *c == '.' || *c == '(' || *c == ')' ||
			   *c == '\t') {
			/* written between the groups of digits */
		} else {
			p = VALIDATE_FORMAT;
		}
	}
	digits[n] = '\0';
	if (p != VALIDATE_OK)
		return p;
	if (!any)
		return VALIDATE_MISSING;
	const char *national = NULL; /* the nine digits after the trunk 0 */
	if (plus && strncmp(digits, "31", 2) == 0)
		national = digits + 2;
	else if (!plus && strncmp(digits, "0031", 4) == 0)
		national = digits + 4;
	else if (!plus && digits[0] == '0' && digits[1] != '0')
		national = digits + 1;
	/* "+31 (0)6 ..." is written often: the 0 in parentheses is dropped. */
	if (national && national != digits + 1 && national[0] == '0' && strlen(national) == 10)
		national++;
	if (!national || strlen(national) != 9 || national[0] == '0')
		return VALIDATE_FORMAT;
	snprintf(out, VALIDATE_PHONE_LEN, "0%s", national);
	return VALIDATE_OK;
}

enum validate_problem validate_birth_date(const char *s, bool dutch, struct civil_date today,
					  struct civil_date *out)
{
	char *t = validate_trim_dup(s);
	enum validate_problem p = VALIDATE_OK;
	struct civil_date d;
	if (!*t) {
		p = VALIDATE_MISSING;
	} else if (!(dutch ? date_parse_dutch(t, &d) : date_parse_iso(t, &d))) {
		/* Tell a typed 31-02 apart from something that is no date at all. */
		int a, b, c;
		char sep1, sep2, rest;
		bool shaped = dutch ? sscanf(t, "%2d%c%2d%c%4d%c", &a, &sep1, &b, &sep2, &c, &rest) == 5
				    : sscanf(t, "%4d%c%2d%c%2d%c", &a, &sep1, &b, &sep2, &c, &rest) == 5;
		int year = dutch ? c : a;
		p = shaped && year >= 1000 && b > 0 ? VALIDATE_NOT_A_DATE : VALIDATE_FORMAT;
	} else if (date_compare(d, today) > 0) {
		p = VALIDATE_IN_FUTURE;
	} else if (date_age_on(d, today) > VALIDATE_OLDEST_YEARS) {
		p = VALIDATE_TOO_OLD;
	}
	if (p == VALIDATE_OK)
		*out = d;
	free(t);
	return p;
}

bool validate_youth_eligible(struct civil_date birth, struct civil_date day)
{
	int age = date_age_on(birth, day);
	return age >= 0 && age < VALIDATE_YOUTH_AGE;
}

struct civil_date validate_youth_last_day(struct civil_date birth)
{
	return date_add_days(date_birthday(birth, VALIDATE_YOUTH_AGE), -1);
}

long validate_youth_days(struct civil_date birth, struct civil_date day)
{
	return date_to_days(validate_youth_last_day(birth)) - date_to_days(day) + 1;
}

bool validate_card(const char *s)
{
	return s && strlen(s) == 14 && luhn_valid(s);
}

bool validate_card_check_digit_wrong(const char *s)
{
	return s && strlen(s) == 14 && strspn(s, "0123456789") == 14 && !luhn_valid(s);
}
