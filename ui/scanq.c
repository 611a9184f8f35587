#include "scanq.h"

#include "uuid.h"
#include "xalloc.h"

#include <stdlib.h>

struct scanq_job {
	char *method, *path;
	cJSON *body;
	char key[UUID_STR_LEN];
	bool mutating;
	scanq_done_fn done;
	void *ctx;
	unsigned tag;
	struct scanq_job *next;
};

static void job_free(struct scanq_job *j)
{
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

static void scanq_on_reply(void *ctx, struct api_reply *reply)
{
	struct scanq *q = ctx;
	struct scanq_job *j = q->head;
	q->request = 0;
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

static void scanq_start(struct scanq *q)
{
	if (q->request || !q->head)
		return;
	struct scanq_job *j = q->head;
	q->request = api_start(q->api, j->method, j->path, j->body, j->mutating ? j->key : NULL,
			       scanq_on_reply, q);
}

void scanq_push(struct scanq *q, const char *method, const char *path, cJSON *body,
		bool mutating, scanq_done_fn done, void *ctx, unsigned tag)
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
	if (q->request)
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
