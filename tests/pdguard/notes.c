#include "notes.h"

#include "core/pdguard.h"
#include "core/xalloc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

/* The separators a typist (or a copy from a web page) puts between groups. */
static const struct {
	const char *text, *name;
} seps[] = {
	{ " ", "space" },
	{ "  ", "double space" },
	{ "\u00a0", "no-break space" },
	{ "\u202f", "narrow no-break space" },
	{ "\u2009", "thin space" },
	{ "\u3000", "ideographic space" },
	{ "\u2013", "en dash" },
	{ "\u2014", "em dash" },
	{ "\u2010", "hyphen" },
	{ "\u2212", "minus sign" },
	{ "-", "hyphen-minus" },
	{ ".", "dot" },
	{ " \u2013 ", "spaced en dash" },
	{ "\u00a0-\u00a0", "hyphen between no-break spaces" },
};
enum { N_SEPS = sizeof seps / sizeof seps[0] };

/* The zero of each script's decimal digits; digits are zero + 0..9. */
static const struct {
	unsigned zero;
	const char *name;
} scripts[] = {
	{ 0x30, "ASCII" },	       { 0xff10, "fullwidth" },   { 0x660, "Arabic-Indic" },
	{ 0x6f0, "Persian" },	       { 0x966, "Devanagari" },	  { 0x9e6, "Bengali" },
	{ 0xe50, "Thai" },	       { 0x1d7ce, "mathematical bold" },
};
enum { N_SCRIPTS = sizeof scripts / sizeof scripts[0] };

struct table {
	struct pdnote *notes;
	size_t n, cap;
};

static void add(struct table *t, unsigned want, const char *what, const char *text)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 256;
		t->notes = xrealloc(t->notes, t->cap * sizeof *t->notes);
	}
	t->notes[t->n++] = (struct pdnote){ xstrdup(text), want, xstrdup(what) };
}

/* The ASCII text s with its digits in the script of zero (and, for the
 * fullwidth script, its letters fullwidth too). */
static void in_script(const char *s, unsigned zero, char *out)
{
	size_t n = 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			n += (size_t)u8_uctomb((uint8_t *)out + n, zero + (unsigned)(*s - '0'), 4);
		else if (zero == 0xff10 && *s >= 'A' && *s <= 'Z')
			n += (size_t)u8_uctomb((uint8_t *)out + n, 0xff21 + (unsigned)(*s - 'A'), 4);
		else
			out[n++] = *s;
	}
	out[n] = '\0';
}

/* s cut into groups of the sizes in sizes (0 ends), joined by sep. */
static void grouped(const char *s, const int *sizes, const char *sep, char *out)
{
	size_t n = 0, at = 0, len = strlen(s);
	for (int i = 0; sizes[i] && at < len; i++) {
		if (i > 0)
			n += (size_t)sprintf(out + n, "%s", sep);
		size_t take = (size_t)sizes[i] < len - at ? (size_t)sizes[i] : len - at;
		memcpy(out + n, s + at, take);
		n += take, at += take;
	}
	out[n] = '\0';
}

static void add_bsns(struct table *t)
{
	static const struct {
		const char *digits;
		bool valid;
	} bsns[] = { { "111222333", true }, { "123456782", true }, { "123456789", false } };
	static const int three[] = { 3, 3, 3, 0 }, four[] = { 4, 2, 3, 0 };
	char g[128], text[256], what[160];
	for (size_t b = 0; b < sizeof bsns / sizeof bsns[0]; b++)
		for (size_t p = 0; p < N_SEPS; p++)
			for (size_t c = 0; c < N_SCRIPTS; c++) {
				grouped(bsns[b].digits, b == 1 ? four : three, seps[p].text, g);
				in_script(g, scripts[c].zero, text + sprintf(text, "bsn "));
				snprintf(what, sizeof what, "%s BSN, %s, %s digits",
					 bsns[b].valid ? "a valid" : "an invalid", seps[p].name,
					 scripts[c].name);
				add(t, bsns[b].valid ? PDGUARD_BIT(PDGUARD_BSN) : 0, what, text);
			}
	/* The leading zero lost: 8 digits that pass with a 0 before them, and
	 * 8 that do not. */
	add(t, PDGUARD_BIT(PDGUARD_BSN), "an 8-digit BSN without its leading 0", "bsn 12345672");
	add(t, 0, "8 digits that are no BSN with a 0 before them", "dossier 12345678");
}

static void add_ibans(struct table *t)
{
	static const char *const ibans[] = { "NL91ABNA0417164300", "BE68539007547034",
					     "DE89370400440532013000" };
	static const int fours[] = { 4, 4, 4, 4, 4, 4, 4, 4, 0 };
	char g[256], text[512], what[160];
	for (size_t i = 0; i < sizeof ibans / sizeof ibans[0]; i++) {
		for (size_t p = 0; p < N_SEPS; p++) {
			grouped(ibans[i], fours, seps[p].text, g);
			snprintf(text, sizeof text, "rekening %s gegeven", g);
			snprintf(what, sizeof what, "a %.2s IBAN grouped by %s", ibans[i], seps[p].name);
			add(t, PDGUARD_BIT(PDGUARD_IBAN), what, text);
		}
		in_script(ibans[i], 0xff10, text);
		snprintf(what, sizeof what, "a %.2s IBAN in fullwidth letters and digits", ibans[i]);
		add(t, PDGUARD_BIT(PDGUARD_IBAN), what, text);
	}
}

/* mod-97 of the digits of an IBAN as read (letters as 10..35). */
static unsigned mod97(const char *s)
{
	unsigned rem = 0;
	for (; *s; s++) {
		unsigned v = *s >= 'A' ? (unsigned)(*s - 'A' + 10) : (unsigned)(*s - '0');
		rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
	}
	return rem;
}

/* country + check digits + bban, the check digits making mod-97 pass. */
static void with_check(const char *country, const char *bban, char *out)
{
	char moved[64];
	snprintf(moved, sizeof moved, "%s%s00", bban, country);
	sprintf(out, "%s%02u%s", country, 98 - mod97(moved), bban);
}

/* Reference numbers that pass mod-97 but are no IBAN: a country's code with
 * the wrong length, or no country at all. The account part mixes letters and
 * digits so that no run of digits is a phone number or a BSN. */
static void add_references(struct table *t)
{
	static const char pattern[] = "AB1C2D3E4F5G6H7J8K9L0M1N2P3Q";
	static const struct {
		const char *country;
		size_t len; /* of the whole reference */
	} refs[] = { { "NL", 15 }, { "NL", 17 }, { "NL", 19 }, { "NL", 22 }, { "BE", 15 },
		     { "BE", 18 }, { "DE", 20 }, { "DE", 24 }, { "ZZ", 18 }, { "RF", 18 },
		     { "QQ", 22 } };
	char bban[40], ref[64], text[128], what[96];
	for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
		memcpy(bban, pattern, refs[i].len - 4);
		bban[refs[i].len - 4] = '\0';
		with_check(refs[i].country, bban, ref);
		snprintf(text, sizeof text, "kenmerk %s op de brief", ref);
		snprintf(what, sizeof what, "a %s reference of %zu passing mod-97", refs[i].country,
			 refs[i].len);
		add(t, 0, what, text);
	}
}

static void add_postcodes(struct table *t)
{
	static const struct {
		const char *text;
		bool postcode;
	} codes[] = {
		{ "woont in 1234 AB", true },	       { "postcode 1011AB", true },
		{ "3511 LX Utrecht", true },	       { "1234ab", true },
		{ "1234\u00a0AB", true },	       { "\uff11\uff12\uff13\uff14 \uff21\uff22", true },
		{ "9999\u202fZZ", true },	       { "1234 SA", false },
		{ "1234 SD", false },		       { "0123 AB", false },
		{ "aangifte 2024 en 2025", false },    { "laptop met 4096 MB", false },
		{ "12345 AB", false },		       { "1234 ABC", false },
	};
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		add(t, codes[i].postcode ? PDGUARD_BIT(PDGUARD_POSTCODE) : 0,
		    codes[i].postcode ? "a postcode" : "no postcode", codes[i].text);
}

static struct civil_date years_before(struct civil_date today, int years)
{
	struct civil_date d = { today.year - years, today.month, today.day };
	if (!date_is_valid(d))
		d.day = 28;
	return d;
}

/* One date in each way of writing it. */
static void add_date_forms(struct table *t, struct civil_date d, unsigned want, const char *age)
{
	static const char *const months[] = { "januari", "februari", "maart", "april",
					      "mei", "juni", "juli", "augustus",
					      "september", "oktober", "november", "december" };
	char text[128], what[96], ascii[64];
	const char *forms[] = { "%02d-%02d-%04d", "%d-%d-%04d", "%02d/%02d/%04d", "%02d.%02d.%04d",
				"%02d\u2013%02d\u2013%04d", "%02d %02d %04d" };
	for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
		/* forms[] holds only the literals above, each of three ints */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(text, sizeof text, forms[f], d.day, d.month, d.year);
#pragma GCC diagnostic pop
		snprintf(what, sizeof what, "a date %s, written %s", age, forms[f]);
		add(t, want, what, text);
	}
	snprintf(text, sizeof text, "geboren %04d-%02d-%02d", d.year, d.month, d.day);
	snprintf(what, sizeof what, "a date %s, jjjj-mm-dd", age);
	add(t, want, what, text);
	snprintf(text, sizeof text, "geboren %d %s %04d", d.day, months[d.month - 1], d.year);
	snprintf(what, sizeof what, "a date %s, with the month's name", age);
	add(t, want, what, text);
	snprintf(ascii, sizeof ascii, "%02d-%02d-%04d", d.day, d.month, d.year);
	in_script(ascii, 0x660, text);
	snprintf(what, sizeof what, "a date %s, in Arabic-Indic digits", age);
	add(t, want, what, text);
}

static void add_birth_dates(struct table *t, struct civil_date today)
{
	static const int ages[] = { 0, 1, 17, 18, 45, 80, 119, 120 };
	char age[32];
	for (size_t i = 0; i < sizeof ages / sizeof ages[0]; i++) {
		snprintf(age, sizeof age, "of someone %d", ages[i]);
		add_date_forms(t, years_before(today, ages[i]), PDGUARD_BIT(PDGUARD_BIRTH_DATE), age);
	}
	add_date_forms(t, years_before(today, 121), 0, "121 years back");
	add_date_forms(t, years_before(today, 300), 0, "300 years back");
	add_date_forms(t, date_add_days(today, 30), 0, "a month ahead");
	add(t, 0, "a date that does not exist", "31-02-1990");
	add(t, 0, "a month and a year", "brief van maart 2026");
}

static void add_pairs(struct table *t, struct civil_date today)
{
	char born[32];
	struct civil_date b = years_before(today, 40);
	snprintf(born, sizeof born, "%02d-%02d-%04d", b.day, b.month, b.year);
	const struct {
		enum pdguard_kind kind;
		const char *text;
	} one[] = {
		{ PDGUARD_BSN, "bsn 111\u2013222\u2013333" },
		{ PDGUARD_EMAIL, "jan.jansen@example.nl" },
		{ PDGUARD_PHONE, "06\u00a012345678" },
		{ PDGUARD_IBAN, "NL91\u00a0ABNA\u00a00417\u00a01643\u00a000" },
		{ PDGUARD_POSTCODE, "1234 AB" },
		{ PDGUARD_BIRTH_DATE, born },
	};
	enum { N = sizeof one / sizeof one[0] };
	char text[256], what[96];
	for (size_t i = 0; i < N; i++)
		for (size_t j = i + 1; j < N; j++) {
			snprintf(text, sizeof text, "%s en %s", one[i].text, one[j].text);
			snprintf(what, sizeof what, "%s and %s", pdguard_kind_name(one[i].kind),
				 pdguard_kind_name(one[j].kind));
			add(t, PDGUARD_BIT(one[i].kind) | PDGUARD_BIT(one[j].kind), what, text);
		}
}

static void add_harmless(struct table *t)
{
	static const char *const notes[] = {
		"belastingaangifte 2025 box 3",   "DigiD-app versie 7.2.1 geïnstalleerd",
		"toeslag 2023 en 2024 terugbetalen, 1.250 euro",
		"BelastingTelefoon 0800\u20130543", "2024 \u2013 2025 \u2013 2026",
		"formulier 2024 deel 1 en 2, pagina 12 van 30",
		"afspraak op de 12e om 14 uur",	  "12 minuten uitleg",
	};
	for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++)
		add(t, 0, "a harmless note", notes[i]);
}

struct pdnote *pdnotes_new(struct civil_date today, size_t *n)
{
	struct table t = { 0 };
	add_bsns(&t);
	add_ibans(&t);
	add_references(&t);
	add_postcodes(&t);
	add_birth_dates(&t, today);
	add_pairs(&t, today);
	add_harmless(&t);
	*n = t.n;
	return t.notes;
}

char *pdnotes_kinds_dup(unsigned kinds, const char *none)
{
	char *s = pdguard_join_dup(kinds, pdguard_kind_name);
	if (*s)
		return s;
	free(s);
	return xstrdup(none);
}

void pdnotes_free(struct pdnote *notes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(notes[i].text);
		free(notes[i].what);
	}
	free(notes);
}
