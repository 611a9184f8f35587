#include "replay_drive.h"

#include "core/clock.h"
#include "core/xalloc.h"

#include <sqlite3.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	return (double)clock_now_ms() / 1000.0;
}

static void on_progress(void *ctx, size_t done, size_t total)
{
	struct drive_result *r = ctx;
	r->done = done;
	r->total = total;
	r->progress_calls++;
}

static void on_refused(void *ctx, const struct journal_entry *e)
{
	struct drive_result *r = ctx;
	(void)e;
	r->refused++;
}

static void on_finished(void *ctx, enum replay_end end, const char *why)
{
	struct drive_result *r = ctx;
	r->finished = true;
	r->end = end;
	r->why = why ? xstrdup(why) : NULL;
}

void drive_replay(struct api *api, struct journal *journal, double seconds,
		  struct drive_result *result)
{
	memset(result, 0, sizeof *result);
	struct replay_hooks hooks = {
		.ctx = result,
		.progress = on_progress,
		.refused = on_refused,
		.finished = on_finished,
	};
	struct replay *r = replay_new(api, journal, &hooks);
	double start = now_s();
	replay_start(r);
	while (!result->finished && now_s() - start < seconds) {
		api_wait(api, NULL, 0, 100);
		api_dispatch(api);
	}
	result->seconds = now_s() - start;
	replay_free(r);
}

struct journal *drive_journal(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s.db", dir, name);
	char *err = NULL;
	struct journal *j = journal_open(path, "test-desk", &err);
	if (!j) {
		printf("Bail out! journal %s: %s\n", path, err);
		exit(1);
	}
	free(path);
	return j;
}

long long drive_append(struct journal *j, const char *path, const char *json,
		       const char *occurred_at)
{
	cJSON *body = cJSON_Parse(json);
	struct journal_entry *e = NULL;
	char *err = NULL;
	long long seq = 0;
	if (journal_append(j, JOURNAL_OFFLINE, "balie", "POST", path, body, occurred_at, &e, &err))
		seq = e->seq;
	else
		printf("# append: %s\n", err);
	free(err);
	journal_entry_free(e);
	cJSON_Delete(body);
	return seq;
}

bool drive_entry_at_day(struct journal *j, struct journal_entry **e, const char *occurred_at)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	bool done = sqlite3_open(journal_path(j), &db) == SQLITE_OK &&
		    sqlite3_prepare_v2(db, "UPDATE entries SET occurred_at = ?1,"
					   " body = json_set(body, '$.occurred_at', ?1) WHERE seq = ?2",
				       -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_bind_text(st, 1, occurred_at, -1, SQLITE_STATIC) == SQLITE_OK &&
		    sqlite3_bind_int64(st, 2, (*e)->seq) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	sqlite3_close(db);
	long long seq = (*e)->seq;
	journal_entry_free(*e);
	*e = NULL;
	return done && journal_get(j, seq, e, NULL);
}
