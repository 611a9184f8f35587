/* The Idempotency-Key machinery every mutating endpoint uses (DESIGN.md
 * section 2): the first answer to a key is stored in the same transaction as
 * the change it reports, and a repeat of the request gets that answer again
 * instead of a second change. */
#ifndef BALIED_IDEMPOTENCY_H
#define BALIED_IDEMPOTENCY_H

#include "service/store/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* The set of keys being processed right now, shared by all threads. */
struct idempotency;

struct idempotency *idempotency_new(void);
void idempotency_free(struct idempotency *idem);

struct idem_request {
	const char *key;    /* the Idempotency-Key header, already checked as a UUID */
	const char *method;
	const char *path;
	const char *body;   /* the raw request body; may be NULL when body_len is 0 */
	size_t body_len;
	long long staff_id; /* who asked, kept with the answer; 0 for nobody */
};

struct idem_response {
	unsigned status;
	char *body;     /* allocated JSON text ("" for no body) */
	bool replayed;  /* true when it came from the store */
};

/*
 * Does the change and writes the answer into out. Called inside a
 * transaction the machinery has begun; must not begin or end one itself. A
 * 4xx answer has its changes rolled back (and is stored); a 5xx answer has
 * everything rolled back and is not stored, so the request may be tried again.
 */
typedef void (*idem_handler_fn)(void *ctx, struct store *store, struct idem_response *out);

enum idem_outcome {
	IDEM_NEW,         /* idempotency_check only: the key has not been answered */
	IDEM_DONE,        /* the handler ran; out holds its answer */
	IDEM_REPLAYED,    /* the same request came before; out holds the first answer */
	IDEM_KEY_REUSED,  /* the key came before with another request */
	IDEM_IN_PROGRESS, /* the key is being processed by another request now */
	IDEM_FAILED,      /* the store failed (logged); nothing was changed */
};

/* Runs req through handler at most once per key. out->body is set (and must be
 * freed) only for IDEM_DONE and IDEM_REPLAYED. */
enum idem_outcome idempotency_run(struct idempotency *idem, struct store *store,
				  const struct idem_request *req, idem_handler_fn handler,
				  void *ctx, struct idem_response *out);

/*
 * Looks without changing anything: IDEM_NEW, IDEM_REPLAYED (out set as for
 * idempotency_run), IDEM_KEY_REUSED, IDEM_IN_PROGRESS or IDEM_FAILED. Lets a
 * caller answer a repeat before slow preparations; idempotency_run checks
 * again inside its transaction.
 */
enum idem_outcome idempotency_check(struct idempotency *idem, struct store *store,
				    const struct idem_request *req, struct idem_response *out);

/* How many answers are stored under their keys, for GET /metrics; -1
 * (logged) when the store fails. */
long long idempotency_count(struct store *store);

/* Removes at most max_rows of the keys stored before the instant cutoff, in
 * one short transaction of its own; returns how many, or -1. */
long idempotency_purge_batch(struct store *store, time_t cutoff, unsigned max_rows);
/* The same, and *locked_ms is how long its delete took under the write lock. */
long idempotency_purge_batch_timed(struct store *store, time_t cutoff, unsigned max_rows,
				   double *locked_ms);

/*
 * The purge of keys older than keep_days, in a thread of its own with its
 * own connection to db_path, so that the service listens and answers while
 * it runs: small batches, each holding the write lock for a few
 * milliseconds, with pauses between them for the desks' writes. It runs
 * once at start and again at each idempotency_purger_kick. NULL (logged)
 * when the thread cannot start.
 */
struct idem_purger;
struct idem_purger *idempotency_purger_start(const char *db_path, unsigned keep_days);
/* Starts another pass when the one before has ended; NULL is ignored. */
void idempotency_purger_kick(struct idem_purger *p);
/* Ends the pass at its next batch, waits for the thread and frees p. */
void idempotency_purger_stop(struct idem_purger *p);

#endif
