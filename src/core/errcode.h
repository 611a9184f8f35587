/* The error codes of the protocol (DESIGN.md section 2): the code is the
 * contract between service and desk; the desk shows its own words for it. */
#ifndef BALIE_ERRCODE_H
#define BALIE_ERRCODE_H

/* X(enum name, wire code, HTTP status, the desk's words in English) */
#define BALIE_ERRCODES(X) \
	X(BAD_REQUEST, "bad_request", 400, N_("The service did not understand the request.")) \
	X(UNAUTHORIZED, "unauthorized", 401, N_("Wrong user name or password, or the session has ended.")) \
	X(FORBIDDEN, "forbidden", 403, N_("Your account may not do this.")) \
	X(NOT_FOUND, "not_found", 404, N_("Not found.")) \
	X(PATRON_NOT_FOUND, "patron_not_found", 404, N_("No patron with this card number.")) \
	X(ITEM_NOT_FOUND, "item_not_found", 404, N_("No item with this barcode.")) \
	X(TITLE_NOT_FOUND, "title_not_found", 404, N_("No such title.")) \
	X(DUPLICATE_HOLD, "duplicate_hold", 409, N_("This patron already has a hold on this title.")) \
	X(HOLD_LIMIT, "hold_limit", 409, N_("This patron has as many holds as allowed.")) \
	X(PATRON_BLOCKED, "patron_blocked", 409, N_("The patron is blocked.")) \
	X(ITEM_NOT_LOANABLE, "item_not_loanable", 409, N_("This item cannot be lent.")) \
	X(ITEM_ON_HOLD_FOR_OTHER, "item_on_hold_for_other", 409, N_("This item is on hold for another patron.")) \
	X(ITEM_ALREADY_ON_LOAN, "item_already_on_loan", 409, N_("This patron already has this item on loan.")) \
	X(RENEWAL_LIMIT, "renewal_limit", 409, N_("This loan cannot be renewed again.")) \
	X(RENEWAL_BLOCKED_BY_HOLD, "renewal_blocked_by_hold", 409, N_("Another patron is waiting for this item; it cannot be renewed.")) \
	X(NOT_ON_LOAN, "not_on_loan", 409, N_("This item is not on loan.")) \
	X(NOT_ELIGIBLE_AGE, "not_eligible_age", 422, N_("Youth membership is for children under 18.")) \
	X(GUARDIAN_REQUIRED, "guardian_required", 422, N_("A parent or guardian must be recorded, with consent.")) \
	X(DUPLICATE_MEMBER, "duplicate_member", 409, N_("A member with this name, date of birth and postcode already exists.")) \
	X(PATRON_HAS_LOANS, "patron_has_loans", 409, N_("The patron still has items on loan: their data cannot be erased yet.")) \
	X(PATRON_HAS_BALANCE, "patron_has_balance", 409, N_("The patron still owes money: their data cannot be erased yet.")) \
	X(CARD_REPLACED, "card_replaced", 409, N_("This card was replaced by a new card and is blocked.")) \
	X(MEMBERSHIP_NOT_DUE, "membership_not_due", 409, N_("This membership cannot be renewed yet.")) \
	X(INVALID_FIELD, "invalid_field", 422, N_("A field is not filled in correctly.")) \
	X(PERSONAL_DATA_IN_NOTE, "personal_data_in_note", 422, N_("The note looks like it holds personal data.")) \
	X(IDEMPOTENCY_KEY_REUSED, "idempotency_key_reused", 422, N_("The request key was already used for another request.")) \
	X(REQUEST_IN_PROGRESS, "request_in_progress", 409, N_("The same request is still being processed.")) \
	X(RATE_LIMITED, "rate_limited", 429, N_("Too many attempts. Wait a moment and try again.")) \
	X(UNAVAILABLE, "unavailable", 503, N_("The service is not available."))

enum errcode {
#define ERRCODE_ENUM(name, code, status, text) ERR_##name,
	BALIE_ERRCODES(ERRCODE_ENUM)
#undef ERRCODE_ENUM
	ERR_UNKNOWN
};

/* The code for a wire name; ERR_UNKNOWN for a name this build does not know. */
enum errcode errcode_from_name(const char *name);
const char *errcode_name(enum errcode code);
unsigned errcode_http_status(enum errcode code);
/* The desk's words for a code, translated; a generic text for ERR_UNKNOWN. */
const char *errcode_text(enum errcode code);

#endif
