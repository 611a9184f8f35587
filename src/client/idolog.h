/* The IDO calls (GET /ido/catalog, POST /ido/questions, GET /ido/stats,
 * GET /ido/export.csv) as plain structs and typed calls, in the manner of
 * session.h: every string owned and sanitised when the reply arrived; a
 * decoder refuses a body with a missing or mistyped field (NULL and *err,
 * English, allocated). */
#ifndef BALIE_IDOLOG_H
#define BALIE_IDOLOG_H

#include "client/call.h"
#include "client/outbox.h"
#include "core/ido_question.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* The pick lists, in the order of the form. */
enum ido_list_id {
	IDO_L_CLASS,
	IDO_L_TOPIC,
	IDO_L_ORGANISATION,
	IDO_L_HELP_KIND,
	IDO_L_OUTCOME,
	IDO_L_REFERRAL_PARTNER,
	IDO_L_CHANNEL,
	IDO_L_COUNT
};

struct ido_entry {
	char *code;
	char *label;
	long count; /* statistics only */
};

struct ido_entries {
	struct ido_entry *items;
	size_t n;
};

struct ido_catalog {
	struct ido_entries lists[IDO_L_COUNT];
};

struct ido_catalog *ido_catalog_decode(const cJSON *body, char **err);
void ido_catalog_free(struct ido_catalog *c);
/* The label of code in list l, or the code itself when it is not there. */
const char *ido_catalog_label(const struct ido_catalog *c, enum ido_list_id l, const char *code);

/* Returns a new body for POST /ido/questions; free with cJSON_Delete. */
cJSON *ido_question_body_new(const struct ido_question *q);
/* The Idempotency-Key for q (call_retry_key of its body): the last try's
 * when q is the same, so that a question sent again is stored once. */
const char *ido_question_key(struct call_retry *r, const struct ido_question *q);

struct ido_month {
	char month[8]; /* YYYY-MM */
	long count, minutes;
};

struct ido_stats {
	long total, minutes;
	struct ido_entries by[IDO_L_COUNT]; /* code, label, count; most first */
	struct ido_entries by_branch;
	struct ido_month *months;
	size_t n_months;
};

struct ido_stats *ido_stats_decode(const cJSON *body, char **err);
void ido_stats_free(struct ido_stats *s);

/* The typed calls (call.h). The callback owns what it gets (free it with
 * its _free), or gets NULL and f. Each returns the call's id (never 0) for
 * call_cancel. */
typedef void (*ido_catalog_fn)(void *ctx, struct ido_catalog *c, const struct call_failure *f);
unsigned ido_catalog_start(struct api *api, ido_catalog_fn done, void *ctx);

/* The statistics of the period from .. to (YYYY-MM-DD, both included) of
 * what the staff member may see. */
typedef void (*ido_stats_fn)(void *ctx, struct ido_stats *s, const struct call_failure *f);
unsigned ido_stats_start(struct api *api, const char *from, const char *to, ido_stats_fn done,
			 void *ctx);

/* The CSV export of the same period: len bytes as sent (text is the
 * api's, valid while the callback runs; for a file, never the screen), or
 * NULL and f. */
typedef void (*ido_export_fn)(void *ctx, const char *text, size_t len,
			      const struct call_failure *f);
unsigned ido_export_start(struct api *api, const char *from, const char *to, ido_export_fn done,
			  void *ctx);

/* Writes len bytes of an export to path, created 0600; an existing file is
 * truncated only with replace (else it is an error and stays as it was).
 * False with *err (allocated, translated) when it cannot. */
bool ido_export_write(const char *path, const char *text, size_t len, bool replace, char **err);

/* The save of a question (POST /ido/questions), a journaled mutating call
 * like a check-out: stored is false when it is safe in the journal only,
 * to be sent when the service is back (the desk says so). */
struct ido_saved {
	bool stored;
};
/* Why a question was not saved: the call's failure, and for
 * personal_data_in_note the kinds of personal data the service found in
 * the note (PDGUARD_BIT bits of core/pdguard.h; 0 when it named none). */
struct ido_save_failure {
	struct call_failure call;
	unsigned note_kinds;
};
/* s on success, else NULL and f; both valid during the call only. */
typedef void (*ido_question_fn)(void *ctx, const struct ido_saved *s,
				const struct ido_save_failure *f);
/*
 * Saves question q. With the journal (o not NULL) it goes through the
 * outbox, which gives it its own key and keeps it while the desk is
 * offline; without, it is sent with key (ido_question_key). done comes from
 * the event loop's dispatch, never inside this call. Returns the call's id
 * (never 0) for ido_question_cancel.
 */
unsigned ido_question_start(struct api *api, struct outbox *o, const struct ido_question *q,
			    const char *key, ido_question_fn done, void *ctx);
/* Forgets a save: done is not called; a journaled question stays in the
 * journal, for the replay. 0 is no call. */
void ido_question_cancel(struct api *api, struct outbox *o, unsigned id);

#endif
