/* The loan statistics of a period (balied(8), GET /stats/loans) as the desk
 * charts them: the totals, loans per item type and loans per day, as a
 * typed call through the desk's scan queue (client/scanq.h). The entries
 * are ido_entries (client/idolog.h) so that the bar chart draws them. */
#ifndef BALIE_LOAN_STATS_H
#define BALIE_LOAN_STATS_H

#include "client/call.h"
#include "client/idolog.h"
#include "client/scanq.h"

#include <cjson/cJSON.h>

struct loan_stats {
	long long checkout, renewal, checkin, in_house;
	struct ido_entries loans_by_type; /* label: the type in the desk's words; most first */
	struct ido_entries loans_by_day;  /* label: dd-mm; by day */
};

/* NULL with *err (allocated, English) when "total" is missing. */
struct loan_stats *loan_stats_decode(const cJSON *body, char **err);
void loan_stats_free(struct loan_stats *s);

typedef void (*loan_stats_fn)(void *ctx, unsigned tag, struct loan_stats *s,
			      const struct call_failure *f);
/* The statistics of from through to (YYYY-MM-DD) of this desk's branch. */
void loan_stats_start(struct scanq *q, const char *from, const char *to, loan_stats_fn done,
		      void *ctx, unsigned tag);

/* The desk's words for an item type code, translated; the code when new. */
const char *loan_stats_type_text(const char *code);

#endif
