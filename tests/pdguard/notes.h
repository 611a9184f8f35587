/* A generated table of IDO notes for the personal-data guard, each with the
 * kinds the guard must find in it: BSNs (passing the eleven-test and not)
 * written with every separator class and in the digits of several scripts,
 * IBANs of three countries grouped by each separator, reference numbers that
 * pass mod-97 but have no country's length, postcodes, dates of birth at ages
 * 0-120 and outside, notes with two kinds, and harmless notes. The unit test
 * asks the core guard and the service test asks a real balied. */
#ifndef BALIE_TEST_PDGUARD_NOTES_H
#define BALIE_TEST_PDGUARD_NOTES_H

#include "core/date.h"

#include <stddef.h>

struct pdnote {
	char *text;    /* UTF-8 */
	unsigned want; /* the kinds, a set of PDGUARD_BIT */
	char *what;    /* how it was made, for the test's line */
};

/* The table as of today (the dates of birth are relative to it); free it
 * with pdnotes_free. Sets *n. */
struct pdnote *pdnotes_new(struct civil_date today, size_t *n);
void pdnotes_free(struct pdnote *notes, size_t n);

/* "bsn, iban" for a set of kinds, or none for the empty set; allocated. */
char *pdnotes_kinds_dup(unsigned kinds, const char *none);

#endif
