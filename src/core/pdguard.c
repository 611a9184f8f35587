#include "pdguard.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

enum { PDGUARD_MAX_GROUPS = 16 };

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

/* A run of digit groups: "123 456 782" is three groups joined by single
 * separators from seps. */
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

static bool has_bsn(const char *text)
{
	for (const char *s = text; *s;) {
		if (!is_digit(*s) || (s > text && is_digit(s[-1]))) {
			s++;
			continue;
		}
		struct groups g;
		const char *end = read_groups(s, " .-", 1, &g);
		for (size_t from = 0; from < g.n; from++) {
			if (starts_with_date(&g, from))
				continue;
			for (size_t to = from; to < g.n; to++) {
				char d[16];
				size_t n = join(&g, from, to, d, 9);
				if (n > 9)
					break;
				if (n == 9 && bsn_ok(d))
					return true;
			}
		}
		s = end;
	}
	return false;
}

/* After "+31" or "0031": an optional "(0)", then 9 digits, the first 1-7
 * (geographic or mobile), grouped as people write them. */
static bool intl_phone_ok(const char *s)
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
				return false;
		} else if (!((*s == ' ' || *s == '-' || *s == '.') && is_digit(s[1]))) {
			break;
		}
	}
	return n == 9 && first >= '1' && first <= '7';
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

static bool has_phone(const char *text)
{
	for (const char *s = text; *s;) {
		if (*s == '+' && s[1] == '3' && s[2] == '1' && intl_phone_ok(s + 3))
			return true;
		if (!is_digit(*s) || (s > text && is_digit(s[-1]))) {
			s++;
			continue;
		}
		if (strncmp(s, "0031", 4) == 0 && intl_phone_ok(s + 4))
			return true;
		struct groups g;
		/* "(020) 123 4567": brackets around the area code are separators too. */
		const char *end = read_groups(s, " -.()", 3, &g);
		if (national_phone_in(&g))
			return true;
		s = end;
	}
	return false;
}

static bool email_local_char(char c)
{
	return is_alnum(c) || (c && strchr("._%+-", c));
}

static bool has_email(const char *text)
{
	for (const char *at = strchr(text, '@'); at; at = strchr(at + 1, '@')) {
		if (at == text || !email_local_char(at[-1]))
			continue;
		/* The domain: labels of letters, digits and '-', at least two, the
		 * last (the top-level domain) of two or more letters. */
		const char *s = at + 1;
		int labels = 0;
		size_t last_len = 0;
		bool last_alpha = false;
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
			last_len = (size_t)(s - start);
			last_alpha = alpha;
			if (*s == '.' && (is_alnum(s[1])))
				s++;
			else
				break;
		}
		if (labels >= 2 && last_len >= 2 && last_alpha)
			return true;
	}
	return false;
}

static int iban_value(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	return c - 'A' + 10;
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

static bool has_iban(const char *text)
{
	for (const char *s = text; *s; s++) {
		if (!(is_alpha(s[0]) && is_alpha(s[1]) && is_digit(s[2]) && is_digit(s[3])) ||
		    (s > text && is_alnum(s[-1])))
			continue;
		/* Up to 34 letters and digits, in groups split by single spaces. */
		char chars[40];
		size_t n = 0;
		const char *p = s;
		while (n < 34) {
			if (is_alnum(*p)) {
				chars[n++] = *p++;
				/* A whole IBAN ends where the text or a group ends. */
				if (n >= 15 && !is_alnum(*p) && iban_ok(chars, n))
					return true;
			} else if (*p == ' ' && is_alnum(p[1])) {
				p++;
			} else {
				break;
			}
		}
	}
	return false;
}

enum pdguard_kind pdguard_check(const char *text)
{
	if (!text)
		return PDGUARD_NONE;
	if (has_iban(text))
		return PDGUARD_IBAN;
	if (has_email(text))
		return PDGUARD_EMAIL;
	if (has_phone(text))
		return PDGUARD_PHONE;
	if (has_bsn(text))
		return PDGUARD_BSN;
	return PDGUARD_NONE;
}

static const char *const kind_names[] = {
	[PDGUARD_NONE] = NULL,
	[PDGUARD_BSN] = "bsn",
	[PDGUARD_EMAIL] = "email",
	[PDGUARD_PHONE] = "phone",
	[PDGUARD_IBAN] = "iban",
};

const char *pdguard_kind_name(enum pdguard_kind kind)
{
	return (unsigned)kind < sizeof kind_names / sizeof kind_names[0] ? kind_names[kind] : NULL;
}

enum pdguard_kind pdguard_kind_from_name(const char *name)
{
	for (unsigned k = PDGUARD_BSN; name && k <= PDGUARD_IBAN; k++)
		if (strcmp(kind_names[k], name) == 0)
			return (enum pdguard_kind)k;
	return PDGUARD_NONE;
}
