/* The handlers of the API's endpoints, one group per file (ep_*.c); the
 * routing table in routes.c says who may call them and how. */
#ifndef BALIED_ENDPOINTS_H
#define BALIED_ENDPOINTS_H

#include "service/api/call.h"
#include "service/api/reply.h"
#include "core/pdguard.h"
#include "core/date.h"
#include "service/domain/circulation.h"

#include <stdbool.h>

/* ep_public.c */
void ep_health(struct call *call, struct reply *out);
void ep_branches(struct call *call, struct reply *out);

/* ep_metrics.c: GET /metrics, outside /api/v1, with a token of its own
 * (balied(8), RUNNING BALIED, Metrics). */
void ep_metrics(struct call *call, struct reply *out);
/* Counts one answered request: route is the route's pattern, never the
 * path (a path may hold a card number), or "-". */
void ep_metrics_request(const char *method, const char *route, unsigned status, double seconds);
/* Reads the token of metrics_token_file (newly allocated); false and *err
 * (allocated, translated) when the file cannot be read, others may read it,
 * or it is not one line of 16 to 512 printable characters. */
bool ep_metrics_token_read(const char *path, char **token, char **err);

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

/* ep_patron_edit.c */
bool ep_patron_edit_prepare(struct call *call, struct reply *out);
void ep_patron_edit(struct call *call, struct reply *out);
void ep_patron_note(struct call *call, struct reply *out);
void ep_patron_message(struct call *call, struct reply *out);
void ep_patron_block(struct call *call, struct reply *out);
void ep_patron_unblock(struct call *call, struct reply *out);
void ep_patron_reading_history(struct call *call, struct reply *out);
void ep_patron_history(struct call *call, struct reply *out);
void ep_patron_erase(struct call *call, struct reply *out);

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
/* ep_note.c */
/* The body's optional text member field: at most max characters, no
 * control characters, and none of the kinds of personal data in refused
 * (a set of PDGUARD_BIT, core/pdguard.h) that the guard finds
 * (personal_data_in_note, details {"field","kind","kinds"}). *note is NULL
 * for an absent, null or empty member, else the text (in call->json). False
 * after answering. */
bool ep_note_read(struct call *call, const char *field, size_t max, unsigned refused,
		  const char **note, struct reply *out);
/* What the guard refuses in an IDO note: every kind it knows. */
#define EP_NOTE_IDO_REFUSED ((1u << PDGUARD_KIND_COUNT) - 2u)
/* In a patron's staff note or message: what identifies someone else or
 * belongs in the patron's own record; a postcode or a date is the desk's to
 * write ("moved to 1234 AB", "paid on 01-03-2031"). */
#define EP_NOTE_PATRON_REFUSED (PDGUARD_BIT(PDGUARD_BSN) | PDGUARD_BIT(PDGUARD_EMAIL) | \
				PDGUARD_BIT(PDGUARD_PHONE) | PDGUARD_BIT(PDGUARD_IBAN))

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
/* 409 duplicate_member, details {"blocks":["duplicate_member"],"cards"}:
 * an enrolment or an edit that matches other members (cards, NULL-ended). */
void ep_reply_duplicate(struct reply *out, char *const *cards, bool overridable);
bool ep_membership_renewal_prepare(struct call *call, struct reply *out);
void ep_membership_renewal_create(struct call *call, struct reply *out);

/* ep_cards.c */
bool ep_card_replacement_prepare(struct call *call, struct reply *out);
void ep_card_replacement_create(struct call *call, struct reply *out);
/* For a card no patron has: card_replaced (details: the last digits of the
 * card that replaced it, and why) when it is a replaced card, else
 * patron_not_found. */
void ep_reply_patron_not_found(struct call *call, struct reply *out, const char *card);
/* Answers invalid_field ("unknown") for the first member of body that is not
 * in allowed (NULL-terminated); true when there is none. */
bool ep_only_members(const cJSON *body, const char *const *allowed, struct reply *out);
/* A call on /.../{card}/...: the card of the path (invalid_field "card",
 * "check_digit") and the body's members; false after answering. */
bool ep_card_call_read(struct call *call, const char *const *allowed, struct reply *out);

#endif
