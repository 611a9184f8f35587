#include "idempotency.h"

#include "log.h"
#include "xalloc.h"

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
	sqlite3_stmt *st = store_stmt(store,
		"SELECT request_hash, status, body FROM idempotency_keys WHERE key = ?");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	enum lookup found = LOOKUP_NONE;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const void *stored = sqlite3_column_blob(st, 0);
		int len = sqlite3_column_bytes(st, 0);
		if (len == IDEM_HASH_BYTES && sodium_memcmp(stored, hash, IDEM_HASH_BYTES) == 0) {
			found = LOOKUP_SAME;
			out->status = (unsigned)sqlite3_column_int(st, 1);
			out->body = xstrdup((const char *)sqlite3_column_text(st, 2));
			out->replayed = true;
		} else {
			found = LOOKUP_OTHER;
		}
	} else if (rc != SQLITE_DONE) {
		log_error("database: reading an idempotency key: %s", sqlite3_errmsg(store_db(store)));
		found = LOOKUP_ERROR;
	}
	store_done(st);
	return found;
}

static bool remember(struct store *store, const struct idem_request *req,
		     const unsigned char hash[IDEM_HASH_BYTES], const struct idem_response *resp)
{
	sqlite3_stmt *st = store_stmt(store,
		"INSERT INTO idempotency_keys (key, request_hash, staff_id, status, body, created_at)"
		" VALUES (?, ?, ?, ?, ?, ?)");
	sqlite3_bind_text(st, 1, req->key, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, hash, IDEM_HASH_BYTES, SQLITE_STATIC);
	if (req->staff_id)
		sqlite3_bind_int64(st, 3, req->staff_id);
	sqlite3_bind_int(st, 4, (int)resp->status);
	sqlite3_bind_text(st, 5, resp->body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)time(NULL));
	bool ok = sqlite3_step(st) == SQLITE_DONE;
	if (!ok)
		log_error("database: storing an idempotency key: %s", sqlite3_errmsg(store_db(store)));
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

long idempotency_purge(struct store *store, time_t cutoff)
{
	sqlite3_stmt *st = store_stmt(store, "DELETE FROM idempotency_keys WHERE created_at < ?");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)cutoff);
	long n = -1;
	if (sqlite3_step(st) == SQLITE_DONE)
		n = (long)sqlite3_changes(store_db(store));
	else
		log_error("database: purging idempotency keys: %s", sqlite3_errmsg(store_db(store)));
	store_done(st);
	return n;
}
