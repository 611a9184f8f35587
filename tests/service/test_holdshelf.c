/* The hold shelf of a branch against a real training balied without an
 * smtp_url: GET /holdshelf lists what waits (sorted as the shelf is, by
 * initials and the card's last four digits), who is to be phoned (no e-mail
 * address), who has not been told (the notice waits in the outbox, since no
 * mail server is configured) and what to pull off (expired, or cancelled
 * while ready); POST /holdshelf/clearances takes a listed copy off, audited,
 * with its route, once. */
#include "tap.h"

#include "circ_fixture.h"
#include "core/jsonx.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static unsigned next_n = 1;

static long long place(struct fx *fx, const char *card, long long title)
{
	char *json = xasprintf("{\"patron_card\":\"%s\",\"title_id\":\"%lld\","
			       "\"pickup_branch\":\"CEN\"}", card, title);
	struct api_reply *r = fx_post(fx, "/holds", json);
	free(json);
	const char *id = jsonx_string(jsonx_object(r->body, "hold"), "id");
	long long n = id ? atoll(id) : -1;
	if (r->status != 201)
		diag("POST /holds: %ld %s", r->status, r->error_code ? r->error_code : "");
	api_reply_free(r);
	return n;
}

/* A title with one copy at CEN, lent out and then held by card: the copy's
 * barcode in bc, the hold's id returned. */
static long long held_copy(struct fx *fx, long long lender, const char *card, char bc[15])
{
	long long item = fx_item(fx, next_n++, "book", "CEN", bc);
	fx_loan(fx, item, lender, "2031-03-20");
	return place(fx, card, fx_num(fx, "SELECT title_id FROM items WHERE id = %lld", item));
}

static struct api_reply *shelf(struct fx *fx, const char *query)
{
	char *path = xasprintf("/holdshelf%s", query);
	struct api_reply *r = api_call(fx->api, "GET", path, NULL, NULL);
	free(path);
	return r;
}

/* The list's rows of the test's own copies (the training data has some
 * too) as "initials last4 barcode" joined by ", ". */
static char *list_text(const struct api_reply *r, const char *list)
{
	char *out = xstrdup("");
	const cJSON *row;
	cJSON_ArrayForEach(row, jsonx_array(r->body, list)) {
		const char *bc = jsonx_string(row, "item_barcode");
		if (!bc || strncmp(bc, "3199999", 7) != 0)
			continue;
		char *more = xasprintf("%s%s%s %s %s", out, *out ? ", " : "",
				       jsonx_string(row, "initials"), jsonx_string(row, "card_last4"),
				       jsonx_string(row, "item_barcode"));
		free(out);
		out = more;
	}
	return out;
}

static struct api_reply *clear(struct fx *fx, const char *barcode)
{
	char *json = xasprintf("{\"item_barcode\":\"%s\"}", barcode);
	struct api_reply *r = fx_post(fx, "/holdshelf/clearances", json);
	free(json);
	return r;
}

int main(void)
{
	struct fx fx;
	if (!ok(fx_start(&fx, NULL), "a training balied on " FX_TODAY ", no smtp_url")) {
		fx_finish(&fx, true);
		return tap_done();
	}
	char lender[15], zoe[15], anna[15], bart[15];
	long long l = fx_patron(&fx, next_n++, "Lena", "Lener", "adult", "2032-01-01", lender);
	long long z = fx_patron(&fx, next_n++, "Zoë", "Zwart", "adult", "2032-01-01", zoe);
	long long a = fx_patron(&fx, next_n++, "Anna", "van den Berg", "adult", "2032-01-01", anna);
	fx_patron(&fx, next_n++, "Bart", "Bos", "adult", "2032-01-01", bart);
	fx_sql(&fx, "UPDATE patrons SET email = 'p%lld@example.org' WHERE id IN (%lld, %lld)", z, z,
	       a);
	fx_sql(&fx, "UPDATE patrons SET phone = '0201234567' WHERE card = '%s'", bart);

	char bz[15], ba[15], bb[15], bx[15];
	held_copy(&fx, l, zoe, bz);
	held_copy(&fx, l, anna, ba);
	long long hb = held_copy(&fx, l, bart, bb);
	long long hx = held_copy(&fx, l, anna, bx);
	const char *all[] = { bz, ba, bb, bx };
	for (size_t i = 0; i < 4; i++)
		fx_expect(fx_checkin(&fx, all[i]), 200, NULL, "returned: on the hold shelf");

	struct api_reply *r = shelf(&fx, "");
	ok(r->status == 200, "GET /holdshelf: 200 (%ld)", r->status);
	is_str(jsonx_string(r->body, "branch"), "CEN", "the session's branch");
	char *want = xasprintf("A.B. %s %s, A.B. %s %s, B.B. %s %s, Z.Z. %s %s", anna + 10, ba, anna + 10,
			       bx, bart + 10, bb, zoe + 10, bz);
	char *got = list_text(r, "waiting");
	is_str(got, want, "waiting, as the shelf is: initials (van den Berg under B), last digits");
	free(got);
	free(want);
	got = list_text(r, "to_phone");
	want = xasprintf("B.B. %s %s", bart + 10, bb);
	is_str(got, want, "to phone: the patron without an e-mail address");
	free(got);
	free(want);
	const cJSON *phone = cJSON_GetArrayItem(jsonx_array(r->body, "to_phone"), 0);
	is_str(jsonx_string(phone, "phone"), "0201234567", "with the phone number");
	is_str(jsonx_string(phone, "name"), "Bart Bos", "and the name");
	got = list_text(r, "not_told");
	want = xasprintf("A.B. %s %s, A.B. %s %s, Z.Z. %s %s", anna + 10, ba, anna + 10, bx, zoe + 10, bz);
	is_str(got, want, "not told: no smtp_url, the notices wait in the outbox");
	free(got);
	free(want);
	ok(cJSON_GetArraySize(jsonx_array(r->body, "expired")) == 0, "nothing to pull off yet");
	api_reply_free(r);
	ok(fx_num(&fx, "SELECT count(*) FROM notices WHERE sent_at IS NULL") == 3,
	   "three notices wait in the outbox, none sent");

	/* The notice is sent: the patron is told. */
	fx_sql(&fx, "UPDATE notices SET sent_at = 1 WHERE to_address LIKE 'p%lld@%%'", z);
	r = shelf(&fx, "");
	got = list_text(r, "not_told");
	ok(!strstr(got, bz), "once sent, Zoë is no longer on the list not told");
	free(got);
	api_reply_free(r);

	/* Bart's hold is cancelled on the shelf; Anna's second one expires. */
	char *json = xasprintf("{\"patron_card\":\"%s\",\"reason\":\"patron_request\"}", bart);
	char *path = xasprintf("/holds/%lld", hb);
	cJSON *body = cJSON_Parse(json);
	char key[UUID_STR_LEN];
	uuid_v4(key);
	r = api_call(fx.api, "DELETE", path, body, key);
	ok(r->status == 200, "Bart's ready hold is cancelled (%ld)", r->status);
	api_reply_free(r);
	cJSON_Delete(body);
	free(path);
	free(json);
	char now[32];
	fx_instant(0, now);
	fx_sql(&fx, "UPDATE holds SET pickup_by = '2031-03-01' WHERE id = %lld", hx);
	char *out = NULL, *err = NULL;
	int status = harness_run(&fx.h, NULL, &out, &err, "holds", "expire", "--date", FX_TODAY, NULL);
	ok(status == 0 && out && strstr(out, "1 hold expired"), "balied holds expire: one (%s)",
	   out ? out : err ? err : "");
	free(out);
	free(err);
	/* The command ran on the real clock, the service runs on FX_TODAY. */
	fx_sql(&fx, "UPDATE holds SET ended_at = strftime('%%s', '%s') WHERE id = %lld", now, hx);

	r = shelf(&fx, "?branch=CEN");
	got = list_text(r, "expired");
	want = xasprintf("A.B. %s %s, B.B. %s %s", anna + 10, bx, bart + 10, bb);
	is_str(got, want, "to pull off: the expired and the cancelled, as the shelf is");
	free(got);
	free(want);
	got = list_text(r, "waiting");
	ok(!strstr(got, bb) && !strstr(got, bx), "and no longer waiting");
	free(got);
	api_reply_free(r);
	fx_expect(shelf(&fx, "?branch=XXX"), 422, "invalid_field", "an unknown branch");

	r = clear(&fx, bx);
	ok(r->status == 200, "the expired copy is scanned off the shelf (%ld)", r->status);
	const cJSON *route = jsonx_object(r->body, "route");
	is_str(jsonx_string(route, "action"), "shelve", "nobody waits: back on the shelf");
	is_str(jsonx_string(jsonx_object(r->body, "item"), "barcode"), bx, "the item answered");
	api_reply_free(r);
	ok(fx_num(&fx, "SELECT count(*) FROM audit_log WHERE action = 'hold_shelf_cleared'"
		       " AND subject = '%s'", bx) == 1, "audited");
	fx_expect(clear(&fx, bx), 404, "not_found", "a second clearance: no longer listed");
	fx_expect(clear(&fx, ba), 404, "not_found", "a copy still waiting is not on the list");
	fx_expect(clear(&fx, "3199999999999"), 404, "item_not_found", "an unknown barcode");
	fx_expect(fx_post(&fx, "/holdshelf/clearances", "{\"item_barcode\":\"1\",\"x\":1}"), 422,
		  "invalid_field", "an unknown field");
	fx_expect(fx_post(&fx, "/holdshelf/clearances", "{}"), 422, "invalid_field",
		  "no barcode");

	/* Someone else waits for the title of the cancelled copy at NRD. */
	fx_sql(&fx, "UPDATE holds SET status = 'waiting', item_id = NULL, cleared_at = NULL,"
		    " title_id = (SELECT title_id FROM items WHERE barcode = '%s')"
		    " WHERE id = %lld", bb, hx);
	fx_sql(&fx, "UPDATE holds SET pickup_branch = 'NRD' WHERE id = %lld", hx);
	fx_sql(&fx, "UPDATE items SET status = 'in_transit' WHERE barcode = '%s'", bb);
	fx_sql(&fx, "UPDATE holds SET status = 'in_transit', item_id = (SELECT id FROM items"
		    " WHERE barcode = '%s') WHERE id = %lld", bb, hx);
	uuid_v4(key);
	r = clear(&fx, bb);
	route = jsonx_object(r->body, "route");
	ok(r->status == 200 && jsonx_string(route, "action") &&
		   strcmp(jsonx_string(route, "action"), "transit") == 0 &&
		   strcmp(jsonx_string(route, "branch"), "NRD") == 0,
	   "a copy that went to a hold elsewhere: in transit to NRD");
	api_reply_free(r);

	/* The same key again answers the same, without clearing twice. */
	fx_sql(&fx, "UPDATE holds SET cleared_at = NULL WHERE id = %lld", hb);
	uuid_v4(key);
	struct api_reply *first = fx_post_key(&fx, "/holdshelf/clearances",
					      "{\"item_barcode\":\"00\"}", key);
	struct api_reply *again = fx_post_key(&fx, "/holdshelf/clearances",
					      "{\"item_barcode\":\"00\"}", key);
	ok(first->status == again->status && first->status == 404,
	   "an Idempotency-Key repeat replays the answer (%ld, %ld)", first->status, again->status);
	api_reply_free(first);
	api_reply_free(again);
	fx_expect(fx_post_key(&fx, "/holdshelf/clearances", "{\"item_barcode\":\"01\"}", key), 422,
		  "idempotency_key_reused", "the key with another body");

	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
