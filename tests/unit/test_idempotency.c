/* The Idempotency-Key store (src/service/store/idempotency.c) on a real SQLite file
 * in a temporary directory: a first answer is stored with its change, a
 * repeat is answered from the store, another body under the same key is
 * refused, a key being processed is reported, and old keys are purged. */
#include "tap.h"

#include "service/store/idempotency.h"
#include "service/store/store.h"
#include "core/xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char dir[] = "/tmp/balie-idem-XXXXXX";
static char *db_path;

static const char *const KEY = "3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b";

/* What the handler does: a change in the database and an answer. */
struct work {
	int runs;
	unsigned status;
	const char *body;
};

static void do_work(void *ctx, struct store *store, struct idem_response *out)
{
	struct work *w = ctx;
	w->runs++;
	store_exec(store, "INSERT INTO branches (code, name) VALUES"
			  " ('T' || (SELECT count(*) FROM branches), 'Test')");
	out->status = w->status;
	out->body = xstrdup(w->body);
}

static long long count(struct store *store, const char *sql)
{
	struct db_stmt *st = store_prepare_once(store, sql);
	long long n = -1;
	if (st && db_step(st) == DB_ROW)
		n = db_column_int64(st, 0);
	db_finalize(st);
	return n;
}

static struct idem_request request(const char *key, const char *body)
{
	return (struct idem_request){ .key = key, .method = "POST", .path = "/staff",
				      .body = body, .body_len = strlen(body), .staff_id = 0 };
}

static void test_first_and_repeat(struct idempotency *idem, struct store *store)
{
	struct work w = { 0, 201, "{\"staff\":{\"username\":\"piet\"}}" };
	struct idem_request req = request(KEY, "{\"username\":\"piet\"}");
	struct idem_response resp;

	ok(idempotency_check(idem, store, &req, &resp) == IDEM_NEW, "a new key is new");
	ok(idempotency_run(idem, store, &req, do_work, &w, &resp) == IDEM_DONE,
	   "the first request runs");
	ok(resp.status == 201 && !resp.replayed, "its answer is the handler's (201)");
	free(resp.body);
	ok(count(store, "SELECT count(*) FROM branches") == 1, "its change is committed");

	ok(idempotency_run(idem, store, &req, do_work, &w, &resp) == IDEM_REPLAYED,
	   "the same request again is replayed");
	ok(resp.status == 201 && resp.replayed, "with the stored status");
	is_str(resp.body, "{\"staff\":{\"username\":\"piet\"}}", "and the stored body");
	free(resp.body);
	ok(w.runs == 1, "the handler ran once");
	ok(count(store, "SELECT count(*) FROM branches") == 1, "the change was made once");

	ok(idempotency_check(idem, store, &req, &resp) == IDEM_REPLAYED,
	   "a check sees the stored answer");
	free(resp.body);

	struct idem_request other = request(KEY, "{\"username\":\"klaas\"}");
	ok(idempotency_run(idem, store, &other, do_work, &w, &resp) == IDEM_KEY_REUSED,
	   "the same key with another body is refused");
	other = req;
	other.path = "/checkouts";
	ok(idempotency_run(idem, store, &other, do_work, &w, &resp) == IDEM_KEY_REUSED,
	   "the same key and body on another path is refused");
	ok(w.runs == 1, "a refused request does not run");
}

static void test_refusals_and_failures(struct idempotency *idem, struct store *store)
{
	const char *key = "00000000-0000-4000-8000-000000000422";
	struct work w = { 0, 422, "{\"error\":{\"code\":\"invalid_field\"}}" };
	struct idem_request req = request(key, "{}");
	struct idem_response resp;
	long long before = count(store, "SELECT count(*) FROM branches");

	ok(idempotency_run(idem, store, &req, do_work, &w, &resp) == IDEM_DONE && resp.status == 422,
	   "a refusal is answered");
	free(resp.body);
	ok(count(store, "SELECT count(*) FROM branches") == before,
	   "the changes of a refused request are rolled back");
	ok(idempotency_run(idem, store, &req, do_work, &w, &resp) == IDEM_REPLAYED &&
		   resp.status == 422,
	   "a refusal is stored and replayed");
	free(resp.body);

	key = "00000000-0000-4000-8000-000000000503";
	w = (struct work){ 0, 503, "{\"error\":{\"code\":\"unavailable\"}}" };
	req = request(key, "{}");
	ok(idempotency_run(idem, store, &req, do_work, &w, &resp) == IDEM_DONE && resp.status == 503,
	   "a server failure is answered");
	free(resp.body);
	ok(count(store, "SELECT count(*) FROM branches") == before,
	   "a server failure leaves no change");
	w.status = 201;
	ok(idempotency_run(idem, store, &req, do_work, &w, &resp) == IDEM_DONE && resp.status == 201,
	   "a server failure is not stored: the retry runs");
	free(resp.body);
	ok(w.runs == 2, "the handler ran for the failure and for the retry");
}

/* A handler that holds its key until the main thread has tried it too. */
struct slow {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool entered, release;
	struct idempotency *idem;
	enum idem_outcome outcome;
};

static void slow_work(void *ctx, struct store *store, struct idem_response *out)
{
	struct slow *s = ctx;
	(void)store;
	pthread_mutex_lock(&s->lock);
	s->entered = true;
	pthread_cond_broadcast(&s->cond);
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 10;
	while (!s->release && pthread_cond_timedwait(&s->cond, &s->lock, &deadline) == 0)
		;
	pthread_mutex_unlock(&s->lock);
	out->status = 201;
	out->body = xstrdup("{\"slow\":true}");
}

static void *slow_thread(void *arg)
{
	struct slow *s = arg;
	char *err = NULL;
	struct store *store = store_open(db_path, &err);
	struct idem_request req = request("11111111-2222-4333-8444-555555555555", "{\"n\":1}");
	struct idem_response resp = { 0 };
	s->outcome = store ? idempotency_run(s->idem, store, &req, slow_work, s, &resp)
			   : IDEM_FAILED;
	free(resp.body);
	free(err);
	store_free(store);
	return NULL;
}

static void test_in_progress(struct idempotency *idem, struct store *store)
{
	struct slow s = { .idem = idem };
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.cond, NULL);
	pthread_t t;
	pthread_create(&t, NULL, slow_thread, &s);

	pthread_mutex_lock(&s.lock);
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 10;
	while (!s.entered && pthread_cond_timedwait(&s.cond, &s.lock, &deadline) == 0)
		;
	bool entered = s.entered;
	pthread_mutex_unlock(&s.lock);
	ok(entered, "a slow request has started in another thread");

	struct idem_request req = request("11111111-2222-4333-8444-555555555555", "{\"n\":1}");
	struct idem_response resp;
	struct work w = { 0, 201, "{}" };
	ok(idempotency_run(idem, store, &req, do_work, &w, &resp) == IDEM_IN_PROGRESS,
	   "the same key meanwhile is reported in progress");
	ok(idempotency_check(idem, store, &req, &resp) == IDEM_IN_PROGRESS,
	   "and a check says so too");
	ok(w.runs == 0, "and does not run");

	pthread_mutex_lock(&s.lock);
	s.release = true;
	pthread_cond_broadcast(&s.cond);
	pthread_mutex_unlock(&s.lock);
	pthread_join(t, NULL);
	ok(s.outcome == IDEM_DONE, "the slow request finishes");
	ok(idempotency_run(idem, store, &req, do_work, &w, &resp) == IDEM_REPLAYED,
	   "afterwards the key is answered from the store");
	is_str(resp.body, "{\"slow\":true}", "with the slow request's answer");
	free(resp.body);
	pthread_cond_destroy(&s.cond);
	pthread_mutex_destroy(&s.lock);
}

static void test_durable_and_purge(struct idempotency *idem)
{
	char *err = NULL;
	struct store *store = store_open(db_path, &err);
	ok(store != NULL, "the database opens again");
	struct idem_request req = request(KEY, "{\"username\":\"piet\"}");
	struct idem_response resp;
	struct work w = { 0, 201, "{}" };
	ok(idempotency_run(idem, store, &req, do_work, &w, &resp) == IDEM_REPLAYED && w.runs == 0,
	   "a stored answer survives closing the database");
	free(resp.body);

	store_exec(store, "UPDATE idempotency_keys SET created_at = created_at - 31 * 86400"
			  " WHERE key = '3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b'");
	long kept = count(store, "SELECT count(*) FROM idempotency_keys") - 1;
	ok(idempotency_purge_batch(store, time(NULL) - 30 * 86400, 100) == 1,
	   "a key older than 30 days is purged");
	ok(count(store, "SELECT count(*) FROM idempotency_keys") == kept, "newer keys are kept");
	ok(idempotency_check(idem, store, &req, &resp) == IDEM_NEW, "a purged key is new again");
	store_free(store);
	free(err);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		ok(false, "a temporary directory");
		return tap_done();
	}
	db_path = xasprintf("%s/balied.db", dir);
	char *err = NULL;
	struct store *store = store_open(db_path, &err);
	ok(store != NULL, "a new database is made and migrated%s%s", err ? ": " : "", err ? err : "");
	if (store) {
		struct idempotency *idem = idempotency_new();
		test_first_and_repeat(idem, store);
		test_refusals_and_failures(idem, store);
		test_in_progress(idem, store);
		store_free(store);
		test_durable_and_purge(idem);
		idempotency_free(idem);
	}
	free(err);
	const char *suffix[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < 3; i++) {
		char *f = xasprintf("%s%s", db_path, suffix[i]);
		unlink(f);
		free(f);
	}
	rmdir(dir);
	free(db_path);
	return tap_done();
}
