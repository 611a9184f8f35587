/* The personal-data guard of the IDO note: what it must refuse (BSNs passing
 * the eleven-test, e-mail addresses, Dutch phone numbers, IBANs passing
 * mod-97, as people write them) and the ordinary notes with numbers it must
 * let through. */
#include "core/pdguard.h"
#include "tap.h"

#include <stddef.h>

struct sample {
	const char *text;
	enum pdguard_kind want;
};

static const struct sample samples[] = {
	/* BSNs that pass the eleven-test, written as people write them. */
	{ "111222333", PDGUARD_BSN },
	{ "bsn 123456782 gecontroleerd", PDGUARD_BSN },
	{ "123 456 782", PDGUARD_BSN },
	{ "1234.56.782", PDGUARD_BSN },
	{ "123.456.782", PDGUARD_BSN },
	{ "BSN:123456782.", PDGUARD_BSN },
	{ "123-456-782", PDGUARD_BSN },
	/* Nine digits that fail the eleven-test, and other lengths. */
	{ "123456789", PDGUARD_NONE },
	{ "123 456 789", PDGUARD_NONE },
	{ "000000000", PDGUARD_NONE },
	{ "12345678", PDGUARD_NONE },
	{ "1234567820", PDGUARD_NONE },
	/* E-mail addresses. */
	{ "jan.jansen@example.nl", PDGUARD_EMAIL },
	{ "mail naar a@b.nl gestuurd", PDGUARD_EMAIL },
	{ "Piet_Puk+ido@mail.example.com", PDGUARD_EMAIL },
	{ "@ teken uitgelegd", PDGUARD_NONE },
	{ "e-mail aangemaakt bij provider", PDGUARD_NONE },
	{ "x@localhost", PDGUARD_NONE },
	/* Phone numbers, national and international. */
	{ "06-12345678", PDGUARD_PHONE },
	{ "0612345678", PDGUARD_PHONE },
	{ "06 1234 5678", PDGUARD_PHONE },
	{ "06 12 34 56 78", PDGUARD_PHONE },
	{ "bel 020-1234567 terug", PDGUARD_PHONE },
	{ "(020) 123 4567", PDGUARD_PHONE },
	{ "(020)1234567", PDGUARD_PHONE },
	{ "06 - 1234 5678", PDGUARD_PHONE },
	{ "tel. 06.12.34.56.78", PDGUARD_PHONE },
	{ "+31 6 12345678", PDGUARD_PHONE },
	{ "+31612345678", PDGUARD_PHONE },
	{ "+31(0)20 123 4567", PDGUARD_PHONE },
	{ "0031 6 12345678", PDGUARD_PHONE },
	/* The organisations' own numbers are no one's personal data. */
	{ "BelastingTelefoon 0800-0543", PDGUARD_NONE },
	{ "0900-1234567 gebeld", PDGUARD_NONE },
	{ "+31 6 1234", PDGUARD_NONE },
	/* IBANs. */
	{ "NL91ABNA0417164300", PDGUARD_IBAN },
	{ "NL91 ABNA 0417 1643 00", PDGUARD_IBAN },
	{ "rekening nl91abna0417164300 gegeven", PDGUARD_IBAN },
	{ "GB82 WEST 1234 5698 7654 32", PDGUARD_IBAN },
	{ "GB83WEST12345698765432", PDGUARD_NONE },
	/* A wrong check digit: no IBAN, but the account looks like a phone number. */
	{ "NL92ABNA0417164300", PDGUARD_PHONE },
	{ "NL91 ABNA", PDGUARD_NONE },
	/* Ordinary notes with numbers. */
	{ "3 vragen over 2024", PDGUARD_NONE },
	{ "belastingaangifte 2025 box 3", PDGUARD_NONE },
	{ "12 minuten", PDGUARD_NONE },
	{ "afspraak op 01-02-2099 om 14 uur", PDGUARD_NONE },
	{ "formulier 2024 deel 1 en 2, pagina 12 van 30", PDGUARD_NONE },
	{ "DigiD-app versie 7.2.1 geïnstalleerd", PDGUARD_NONE },
	{ "toeslag 2023 en 2024 terugbetalen, 1.250 euro", PDGUARD_NONE },
	{ "versie 0.5 - 12 stappen", PDGUARD_NONE },
	{ "2024 - 2025 - 2026", PDGUARD_NONE },
	{ "", PDGUARD_NONE },
};

int main(void)
{
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		enum pdguard_kind got = pdguard_check(samples[i].text);
		const char *want = pdguard_kind_name(samples[i].want);
		ok(got == samples[i].want, "\"%s\": %s (got %s)", samples[i].text,
		   want ? want : "passes", pdguard_kind_name(got) ? pdguard_kind_name(got) : "none");
	}
	ok(pdguard_check(NULL) == PDGUARD_NONE, "no note is no personal data");
	ok(pdguard_check("NL91ABNA0417164300 en jan@example.nl") == PDGUARD_IBAN,
	   "with several kinds, the IBAN is named first");
	for (unsigned k = PDGUARD_BSN; k < PDGUARD_KIND_COUNT; k++)
		ok(pdguard_kind_from_name(pdguard_kind_name((enum pdguard_kind)k)) == k,
		   "the kind %s reads back", pdguard_kind_name((enum pdguard_kind)k));
	ok(pdguard_kind_from_name("name") == PDGUARD_NONE, "an unknown kind is none");
	return tap_done();
}
