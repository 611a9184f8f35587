/* The hostile corpus (tests/hostile/corpus.txt) through the client's
 * sanitiser, as every answer of the service is where it enters the client,
 * and then onto the three slips (loan, check-in to the hold shelf or in
 * transit, welcome) as title, author, names and branch names: the clean text
 * holds no C0, DEL, C1 or bidi control and is valid UTF-8, and so does each
 * slip; what the printer gets in CP858 holds no control byte but line ends
 * and no line longer than the slip. The tui test shows the same strings at the real desk. */
#include "tap.h"

#include "../hostile/corpus.h"
#include "client/circ.h"
#include "client/enrol.h"
#include "core/sanitize.h"
#include "client/slip.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

enum { WIDTH = 42 };

/* Why text is not clean display text, or NULL. */
static const char *unclean(const char *text)
{
	mbstate_t st = { 0 };
	const char *p = text;
	size_t left = strlen(text);
	while (left > 0) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, p, left, &st);
		if (n == (size_t)-1 || n == (size_t)-2)
			return "invalid UTF-8";
		if (wc < 0x20 || wc == 0x7f)
			return "a C0 control or DEL";
		if (wc >= 0x80 && wc <= 0x9f)
			return "a C1 control";
		if ((wc >= 0x202a && wc <= 0x202e) || (wc >= 0x2066 && wc <= 0x2069))
			return "a bidi override or isolate";
		p += n;
		left -= n;
	}
	return NULL;
}

/* unclean for slip text, whose own line ends are allowed. */
static const char *unclean_lines(const char *text)
{
	char *copy = strdup(text);
	for (char *p = copy; *p; p++)
		if (*p == '\n')
			*p = ' ';
	const char *why = unclean(copy);
	free(copy);
	return why;
}

/* What the printer gets in CP858 (one byte a character): no control byte
 * but line ends, and no line longer than the slip. */
static bool printer_clean(const struct slip *s, size_t *bad, size_t *longest)
{
	char *text = slip_text_dup(s);
	char *err = NULL;
	size_t len = 0;
	char *bytes = slip_encode_dup(text, "CP858", &len, &err);
	*bad = *longest = 0;
	size_t line = 0;
	for (size_t i = 0; bytes && i < len; i++) {
		unsigned char c = (unsigned char)bytes[i];
		if (c == '\n' || c == '\r' || c == '\f') {
			line = 0;
			continue;
		}
		*bad += c < 0x20 || c == 0x7f;
		if (++line > *longest)
			*longest = line;
	}
	bool clean = bytes != NULL;
	free(bytes);
	free(err);
	free(text);
	return clean && *bad == 0 && *longest <= WIDTH;
}

static bool slip_ok(struct slip *s, const char *what, const char *name)
{
	char *text = slip_text_dup(s);
	const char *why = unclean_lines(text);
	size_t bad = 0, longest = 0;
	bool good = !why && printer_clean(s, &bad, &longest);
	if (!good)
		diag("%s with %s: %s, longest line %zu characters in CP858, %zu control bytes", what,
		     name, why ? why : "clean text", longest, bad);
	free(text);
	slip_free(s);
	return good;
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		diag("no C.UTF-8 locale");
	struct hostile *corpus = NULL;
	char *err = NULL;
	size_t n = hostile_corpus_load_default(&corpus, &err);
	if (!ok(n >= 50, "the corpus has %zu strings (at least 50)", n)) {
		diag("%s", err ? err : "");
		free(err);
		return tap_done();
	}
	struct civil_date today = { 2031, 3, 3 };
	size_t clean = 0, loan = 0, checkin = 0, welcome = 0;
	for (size_t i = 0; i < n; i++) {
		const struct hostile *h = &corpus[i];
		char *t = sanitize_dup(h->bytes, h->len);
		const char *why = unclean(t);
		if (why)
			diag("%s: after the sanitiser still %s", h->name, why);
		clean += !why && sanitize_is_clean(t);

		struct circ_loan l = { .item_barcode = (char[]){ "31000000009004" }, .title = t, .author = t,
				       .due_on = (char[]){ "2031-03-24" } };
		const struct circ_loan *loans[] = { &l, &l };
		loan += slip_ok(slip_loan_new(WIDTH, t, "21000000009006", loans, 2, 1250, today),
				"the loan slip", h->name);

		struct circ_checkin c = { .barcode = (char[]){ "31000000009004" }, .title = t,
					  .route = i % 2 ? CIRC_TRANSIT : CIRC_HOLD_SHELF,
					  .branch = (char[]){ "H01" }, .hold_for = t };
		checkin += slip_ok(slip_checkin_new(WIDTH, &c, t, t, today), "the check-in slip",
				   h->name);

		struct enrol_result r = { .card = (char[]){ "21000000009006" }, .category = (char[]){ "youth" },
					  .expires_on = { 2040, 5, 4 } };
		welcome += slip_ok(enrol_slip_new(WIDTH, t, t, t, &r, today), "the welcome slip",
				   h->name);
		free(t);
	}
	ok(clean == n, "every string is clean display text after the sanitiser (%zu of %zu)", clean,
	   n);
	ok(loan == n, "loan slips: lines of at most %d characters, no control byte in CP858"
	   " (%zu of %zu)", WIDTH,
	   loan, n);
	ok(checkin == n, "hold and transit slips: the same (%zu of %zu)", checkin, n);
	ok(welcome == n, "welcome slips: the same (%zu of %zu)", welcome, n);
	hostile_corpus_free(corpus, n);
	return tap_done();
}
