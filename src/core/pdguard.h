/* The personal-data guard of the IDO question log (DESIGN.md section 3): a
 * note may say what a citizen needed help with, never who the citizen is.
 * The desk checks a note as it is typed and the service checks it again,
 * with this same code. It says which kinds of data it found, never the value.
 *
 * The note is first brought to its plain form (textnorm.h): NFKC, digits of
 * every script as ASCII, every dash a '-', every space one ' ', invisible
 * format characters dropped. So "１２３ ４５６ ７８２", "123–456–782" and
 * "123\u00a0456\u00a0782" are the same number. Names and street names are
 * not caught: no pattern tells them from ordinary words. */
#ifndef BALIE_PDGUARD_H
#define BALIE_PDGUARD_H

#include "core/date.h"

enum pdguard_kind {
	PDGUARD_NONE,
	PDGUARD_BSN,   /* 9 digits passing the eleven-test, grouped by spaces, dots or dashes;
			* or 8 digits in one run that pass it with the leading 0 put back */
	PDGUARD_EMAIL, /* name@domain.tld */
	PDGUARD_PHONE, /* a Dutch number of 10 digits (06, area codes) or +31 / 0031 */
	PDGUARD_IBAN,  /* a country of the ISO 13616 registry, its length, passing mod-97 */
	PDGUARD_POSTCODE,   /* a Dutch postcode, "1234 AB" or "1234ab" */
	PDGUARD_BIRTH_DATE, /* a full date (dd-mm-jjjj, jjjj-mm-dd, "3 maart 1990")
			     * at most 120 years before today and not after it */
	PDGUARD_KIND_COUNT
};

/* A set of kinds: bit (1u << kind) for each kind found. */
#define PDGUARD_BIT(kind) (1u << (unsigned)(kind))

/* Every kind of personal data found in the UTF-8 text as of today (the day
 * decides which dates could be a date of birth); 0 for none or NULL. A
 * number counts as one kind only: the digits of an IBAN are no phone number. */
unsigned pdguard_scan(const char *text, struct civil_date today);

/* The first kind of the set in the order IBAN, e-mail, phone, BSN, postcode,
 * date of birth; PDGUARD_NONE for an empty set. */
enum pdguard_kind pdguard_first(unsigned kinds);

/* The words of each kind in the set (word(kind), in the order of the enum)
 * joined by ", " as a new string; "" for an empty set. */
char *pdguard_join_dup(unsigned kinds, const char *(*word)(enum pdguard_kind kind));

/* pdguard_first(pdguard_scan(text, date_today())). */
enum pdguard_kind pdguard_check(const char *text);

/* The wire name of a kind for details.kind and details.kinds: "bsn",
 * "email", "phone", "iban", "postcode", "birth_date"; NULL for PDGUARD_NONE. */
const char *pdguard_kind_name(enum pdguard_kind kind);
/* The kind for a wire name; PDGUARD_NONE when unknown. */
enum pdguard_kind pdguard_kind_from_name(const char *name);

#endif
