/* A service answer as the desk receives it: status, type and body go through
 * api_reply_from_bytes (parse with the length, sanitise every string,
 * classify) and then through every decoder of src/client that could be
 * handed such a body. The first two bytes pick the status and the type; the
 * rest is the body. */
#include "client/api.h"
#include "client/circ.h"
#include "client/enrol.h"
#include "fuzz.h"
#include "client/idolog.h"
#include "client/session.h"

#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	return 0;
}

static const long statuses[] = { 200, 201, 204, 400, 401, 403, 404, 409, 413, 422, 429, 500, 503, 302 };

static void decode_all(const cJSON *body)
{
	char *err = NULL;
#define TRY(decode, release) \
	do { \
		err = NULL; \
		release(decode(body, &err)); \
		free(err); \
	} while (0)
	TRY(session_health_decode, session_health_free);
	TRY(session_login_decode, session_login_free);
	TRY(session_branches_decode, session_branches_free);
	TRY(circ_patron_decode, circ_patron_free);
	TRY(circ_search_decode, circ_search_free);
	TRY(circ_loan_decode, circ_loan_free);
	TRY(circ_checkin_decode, circ_checkin_free);
	TRY(enrol_rules_decode, enrol_rules_free);
	TRY(enrol_result_decode, enrol_result_free);
	TRY(ido_catalog_decode, ido_catalog_free);
	TRY(ido_stats_decode, ido_stats_free);
#undef TRY
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	long status = statuses[data[0] % (sizeof statuses / sizeof statuses[0])];
	const char *type = (data[1] & 1) ? "text/csv; charset=utf-8" : "application/json";
	struct api_reply *r = api_reply_from_bytes(status, type, (const char *)data + 2, size - 2);
	if (r->body)
		decode_all(r->body);
	if (r->outcome == API_REFUSED) {
		const char *field = NULL, *reason = NULL;
		size_t n = 0;
		char **blocks = circ_refusal_blocks_dup(r->error_details, &n);
		for (size_t i = 0; blocks && i < n; i++)
			free(blocks[i]);
		free(blocks);
		enrol_refusal(r, &field, &reason);
		free(enrol_duplicate_cards_dup(r));
		(void)api_reply_text(r);
	}
	api_reply_free(r);
	return 0;
}
