#include "client/queued.h"

#include "core/xalloc.h"

#include <stdlib.h>

struct queued_job {
	queued_decode_fn decode;
	call_fn done;
	void *ctx;
};

static void on_reply(void *ctx, unsigned tag, struct api_reply *reply)
{
	const struct queued_job *job = ctx;
	job->decode(reply, job->done, job->ctx, tag);
}

void queued_start(struct scanq *q, const char *method, const char *path, cJSON *body,
		  bool mutating, queued_decode_fn decode, call_fn done, void *ctx, unsigned tag)
{
	struct queued_job *job = xcalloc(1, sizeof *job);
	*job = (struct queued_job){ .decode = decode, .done = done, .ctx = ctx };
	scanq_push(q, method, path, body, mutating, on_reply, job, free, tag);
}
