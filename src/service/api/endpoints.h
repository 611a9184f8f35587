/* The handlers of the API's endpoints, one group per file (ep_*.c); the
 * routing table in routes.c says who may call them and how. */
#ifndef BALIED_ENDPOINTS_H
#define BALIED_ENDPOINTS_H

#include "service/api/call.h"
#include "service/api/reply.h"
#include "core/date.h"
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
/* A card or barcode: 1 to 32 printable ASCII characters. */
bool ep_code_ok(const char *s);
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

/* ep_items.c */
void ep_item_show(struct call *call, struct reply *out);
void ep_in_house_create(struct call *call, struct reply *out);
void ep_item_note_set(struct call *call, struct reply *out);
/* The item's alert (its note with the alert flag), as "alert" of obj. */
void ep_alert_add(struct call *call, long long item_id, cJSON *obj);
/* 404 item_not_found for code; details {"patron_card":true} when code is a
 * patron's card (item_code_is_card). */
void ep_reply_item_not_found(struct call *call, const char *code, struct reply *out);
/* Strict bodies: false after answering invalid_field (the field's name,
 * "unknown") when the body has a member not in names (NULL-terminated). */
bool ep_fields_known(struct call *call, const char *const *names, struct reply *out);

/* ep_item_status.c */
void ep_item_status_create(struct call *call, struct reply *out);
/* "claims_returned" and "claims_over_limit" of a patron, added to obj;
 * false when the store fails. */
bool ep_claims_add(struct call *call, long long patron_id, cJSON *obj);

/* ep_bookdrop.c */
struct offline_when;
/* A check-in's "effective_on" (a backdated check-in) and "amnesty". */
struct checkin_options {
	const char *effective_on; /* in call->json, or NULL */
	bool amnesty;
	time_t at;                /* when the check-in counts: the end of effective_on, or
				   * the call's moment */
};
/* The prepare step of POST /checkins: the replay's permission, and those of
 * effective_on (backdate) and amnesty (amnesty). */
bool ep_checkins_prepare(struct call *call, struct reply *out);
/* Reads the options of a check-in made at when; false after answering. */
bool ep_checkin_options_read(struct call *call, const struct offline_when *when,
			     struct checkin_options *o, struct reply *out);
/* The audit rows of the options used ("backdate", "amnesty"). */
bool ep_checkin_options_audit(struct call *call, const struct checkin_options *o,
			      const struct circ_checkin_res *res);

/* ep_loans.c */
void ep_loan_patch(struct call *call, struct reply *out);
/* The body's "due_on" as of the day of at into *due_on (in call->json; NULL
 * without one), with the permission due_date; false after answering. */
bool ep_due_on_read(struct call *call, time_t at, const char **due_on, struct reply *out);
/* The audit row of a due date set by hand (action "due_date"); was and
 * reason may be NULL. */
bool ep_audit_due_date(struct call *call, const char *barcode, const char *card,
		       const char *due_on, const char *was, const char *reason);

/* ep_stats.c */
void ep_loan_stats(struct call *call, struct reply *out);
void ep_loan_stats_export(struct call *call, struct reply *out);

/* ep_renew_all.c */
void ep_renew_all_create(struct call *call, struct reply *out);

/* ep_holds.c */
bool ep_holds_prepare(struct call *call, struct reply *out);
void ep_holds_create(struct call *call, struct reply *out);
void ep_holds_delete(struct call *call, struct reply *out);
void ep_titles_search(struct call *call, struct reply *out);
struct holds_hold;
/* A hold as the answers show it (new). */
cJSON *ep_hold_json(const struct holds_hold *h);

/* ep_ido.c */
/* The period and branch of a statistics call: from and to (YYYY-MM-DD,
 * default the first of this month to today), and the branch: one's own
 * unless one is beheer, who sees all (NULL) or the one asked for. False
 * after answering. */
bool ep_period_read(struct call *call, struct reply *out, char from[DATE_STR_LEN],
		    char to[DATE_STR_LEN], const char **branch);
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
