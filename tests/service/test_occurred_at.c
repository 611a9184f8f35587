/* occurred_at of a replayed offline call must be a real instant of the
 * calendar, no more than a few minutes ahead of the service's clock and no
 * further back than the Idempotency-Keys are kept (30 days): a desk whose
 * clock was reset to 2001 must not lend an item as due in 2001 and fine it
 * on return. Each refusal is invalid_field "occurred_at" with its reason, and
 * changes nothing. */
#include "tap.h"

#include "circ_fixture.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static unsigned next_item = 1;

static void refused(struct fx *fx, const char *card, const char *at, const char *why,
		    const char *what)
{
	char barcode[15];
	long long item = fx_item(fx, next_item++, "book", "CEN", barcode);
	char *json = xasprintf("{\"patron_card\":\"%s\",\"item_barcode\":\"%s\","
			       "\"occurred_at\":\"%s\",\"offline\":true}", card, barcode, at);
	struct api_reply *r = fx_post(fx, "/checkouts", json);
	const char *field = jsonx_string(r->error_details, "field");
	const char *reason = jsonx_string(r->error_details, "reason");
	ok(r->status == 422 && r->error_code && strcmp(r->error_code, "invalid_field") == 0 &&
	   field && strcmp(field, "occurred_at") == 0 && reason && strcmp(reason, why) == 0,
	   "%s (%s): 422 invalid_field occurred_at %s (got %ld %s %s)", what, at, why, r->status,
	   r->error_code ? r->error_code : "", reason ? reason : "");
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE item_id = %lld", item) == 0,
	   "%s: no loan is stored", what);
	api_reply_free(r);
	free(json);
}

int main(void)
{
	struct fx fx;
	if (!ok(fx_start(&fx, NULL), "a training balied on " FX_TODAY)) {
		fx_finish(&fx, true);
		return tap_done();
	}
	char card[15];
	fx_patron(&fx, 1, "Anna", "de Boer", "adult", "2032-01-01", card);

	refused(&fx, card, "2001-01-01T10:00:00Z", "too_old", "a desk clock reset to 2001");
	refused(&fx, card, "1970-01-01T00:00:00Z", "too_old", "the start of the Unix clock");
	refused(&fx, card, "0099-01-01T00:00:00Z", "too_old", "the year 99");
	refused(&fx, card, "2031-01-31T00:00:00Z", "too_old", "more than 30 days ago");
	refused(&fx, card, "2031-02-30T10:00:00Z", "not_an_instant", "30 February");
	refused(&fx, card, "2031-03-01T10:00:60Z", "not_an_instant", "second 60");
	refused(&fx, card, "2031-3-01T10:00:00Z", "not_an_instant", "a month of one digit");
	refused(&fx, card, "2031-03-04T12:00:00Z", "in_the_future", "tomorrow");

	char barcode[15];
	fx_item(&fx, next_item++, "book", "CEN", barcode);
	char *json = xasprintf("{\"patron_card\":\"%s\",\"item_barcode\":\"%s\","
			       "\"occurred_at\":\"2031-02-05T10:00:00Z\",\"offline\":true}",
			       card, barcode);
	struct api_reply *r = fx_post(&fx, "/checkouts", json);
	is_str(jsonx_string(jsonx_object(r->body, "loan"), "due_on"), "2031-02-26",
	       "lent offline 26 days ago, within the key lifetime: due 21 days after that day");
	api_reply_free(r);
	free(json);

	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
