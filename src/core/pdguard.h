/* The personal-data guard of the IDO question log (DESIGN.md section 3): a
 * note may say what a citizen needed help with, never who the citizen is.
 * The desk checks a note as it is typed and the service checks it again,
 * with this same code. It says which kind of data it found, never the value. */
#ifndef BALIE_PDGUARD_H
#define BALIE_PDGUARD_H

enum pdguard_kind {
	PDGUARD_NONE,
	PDGUARD_BSN,   /* 9 digits (also grouped with spaces, dots or dashes) passing the eleven-test */
	PDGUARD_EMAIL, /* name@domain.tld */
	PDGUARD_PHONE, /* a Dutch number of 10 digits (06, area codes) or +31 / 0031 */
	PDGUARD_IBAN,  /* country, check digits and account, passing mod-97 */
};

/* The first kind of personal data found in the UTF-8 text, or PDGUARD_NONE.
 * When several kinds are present the order is IBAN, e-mail, phone, BSN. */
enum pdguard_kind pdguard_check(const char *text);

/* The wire name of a kind for details.kind: "bsn", "email", "phone",
 * "iban"; NULL for PDGUARD_NONE. */
const char *pdguard_kind_name(enum pdguard_kind kind);
/* The kind for a wire name; PDGUARD_NONE when unknown. */
enum pdguard_kind pdguard_kind_from_name(const char *name);

#endif
