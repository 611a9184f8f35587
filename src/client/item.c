#include "client/item.h"

#include "client/queued.h"
#include "core/i18n.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

static char *opt_string(const cJSON *obj, const char *key)
{
	const char *s = jsonx_string(obj, key);
	return xstrdup(s ? s : "");
}

static void fill(struct item_info *i, const cJSON *o)
{
	i->barcode = opt_string(o, "barcode");
	i->title = opt_string(o, "title");
	i->author = opt_string(o, "author");
	i->item_type = opt_string(o, "item_type");
	i->status = opt_string(o, "status");
	i->status_reason = opt_string(o, "status_reason");
	i->home_branch = opt_string(o, "home_branch");
	i->current_branch = opt_string(o, "current_branch");
	i->due_on = opt_string(o, "due_on");
	const cJSON *b = jsonx_object(o, "borrower");
	i->borrower_card = opt_string(b, "card");
	i->borrower_name = opt_string(b, "name");
	if (!jsonx_int(o, "holds_waiting", &i->holds_waiting))
		i->holds_waiting = 0;
	i->last_checkin_on = opt_string(o, "last_checkin_on");
	i->note = opt_string(o, "note");
	bool alert = false;
	i->note_alert = jsonx_bool(o, "note_alert", &alert) && alert;
}

struct item_info *item_info_decode(const cJSON *body, char **err)
{
	const cJSON *o = jsonx_object(body, "item");
	if (!o)
		o = body;
	if (!jsonx_string(o, "barcode") || !jsonx_string(o, "title")) {
		*err = xstrdup("\"barcode\" or \"title\" is missing or not a string");
		return NULL;
	}
	struct item_info *i = xcalloc(1, sizeof *i);
	fill(i, o);
	return i;
}

void item_info_free(struct item_info *i)
{
	if (!i)
		return;
	char **strings[] = { &i->barcode, &i->title, &i->author, &i->item_type, &i->status,
			     &i->status_reason, &i->home_branch, &i->current_branch, &i->due_on,
			     &i->borrower_card, &i->borrower_name, &i->last_checkin_on, &i->note };
	for (size_t k = 0; k < sizeof strings / sizeof strings[0]; k++)
		free(*strings[k]);
	free(i);
}

QUEUED_DECODER(decode_info, struct item_info, item_info_decode, item_info_fn,
	       "GET /items/{barcode} or POST /inhouse")
QUEUED_DECODER(decode_status, struct item_status_answer, item_status_answer_decode,
	       item_status_fn, "POST /items/{barcode}/status")
QUEUED_DECODER(decode_due, struct item_due_answer, item_due_answer_decode, item_due_fn,
	       "PATCH /loans/{barcode}")

/* "/items/{barcode}" and tail, escaped; allocated. */
static char *item_path_dup(const char *barcode, const char *tail)
{
	char *e = curl_easy_escape(NULL, barcode, 0);
	if (!e)
		abort(); /* curl fails only when out of memory */
	char *path = xasprintf("/items/%s%s", e, tail);
	curl_free(e);
	return path;
}

void item_show_start(struct scanq *q, const char *barcode, item_info_fn done, void *ctx,
		     unsigned tag)
{
	char *path = item_path_dup(barcode, "");
	queued_start(q, "GET", path, NULL, false, decode_info, (call_fn)done, ctx, tag);
	free(path);
}

void item_in_house_start(struct scanq *q, const char *barcode, item_info_fn done, void *ctx,
			 unsigned tag)
{
	cJSON *body = cJSON_CreateObject();
	if (!body || !cJSON_AddStringToObject(body, "item_barcode", barcode))
		abort(); /* cJSON fails only when out of memory */
	queued_start(q, "POST", "/inhouse", body, true, decode_info, (call_fn)done, ctx, tag);
}

struct item_status_answer *item_status_answer_decode(const cJSON *body, char **err)
{
	const cJSON *item = jsonx_object(body, "item");
	if (!jsonx_string(item, "status")) {
		*err = xstrdup("\"item\".\"status\" is missing or not a string");
		return NULL;
	}
	struct item_status_answer *a = xcalloc(1, sizeof *a);
	a->status = opt_string(item, "status");
	bool b = false;
	a->loan_ended = jsonx_bool(body, "loan_ended", &b) && b;
	const cJSON *p = jsonx_object(body, "patron");
	a->patron_card = opt_string(p, "card");
	a->claims_over_limit = jsonx_bool(p, "claims_over_limit", &b) && b;
	if (!jsonx_int(p, "claims_returned", &a->claims_returned))
		a->claims_returned = 0;
	if (!jsonx_int(jsonx_object(body, "charge"), "amount_cents", &a->charge_cents))
		a->charge_cents = 0;
	return a;
}

void item_status_answer_free(struct item_status_answer *a)
{
	if (!a)
		return;
	free(a->status);
	free(a->patron_card);
	free(a);
}

void item_status_start(struct scanq *q, const char *barcode, const char *status,
		       const char *reason, item_status_fn done, void *ctx, unsigned tag)
{
	cJSON *body = cJSON_CreateObject();
	if (!body || !cJSON_AddStringToObject(body, "status", status) ||
	    !cJSON_AddStringToObject(body, "reason", reason))
		abort(); /* cJSON fails only when out of memory */
	char *path = item_path_dup(barcode, "/status");
	queued_start(q, "POST", path, body, true, decode_status, (call_fn)done, ctx, tag);
	free(path);
}

struct item_due_answer *item_due_answer_decode(const cJSON *body, char **err)
{
	const cJSON *loan = jsonx_object(body, "loan");
	if (!jsonx_string(loan, "due_on")) {
		*err = xstrdup("\"loan\".\"due_on\" is missing or not a string");
		return NULL;
	}
	struct item_due_answer *a = xcalloc(1, sizeof *a);
	a->due_on = opt_string(loan, "due_on");
	a->was = opt_string(loan, "was");
	return a;
}

void item_due_answer_free(struct item_due_answer *a)
{
	if (!a)
		return;
	free(a->due_on);
	free(a->was);
	free(a);
}

void item_due_start(struct scanq *q, const char *barcode, const char *due_on, const char *reason,
		    item_due_fn done, void *ctx, unsigned tag)
{
	cJSON *body = cJSON_CreateObject();
	if (!body || !cJSON_AddStringToObject(body, "due_on", due_on) ||
	    (reason[0] && !cJSON_AddStringToObject(body, "reason", reason)))
		abort(); /* cJSON fails only when out of memory */
	char *e = curl_easy_escape(NULL, barcode, 0);
	if (!e)
		abort();
	char *path = xasprintf("/loans/%s", e);
	curl_free(e);
	queued_start(q, "PATCH", path, body, true, decode_due, (call_fn)done, ctx, tag);
	free(path);
}

const char *item_status_text(const char *code)
{
	static const struct {
		const char *code, *text;
	} words[] = {
		{ "available", N_("available") },
		{ "on_loan", N_("on loan") },
		{ "in_transit", N_("in transit") },
		{ "hold_shelf", N_("on the hold shelf") },
		{ "missing", N_("missing") },
		{ "not_loanable", N_("not for loan") },
		{ "lost", N_("lost") },
		{ "damaged", N_("damaged") },
		{ "claimed_returned", N_("claimed returned by the patron") },
		{ "withdrawn", N_("withdrawn") },
	};
	for (size_t k = 0; code && k < sizeof words / sizeof words[0]; k++)
		if (strcmp(words[k].code, code) == 0)
			return _(words[k].text);
	return code ? code : "";
}
