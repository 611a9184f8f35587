/* A short text of the desk that must not hold personal data: the IDO
 * question's note, a patron's staff note and message. The same guard
 * (core/pdguard.h) for each, so that they refuse the same things. */
#include "service/api/endpoints.h"

#include "core/date.h"
#include "core/pdguard.h"
#include "core/sanitize.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* personal_data_in_note naming every kind found: details.kind is the first
 * (what a desk that knows one kind reads), details.kinds all of them. */
static void reply_personal_data(struct reply *out, const char *field, unsigned kinds)
{
	cJSON *details = cJSON_CreateObject();
	cJSON_AddStringToObject(details, "field", field);
	cJSON_AddStringToObject(details, "kind", pdguard_kind_name(pdguard_first(kinds)));
	cJSON *list = cJSON_AddArrayToObject(details, "kinds");
	for (unsigned k = PDGUARD_BSN; k < PDGUARD_KIND_COUNT; k++)
		if (kinds & PDGUARD_BIT(k))
			cJSON_AddItemToArray(list, cJSON_CreateString(pdguard_kind_name((enum pdguard_kind)k)));
	char *names = pdguard_join_dup(kinds, pdguard_kind_name);
	char *msg = xasprintf("the %s looks like it holds personal data (%s)", field, names);
	reply_error(out, ERR_PERSONAL_DATA_IN_NOTE, msg, details);
	free(msg);
	free(names);
}

bool ep_note_read(struct call *call, const char *field, size_t max, unsigned refused,
		  const char **note, struct reply *out)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(call->json, field);
	*note = NULL;
	if (!item || cJSON_IsNull(item))
		return true;
	if (!cJSON_IsString(item)) {
		reply_invalid_field(out, field, "not_text");
		return false;
	}
	const char *s = item->valuestring;
	if (!sanitize_is_clean(s)) {
		reply_invalid_field(out, field, "control_characters");
		return false;
	}
	if (utf8_chars(s) > max) {
		reply_invalid_field(out, field, "too_long");
		return false;
	}
	unsigned kinds = pdguard_scan(s, date_of_time(call->now)) & refused;
	if (kinds) {
		reply_personal_data(out, field, kinds);
		return false;
	}
	*note = *s ? s : NULL;
	return true;
}
