/* The personal-data guard on a generated table of notes (tests/pdguard):
 * every separator class, digit script and spacing of a BSN and an IBAN,
 * reference numbers that pass mod-97 without being an IBAN, postcodes,
 * dates of birth, and notes with two kinds, each of which it must name. The
 * desk and the service ask this same function. */
#include "tap.h"

#include "core/date.h"
#include "core/pdguard.h"
#include "pdguard/notes.h"

#include <stdlib.h>

int main(void)
{
	struct civil_date today = date_today();
	size_t n;
	struct pdnote *notes = pdnotes_new(today, &n);
	ok(n >= 200, "the table has %zu notes (at least 200)", n);
	size_t wrong = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned got = pdguard_scan(notes[i].text, today);
		char *want_s = pdnotes_kinds_dup(notes[i].want, "none");
		char *got_s = pdnotes_kinds_dup(got, "none");
		if (!ok(got == notes[i].want, "%s: %s", notes[i].what, want_s)) {
			diag("note \"%s\" gave %s", notes[i].text, got_s);
			wrong++;
		}
		free(want_s);
		free(got_s);
	}
	ok(wrong == 0, "every note of the table has its kinds (%zu wrong)", wrong);
	for (size_t i = 0; i < n; i++)
		if (notes[i].want &&
		    pdguard_check(notes[i].text) != pdguard_first(notes[i].want))
			wrong++;
	ok(wrong == 0, "pdguard_check gives the first kind of each");
	pdnotes_free(notes, n);
	return tap_done();
}
