/* The type-ahead scan queue (DESIGN.md section 4): every scan becomes a
 * request at once, and the requests go to the service one after another in
 * the order they were scanned, so that a burst is answered in order and
 * none is lost, while the event loop goes on reading keys. Each mutating
 * request carries its own Idempotency-Key. One queue serves every screen of
 * the desk, so that the order holds across screens too. */
#ifndef BALIE_SCANQ_H
#define BALIE_SCANQ_H

#include "client/api.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* Called once per request with its reply (freed after the call). */
typedef void (*scanq_done_fn)(void *ctx, unsigned tag, struct api_reply *reply);

struct scanq_job;

struct outbox;

struct scanq {
	struct api *api;
	struct outbox *offline;   /* the journal; NULL: straight to the api */
	bool starting;
	struct scanq_job *head, *tail; /* head is the one under way when busy */
	unsigned request;              /* the api's id of the head, or 0 */
	size_t n;
};

void scanq_init(struct scanq *q, struct api *api);
/* Forgets every request, the one under way too: no callback comes. */
void scanq_clear(struct scanq *q);

/* Frees a request's ctx after its done, or when the request is forgotten. */
typedef void (*scanq_free_fn)(void *ctx);

/* Queues method path with body (taken; may be NULL); mutating requests get
 * a new Idempotency-Key. done is called with ctx and tag; then ctx_free
 * (may be NULL) with ctx, which scanq_clear calls too. */
void scanq_push(struct scanq *q, const char *method, const char *path, cJSON *body,
		bool mutating, scanq_done_fn done, void *ctx, scanq_free_fn ctx_free,
		unsigned tag);

/* From now on check-outs and check-ins go through the journal
 * (client/outbox.h), and while the desk is offline every other request is
 * answered "offline" from outbox_dispatch, without the network. */
void scanq_set_offline(struct scanq *q, struct outbox *offline);

/* Requests queued or under way. */
size_t scanq_length(const struct scanq *q);

#endif
