#include "service/store/idempotency.h"

#include "core/log.h"
#include "core/xalloc.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

enum { IDEM_HASH_BYTES = 32 };

struct idempotency {
	pthread_mutex_t lock;
	char **keys; /* in flight now */
	size_t n_keys, cap_keys;
};

struct idempotency *idempotency_new(void)
{
	if (sodium_init() < 0)
		abort(); /* libsodium cannot work without its random source */
	struct idempotency *idem = xcalloc(1, sizeof *idem);
	pthread_mutex_init(&idem->lock, NULL);
	return idem;
}

void idempotency_free(struct idempotency *idem)
{
	if (!idem)
		return;
	for (size_t i = 0; i < idem->n_keys; i++)
		free(idem->keys[i]);
	free(idem->keys);
	pthread_mutex_destroy(&idem->lock);
	free(idem);
}

/* In-flight keys live in memory: one balied process serves one database. */
static bool claim(struct idempotency *idem, const char *key)
{
	bool claimed = true;
	pthread_mutex_lock(&idem->lock);
	for (size_t i = 0; i < idem->n_keys; i++) {
		if (strcmp(idem->keys[i], key) == 0) {
			claimed = false;
			break;
		}
	}
	if (claimed) {
		if (idem->n_keys == idem->cap_keys) {
			idem->cap_keys = idem->cap_keys ? 2 * idem->cap_keys : 16;
			idem->keys = xrealloc(idem->keys, idem->cap_keys * sizeof *idem->keys);
		}
		idem->keys[idem->n_keys++] = xstrdup(key);
	}
	pthread_mutex_unlock(&idem->lock);
	return claimed;
}

static bool in_flight(struct idempotency *idem, const char *key)
{
	bool found = false;
	pthread_mutex_lock(&idem->lock);
	for (size_t i = 0; i < idem->n_keys && !found; i++)
		found = strcmp(idem->keys[i], key) == 0;
	pthread_mutex_unlock(&idem->lock);
	return found;
}

static void release(struct idempotency *idem, const char *key)
{
	pthread_mutex_lock(&idem->lock);
	for (size_t i = 0; i < idem->n_keys; i++) {
		if (strcmp(idem->keys[i], key) == 0) {
			free(idem->keys[i]);
			idem->keys[i] = idem->keys[--idem->n_keys];
			break;
		}
	}
	pthread_mutex_unlock(&idem->lock);
}

/* The hash says "the same request": method, path and body, NUL-separated so
 * that no two different requests run together into the same bytes. */
static void request_hash(const struct idem_request *req, unsigned char out[IDEM_HASH_BYTES])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, IDEM_HASH_BYTES);
	crypto_generichash_update(&st, (const unsigned char *)req->method, strlen(req->method) + 1);
	crypto_generichash_update(&st, (const unsigned char *)req->path, strlen(req->path) + 1);
	if (req->body_len)
		crypto_generichash_update(&st, (const unsigned char *)req->body, req->body_len);
	crypto_generichash_final(&st, out, IDEM_HASH_BYTES);
}

enum lookup { LOOKUP_NONE, LOOKUP_SAME, LOOKUP_OTHER, LOOKUP_ERROR };

static enum lookup lookup(struct store *store, const char *key,
			  const unsigned char hash[IDEM_HASH_BYTES], struct idem_response *out)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT request_hash, status, body FROM idempotency_keys WHERE key = ?");
	db_bind_text(st, 1, key, -1);
	enum lookup found = LOOKUP_NONE;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		const void *stored = db_column_blob(st, 0);
		int len = db_column_bytes(st, 0);
		if (len == IDEM_HASH_BYTES && sodium_memcmp(stored, hash, IDEM_HASH_BYTES) == 0) {
			found = LOOKUP_SAME;
			out->status = (unsigned)db_column_int(st, 1);
			out->body = xstrdup(db_column_text(st, 2));
			out->replayed = true;
		} else {
			found = LOOKUP_OTHER;
		}
	} else if (rc != DB_DONE) {
		log_error("database: reading an idempotency key: %s", store_errmsg(store));
		found = LOOKUP_ERROR;
	}
	store_done(st);
	return found;
}

static bool remember(struct store *store, const struct idem_request *req,
		     const unsigned char hash[IDEM_HASH_BYTES], const struct idem_response *resp)
{
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO idempotency_keys (key, request_hash, staff_id, status, body, created_at)"
		" VALUES (?, ?, ?, ?, ?, ?)");
	db_bind_text(st, 1, req->key, -1);
	db_bind_blob(st, 2, hash, IDEM_HASH_BYTES);
	if (req->staff_id)
		db_bind_int64(st, 3, req->staff_id);
	db_bind_int64(st, 4, (int)resp->status);
	db_bind_text(st, 5, resp->body, -1);
	db_bind_int64(st, 6, (long long)time(NULL));
	bool ok = db_step(st) == DB_DONE;
	if (!ok)
		log_error("database: storing an idempotency key: %s", store_errmsg(store));
	store_done(st);
	return ok;
}

/* Runs the handler inside the transaction that is open; false when the
 * transaction must be abandoned. */
static bool run_handler(struct store *store, const struct idem_request *req,
			const unsigned char hash[IDEM_HASH_BYTES], idem_handler_fn handler,
			void *ctx, struct idem_response *out)
{
	if (!store_exec(store, "SAVEPOINT idem_handler"))
		return false;
	out->status = 500;
	out->body = NULL;
	handler(ctx, store, out);
	if (!out->body)
		out->body = xstrdup("");
	if (out->status >= 500)
		return false;
	if (out->status >= 400 && !store_exec(store, "ROLLBACK TO idem_handler"))
		return false;
	return store_exec(store, "RELEASE idem_handler") && remember(store, req, hash, out) &&
	       store_commit(store);
}

enum idem_outcome idempotency_run(struct idempotency *idem, struct store *store,
				  const struct idem_request *req, idem_handler_fn handler,
				  void *ctx, struct idem_response *out)
{
	memset(out, 0, sizeof *out);
	if (!claim(idem, req->key))
		return IDEM_IN_PROGRESS;
	unsigned char hash[IDEM_HASH_BYTES];
	request_hash(req, hash);

	enum idem_outcome outcome = IDEM_FAILED;
	if (!store_begin(store))
		goto done;
	switch (lookup(store, req->key, hash, out)) {
	case LOOKUP_SAME:
		outcome = IDEM_REPLAYED;
		break;
	case LOOKUP_OTHER:
		outcome = IDEM_KEY_REUSED;
		break;
	case LOOKUP_ERROR:
		break;
	case LOOKUP_NONE:
		if (run_handler(store, req, hash, handler, ctx, out)) {
			outcome = IDEM_DONE;
		} else if (out->status >= 500) {
			/* The handler's own failure: its answer goes out, nothing is kept. */
			outcome = IDEM_DONE;
		} else {
			free(out->body);
			out->body = NULL;
		}
		break;
	}
	store_rollback(store); /* a no-op after a commit */
done:
	release(idem, req->key);
	return outcome;
}

enum idem_outcome idempotency_check(struct idempotency *idem, struct store *store,
				    const struct idem_request *req, struct idem_response *out)
{
	memset(out, 0, sizeof *out);
	if (in_flight(idem, req->key))
		return IDEM_IN_PROGRESS;
	unsigned char hash[IDEM_HASH_BYTES];
	request_hash(req, hash);
	switch (lookup(store, req->key, hash, out)) {
	case LOOKUP_SAME:
		return IDEM_REPLAYED;
	case LOOKUP_OTHER:
		return IDEM_KEY_REUSED;
	case LOOKUP_ERROR:
		return IDEM_FAILED;
	default:
		return IDEM_NEW;
	}
}

static double purge_ms_since(const struct timespec *start);

long long idempotency_count(struct store *store)
{
	/* count(*) reads the smaller index (created_at), not the stored bodies. */
	struct db_stmt *st = store_stmt(store, "SELECT count(*) FROM idempotency_keys");
	long long n = db_step(st) == DB_ROW ? db_column_int64(st, 0) : -1;
	if (n < 0)
		log_error("database: counting idempotency keys: %s", store_errmsg(store));
	store_done(st);
	return n;
}

long idempotency_purge_batch(struct store *store, time_t cutoff, unsigned max_rows)
{
	double ms;
	return idempotency_purge_batch_timed(store, cutoff, max_rows, &ms);
}

long idempotency_purge_batch_timed(struct store *store, time_t cutoff, unsigned max_rows,
				   double *locked_ms)
{
	*locked_ms = 0;
	struct timespec start;
	if (!store_begin(store))
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &start);
	struct db_stmt *st = store_stmt(store,
		"DELETE FROM idempotency_keys WHERE key IN (SELECT key FROM idempotency_keys"
		" WHERE created_at < ? ORDER BY created_at LIMIT ?)");
	db_bind_int64(st, 1, (long long)cutoff);
	db_bind_int64(st, 2, (long long)max_rows);
	long n = -1;
	if (db_step(st) == DB_DONE)
		n = (long)store_changes(store);
	else
		log_error("database: purging idempotency keys: %s", store_errmsg(store));
	store_done(st);
	/* The delete is what holds the lock; the commit writes the log's last
	 * frame and flushes it after the lock is given back. */
	*locked_ms = purge_ms_since(&start);
	if (n < 0 || !store_commit(store)) {
		store_rollback(store);
		return -1;
	}
	return n;
}

/* ---- the purge in the background ---- */

/* A batch may hold the write lock for about this long; the batch size
 * follows what the disk allows. Between batches the purger waits as long as
 * its batch took, so that the desks' writes get at least half the time. */
enum {
	PURGE_BATCH_TARGET_MS = 5,
	PURGE_BATCH_MIN = 16,
	PURGE_BATCH_FIRST = 256,
	PURGE_BATCH_MAX = 4096,
	PURGE_PAUSE_MIN_MS = 2,
};

struct idem_purger {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping, kicked;
	char *db_path;
	unsigned keep_days;
};

static double purge_ms_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) * 1e3 +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

static bool purger_stopping(struct idem_purger *p)
{
	pthread_mutex_lock(&p->lock);
	bool stopping = p->stopping;
	pthread_mutex_unlock(&p->lock);
	return stopping;
}

/* Sleeps ms, or less when a stop comes. */
static void purger_pause(struct idem_purger *p, double ms)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	long ns = (long)(ms * 1e6);
	until.tv_sec += ns / 1000000000L;
	until.tv_nsec += ns % 1000000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&p->lock);
	while (!p->stopping &&
	       pthread_cond_timedwait(&p->wake, &p->lock, &until) == 0)
		;
	pthread_mutex_unlock(&p->lock);
}

/* One pass over the expired keys, batch by batch; how many went, or -1.
 * *longest_ms is the longest delete of a batch. */
static long purger_pass(struct idem_purger *p, struct store *store, double *longest_ms)
{
	time_t cutoff = time(NULL) - (time_t)p->keep_days * 86400;
	unsigned batch = PURGE_BATCH_FIRST;
	long total = 0;
	*longest_ms = 0;
	while (!purger_stopping(p)) {
		double took;
		long n = idempotency_purge_batch_timed(store, cutoff, batch, &took);
		if (took > *longest_ms)
			*longest_ms = took;
		if (n < 0)
			return -1;
		total += n;
		if (n < (long)batch)
			break;
		if (took > PURGE_BATCH_TARGET_MS && batch / 2 >= PURGE_BATCH_MIN)
			batch /= 2;
		else if (took < PURGE_BATCH_TARGET_MS / 2.0 && batch * 2 <= PURGE_BATCH_MAX)
			batch *= 2;
		purger_pause(p, took > PURGE_PAUSE_MIN_MS ? took : PURGE_PAUSE_MIN_MS);
	}
	return total;
}

static void *purger_main(void *arg)
{
	struct idem_purger *p = arg;
	char *err = NULL;
	struct store *store = store_open(p->db_path, &err);
	if (!store) {
		log_error("maintenance: cannot open the database to purge idempotency keys: %s", err);
		free(err);
		return NULL;
	}
	pthread_mutex_lock(&p->lock);
	while (!p->stopping) {
		p->kicked = false;
		pthread_mutex_unlock(&p->lock);
		double longest;
		long n = purger_pass(p, store, &longest);
		if (n > 0)
			log_info("maintenance: %ld idempotency keys older than %u days removed,"
				 " the longest delete of a batch %.1f ms", n, p->keep_days, longest);
		pthread_mutex_lock(&p->lock);
		while (!p->stopping && !p->kicked)
			pthread_cond_wait(&p->wake, &p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	store_free(store);
	return NULL;
}

struct idem_purger *idempotency_purger_start(const char *db_path, unsigned keep_days)
{
	struct idem_purger *p = xcalloc(1, sizeof *p);
	p->db_path = xstrdup(db_path);
	p->keep_days = keep_days;
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&p->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&p->thread, NULL, purger_main, p) != 0) {
		log_error("maintenance: cannot start the purge of idempotency keys");
		pthread_cond_destroy(&p->wake);
		pthread_mutex_destroy(&p->lock);
		free(p->db_path);
		free(p);
		return NULL;
	}
	return p;
}

void idempotency_purger_kick(struct idem_purger *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->kicked = true;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
}

void idempotency_purger_stop(struct idem_purger *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	free(p->db_path);
	free(p);
}
