/* Renew all (balied(8), POST /renewals/all): every loan of a patron renewed
 * at once, as a typed call through the desk's scan queue (client/scanq.h).
 * The answer says per loan what happened. Every string is owned and was
 * sanitised when the reply arrived (api.c). A renewal needs the service:
 * offline the failure is API_UNREACHABLE. */
#ifndef BALIE_RENEW_ALL_H
#define BALIE_RENEW_ALL_H

#include "client/call.h"
#include "client/circ.h"
#include "client/scanq.h"
#include "core/errcode.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

struct renew_all_loan {
	struct circ_loan loan;  /* barcode, title, due_on (the new one, or the one kept),
				 * unchanged and fine_cents when renewed */
	bool renewed;
	enum errcode error;     /* not renewed: why (ERR_UNKNOWN for a code new to us) */
};

struct renew_all {
	struct renew_all_loan *loans;
	size_t n;
	size_t renewed, not_renewed;
};

/* The answer of POST /renewals/all; NULL with *err (allocated, English)
 * when "loans" is missing or an entry has no barcode. */
struct renew_all *renew_all_decode(const cJSON *body, char **err);
void renew_all_free(struct renew_all *r);

/* The callback gets the answer to keep (free it with renew_all_free) or
 * NULL and the failure, valid during the call. */
typedef void (*renew_all_fn)(void *ctx, unsigned tag, struct renew_all *r,
			     const struct call_failure *f);

/* Renews every loan of patron card. */
void renew_all_start(struct scanq *q, const char *card, renew_all_fn done, void *ctx,
		     unsigned tag);

#endif
