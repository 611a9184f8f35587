/* The handlers of the API's endpoints, one group per file (ep_*.c); the
 * routing table in routes.c says who may call them and how. */
#ifndef BALIED_ENDPOINTS_H
#define BALIED_ENDPOINTS_H

#include "service/api/call.h"
#include "service/api/reply.h"
#include "service/domain/circulation.h"

#include <stdbool.h>

/* ep_public.c */
void ep_health(struct call *call, struct reply *out);
void ep_branches(struct call *call, struct reply *out);

/* ep_session.c */
void ep_session_create(struct call *call, struct reply *out);
void ep_session_show(struct call *call, struct reply *out);
void ep_session_delete(struct call *call, struct reply *out);

/* ep_staff.c */
bool ep_staff_prepare(struct call *call, struct reply *out);
void ep_staff_create(struct call *call, struct reply *out);

/* ep_patrons.c */
void ep_patron_show(struct call *call, struct reply *out);
void ep_patron_search(struct call *call, struct reply *out);

/* ep_circulation.c */
bool ep_checkouts_prepare(struct call *call, struct reply *out);
bool ep_renewals_prepare(struct call *call, struct reply *out);
void ep_checkouts_create(struct call *call, struct reply *out);
void ep_checkins_create(struct call *call, struct reply *out);
void ep_renewals_create(struct call *call, struct reply *out);
/* The card or barcode field of the body (1 to 32 printable ASCII
 * characters), or NULL after answering invalid_field. */
const char *ep_read_code(struct call *call, const char *field, struct reply *out);
/* The "route" object of a check-in's answer (new). */
cJSON *ep_route_json(const struct circ_checkin_res *res);
/* What a hold shares with a check-out: the body's "override" ({"blocks",
 * "reason"}) into *mask and *reason (in call->json), true without one;
 * false after answering. */
bool ep_override_read(struct call *call, bool may_override, unsigned *mask,
		      const char **reason, struct reply *out);
/* 409 patron_blocked with the blocks (and the reason of a block by hand). */
void ep_reply_blocked(struct reply *out, unsigned blocks, const char *manual_block,
		      bool overridable);
/* The audit row of an override (action "override", subject the card). */
bool ep_audit_override(struct call *call, const char *reason, unsigned overridden,
		       const char *card, const char *barcode);

/* ep_holds.c */
bool ep_holds_prepare(struct call *call, struct reply *out);
void ep_holds_create(struct call *call, struct reply *out);
void ep_holds_delete(struct call *call, struct reply *out);
void ep_titles_search(struct call *call, struct reply *out);
struct holds_hold;
/* A hold as the answers show it (new). */
cJSON *ep_hold_json(const struct holds_hold *h);

/* ep_holdshelf.c */
void ep_holdshelf_show(struct call *call, struct reply *out);
void ep_holdshelf_clear(struct call *call, struct reply *out);
/* ep_account.c */
void ep_account_show(struct call *call, struct reply *out);
bool ep_payments_prepare(struct call *call, struct reply *out);
void ep_payments_create(struct call *call, struct reply *out);
bool ep_waivers_prepare(struct call *call, struct reply *out);
void ep_waivers_create(struct call *call, struct reply *out);

/* ep_cashup.c */
void ep_cashup_show(struct call *call, struct reply *out);
void ep_cashup_export(struct call *call, struct reply *out);

/* ep_ido.c */
void ep_ido_catalog(struct call *call, struct reply *out);
bool ep_ido_question_prepare(struct call *call, struct reply *out);
void ep_ido_question_create(struct call *call, struct reply *out);
void ep_ido_stats(struct call *call, struct reply *out);
void ep_ido_export(struct call *call, struct reply *out);

/* ep_memberships.c */
bool ep_memberships_prepare(struct call *call, struct reply *out);
void ep_memberships_create(struct call *call, struct reply *out);
void ep_memberships_rules(struct call *call, struct reply *out);

#endif
