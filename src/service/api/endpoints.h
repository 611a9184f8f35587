/* The handlers of the API's endpoints, one group per file (ep_*.c); the
 * routing table in routes.c says who may call them and how. */
#ifndef BALIED_ENDPOINTS_H
#define BALIED_ENDPOINTS_H

#include "service/api/call.h"
#include "service/api/reply.h"

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
