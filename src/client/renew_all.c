#include "client/renew_all.h"

#include "client/queued.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static char *opt_string(const cJSON *obj, const char *key)
{
	const char *s = jsonx_string(obj, key);
	return xstrdup(s ? s : "");
}

static bool loan_fill(const cJSON *o, struct renew_all_loan *l)
{
	if (!jsonx_string(o, "item_barcode"))
		return false;
	l->loan.item_barcode = opt_string(o, "item_barcode");
	l->loan.title = opt_string(o, "title");
	l->loan.author = xstrdup("");
	l->loan.due_on = opt_string(o, "due_on");
	bool b = false;
	l->renewed = jsonx_bool(o, "renewed", &b) && b;
	l->loan.unchanged = jsonx_bool(o, "unchanged", &b) && b;
	if (!jsonx_int(o, "fine_cents", &l->loan.fine_cents))
		l->loan.fine_cents = 0;
	const char *code = jsonx_string(jsonx_object(o, "error"), "code");
	l->error = l->renewed ? ERR_UNKNOWN : errcode_from_name(code ? code : "");
	return true;
}

static void loan_clear(struct renew_all_loan *l)
{
	free(l->loan.item_barcode);
	free(l->loan.title);
	free(l->loan.author);
	free(l->loan.due_on);
}

struct renew_all *renew_all_decode(const cJSON *body, char **err)
{
	const cJSON *loans = jsonx_array(body, "loans");
	if (!loans) {
		*err = xstrdup("\"loans\" is missing or not a list");
		return NULL;
	}
	struct renew_all *r = xcalloc(1, sizeof *r);
	size_t n = (size_t)cJSON_GetArraySize(loans);
	r->loans = n ? xcalloc(n, sizeof *r->loans) : NULL;
	const cJSON *o;
	cJSON_ArrayForEach(o, loans) {
		if (!loan_fill(o, &r->loans[r->n])) {
			*err = xstrdup("a loan without \"item_barcode\"");
			renew_all_free(r);
			return NULL;
		}
		if (r->loans[r->n].renewed)
			r->renewed++;
		else
			r->not_renewed++;
		r->n++;
	}
	return r;
}

void renew_all_free(struct renew_all *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		loan_clear(&r->loans[i]);
	free(r->loans);
	free(r);
}

QUEUED_DECODER(decode, struct renew_all, renew_all_decode, renew_all_fn, "POST /renewals/all")

void renew_all_start(struct scanq *q, const char *card, renew_all_fn done, void *ctx,
		     unsigned tag)
{
	cJSON *body = cJSON_CreateObject();
	if (!body || !cJSON_AddStringToObject(body, "patron_card", card))
		abort(); /* cJSON fails only when out of memory */
	queued_start(q, "POST", "/renewals/all", body, true, decode, (call_fn)done, ctx, tag);
}
