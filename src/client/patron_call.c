#include "client/patron_call.h"

#include "client/circ.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const field_names[PATRON_CALL_FIELDS] = {
	"given_name", "family_name", "postcode", "house_number", "house_number_suffix", "email",
	"phone",
};

const char *patron_call_field_name(enum patron_call_field f)
{
	return f < PATRON_CALL_FIELDS ? field_names[f] : "";
}

struct patron_job {
	patron_call_fn done;
	patron_history_fn history;
	void *ctx;
	const char *what; /* for the log: "PATCH /patrons/{card}" */
};

static void on_change(void *ctx, unsigned tag, struct api_reply *reply)
{
	struct patron_job *j = ctx;
	if (reply->outcome == API_OK) {
		j->done(j->ctx, tag, NULL);
		return;
	}
	struct call_failure f;
	call_failure_init(&f, reply, j->what, NULL);
	j->done(j->ctx, tag, &f);
}

/* Queues a change: method on the patron's path with tail, body taken. */
static void push_change(struct scanq *q, const char *method, const char *card, const char *tail,
			cJSON *body, const char *what, patron_call_fn done, void *ctx,
			unsigned tag)
{
	struct patron_job *j = xcalloc(1, sizeof *j);
	*j = (struct patron_job){ .done = done, .ctx = ctx, .what = what };
	char *base = circ_patron_path_dup(card);
	char *path = xasprintf("%s%s", base, tail);
	scanq_push(q, method, path, body, true, on_change, j, free, tag);
	free(path);
	free(base);
}

void patron_call_edit_start(struct scanq *q, const char *card,
			    const char *const value[PATRON_CALL_FIELDS], patron_call_fn done,
			    void *ctx, unsigned tag)
{
	cJSON *body = cJSON_CreateObject();
	for (unsigned i = 0; i < PATRON_CALL_FIELDS; i++)
		if (value[i])
			cJSON_AddStringToObject(body, field_names[i], value[i]);
	push_change(q, "PATCH", card, "", body, "PATCH /patrons/{card}", done, ctx, tag);
}

void patron_call_text_start(struct scanq *q, const char *card, bool message, const char *text,
			    patron_call_fn done, void *ctx, unsigned tag)
{
	const char *member = message ? "message" : "note";
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, member, text ? text : "");
	push_change(q, "PUT", card, message ? "/message" : "/note", body,
		    message ? "PUT /patrons/{card}/message" : "PUT /patrons/{card}/note", done, ctx,
		    tag);
}

void patron_call_block_start(struct scanq *q, const char *card, bool block, const char *reason,
			     patron_call_fn done, void *ctx, unsigned tag)
{
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "reason", reason);
	push_change(q, block ? "POST" : "DELETE", card, "/block", body,
		    block ? "POST /patrons/{card}/block" : "DELETE /patrons/{card}/block", done,
		    ctx, tag);
}

void patron_call_keep_history_start(struct scanq *q, const char *card, bool keep,
				    patron_call_fn done, void *ctx, unsigned tag)
{
	cJSON *body = cJSON_CreateObject();
	cJSON_AddBoolToObject(body, "keep", keep);
	push_change(q, "PUT", card, "/reading-history", body,
		    "PUT /patrons/{card}/reading-history", done, ctx, tag);
}

void patron_call_erase_start(struct scanq *q, const char *card, patron_call_fn done, void *ctx,
			     unsigned tag)
{
	/* A body makes the call mutating (scanq gives it its key): an empty one. */
	push_change(q, "DELETE", card, "", cJSON_CreateObject(), "DELETE /patrons/{card}", done,
		    ctx, tag);
}

static char *string_dup(const cJSON *obj, const char *key)
{
	const char *s = jsonx_string(obj, key);
	return xstrdup(s ? s : "");
}

struct patron_call_history *patron_call_history_decode(const cJSON *body, char **err)
{
	const cJSON *loans = jsonx_array(body, "loans"), *item;
	if (!loans) {
		*err = xstrdup("\"loans\" is missing or not a list");
		return NULL;
	}
	struct patron_call_history *h = xcalloc(1, sizeof *h);
	h->loans = xcalloc((size_t)cJSON_GetArraySize(loans) + 1, sizeof *h->loans);
	cJSON_ArrayForEach(item, loans) {
		struct patron_call_past *p = &h->loans[h->n++];
		p->item_barcode = string_dup(item, "item_barcode");
		p->title = string_dup(item, "title");
		/* The date of the instant is enough for the list. */
		p->returned_on = xstrndup(jsonx_string(item, "returned_at")
					  ? jsonx_string(item, "returned_at") : "", 10);
	}
	return h;
}

void patron_call_history_free(struct patron_call_history *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++) {
		free(h->loans[i].item_barcode);
		free(h->loans[i].title);
		free(h->loans[i].returned_on);
	}
	free(h->loans);
	free(h);
}

static void on_history(void *ctx, unsigned tag, struct api_reply *reply)
{
	struct patron_job *j = ctx;
	char *err = NULL;
	struct patron_call_history *h =
		reply->outcome == API_OK ? patron_call_history_decode(reply->body, &err) : NULL;
	if (h) {
		j->history(j->ctx, tag, h, NULL);
		return;
	}
	struct call_failure f;
	call_failure_init(&f, reply, j->what, err);
	j->history(j->ctx, tag, NULL, &f);
}

void patron_call_history_start(struct scanq *q, const char *card, patron_history_fn done,
			       void *ctx, unsigned tag)
{
	struct patron_job *j = xcalloc(1, sizeof *j);
	*j = (struct patron_job){ .history = done, .ctx = ctx, .what = "GET /patrons/{card}/history" };
	char *base = circ_patron_path_dup(card);
	char *path = xasprintf("%s/history", base);
	scanq_push(q, "GET", path, NULL, false, on_history, j, free, tag);
	free(path);
	free(base);
}
