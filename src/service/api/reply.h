/* The answer of one API call: a status and a JSON body, and the error bodies
 * of DESIGN.md section 2 built from core's error codes. */
#ifndef BALIED_REPLY_H
#define BALIED_REPLY_H

#include "core/errcode.h"

#include <cjson/cJSON.h>
#include <stdbool.h>

struct reply {
	unsigned status;
	char *body;            /* allocated JSON text; NULL or "" for no body */
	unsigned retry_after;  /* seconds for a Retry-After header; 0 for none */
	char allow[40];        /* methods for the Allow header of a 405, or "" */
	bool replayed;         /* answered from the Idempotency-Key store */
	const char *content_type; /* of the body when it is not JSON (a CSV export), or NULL */
};

/* Sets status and the compact text of obj, and deletes obj. */
void reply_json(struct reply *r, unsigned status, cJSON *obj);
/* Sets a status with no body (e.g. 204). */
void reply_empty(struct reply *r, unsigned status);
/*
 * Sets the error body {"error":{"code","message","details","overridable"}}
 * with the status of code. message is English, for logs, and must hold no
 * internal detail; details (may be NULL) is taken over.
 */
void reply_error(struct reply *r, enum errcode code, const char *message, cJSON *details);
/* The same with another status than the code's own (405, 413). */
void reply_error_status(struct reply *r, unsigned status, enum errcode code,
			const char *message, cJSON *details);
/* invalid_field with details {"field","reason"}. */
void reply_invalid_field(struct reply *r, const char *field, const char *reason);
/* 503 unavailable, for a failing store: the message and details.store name
 * the fault this thread met (store_thread_fault_take): busy (with a
 * Retry-After), full, read-only, or unreachable. */
void reply_unavailable(struct reply *r);
/* Frees the body and resets r. */
void reply_clear(struct reply *r);

#endif
