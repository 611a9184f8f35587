/* The field checks of an enrolment (validate.h), each given the input as a
 * string; the first byte picks the day "today" is, so that the date checks
 * see leap years and month ends. */
#include "fuzz.h"
#include "core/date.h"
#include "core/validate.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned pick = size ? data[0] : 0;
	char *s = malloc(size + 1);
	if (!s)
		abort();
	if (size)
		memcpy(s, data + 1, size - 1);
	s[size ? size - 1 : 0] = '\0';

	struct civil_date today = { .year = 2000 + (int)(pick % 40), .month = 1 + (int)(pick % 12),
				    .day = 1 + (int)(pick % 28) };
	char postcode[VALIDATE_POSTCODE_LEN];
	char phone[VALIDATE_PHONE_LEN];
	long number;
	struct civil_date birth;
	(void)validate_name(s);
	if (validate_postcode(s, postcode) == VALIDATE_OK && strlen(postcode) != 7)
		abort();
	if (validate_house_number(s, &number) == VALIDATE_OK &&
	    (number < 1 || number > VALIDATE_HOUSE_NUMBER_MAX))
		abort();
	(void)validate_house_suffix(s);
	(void)validate_email(s);
	if (validate_phone(s, phone) == VALIDATE_OK && strlen(phone) != 10)
		abort();
	for (int dutch = 0; dutch < 2; dutch++) {
		if (validate_birth_date(s, dutch, today, &birth) == VALIDATE_OK) {
			(void)validate_youth_eligible(birth, today);
			(void)validate_youth_last_day(birth);
		}
	}
	struct civil_date d;
	char out[DATE_STR_LEN];
	if (date_parse_iso(s, &d)) {
		date_format_iso(d, out);
		if (strcmp(out, s) != 0)
			abort(); /* "exactly" YYYY-MM-DD comes back the same */
	}
	if (date_parse_dutch(s, &d) && !date_is_valid(d))
		abort();
	(void)validate_card(s);
	free(validate_trim_dup(s));
	free(s);
	return 0;
}
