#include "client/call.h"

#include "core/jsonx.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* A call under way: what its reply goes to. Kept in a list so that
 * call_cancel can free it (the api forgets a cancelled request's ctx). */
struct call_pending {
	struct api *api;
	unsigned id;
	call_decode_fn decode;
	call_fn done;
	void *ctx;
	struct call_pending *next;
};

/* The desk is one thread with one event loop: one list serves every api. */
static struct call_pending *call_list;

static void call_unlink(struct call_pending *c)
{
	for (struct call_pending **p = &call_list; *p; p = &(*p)->next) {
		if (*p == c) {
			*p = c->next;
			return;
		}
	}
}

static void call_on_reply(void *ctx, struct api_reply *reply)
{
	struct call_pending *c = ctx;
	call_decode_fn decode = c->decode;
	call_fn done = c->done;
	void *done_ctx = c->ctx;
	call_unlink(c);
	free(c);
	decode(reply, done, done_ctx);
}

unsigned call_start(struct api *api, const char *method, const char *path, const cJSON *body,
		    const char *idempotency_key, call_decode_fn decode, call_fn done, void *ctx)
{
	struct call_pending *c = xcalloc(1, sizeof *c);
	*c = (struct call_pending){ .api = api, .decode = decode, .done = done, .ctx = ctx,
				    .next = call_list };
	call_list = c;
	c->id = api_start(api, method, path, body, idempotency_key, call_on_reply, c);
	return c->id;
}

void call_cancel(struct api *api, unsigned id)
{
	if (id == 0)
		return;
	for (struct call_pending *c = call_list; c; c = c->next) {
		if (c->api == api && c->id == id) {
			call_unlink(c);
			free(c);
			break;
		}
	}
	api_cancel(api, id);
}

void call_failure_init(struct call_failure *f, const struct api_reply *reply, const char *what,
		       char *decode_err)
{
	*f = (struct call_failure){ .outcome = reply->outcome, .error = reply->error,
				    .overridable = reply->overridable };
	if (reply->outcome == API_OK) {
		log_warn("%s: the answer could not be read: %s", what,
			 decode_err ? decode_err : "no body");
		f->text = api_undecodable_text();
	} else {
		f->text = api_reply_text(reply);
	}
	free(decode_err);
	f->setup_problem = reply->outcome == API_UNREACHABLE && reply->tls != API_TLS_NONE;
	if (reply->outcome != API_REFUSED || !reply->error_details)
		return;
	f->field = jsonx_string(reply->error_details, "field");
	f->reason = jsonx_string(reply->error_details, "reason");
	if (!jsonx_int(reply->error_details, "retry_after", &f->retry_after) || f->retry_after < 0)
		f->retry_after = 0;
}

char *call_failure_sentence_dup(const char *sentence, const struct call_failure *f)
{
	if (f && f->setup_problem)
		return xasprintf("%s %s", sentence, f->text);
	return xstrdup(sentence);
}

const char *call_retry_key(struct call_retry *r, const cJSON *body)
{
	char *text = jsonx_print_dup(body);
	if (!r->body || strcmp(r->body, text) != 0) {
		uuid_v4(r->key);
		free(r->body);
		r->body = text;
	} else {
		free(text);
	}
	return r->key;
}

void call_retry_forget(struct call_retry *r)
{
	free(r->body);
	r->body = NULL;
}
