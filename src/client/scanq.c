#include "client/scanq.h"

#include "client/outbox.h"

#include "core/uuid.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct scanq_job {
	char *method, *path;
	cJSON *body;
	char key[UUID_STR_LEN];
	bool mutating;
	scanq_done_fn done;
	void *ctx;
	scanq_free_fn ctx_free;
	unsigned tag;
	struct scanq_job *next;
};

static void job_free(struct scanq_job *j)
{
	if (j->ctx_free)
		j->ctx_free(j->ctx);
	free(j->method);
	free(j->path);
	cJSON_Delete(j->body);
	free(j);
}

void scanq_init(struct scanq *q, struct api *api)
{
	*q = (struct scanq){ .api = api };
}

static void scanq_start(struct scanq *q);
static bool scanq_journaled(const struct scanq_job *j);

static void scanq_on_reply(void *ctx, struct api_reply *reply)
{
	struct scanq *q = ctx;
	struct scanq_job *j = q->head;
	q->request = 0;
	/* A lookup or a renewal that found no service takes the desk offline
	 * (a journaled request's answer does so in the outbox). */
	if (q->offline && !scanq_journaled(j) && reply->outcome == API_UNREACHABLE)
		outbox_unreachable(q->offline);
	q->head = j->next;
	if (!q->head)
		q->tail = NULL;
	q->n--;
	/* The next request goes out before this answer is shown, so that the
	 * service is never idle while the desk draws. */
	scanq_start(q);
	j->done(j->ctx, j->tag, reply);
	job_free(j);
}

/* What the desk takes offline (DESIGN.md section 4): check-outs and
 * check-ins; a renewal needs the service. */
static bool scanq_journaled(const struct scanq_job *j)
{
	return j->mutating && (strcmp(j->path, "/checkouts") == 0 || strcmp(j->path, "/checkins") == 0);
}

/* Starts the head; with the journal, a request decided at once (saved
 * offline, or a lookup while offline) is answered from outbox_dispatch, and
 * the next goes out from its answer, so that the order holds. */
static void scanq_start(struct scanq *q)
{
	if (q->starting)
		return;
	q->starting = true;
	while (!q->request && q->head) {
		struct scanq_job *j = q->head;
		unsigned id;
		if (q->offline && scanq_journaled(j)) {
			id = outbox_submit(q->offline, j->method, j->path, j->body,
					   scanq_on_reply, q);
		} else if (q->offline && outbox_down(q->offline)) {
			id = outbox_answer_offline(q->offline, scanq_on_reply, q);
		} else {
			id = api_start(q->api, j->method, j->path, j->body,
				       j->mutating ? j->key : NULL, scanq_on_reply, q);
		}
		if (id)
			q->request = id;
	}
	q->starting = false;
}

void scanq_set_offline(struct scanq *q, struct outbox *offline)
{
	q->offline = offline;
}

void scanq_push(struct scanq *q, const char *method, const char *path, cJSON *body,
		bool mutating, scanq_done_fn done, void *ctx, scanq_free_fn ctx_free,
		unsigned tag)
{
	struct scanq_job *j = xcalloc(1, sizeof *j);
	j->method = xstrdup(method);
	j->path = xstrdup(path);
	j->body = body;
	j->mutating = mutating;
	if (mutating)
		uuid_v4(j->key);
	j->done = done;
	j->ctx = ctx;
	j->ctx_free = ctx_free;
	j->tag = tag;
	if (q->tail)
		q->tail->next = j;
	else
		q->head = j;
	q->tail = j;
	q->n++;
	scanq_start(q);
}

size_t scanq_length(const struct scanq *q)
{
	return q->n;
}

void scanq_clear(struct scanq *q)
{
	if (q->request && q->offline)
		outbox_cancel(q->offline, q->request);
	else if (q->request)
		api_cancel(q->api, q->request);
	q->request = 0;
	while (q->head) {
		struct scanq_job *j = q->head;
		q->head = j->next;
		job_free(j);
	}
	q->tail = NULL;
	q->n = 0;
}
