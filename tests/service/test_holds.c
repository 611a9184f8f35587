/* Holds against a real training balied and its SQLite file: placing one on a
 * title (its place in the queue and its fee), the queue of three patrons,
 * fulfilment at check-in across the copies of a title, transit to another
 * pickup branch, the last day on the shelf counted in open days, cancel and
 * expiry with the next patron moving up, every refusal, and the title
 * search (words, ISBN, ranking, at most 50). */
#include "tap.h"

#include "circ_fixture.h"
#include "core/jsonx.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static unsigned next_n = 1;

struct placed {
	long status;
	char code[32];
	long long id, place, fee;
	char hold_status[16];
};

static void copy(char *out, size_t len, const char *s)
{
	snprintf(out, len, "%s", s ? s : "");
}

static struct placed from_reply(struct api_reply *r)
{
	struct placed p = { .status = r->status, .id = -1, .place = -1, .fee = -1 };
	copy(p.code, sizeof p.code, r->error_code);
	const cJSON *h = jsonx_object(r->body, "hold");
	const char *id = jsonx_string(h, "id");
	if (id)
		p.id = atoll(id);
	jsonx_int(h, "place", &p.place);
	jsonx_int(h, "fee_cents", &p.fee);
	copy(p.hold_status, sizeof p.hold_status, jsonx_string(h, "status"));
	api_reply_free(r);
	return p;
}

static struct api_reply *place_json(struct fx *fx, const char *card, const char *target,
				    const char *pickup)
{
	char *json = xasprintf("{\"patron_card\":\"%s\",%s,\"pickup_branch\":\"%s\"}", card,
			       target, pickup);
	struct api_reply *r = fx_post(fx, "/holds", json);
	free(json);
	return r;
}

static struct placed place(struct fx *fx, const char *card, long long title, const char *pickup)
{
	char *target = xasprintf("\"title_id\":\"%lld\"", title);
	struct placed p = from_reply(place_json(fx, card, target, pickup));
	free(target);
	return p;
}

static struct api_reply *cancel(struct fx *fx, long long id, const char *card, const char *reason)
{
	char *path = xasprintf("/holds/%lld", id);
	char *json = xasprintf("{\"patron_card\":\"%s\",\"reason\":\"%s\"}", card, reason);
	cJSON *body = cJSON_Parse(json);
	char key[UUID_STR_LEN];
	uuid_v4(key);
	struct api_reply *r = api_call(fx->api, "DELETE", path, body, key);
	cJSON_Delete(body);
	free(json);
	free(path);
	return r;
}

static long long title_of(struct fx *fx, long long item)
{
	return fx_num(fx, "SELECT title_id FROM items WHERE id = %lld", item);
}

static long long patron(struct fx *fx, const char *given, const char *family, char card[15])
{
	return fx_patron(fx, next_n++, given, family, "adult", "2032-01-01", card);
}

/* A title of copies copies at CEN, each lent out to lender; *first the first copy. */
static long long lent_title(struct fx *fx, unsigned copies, long long lender,
			    char barcodes[][15], long long *items)
{
	items[0] = fx_item(fx, next_n++, "book", "CEN", barcodes[0]);
	long long title = title_of(fx, items[0]);
	for (unsigned i = 1; i < copies; i++)
		items[i] = fx_copy(fx, next_n++, title, "book", "CEN", barcodes[i]);
	for (unsigned i = 0; i < copies; i++)
		fx_loan(fx, items[i], lender, "2031-03-20");
	return title;
}

static char *hold_text(struct fx *fx, long long id)
{
	return fx_text_dup(fx, "SELECT h.status || ' ' || coalesce(i.barcode, '-') || ' '"
			       " || coalesce(h.pickup_by, '-') FROM holds h"
			       " LEFT JOIN items i ON i.id = h.item_id WHERE h.id = %lld", id);
}

static void expect_hold(struct fx *fx, long long id, const char *want, const char *what)
{
	char *v = hold_text(fx, id);
	is_str(v, want, "%s: %s", what, want);
	free(v);
}

static void test_place_and_queue(struct fx *fx)
{
	char lender[15], a[15], b[15], c[15], youth[15], bc[1][15];
	long long l = patron(fx, "Lena", "Lener", lender);
	patron(fx, "Anna", "Aalders", a);
	patron(fx, "Bram", "de Bruin", b);
	patron(fx, "Cas", "Claes", c);
	fx_patron(fx, next_n++, "Yara", "Jong", "youth", "2032-01-01", youth);
	long long items[1];
	long long title = lent_title(fx, 1, l, bc, items);
	struct placed pa = place(fx, a, title, "CEN");
	ok(pa.status == 201 && strcmp(pa.hold_status, "waiting") == 0,
	   "a hold on a title: 201, waiting (%ld %s)", pa.status, pa.code);
	ok(pa.place == 1, "first in the queue (%lld)", pa.place);
	ok(pa.fee == 100, "the adult fee is 1.00 (%lld)", pa.fee);
	ok(fx_num(fx, "SELECT fee_cents FROM holds WHERE id = %lld", pa.id) == 100,
	   "the fee is recorded on the hold");
	ok(fx_num(fx, "SELECT count(*) FROM charges WHERE kind = 'hold_fee' AND hold_id = %lld"
		      " AND amount_cents = 100 AND paid_cents = 0 AND branch_code = 'CEN'"
		      " AND terminal IS NOT NULL AND staff_id IS NOT NULL", pa.id) == 1,
	   "and charged on the patron's account, with the desk that placed it");
	struct placed pb = place(fx, b, title, "CEN");
	struct placed pc = place(fx, c, title, "CEN");
	ok(pb.place == 2 && pc.place == 3, "the second and third patron: places 2 and 3 (%lld %lld)",
	   pb.place, pc.place);
	struct placed py = place(fx, youth, title, "CEN");
	ok(py.status == 201 && py.fee == 0 && py.place == 4, "a youth member pays no fee, place 4");
	ok(fx_num(fx, "SELECT count(*) FROM charges WHERE hold_id = %lld", py.id) == 0,
	   "and gets no charge");

	char *path = xasprintf("/patrons/%s", c);
	struct api_reply *r = api_call(fx->api, "GET", path, NULL, NULL);
	free(path);
	const cJSON *holds = jsonx_array(r->body, "holds");
	const cJSON *h = holds ? cJSON_GetArrayItem(holds, 0) : NULL;
	long long at = -1;
	jsonx_int(h, "place", &at);
	ok(cJSON_GetArraySize(holds) == 1 && at == 3, "GET /patrons/{card}: the hold, place 3");
	is_str(jsonx_string(h, "status"), "waiting", "status waiting");
	char *name = fx_text_dup(fx, "SELECT title FROM titles WHERE id = %lld", title);
	is_str(jsonx_string(h, "title"), name, "with its title");
	free(name);
	api_reply_free(r);

	/* The first copy back goes to the first in the queue; Bram moves up. */
	struct api_reply *in = fx_checkin(fx, bc[0]);
	const cJSON *route = jsonx_object(in->body, "route");
	is_str(jsonx_string(route, "action"), "hold_shelf", "checked in: onto the hold shelf");
	is_str(jsonx_string(route, "hold_for"), "A.A.", "for Anna Aalders");
	api_reply_free(in);
	char *ready = xasprintf("ready %s 2031-03-11", bc[0]);
	expect_hold(fx, pa.id, ready, "Anna's hold");

	/* Cancelling Anna's ready hold hands the copy on to Bram, on this shelf. */
	r = cancel(fx, pa.id, b, "patron_request");
	ok(r->status == 404 && r->error_code && strcmp(r->error_code, "not_found") == 0,
	   "Anna's hold cancelled through Bram's card: 404 not_found");
	api_reply_free(r);
	r = cancel(fx, pa.id, a, "patron_request");
	route = jsonx_object(r->body, "route");
	ok(r->status == 200, "Anna cancels: 200 (%ld)", r->status);
	is_str(jsonx_string(route, "hold_for"), "B.B.", "the copy goes to Bram (B.B.)");
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM holds WHERE id = %lld AND status = 'cancelled'"
		      " AND cancel_reason = 'patron_request'", pa.id) == 1,
	   "Anna's hold is cancelled, with the reason");
	expect_hold(fx, pb.id, ready, "Bram's hold");
	r = cancel(fx, pb.id, b, "staff");
	api_reply_free(r);
	expect_hold(fx, pc.id, ready, "then Cas's hold");
	free(ready);
	fx_expect(fx_checkout(fx, lender, bc[0]), 409, "item_on_hold_for_other",
		  "the copy on the shelf for Cas, lent to another patron");
	r = cancel(fx, pc.id, c, "because");
	ok(r->status == 422, "a reason that is no reason code: 422 (%ld)", r->status);
	api_reply_free(r);
}

static void test_copies_and_transit(struct fx *fx)
{
	char lender[15], a[15], b[15], bc[3][15];
	long long l = patron(fx, "Lena", "Lener", lender);
	patron(fx, "Daan", "van den Berg", a);
	patron(fx, "Eva", "Eising", b);
	long long items[3];
	long long title = lent_title(fx, 3, l, bc, items);
	struct placed pa = place(fx, a, title, "CEN");
	struct placed pb = place(fx, b, title, "NRD");
	/* Any copy fills the oldest hold: the third copy comes back first. */
	struct api_reply *in = fx_checkin(fx, bc[2]);
	is_str(jsonx_string(jsonx_object(in->body, "route"), "hold_for"), "D.B.",
	       "the third copy goes to the first hold");
	api_reply_free(in);
	char *want = xasprintf("ready %s 2031-03-11", bc[2]);
	expect_hold(fx, pa.id, want, "Daan's hold has the third copy");
	free(want);
	in = fx_checkin(fx, bc[0]);
	const cJSON *route = jsonx_object(in->body, "route");
	is_str(jsonx_string(route, "action"), "transit", "the first copy: in transit");
	is_str(jsonx_string(route, "branch"), "NRD", "to Eva's pickup branch NRD");
	api_reply_free(in);
	want = xasprintf("in_transit %s -", bc[0]);
	expect_hold(fx, pb.id, want, "Eva's hold");
	free(want);
	in = fx_checkin(fx, bc[1]);
	is_str(jsonx_string(jsonx_object(in->body, "route"), "action"), "shelve",
	       "the second copy: nobody waits, back on the shelf");
	api_reply_free(in);
	/* At NRD (open Tuesday to Saturday) it goes on the shelf for Eva. */
	ok(fx_login(fx, "balie", "NRD"), "logged in at NRD");
	in = fx_checkin(fx, bc[0]);
	route = jsonx_object(in->body, "route");
	is_str(jsonx_string(route, "action"), "hold_shelf", "arrived at NRD: the hold shelf");
	/* Seven open days of NRD after Monday 3 March: 4-8, 11, 12. */
	is_str(jsonx_string(route, "pickup_by"), "2031-03-12", "until the 7th open day of NRD");
	api_reply_free(in);
	ok(fx_login(fx, "balie", "CEN"), "back at CEN");
	/* Lent to Daan from the shelf: the hold is fulfilled. */
	struct api_reply *out = fx_checkout(fx, a, bc[2]);
	ok(out->status == 201, "Daan takes his copy: 201 (%ld)", out->status);
	api_reply_free(out);
	ok(fx_num(fx, "SELECT count(*) FROM holds WHERE id = %lld AND status = 'fulfilled'",
		  pa.id) == 1, "his hold is fulfilled");
}

/* A patron who waits on a title and takes an available copy home has the
 * hold fulfilled; a waiting hold on the title refuses another's renewal. */
static void test_checkout_and_renewal(struct fx *fx)
{
	char lender[15], a[15], b[15], bc[2][15];
	long long l = patron(fx, "Lena", "Lener", lender);
	patron(fx, "Iris", "Ivens", a);
	patron(fx, "Joep", "Jansen", b);
	long long items[2];
	long long title = lent_title(fx, 1, l, bc, items);
	items[1] = fx_copy(fx, next_n++, title, "book", "CEN", bc[1]);
	struct placed pa = place(fx, a, title, "CEN");
	fx_expect(fx_renew(fx, bc[0]), 409, "renewal_blocked_by_hold",
		  "a renewal while another patron waits on the title");
	fx_expect(fx_checkout(fx, b, bc[1]), 201, NULL,
		  "an available copy lent to someone else: the title-level hold does not stop it");
	ok(fx_num(fx, "SELECT count(*) FROM holds WHERE id = %lld AND status = 'waiting'", pa.id)
		   == 1, "Iris still waits");
	api_reply_free(fx_checkin(fx, bc[1]));
	ok(fx_num(fx, "SELECT count(*) FROM holds WHERE id = %lld AND status = 'ready'", pa.id)
		   == 1, "the copy came back: ready for Iris");
	fx_expect(fx_checkout(fx, a, bc[1]), 201, NULL, "Iris takes it");
	ok(fx_num(fx, "SELECT count(*) FROM holds WHERE id = %lld AND status = 'fulfilled'"
		      " AND ended_at IS NOT NULL", pa.id) == 1, "her hold is fulfilled");
	char free_copy[15];
	long long t2 = title_of(fx, fx_item(fx, next_n++, "book", "CEN", free_copy));
	struct placed pb = place(fx, b, t2, "CEN");
	fx_expect(fx_checkout(fx, b, free_copy), 201, NULL,
		  "Joep finds the title he waits for on the shelf and borrows it");
	ok(fx_num(fx, "SELECT count(*) FROM holds h JOIN items i ON i.id = h.item_id"
		      " WHERE h.id = %lld AND h.status = 'fulfilled' AND i.barcode = '%s'",
		  pb.id, free_copy) == 1, "his hold is fulfilled by that copy");
}

static int run_expire(struct fx *fx, const char *date, char **out)
{
	char *err = NULL;
	int status = harness_run(&fx->h, NULL, out, &err, "holds", "expire", "--date", date, NULL);
	if (status != 0)
		diag("holds expire: %d: %s", status, err ? err : "");
	free(err);
	return status;
}

static void test_expiry(struct fx *fx)
{
	char lender[15], a[15], b[15], bc[1][15];
	long long l = patron(fx, "Lena", "Lener", lender);
	patron(fx, "Fenna", "Fokker", a);
	patron(fx, "Gijs", "Goudsmit", b);
	long long items[1];
	long long title = lent_title(fx, 1, l, bc, items);
	struct placed pa = place(fx, a, title, "CEN");
	struct placed pb = place(fx, b, title, "CEN");
	/* CEN is closed on Wednesday 5 March: one open day fewer that week. */
	fx_sql(fx, "INSERT INTO branch_closed_dates (branch_code, date) VALUES ('CEN', '2031-03-05')");
	struct api_reply *in = fx_checkin(fx, bc[0]);
	is_str(jsonx_string(jsonx_object(in->body, "route"), "pickup_by"), "2031-03-12",
	       "the closed day and the Sunday are skipped: pick up by 12 March");
	api_reply_free(in);
	char *out = NULL;
	ok(run_expire(fx, "2031-03-12", &out) == 0, "holds expire on the last day: exit 0");
	char *want = xasprintf("ready %s 2031-03-12", bc[0]);
	expect_hold(fx, pa.id, want, "on its last day the hold stays");
	free(want);
	free(out);
	ok(run_expire(fx, "2031-03-13", &out) == 0, "holds expire the day after: exit 0");
	/* Eva's hold at NRD of the test before ends on 12 March too. */
	ok(out && strstr(out, "2 holds expired") && strstr(out, "1 copy went to the next hold"),
	   "it says two expired, one copy went on (%s)", out ? out : "");
	free(out);
	ok(fx_num(fx, "SELECT count(*) FROM holds WHERE id = %lld AND status = 'expired'", pa.id)
		   == 1, "Fenna's hold expired");
	/* Gijs is next: ready from 13 March, seven open days: 14, 15, 17-21. */
	want = xasprintf("ready %s 2031-03-21", bc[0]);
	expect_hold(fx, pb.id, want, "Gijs's hold moved up");
	free(want);
	ok(fx_num(fx, "SELECT count(*) FROM items WHERE id = %lld AND status = 'hold_shelf'",
		  items[0]) == 1, "the copy stays on the hold shelf");
	int again = run_expire(fx, "2031-03-13", &out);
	ok(again == 0 && out && strstr(out, "0 holds expired"), "a second run changes nothing (%s)",
	   out ? out : "");
	free(out);
	ok(run_expire(fx, "2031-03-22", &out) == 0, "and after Gijs's last day");
	free(out);
	ok(fx_num(fx, "SELECT count(*) FROM items WHERE id = %lld AND status = 'available'",
		  items[0]) == 1, "nobody waits: the copy goes back on the shelf");
	/* The command ran on the real clock, the service runs on FX_TODAY. */
	char now[32];
	fx_instant(0, now);
	fx_sql(fx, "UPDATE holds SET ended_at = strftime('%%s', '%s') WHERE id = %lld", now, pa.id);
	char *path = xasprintf("/patrons/%s", a);
	struct api_reply *r = api_call(fx->api, "GET", path, NULL, NULL);
	free(path);
	const cJSON *expired = jsonx_array(r->body, "holds_expired");
	ok(cJSON_GetArraySize(expired) == 1 &&
		   strcmp(jsonx_string(cJSON_GetArrayItem(expired, 0), "status"), "expired") == 0,
	   "GET /patrons/{card} shows the expired hold");
	api_reply_free(r);
}

static void expect_code(struct api_reply *r, long status, const char *code, const char *what)
{
	fx_expect(r, status, code, what);
}

static void test_refusals(struct fx *fx)
{
	char lender[15], a[15], blocked[15], bc[1][15], other[15];
	long long l = patron(fx, "Lena", "Lener", lender);
	patron(fx, "Hanna", "Haan", a);
	long long pb = patron(fx, "Ids", "Ijzer", blocked);
	fx_sql(fx, "UPDATE patrons SET manual_block = 'lost card' WHERE id = %lld", pb);
	long long items[1];
	long long title = lent_title(fx, 1, l, bc, items);
	long long t2 = title_of(fx, fx_item(fx, next_n++, "book", "CEN", other));
	expect_code(place_json(fx, a, "\"title_id\":\"999999\"", "CEN"), 404, "title_not_found",
		    "an unknown title");
	expect_code(place_json(fx, a, "\"item_barcode\":\"3199999999993\"", "CEN"), 404,
		    "item_not_found", "an unknown item");
	char *t = xasprintf("\"title_id\":\"%lld\"", title);
	expect_code(place_json(fx, a, t, "XYZ"), 422, "invalid_field", "a pickup branch that is none");
	expect_code(place_json(fx, a, t, "c e n"), 422, "invalid_field", "a pickup branch code unreadable");
	expect_code(place_json(fx, "21999000000000", t, "CEN"), 422, "invalid_field",
		    "a card with a wrong check digit");
	char *both = xasprintf("%s,\"item_barcode\":\"%s\"", t, bc[0]);
	expect_code(place_json(fx, a, both, "CEN"), 422, "invalid_field", "title and item both");
	free(both);
	expect_code(place_json(fx, lender, t, "CEN"), 409, "item_already_on_loan",
		    "a title the patron has on loan");
	expect_code(place_json(fx, blocked, t, "CEN"), 409, "patron_blocked", "a blocked patron");
	char *over = xasprintf("%s,\"override\":{\"blocks\":[\"manual_block\"],\"reason\":\"found it\"}", t);
	struct placed po = from_reply(place_json(fx, blocked, over, "CEN"));
	free(over);
	ok(po.status == 201, "the block overridden with a reason: 201 (%ld %s)", po.status, po.code);
	ok(fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'override' AND subject = '%s'",
		  blocked) == 1, "the override is audited");
	struct placed p = from_reply(place_json(fx, a, t, "CEN"));
	ok(p.status == 201, "Hanna's hold: 201");
	expect_code(place_json(fx, a, t, "NRD"), 409, "duplicate_hold", "a second hold on the title");
	char *item = xasprintf("\"item_barcode\":\"%s\"", bc[0]);
	expect_code(place_json(fx, a, item, "CEN"), 409, "duplicate_hold",
		    "an item-level hold on a title held already");
	free(item);
	/* The limit is 2 in this test's rules. */
	struct placed p2 = place(fx, a, t2, "CEN");
	ok(p2.status == 201, "a second title: 201");
	char third[15];
	long long t3 = title_of(fx, fx_item(fx, next_n++, "book", "CEN", third));
	struct api_reply *r = place_json(fx, a, "\"title_id\":\"1\"", "CEN");
	(void)t3;
	expect_code(r, 409, "hold_limit", "over the limit of 2");
	free(t);
	/* The same key twice: the first answer again, one hold. */
	char *json = xasprintf("{\"patron_card\":\"%s\",\"title_id\":\"%lld\",\"pickup_branch\":\"CEN\"}",
			       lender, t3);
	char key[UUID_STR_LEN];
	uuid_v4(key);
	struct placed k1 = from_reply(fx_post_key(fx, "/holds", json, key));
	struct placed k2 = from_reply(fx_post_key(fx, "/holds", json, key));
	free(json);
	ok(k1.status == 201 && k2.status == 201 && k1.id == k2.id,
	   "a repeat with the same Idempotency-Key: the same hold");
	ok(fx_num(fx, "SELECT count(*) FROM holds h JOIN patrons p ON p.id = h.patron_id"
		      " WHERE p.card = '%s'", lender) == 1, "stored once");
}

static long long search_count(struct fx *fx, const char *q, char first[64], bool *truncated)
{
	char *esc = xstrdup(q);
	for (char *c = esc; *c; c++)
		if (*c == ' ')
			*c = '+';
	char *path = xasprintf("/titles?q=%s", esc);
	free(esc);
	struct api_reply *r = api_call(fx->api, "GET", path, NULL, NULL);
	free(path);
	const cJSON *titles = jsonx_array(r->body, "titles");
	copy(first, 64, jsonx_string(cJSON_GetArrayItem(titles, 0), "title"));
	*truncated = false;
	jsonx_bool(r->body, "truncated", truncated);
	long long n = r->status == 200 ? cJSON_GetArraySize(titles) : -r->status;
	api_reply_free(r);
	return n;
}

static void test_search(struct fx *fx)
{
	fx_sql(fx, "INSERT INTO titles (title, author, isbn) VALUES"
		   " ('Zeeuwse zoutwinning', 'Pieter Pluimveld', '9789012345675'),"
		   " ('Zoutwinning in Friesland', 'Qadir Quist', NULL),"
		   " ('Zeeuwse meisjes', 'Pieter Pluimveld', NULL)");
	char first[64];
	bool truncated;
	ok(search_count(fx, "zeeuwse zoutwinning", first, &truncated) == 3,
	   "two words: every title with one of them");
	is_str(first, "Zeeuwse zoutwinning", "the title with both words first");
	ok(search_count(fx, "pluimveld", first, &truncated) == 2, "a word of the author");
	ok(search_count(fx, "978-90-12345-67-5", first, &truncated) == 1 &&
		   strcmp(first, "Zeeuwse zoutwinning") == 0, "an ISBN-13 with hyphens");
	ok(search_count(fx, "90-12345-67-7", first, &truncated) == 1 &&
		   strcmp(first, "Zeeuwse zoutwinning") == 0, "its ISBN-10");
	ok(search_count(fx, "ZOUTW", first, &truncated) == 2, "the start of a word, any case");
	char bc[15];
	long long item = fx_item(fx, next_n++, "book", "NRD", bc);
	fx_sql(fx, "UPDATE items SET title_id = (SELECT id FROM titles WHERE title ="
		   " 'Zeeuwse meisjes') WHERE id = %lld", item);
	char *path = xasprintf("/titles?q=meisjes");
	struct api_reply *r = api_call(fx->api, "GET", path, NULL, NULL);
	free(path);
	const cJSON *t = cJSON_GetArrayItem(jsonx_array(r->body, "titles"), 0);
	long long copies = -1, shelf = -1;
	jsonx_int(t, "copies", &copies);
	jsonx_int(t, "on_shelf", &shelf);
	const cJSON *b = cJSON_GetArrayItem(jsonx_array(t, "branches"), 0);
	ok(copies == 1 && shelf == 1 && strcmp(jsonx_string(b, "branch"), "NRD") == 0,
	   "with its copies and how many are on the shelf, per branch");
	api_reply_free(r);
	fx_sql(fx, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)"
		   " INSERT INTO titles (title, author) SELECT 'Xylofoon deel ' || i, 'X' FROM n");
	ok(search_count(fx, "xylofoon", first, &truncated) == 50 && truncated,
	   "at most 50 answers, and it says there were more");
	ok(search_count(fx, "-- !", first, &truncated) == -422, "no word: 422");
	fx_expect(api_call(fx->api, "GET", "/titles", NULL, NULL), 422, "invalid_field",
		  "no q: invalid_field");
}

int main(void)
{
	struct fx fx;
	if (!ok(fx_start(&fx, "hold_limit_adult = 2\n"), "a training balied on " FX_TODAY)) {
		fx_finish(&fx, true);
		return tap_done();
	}
	test_place_and_queue(&fx);
	test_copies_and_transit(&fx);
	test_expiry(&fx);
	test_checkout_and_renewal(&fx);
	test_refusals(&fx);
	test_search(&fx);
	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
