/* The reading and checking of an enrolment body (membership_read), which
 * needs no database: any body, as of a day picked by the first byte (leap
 * years, month ends, birthdays), with a guardian age of 14 to 16. */
#include "fuzz.h"
#include "core/jsonx.h"
#include "service/domain/membership.h"

#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned pick = data[0];
	cJSON *body = jsonx_parse((const char *)data + 1, size - 1, NULL);
	if (!body)
		return 0;
	struct civil_date today = { .year = 2020 + (int)(pick % 8), .month = 1 + (int)(pick % 12),
				    .day = 1 + (int)(pick % 28) };
	if (pick % 12 == 1 && pick % 8 == 0)
		today.day = 29; /* 29 February 2020 */
	struct membership_request req = { 0 };
	struct membership_problem why = { 0 };
	bool accepted = membership_read(body, today, 14 + pick % 3, &req, &why);
	if (!accepted && !why.message)
		abort(); /* a refusal always says why */
	if (accepted && (req.age < 0 || req.age >= 18))
		abort(); /* only children are enrolled */
	membership_request_clear(&req);
	cJSON_Delete(body);
	return 0;
}
