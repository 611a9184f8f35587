#include "client/account.h"

#include "client/circ.h"
#include "core/i18n.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *kind, *text;
} kind_texts[] = {
	{ "overdue_fine", N_("Overdue fine") },
	{ "hold_fee", N_("Hold fee") },
	{ "replacement_card", N_("Replacement card") },
	{ "lost_item", N_("Lost item") },
	{ "damaged_item", N_("Damaged item") },
	{ "membership_fee", N_("Membership fee") },
	{ "other", N_("Other") },
};

const char *account_kind_text(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof kind_texts / sizeof kind_texts[0]; i++)
		if (strcmp(kind_texts[i].kind, kind) == 0)
			return _(kind_texts[i].text);
	return _("Other");
}

static char *string_dup(const cJSON *o, const char *key)
{
	const char *s = jsonx_string(o, key);
	return xstrdup(s ? s : "");
}

static long long cents(const cJSON *o, const char *key)
{
	long long v = 0;
	return jsonx_int(o, key, &v) ? v : 0;
}

static bool decode_charge(const cJSON *c, struct account_charge *out, char **err)
{
	const char *id = jsonx_string(c, "id");
	if (!id || !*id || !jsonx_string(c, "kind")) {
		*err = xstrdup("a charge without \"id\" or \"kind\"");
		return false;
	}
	out->id = xstrdup(id);
	out->kind = string_dup(c, "kind");
	const char *what = jsonx_string(c, "title");
	if (!what)
		what = jsonx_string(c, "description");
	out->what = xstrdup(what ? what : "");
	const char *at = jsonx_string(c, "created_at");
	out->created_on = xstrndup(at ? at : "", 10);
	out->amount_cents = cents(c, "amount_cents");
	out->open_cents = cents(c, "open_cents");
	return true;
}

/* The open charges of the list (a desk asks for only those). */
static bool decode_charges(const cJSON *list, struct account *a, char **err)
{
	a->charges = xcalloc((size_t)cJSON_GetArraySize(list) + 1, sizeof *a->charges);
	const cJSON *c;
	cJSON_ArrayForEach(c, list) {
		if (cents(c, "open_cents") <= 0)
			continue;
		if (!decode_charge(c, &a->charges[a->n_charges], err))
			return false;
		a->n_charges++;
	}
	return true;
}

static void decode_accruing(const cJSON *list, struct account *a)
{
	a->accruing = xcalloc((size_t)cJSON_GetArraySize(list) + 1, sizeof *a->accruing);
	const cJSON *o;
	cJSON_ArrayForEach(o, list) {
		struct account_overdue *d = &a->accruing[a->n_accruing++];
		d->title = string_dup(o, "title");
		d->due_on = string_dup(o, "due_on");
		d->fine_cents = cents(o, "fine_cents");
	}
}

struct account *account_decode(const cJSON *body, char **err)
{
	const cJSON *charges = jsonx_array(body, "charges");
	struct account *a = xcalloc(1, sizeof *a);
	if (!jsonx_string(body, "card") || !jsonx_int(body, "balance_cents", &a->balance_cents)) {
		*err = xstrdup("\"card\" or \"balance_cents\" is missing");
	} else if (!charges) {
		*err = xstrdup("\"charges\" is missing or not a list");
	} else if (decode_charges(charges, a, err)) {
		a->card = string_dup(body, "card");
		a->accruing_cents = cents(body, "accruing_fines_cents");
		decode_accruing(jsonx_array(body, "accruing"), a);
		return a;
	}
	account_free(a);
	return NULL;
}

void account_free(struct account *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n_charges; i++) {
		free(a->charges[i].id);
		free(a->charges[i].kind);
		free(a->charges[i].what);
		free(a->charges[i].created_on);
	}
	for (size_t i = 0; i < a->n_accruing; i++) {
		free(a->accruing[i].title);
		free(a->accruing[i].due_on);
	}
	free(a->charges);
	free(a->accruing);
	free(a->card);
	free(a);
}

static bool has_fines_block(const cJSON *blocks)
{
	const cJSON *b;
	cJSON_ArrayForEach(b, blocks)
		if (cJSON_IsString(b) && strcmp(b->valuestring, "fines_over_limit") == 0)
			return true;
	return false;
}

struct account_credit *account_credit_decode(const cJSON *body, char **err)
{
	const cJSON *c = jsonx_object(body, "payment");
	if (!c)
		c = jsonx_object(body, "waiver");
	const char *id = jsonx_string(c, "id");
	long long amount, balance;
	if (!c || !id || !jsonx_int(c, "amount_cents", &amount) ||
	    !jsonx_int(body, "balance_cents", &balance)) {
		*err = xstrdup("\"payment\" or \"waiver\" with \"id\", \"amount_cents\" and"
			       " \"balance_cents\" is missing");
		return NULL;
	}
	struct account_credit *r = xcalloc(1, sizeof *r);
	r->id = xstrdup(id);
	r->method = string_dup(c, "method");
	r->amount_cents = amount;
	r->balance_cents = balance;
	r->fines_block = has_fines_block(jsonx_array(body, "blocks"));
	const cJSON *covered = jsonx_array(c, "covered");
	r->covered = xcalloc((size_t)cJSON_GetArraySize(covered) + 1, sizeof *r->covered);
	const cJSON *o;
	cJSON_ArrayForEach(o, covered) {
		struct account_cover *k = &r->covered[r->n_covered++];
		k->kind = string_dup(o, "kind");
		k->amount_cents = cents(o, "amount_cents");
		k->open_cents = cents(o, "open_cents");
	}
	return r;
}

void account_credit_free(struct account_credit *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_covered; i++)
		free(c->covered[i].kind);
	free(c->covered);
	free(c->id);
	free(c->method);
	free(c);
}

static void decode_methods(const cJSON *list, struct account_cashup *c)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, list) {
		const char *name = jsonx_string(m, "method");
		bool pin = name && strcmp(name, "pin") == 0;
		*(pin ? &c->pin_cents : &c->cash_cents) += cents(m, "amount_cents");
		*(pin ? &c->pin_count : &c->cash_count) += cents(m, "count");
	}
}

static void decode_kinds(const cJSON *list, struct account_cashup *c)
{
	size_t n = (size_t)cJSON_GetArraySize(list) + 1;
	c->kinds = xcalloc(n, sizeof *c->kinds);
	c->kind_cents = xcalloc(n, sizeof *c->kind_cents);
	const cJSON *k;
	cJSON_ArrayForEach(k, list) {
		if (cents(k, "amount_cents") == 0)
			continue;
		c->kinds[c->n_kinds] = string_dup(k, "kind");
		c->kind_cents[c->n_kinds++] = cents(k, "amount_cents");
	}
}

struct account_cashup *account_cashup_decode(const cJSON *body, char **err)
{
	long long total;
	if (!jsonx_string(body, "date") || !jsonx_int(body, "payments_cents", &total)) {
		*err = xstrdup("\"date\" or \"payments_cents\" is missing");
		return NULL;
	}
	struct account_cashup *c = xcalloc(1, sizeof *c);
	c->date = string_dup(body, "date");
	c->branch = string_dup(body, "branch");
	c->terminal = string_dup(body, "terminal");
	c->payments = cents(body, "payments");
	c->payments_cents = total;
	decode_methods(jsonx_array(body, "by_method"), c);
	decode_kinds(jsonx_array(body, "by_kind"), c);
	const cJSON *refunds = jsonx_object(body, "refunds"), *waivers = jsonx_object(body, "waivers");
	c->refunds = cents(refunds, "count");
	c->refunds_cents = cents(refunds, "amount_cents");
	c->waivers = cents(waivers, "count");
	c->waivers_cents = cents(waivers, "amount_cents");
	c->net_cents = cents(body, "net_cents");
	return c;
}

void account_cashup_free(struct account_cashup *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_kinds; i++)
		free(c->kinds[i]);
	free(c->kinds);
	free(c->kind_cents);
	free(c->date);
	free(c->branch);
	free(c->terminal);
	free(c);
}

/* ---- the typed calls ---- */

CALL_DECODER(account_on_show, struct account, account_decode, account_fn,
	     "GET /patrons/{card}/account")
CALL_DECODER(account_on_credit, struct account_credit, account_credit_decode, account_credit_fn,
	     "POST /payments or /waivers")
CALL_DECODER(account_on_cashup, struct account_cashup, account_cashup_decode, account_cashup_fn,
	     "GET /cashup")

unsigned account_start(struct api *api, const char *card, account_fn done, void *ctx)
{
	char *patron = circ_patron_path_dup(card);
	char *path = xasprintf("%s/account?open=true", patron);
	unsigned id = call_start(api, "GET", path, NULL, NULL, account_on_show, (call_fn)done, ctx);
	free(path);
	free(patron);
	return id;
}

static unsigned credit_send(struct api *api, const char *path, cJSON *body,
			    struct call_retry *retry, account_credit_fn done, void *ctx)
{
	unsigned id = call_start(api, "POST", path, body, call_retry_key(retry, body),
				 account_on_credit, (call_fn)done, ctx);
	cJSON_Delete(body);
	return id;
}

unsigned account_pay_start(struct api *api, const char *card, long long amount_cents,
			   const char *method, struct call_retry *retry, account_credit_fn done,
			   void *ctx)
{
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "patron_card", card);
	cJSON_AddNumberToObject(body, "amount_cents", (double)amount_cents);
	cJSON_AddStringToObject(body, "method", method);
	return credit_send(api, "/payments", body, retry, done, ctx);
}

unsigned account_waive_start(struct api *api, const char *card, char *const *ids, size_t n,
			     const char *reason, struct call_retry *retry, account_credit_fn done,
			     void *ctx)
{
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "patron_card", card);
	cJSON *list = cJSON_AddArrayToObject(body, "charges");
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(list, cJSON_CreateString(ids[i]));
	cJSON_AddStringToObject(body, "reason", reason);
	return credit_send(api, "/waivers", body, retry, done, ctx);
}

unsigned account_cashup_start(struct api *api, account_cashup_fn done, void *ctx)
{
	return call_start(api, "GET", "/cashup", NULL, NULL, account_on_cashup, (call_fn)done,
			  ctx);
}
