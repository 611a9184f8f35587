#include "client/holds_call.h"

#include "core/jsonx.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* An optional string: "" when missing or null. */
static char *opt_string(const cJSON *obj, const char *key)
{
	const char *s = jsonx_string(obj, key);
	return xstrdup(s ? s : "");
}

static long long opt_int(const cJSON *obj, const char *key)
{
	long long n = 0;
	return jsonx_int(obj, key, &n) ? n : 0;
}

static bool required(const cJSON *obj, const char *const *keys, char **err)
{
	for (; *keys; keys++) {
		if (!jsonx_string(obj, *keys)) {
			*err = xasprintf("\"%s\" is missing or not a string", *keys);
			return false;
		}
	}
	return true;
}

/* ---- titles ---- */

static void title_fill(const cJSON *o, struct holds_title *t)
{
	t->id = opt_string(o, "id");
	t->title = opt_string(o, "title");
	t->author = opt_string(o, "author");
	t->isbn = opt_string(o, "isbn");
	t->year = opt_int(o, "year");
	t->copies = opt_int(o, "copies");
	t->on_shelf = opt_int(o, "on_shelf");
	const cJSON *branches = jsonx_array(o, "branches");
	t->branches = xcalloc((size_t)cJSON_GetArraySize(branches) + 1, sizeof *t->branches);
	const cJSON *b;
	cJSON_ArrayForEach(b, branches) {
		struct holds_branch *hb = &t->branches[t->n_branches++];
		hb->branch = opt_string(b, "branch");
		hb->copies = opt_int(b, "copies");
		hb->on_shelf = opt_int(b, "on_shelf");
	}
}

struct holds_titles *holds_titles_decode(const cJSON *body, char **err)
{
	const cJSON *list = jsonx_array(body, "titles");
	if (!list) {
		*err = xstrdup("\"titles\" is missing or not a list");
		return NULL;
	}
	static const char *const keys[] = { "id", "title", NULL };
	const cJSON *o;
	cJSON_ArrayForEach(o, list)
		if (!required(o, keys, err))
			return NULL;
	struct holds_titles *t = xcalloc(1, sizeof *t);
	t->items = xcalloc((size_t)cJSON_GetArraySize(list) + 1, sizeof *t->items);
	cJSON_ArrayForEach(o, list)
		title_fill(o, &t->items[t->n++]);
	bool truncated = false;
	t->truncated = jsonx_bool(body, "truncated", &truncated) && truncated;
	return t;
}

void holds_titles_free(struct holds_titles *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		struct holds_title *x = &t->items[i];
		free(x->id);
		free(x->title);
		free(x->author);
		free(x->isbn);
		for (size_t b = 0; b < x->n_branches; b++)
			free(x->branches[b].branch);
		free(x->branches);
	}
	free(t->items);
	free(t);
}

/* ---- one hold ---- */

static bool hold_fill(const cJSON *o, struct holds_hold *h, char **err)
{
	static const char *const keys[] = { "id", "title", "status", "pickup_branch", NULL };
	if (!o) {
		*err = xstrdup("\"hold\" is missing or not an object");
		return false;
	}
	if (!required(o, keys, err))
		return false;
	h->id = opt_string(o, "id");
	h->title = opt_string(o, "title");
	h->author = opt_string(o, "author");
	h->status = opt_string(o, "status");
	h->pickup_branch = opt_string(o, "pickup_branch");
	h->pickup_by = opt_string(o, "pickup_by");
	h->place = opt_int(o, "place");
	h->fee_cents = opt_int(o, "fee_cents");
	return true;
}

static void hold_clear(struct holds_hold *h)
{
	free(h->id);
	free(h->title);
	free(h->author);
	free(h->status);
	free(h->pickup_branch);
	free(h->pickup_by);
}

struct holds_hold *holds_hold_decode(const cJSON *body, char **err)
{
	struct holds_hold *h = xcalloc(1, sizeof *h);
	if (hold_fill(jsonx_object(body, "hold"), h, err))
		return h;
	free(h);
	return NULL;
}

void holds_hold_free(struct holds_hold *h)
{
	if (!h)
		return;
	hold_clear(h);
	free(h);
}

struct holds_cancelled *holds_cancelled_decode(const cJSON *body, char **err)
{
	struct holds_cancelled *c = xcalloc(1, sizeof *c);
	if (!hold_fill(jsonx_object(body, "hold"), &c->hold, err)) {
		free(c);
		return NULL;
	}
	const cJSON *route = jsonx_object(body, "route");
	if (route) {
		/* The route decodes as a check-in's, with an item of its own. */
		cJSON *as_checkin = cJSON_CreateObject();
		cJSON *item = cJSON_AddObjectToObject(as_checkin, "item");
		cJSON_AddStringToObject(item, "barcode", "");
		cJSON_AddStringToObject(item, "title", c->hold.title);
		cJSON_AddItemReferenceToObject(as_checkin, "route", (cJSON *)route);
		char *why = NULL;
		struct circ_checkin *r = circ_checkin_decode(as_checkin, &why);
		cJSON_Delete(as_checkin);
		free(why);
		if (r) {
			c->route = *r;
			c->has_route = true;
			free(r);
		}
	}
	return c;
}

void holds_cancelled_free(struct holds_cancelled *c)
{
	if (!c)
		return;
	hold_clear(&c->hold);
	if (c->has_route) {
		free(c->route.barcode);
		free(c->route.title);
		free(c->route.branch);
		free(c->route.hold_for);
		free(c->route.pickup_by);
	}
	free(c);
}

/* ---- the hold shelf ---- */

static const char *const shelf_lists[HOLDS_SHELF_LISTS] = {
	[HOLDS_TO_PULL] = "expired", [HOLDS_WAITING] = "waiting",
	[HOLDS_TO_PHONE] = "to_phone", [HOLDS_NOT_TOLD] = "not_told",
};

static void row_fill(const cJSON *o, struct holds_shelf_row *r)
{
	r->hold_id = opt_string(o, "hold_id");
	r->item_barcode = opt_string(o, "item_barcode");
	r->title = opt_string(o, "title");
	r->status = opt_string(o, "status");
	r->pickup_by = opt_string(o, "pickup_by");
	r->initials = opt_string(o, "initials");
	r->card_last4 = opt_string(o, "card_last4");
	r->name = opt_string(o, "name");
	r->phone = opt_string(o, "phone");
	bool told = false;
	r->told = jsonx_bool(o, "told", &told) && told;
}

struct holds_shelf *holds_shelf_decode(const cJSON *body, char **err)
{
	static const char *const keys[] = { "item_barcode", "initials", NULL };
	for (int l = 0; l < HOLDS_SHELF_LISTS; l++) {
		const cJSON *list = jsonx_array(body, shelf_lists[l]);
		if (!list) {
			*err = xasprintf("\"%s\" is missing or not a list", shelf_lists[l]);
			return NULL;
		}
		const cJSON *o;
		cJSON_ArrayForEach(o, list)
			if (!required(o, keys, err))
				return NULL;
	}
	struct holds_shelf *s = xcalloc(1, sizeof *s);
	s->branch = opt_string(body, "branch");
	for (int l = 0; l < HOLDS_SHELF_LISTS; l++) {
		const cJSON *list = jsonx_array(body, shelf_lists[l]);
		s->rows[l] = xcalloc((size_t)cJSON_GetArraySize(list) + 1, sizeof *s->rows[l]);
		const cJSON *o;
		cJSON_ArrayForEach(o, list)
			row_fill(o, &s->rows[l][s->n[l]++]);
	}
	return s;
}

void holds_shelf_free(struct holds_shelf *s)
{
	if (!s)
		return;
	for (int l = 0; l < HOLDS_SHELF_LISTS; l++) {
		for (size_t i = 0; i < s->n[l]; i++) {
			struct holds_shelf_row *r = &s->rows[l][i];
			free(r->hold_id);
			free(r->item_barcode);
			free(r->title);
			free(r->status);
			free(r->pickup_by);
			free(r->initials);
			free(r->card_last4);
			free(r->name);
			free(r->phone);
		}
		free(s->rows[l]);
	}
	free(s->branch);
	free(s);
}

/* ---- the calls ---- */

enum holds_call_kind { HOLDS_CALL_TITLES, HOLDS_CALL_HOLD, HOLDS_CALL_CANCEL, HOLDS_CALL_SHELF,
		       HOLDS_CALL_CLEAR };

union holds_call_fn {
	holds_titles_fn titles;
	holds_hold_fn hold;
	holds_cancelled_fn cancel;
	holds_shelf_fn shelf;
	holds_cleared_fn cleared;
};

struct holds_job {
	enum holds_call_kind kind;
	union holds_call_fn done;
	void *ctx;
};

static const char *const holds_call_what[] = {
	[HOLDS_CALL_TITLES] = "GET /titles", [HOLDS_CALL_HOLD] = "POST /holds",
	[HOLDS_CALL_CANCEL] = "DELETE /holds/{id}", [HOLDS_CALL_SHELF] = "GET /holdshelf",
	[HOLDS_CALL_CLEAR] = "POST /holdshelf/clearances",
};

static void *decode(enum holds_call_kind kind, const cJSON *body, char **err)
{
	switch (kind) {
	case HOLDS_CALL_TITLES:
		return holds_titles_decode(body, err);
	case HOLDS_CALL_HOLD:
		return holds_hold_decode(body, err);
	case HOLDS_CALL_CANCEL:
		return holds_cancelled_decode(body, err);
	case HOLDS_CALL_SHELF:
		return holds_shelf_decode(body, err);
	case HOLDS_CALL_CLEAR:
		return circ_checkin_decode(body, err);
	}
	return NULL;
}

static void deliver(const struct holds_job *j, unsigned tag, void *answer,
		    const struct circ_failure *f)
{
	switch (j->kind) {
	case HOLDS_CALL_TITLES:
		j->done.titles(j->ctx, tag, answer, f);
		break;
	case HOLDS_CALL_HOLD:
		j->done.hold(j->ctx, tag, answer, f);
		break;
	case HOLDS_CALL_CANCEL:
		j->done.cancel(j->ctx, tag, answer, f);
		break;
	case HOLDS_CALL_SHELF:
		j->done.shelf(j->ctx, tag, answer, f);
		break;
	case HOLDS_CALL_CLEAR:
		j->done.cleared(j->ctx, tag, answer, f);
		break;
	}
}

static void on_reply(void *ctx, unsigned tag, struct api_reply *reply)
{
	struct holds_job *j = ctx;
	char *why = NULL;
	void *answer = reply->outcome == API_OK ? decode(j->kind, reply->body, &why) : NULL;
	if (answer) {
		deliver(j, tag, answer, NULL);
		return;
	}
	struct circ_failure f = { 0 };
	call_failure_init(&f.call, reply, holds_call_what[j->kind], why);
	deliver(j, tag, NULL, &f);
}

static void push(struct scanq *q, enum holds_call_kind kind, union holds_call_fn done, void *ctx,
		 const char *method, const char *path, cJSON *body, unsigned tag)
{
	struct holds_job *j = xcalloc(1, sizeof *j);
	*j = (struct holds_job){ .kind = kind, .done = done, .ctx = ctx };
	scanq_push(q, method, path, body, body != NULL, on_reply, j, free, tag);
}

void holds_titles_start(struct scanq *q, const char *query, holds_titles_fn done, void *ctx,
			unsigned tag)
{
	char *e = circ_escape_dup(query);
	char *path = xasprintf("/titles?q=%s", e);
	push(q, HOLDS_CALL_TITLES, (union holds_call_fn){ .titles = done }, ctx, "GET", path, NULL,
	     tag);
	free(path);
	free(e);
}

void holds_place_start(struct scanq *q, const char *card, const char *title_id,
		       const char *pickup_branch, holds_hold_fn done, void *ctx, unsigned tag)
{
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "patron_card", card);
	cJSON_AddStringToObject(body, "title_id", title_id);
	cJSON_AddStringToObject(body, "pickup_branch", pickup_branch);
	push(q, HOLDS_CALL_HOLD, (union holds_call_fn){ .hold = done }, ctx, "POST", "/holds", body,
	     tag);
}

void holds_cancel_start(struct scanq *q, const char *card, const char *hold_id,
			const char *reason, holds_cancelled_fn done, void *ctx, unsigned tag)
{
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "patron_card", card);
	cJSON_AddStringToObject(body, "reason", reason);
	char *e = circ_escape_dup(hold_id);
	char *path = xasprintf("/holds/%s", e);
	push(q, HOLDS_CALL_CANCEL, (union holds_call_fn){ .cancel = done }, ctx, "DELETE", path,
	     body, tag);
	free(path);
	free(e);
}

void holds_shelf_start(struct scanq *q, holds_shelf_fn done, void *ctx, unsigned tag)
{
	push(q, HOLDS_CALL_SHELF, (union holds_call_fn){ .shelf = done }, ctx, "GET", "/holdshelf",
	     NULL, tag);
}

void holds_clear_start(struct scanq *q, const char *barcode, holds_cleared_fn done, void *ctx,
		       unsigned tag)
{
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "item_barcode", barcode);
	push(q, HOLDS_CALL_CLEAR, (union holds_call_fn){ .cleared = done }, ctx, "POST",
	     "/holdshelf/clearances", body, tag);
}
