#include "core/pdguard.h"

#include "core/textnorm.h"
#include "core/xalloc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
	PDGUARD_MAX_GROUPS = 16,
	PDGUARD_OLDEST = 120, /* years: a date further back is no living person's birth */
};

/* Where a finding lies in the plain text: bytes start..end. */
struct span {
	size_t start, end;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_alnum(char c)
{
	return is_digit(c) || is_alpha(c);
}

static char to_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* True at s when a number starts there: a digit with no digit before it. */
static bool number_starts(const char *text, const char *s)
{
	return is_digit(*s) && (s == text || !is_digit(s[-1]));
}

static struct span span_of(const char *text, const char *start, const char *end)
{
	return (struct span){ (size_t)(start - text), (size_t)(end - text) };
}

/* A run of digit groups: "123 456 782" is three groups joined by separators. */
struct groups {
	const char *start[PDGUARD_MAX_GROUPS];
	size_t len[PDGUARD_MAX_GROUPS];
	size_t n;
};

/* Reads the groups of the run that starts at s (a digit), joined by at
 * most max_sep characters of seps ("06 - 1234 5678"); returns where it ends. */
static const char *read_groups(const char *s, const char *seps, size_t max_sep, struct groups *g)
{
	g->n = 0;
	for (;;) {
		const char *start = s;
		while (is_digit(*s))
			s++;
		if (g->n < PDGUARD_MAX_GROUPS) {
			g->start[g->n] = start;
			g->len[g->n] = (size_t)(s - start);
			g->n++;
		}
		size_t n = 0;
		while (s[n] && strchr(seps, s[n]) && n < max_sep)
			n++;
		if (n == 0 || !is_digit(s[n]))
			return s;
		s += n;
	}
}

/* Groups from..to copied as plain digits into out; returns how many. */
static size_t join(const struct groups *g, size_t from, size_t to, char *out, size_t max)
{
	size_t n = 0;
	for (size_t i = from; i <= to; i++) {
		if (n + g->len[i] > max)
			return max + 1;
		memcpy(out + n, g->start[i], g->len[i]);
		n += g->len[i];
	}
	out[n] = '\0';
	return n;
}

/* "1-2-2026" or "01.02.2026 ...": a date, which is no one's number. */
static bool starts_with_date(const struct groups *g, size_t from)
{
	return from + 2 < g->n && g->len[from] <= 2 && g->len[from + 1] <= 2 &&
	       g->len[from + 2] == 4;
}

/* The eleven-test of the BSN: 9*d1 + 8*d2 + ... + 2*d8 - d9 is a multiple of 11. */
static bool bsn_ok(const char *d)
{
	int sum = 0;
	bool zero = true;
	for (int i = 0; i < 8; i++) {
		sum += (9 - i) * (d[i] - '0');
		zero = zero && d[i] == '0';
	}
	sum -= d[8] - '0';
	return !zero && sum % 11 == 0;
}

/* A BSN whose leading 0 was lost (a spreadsheet, a form that stores it as a
 * number) is 8 digits; only one unbroken run counts, so that "2024 - 2025"
 * is two years and no number. */
static bool short_bsn_ok(const struct groups *g, size_t i)
{
	char d[10] = "0";
	if (g->len[i] != 8)
		return false;
	memcpy(d + 1, g->start[i], 8);
	d[9] = '\0';
	return bsn_ok(d);
}

static bool bsn_in(const struct groups *g)
{
	for (size_t from = 0; from < g->n; from++) {
		if (starts_with_date(g, from))
			continue;
		if (short_bsn_ok(g, from))
			return true;
		for (size_t to = from; to < g->n; to++) {
			char d[16];
			size_t n = join(g, from, to, d, 9);
			if (n > 9)
				break;
			if (n == 9 && bsn_ok(d))
				return true;
		}
	}
	return false;
}

static bool find_bsn(const char *text, struct civil_date today, struct span *at)
{
	(void)today;
	for (const char *s = text; *s;) {
		if (!number_starts(text, s)) {
			s++;
			continue;
		}
		struct groups g;
		/* "123 - 456 - 782": a dash with a space on each side is one separator. */
		const char *end = read_groups(s, " .-", 3, &g);
		if (bsn_in(&g)) {
			*at = span_of(text, s, end);
			return true;
		}
		s = end;
	}
	return false;
}

/* After "+31" or "0031": an optional "(0)", then 9 digits, the first 1-7
 * (geographic or mobile), grouped as people write them. Returns where the
 * number ends, or NULL when it is none. */
static const char *intl_phone_end(const char *s)
{
	while (*s == ' ' || *s == '-')
		s++;
	if (strncmp(s, "(0)", 3) == 0)
		s += 3;
	int n = 0;
	char first = 0;
	for (; *s; s++) {
		if (is_digit(*s)) {
			if (n++ == 0)
				first = *s;
			if (n > 9)
				return NULL;
		} else if (!((*s == ' ' || *s == '-' || *s == '.') && is_digit(s[1]))) {
			break;
		}
	}
	return n == 9 && first >= '1' && first <= '7' ? s : NULL;
}

/* A national number: 10 digits starting 01..07 (06 is mobile). Service
 * numbers such as 0800 and 0900 are the organisations', not a person's. */
static bool national_phone_in(const struct groups *g)
{
	for (size_t from = 0; from < g->n; from++) {
		if (starts_with_date(g, from))
			continue;
		for (size_t to = from; to < g->n; to++) {
			char d[16];
			size_t n = join(g, from, to, d, 10);
			if (n > 10)
				break;
			if (n == 10 && d[0] == '0' && d[1] >= '1' && d[1] <= '7')
				return true;
		}
	}
	return false;
}

static bool find_phone(const char *text, struct civil_date today, struct span *at)
{
	(void)today;
	for (const char *s = text; *s;) {
		const char *end = NULL;
		if (*s == '+' && s[1] == '3' && s[2] == '1')
			end = intl_phone_end(s + 3);
		else if (number_starts(text, s) && strncmp(s, "0031", 4) == 0)
			end = intl_phone_end(s + 4);
		if (end) {
			*at = span_of(text, s, end);
			return true;
		}
		if (!number_starts(text, s)) {
			s++;
			continue;
		}
		struct groups g;
		/* "(020) 123 4567": brackets around the area code are separators too. */
		end = read_groups(s, " -.()", 3, &g);
		if (national_phone_in(&g)) {
			*at = span_of(text, s, end);
			return true;
		}
		s = end;
	}
	return false;
}

static bool email_local_char(char c)
{
	return is_alnum(c) || (c && strchr("._%+-", c));
}

/* The domain after the '@' at: labels of letters, digits and '-', at least
 * two, the last (the top-level domain) of two or more letters. Returns
 * where it ends, or NULL when it is none. */
static const char *email_domain_end(const char *at)
{
	const char *s = at + 1, *end = NULL;
	int labels = 0;
	for (;;) {
		const char *start = s;
		bool alpha = true;
		while (is_alnum(*s) || *s == '-') {
			alpha = alpha && is_alpha(*s);
			s++;
		}
		if (s == start)
			break;
		labels++;
		if (labels >= 2 && s - start >= 2 && alpha)
			end = s;
		if (*s == '.' && is_alnum(s[1]))
			s++;
		else
			break;
	}
	return end && end == s ? end : NULL;
}

static bool find_email(const char *text, struct civil_date today, struct span *at)
{
	(void)today;
	for (const char *a = strchr(text, '@'); a; a = strchr(a + 1, '@')) {
		if (a == text || !email_local_char(a[-1]))
			continue;
		const char *end = email_domain_end(a);
		if (!end)
			continue;
		const char *start = a;
		while (start > text && email_local_char(start[-1]))
			start--;
		*at = span_of(text, start, end);
		return true;
	}
	return false;
}

/* The length of an IBAN of the country (ISO 13616, the SWIFT IBAN registry),
 * or 0 for a code that has none. */
static size_t iban_length(char c1, char c2)
{
	static const char table[] =
		"AD24AE23AL28AT20AZ28BA20BE16BG22BH22BI27BR29BY28CH21CR22CY28CZ24"
		"DE22DJ27DK18DO28EE20EG29ES24FI18FK18FO18FR27GB22GE22GI23GL18GR27"
		"GT28HN28HR21HU28IE22IL23IQ23IS26IT27JO30KW30KZ20LB28LC32LI21LT20"
		"LU20LV21LY25MC27MD24ME22MK19MN20MR27MT31MU30NI28NL18NO15OM23PK24"
		"PL28PS29PT25QA29RO24RS22RU33SA24SC31SD18SE24SI19SK24SM27SO23ST25"
		"SV28TL23TN24TR26UA29VA22VG24XK20YE30";
	c1 = to_upper(c1), c2 = to_upper(c2);
	for (const char *t = table; *t; t += 4)
		if (t[0] == c1 && t[1] == c2)
			return (size_t)((t[2] - '0') * 10 + (t[3] - '0'));
	return 0;
}

static int iban_value(char c)
{
	if (is_digit(c))
		return c - '0';
	return to_upper(c) - 'A' + 10;
}

/* mod-97 of the IBAN chars[0..n) with the first four moved to the end. */
static bool iban_ok(const char *chars, size_t n)
{
	unsigned rem = 0;
	for (size_t i = 0; i < n; i++) {
		char c = chars[(i + 4) % n];
		int v = iban_value(c);
		rem = v >= 10 ? (rem * 100 + (unsigned)v) % 97 : (rem * 10 + (unsigned)v) % 97;
	}
	return rem == 1;
}

/* The IBAN that starts at s, of exactly its country's length, unbroken or
 * in groups of four split by a space, dash or dot ("NL91 ABNA 0417 1643 00");
 * returns where it ends, or NULL when it is none. Only groups of four, so
 * that the words after a reference number are not read as its groups. */
static const char *iban_end(const char *s)
{
	size_t want = iban_length(s[0], s[1]);
	char chars[40];
	size_t n = 0, group = 0;
	const char *p = s;
	while (want > 0 && n < want) {
		if (is_alnum(*p)) {
			chars[n++] = *p++;
			group++;
			continue;
		}
		size_t sep = strspn(p, " -.");
		if (group != 4 || sep == 0 || sep > 3 || !is_alnum(p[sep]))
			return NULL;
		p += sep;
		group = 0;
	}
	return want > 0 && !is_alnum(*p) && iban_ok(chars, n) ? p : NULL;
}

static bool find_iban(const char *text, struct civil_date today, struct span *at)
{
	(void)today;
	for (const char *s = text; *s; s++) {
		if (!(is_alpha(s[0]) && is_alpha(s[1]) && is_digit(s[2]) && is_digit(s[3])) ||
		    (s > text && is_alnum(s[-1])))
			continue;
		const char *end = iban_end(s);
		if (end) {
			*at = span_of(text, s, end);
			return true;
		}
	}
	return false;
}

/* Letters after four digits that are a unit ("4096 MB", "1500mg"), not a
 * postcode; postcodes with these letters are the price of that. */
static bool is_unit(char a, char b)
{
	static const char units[] = "KBMBGBTBKMCMMMKGMGMLCLDLPX";
	for (const char *u = units; *u; u += 2)
		if (u[0] == a && u[1] == b)
			return true;
	return false;
}

/* "1234 AB" (the letters in capitals: "2024 en 2025" is no postcode) or
 * "1234ab"; never SA, SD or SS. Returns where it ends, or NULL. */
static const char *postcode_end(const char *s)
{
	if (s[0] < '1' || s[0] > '9' || !is_digit(s[1]) || !is_digit(s[2]) || !is_digit(s[3]))
		return NULL;
	const char *l = s + 4;
	bool spaced = *l == ' ';
	if (spaced)
		l++;
	if (!is_alpha(l[0]) || !is_alpha(l[1]) || is_alnum(l[2]))
		return NULL;
	if (spaced && (l[0] != to_upper(l[0]) || l[1] != to_upper(l[1])))
		return NULL;
	char a = to_upper(l[0]), b = to_upper(l[1]);
	if (a == 'S' && (b == 'A' || b == 'D' || b == 'S'))
		return NULL;
	return is_unit(a, b) ? NULL : l + 2;
}

static bool find_postcode(const char *text, struct civil_date today, struct span *at)
{
	(void)today;
	for (const char *s = text; *s; s++) {
		if (!number_starts(text, s) || (s > text && is_alpha(s[-1])))
			continue;
		const char *end = postcode_end(s);
		if (end) {
			*at = span_of(text, s, end);
			return true;
		}
	}
	return false;
}

/* Reads a number of min..max digits at *s; moves *s past it. */
static bool read_number(const char **s, size_t min, size_t max, int *out)
{
	size_t n = 0;
	int v = 0;
	while (is_digit((*s)[n]) && n <= max)
		v = v * 10 + ((*s)[n++] - '0');
	if (n < min || n > max)
		return false;
	*s += n;
	*out = v;
	return true;
}

/* A separator inside a date: '-', '/' or '.' with a space around it or not,
 * or a single space. */
static bool read_date_sep(const char **s)
{
	const char *p = *s;
	if (*p == ' ')
		p++;
	if (*p == '-' || *p == '/' || *p == '.') {
		p++;
		if (*p == ' ')
			p++;
	}
	if (p == *s)
		return false;
	*s = p;
	return true;
}

/* A month by its Dutch or English name or the usual abbreviation ("mrt",
 * "okt.", "March"), followed by a space. */
static bool read_month_name(const char **s, int *month)
{
	static const struct {
		const char *name;
		int month;
	} names[] = {
		{ "januari", 1 }, { "january", 1 }, { "jan", 1 }, { "februari", 2 },
		{ "february", 2 }, { "feb", 2 }, { "maart", 3 }, { "march", 3 }, { "mrt", 3 },
		{ "mar", 3 }, { "april", 4 }, { "apr", 4 }, { "mei", 5 }, { "may", 5 },
		{ "juni", 6 }, { "june", 6 }, { "jun", 6 }, { "juli", 7 }, { "july", 7 },
		{ "jul", 7 }, { "augustus", 8 }, { "august", 8 }, { "aug", 8 },
		{ "september", 9 }, { "sept", 9 }, { "sep", 9 }, { "oktober", 10 },
		{ "october", 10 }, { "okt", 10 }, { "oct", 10 }, { "november", 11 },
		{ "nov", 11 }, { "december", 12 }, { "dec", 12 },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t n = strlen(names[i].name);
		if (strncasecmp(*s, names[i].name, n) != 0 || is_alpha((*s)[n]))
			continue;
		const char *p = *s + n;
		if (*p == '.')
			p++;
		if (*p != ' ')
			return false;
		*s = p + 1;
		*month = names[i].month;
		return true;
	}
	return false;
}

/* A full date at s: dd-mm-jjjj, jjjj-mm-dd or "3 maart 1990"; sets *d and
 * returns where it ends, or NULL. */
static const char *date_end(const char *s, struct civil_date *d)
{
	const char *p = s;
	int a, b, c;
	if (read_number(&p, 4, 4, &a) && read_date_sep(&p) && read_number(&p, 1, 2, &b) &&
	    read_date_sep(&p) && read_number(&p, 1, 2, &c)) {
		*d = (struct civil_date){ a, b, c };
		return p;
	}
	p = s;
	if (!read_number(&p, 1, 2, &a))
		return NULL;
	const char *after_day = p;
	if (read_date_sep(&p) && read_number(&p, 1, 2, &b) && read_date_sep(&p) &&
	    read_number(&p, 4, 4, &c)) {
		*d = (struct civil_date){ c, b, a };
		return p;
	}
	p = after_day;
	if (*p == ' ' && read_month_name((p++, &p), &b) && read_number(&p, 4, 4, &c)) {
		*d = (struct civil_date){ c, b, a };
		return p;
	}
	return NULL;
}

/* A day that could be someone's birthday: not after today, at most
 * PDGUARD_OLDEST years before it. Appointments to come are no one's. */
static bool could_be_birth(struct civil_date d, struct civil_date today)
{
	if (!date_is_valid(d))
		return false;
	int age = date_age_on(d, today);
	return age >= 0 && age <= PDGUARD_OLDEST;
}

static bool find_birth_date(const char *text, struct civil_date today, struct span *at)
{
	for (const char *s = text; *s; s++) {
		if (!number_starts(text, s))
			continue;
		struct civil_date d;
		const char *end = date_end(s, &d);
		if (end && !is_digit(*end) && could_be_birth(d, today)) {
			*at = span_of(text, s, end);
			return true;
		}
	}
	return false;
}

/* The finders in the order a number is given to one: what an IBAN or a
 * phone number holds is not looked at again as a BSN or a date. */
static const struct {
	enum pdguard_kind kind;
	bool (*find)(const char *text, struct civil_date today, struct span *at);
} finders[] = {
	{ PDGUARD_IBAN, find_iban },	       { PDGUARD_EMAIL, find_email },
	{ PDGUARD_PHONE, find_phone },	       { PDGUARD_BIRTH_DATE, find_birth_date },
	{ PDGUARD_BSN, find_bsn },	       { PDGUARD_POSTCODE, find_postcode },
};

unsigned pdguard_scan(const char *text, struct civil_date today)
{
	if (!text)
		return 0;
	char *plain = textnorm_plain_dup(text);
	unsigned kinds = 0;
	for (size_t i = 0; i < sizeof finders / sizeof finders[0]; i++) {
		struct span at;
		while (finders[i].find(plain, today, &at) && at.end > at.start) {
			kinds |= PDGUARD_BIT(finders[i].kind);
			/* '#' joins nothing: the next finder sees no digits there. */
			memset(plain + at.start, '#', at.end - at.start);
		}
	}
	free(plain);
	return kinds;
}

enum pdguard_kind pdguard_first(unsigned kinds)
{
	static const enum pdguard_kind order[] = {
		PDGUARD_IBAN, PDGUARD_EMAIL,	PDGUARD_PHONE,
		PDGUARD_BSN,  PDGUARD_POSTCODE, PDGUARD_BIRTH_DATE,
	};
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		if (kinds & PDGUARD_BIT(order[i]))
			return order[i];
	return PDGUARD_NONE;
}

char *pdguard_join_dup(unsigned kinds, const char *(*word)(enum pdguard_kind kind))
{
	char *list = xstrdup("");
	for (unsigned k = PDGUARD_BSN; k < PDGUARD_KIND_COUNT; k++) {
		if (!(kinds & PDGUARD_BIT(k)))
			continue;
		char *longer = xasprintf("%s%s%s", list, *list ? ", " : "", word((enum pdguard_kind)k));
		free(list);
		list = longer;
	}
	return list;
}

enum pdguard_kind pdguard_check(const char *text)
{
	return pdguard_first(pdguard_scan(text, date_today()));
}

static const char *const kind_names[] = {
	[PDGUARD_NONE] = NULL,
	[PDGUARD_BSN] = "bsn",
	[PDGUARD_EMAIL] = "email",
	[PDGUARD_PHONE] = "phone",
	[PDGUARD_IBAN] = "iban",
	[PDGUARD_POSTCODE] = "postcode",
	[PDGUARD_BIRTH_DATE] = "birth_date",
};

const char *pdguard_kind_name(enum pdguard_kind kind)
{
	return (unsigned)kind < sizeof kind_names / sizeof kind_names[0] ? kind_names[kind] : NULL;
}

enum pdguard_kind pdguard_kind_from_name(const char *name)
{
	for (unsigned k = PDGUARD_BSN; name && k < PDGUARD_KIND_COUNT; k++)
		if (strcmp(kind_names[k], name) == 0)
			return (enum pdguard_kind)k;
	return PDGUARD_NONE;
}
