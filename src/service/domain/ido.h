/* The IDO question log in the store (DESIGN.md section 3): the pick lists
 * (ido_catalog), one row per logged question with its codes, the statistics
 * of a period and the CSV export for the municipality. Nothing here names a
 * citizen. Used by the API (ep_ido.c) and "balied ido-catalog" (idocmd.c). */
#ifndef BALIED_IDO_H
#define BALIED_IDO_H

#include "core/ido_question.h"
#include "service/store/store.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* The lists of the catalogue: the name in the table and the member of
 * GET /ido/catalog ("topic" and "topics"). */
enum ido_list {
	IDO_CLASS,
	IDO_TOPIC,
	IDO_ORGANISATION,
	IDO_HELP_KIND,
	IDO_OUTCOME,
	IDO_REFERRAL_PARTNER,
	IDO_CHANNEL,
	IDO_LIST_COUNT
};

const char *ido_list_name(enum ido_list l);
const char *ido_list_member(enum ido_list l);
/* The list for a table name ("topic"); false when there is none. */
bool ido_list_from_name(const char *name, enum ido_list *out);

/* The state of a code in a list. */
enum ido_code_state { IDO_CODE_UNKNOWN, IDO_CODE_ACTIVE, IDO_CODE_RETIRED, IDO_CODE_FAILED };
enum ido_code_state ido_code_state(struct store *store, enum ido_list l, const char *code);

/* The GET /ido/catalog body: every list with its active entries in order;
 * with retired, the retired ones too, each with "active". NULL when the
 * store fails. */
cJSON *ido_catalog_json(struct store *store, bool retired);

/* Adds code with label at the end of list l, or, when it exists, gives it
 * this label and makes it active again. Sets *added. */
bool ido_catalog_put(struct store *store, enum ido_list l, const char *code, const char *label,
		     bool *added);
/* Retires code (or makes it active again); *found tells whether it exists. */
bool ido_catalog_set_active(struct store *store, enum ido_list l, const char *code, bool active,
			    bool *found);

/* Where and when a question was asked, which the service adds to what the
 * desk sent (core/ido_question.h). */
struct ido_asked {
	const char *branch;
	long long staff_id;
	time_t at;
	const char *day;         /* YYYY-MM-DD, the local date of at */
};

/* Stores a question (its note already checked by the guard) asked where
 * and when a says, in the caller's transaction; sets *id. */
bool ido_question_add(struct store *store, const struct ido_question *q,
		      const struct ido_asked *a, long long *id);

/* A period and, optionally, one branch (NULL: all). */
struct ido_period {
	const char *from, *to; /* YYYY-MM-DD, both included */
	const char *branch;
};

/* The GET /ido/stats body for the period; NULL when the store fails. */
cJSON *ido_stats_json(struct store *store, const struct ido_period *p);

/* The CSV export of the period (UTF-8 with a byte-order mark, ';' between
 * fields, CRLF lines, a header row): per month and branch, the number of
 * questions, the minutes, and the count of every code of every list.
 * Newly allocated; NULL when the store fails. */
char *ido_export_csv_dup(struct store *store, const struct ido_period *p);

#endif
