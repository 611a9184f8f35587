#include "client/membercard.h"

#include "core/i18n.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const reason_codes[] = { "lost", "stolen" };

struct membercard_renewal *membercard_renewal_decode(const cJSON *body, char **err)
{
	const cJSON *p = jsonx_object(body, "patron");
	const char *category = jsonx_string(p, "category");
	const char *expires = jsonx_string(p, "expires_on");
	const char *membership = jsonx_string(p, "membership");
	struct civil_date d;
	long long fee = 0;
	if (!p)
		*err = xstrdup("\"patron\" is missing or not an object");
	else if (!category)
		*err = xstrdup("\"category\" is missing or not a string");
	else if (!expires || !date_parse_iso(expires, &d))
		*err = xstrdup("\"expires_on\" is missing or not a date");
	else if (!jsonx_int(body, "fee_cents", &fee) || fee < 0)
		*err = xstrdup("\"fee_cents\" is missing or not an amount");
	else {
		struct membercard_renewal *r = xcalloc(1, sizeof *r);
		r->category = xstrdup(category);
		r->membership = membership && *membership ? xstrdup(membership) : NULL;
		r->expires_on = d;
		r->fee_cents = fee;
		return r;
	}
	return NULL;
}

void membercard_renewal_free(struct membercard_renewal *r)
{
	if (!r)
		return;
	free(r->category);
	free(r->membership);
	free(r);
}

struct membercard_replacement *membercard_replacement_decode(const cJSON *body, char **err)
{
	struct enrol_result *card = enrol_result_decode(body, err);
	if (!card)
		return NULL;
	const cJSON *p = jsonx_object(body, "patron");
	const char *given = jsonx_string(p, "given_name");
	const char *family = jsonx_string(p, "family_name");
	if (!given || !family) {
		*err = xstrdup("\"given_name\" or \"family_name\" is missing or not a string");
		enrol_result_free(card);
		return NULL;
	}
	struct membercard_replacement *r = xcalloc(1, sizeof *r);
	r->card = *card;
	free(card);
	/* The fee is the replacement's, not a year's: the slip names none. */
	free(r->card.membership);
	r->card.membership = NULL;
	r->given_name = xstrdup(given);
	r->family_name = xstrdup(family);
	return r;
}

void membercard_replacement_free(struct membercard_replacement *r)
{
	if (!r)
		return;
	free(r->card.card);
	free(r->card.category);
	free(r->card.membership);
	free(r->given_name);
	free(r->family_name);
	free(r);
}

bool membercard_due_from(const struct api_reply *reply, struct civil_date *due)
{
	const char *d = reply->outcome == API_REFUSED && reply->error == ERR_MEMBERSHIP_NOT_DUE &&
				reply->error_details
			? jsonx_string(reply->error_details, "due_from")
			: NULL;
	return d && date_parse_iso(d, due);
}

char *membercard_replaced_text_dup(const struct api_reply *reply)
{
	if (reply->outcome != API_REFUSED || reply->error != ERR_CARD_REPLACED)
		return NULL;
	const char *last = reply->error_details
				   ? jsonx_string(reply->error_details, "new_card_last4")
				   : NULL;
	const char *why = reply->error_details ? jsonx_string(reply->error_details, "reason") : NULL;
	if (!last)
		return xstrdup(errcode_text(ERR_CARD_REPLACED));
	if (why && strcmp(why, "stolen") == 0)
		return xasprintf(_("This card was reported stolen and is blocked: the patron's card "
				   "now ends in %s."), last);
	return xasprintf(_("This card was reported lost and is blocked: the patron's card now "
			   "ends in %s."), last);
}

static void on_renewal(struct api_reply *reply, call_fn done, void *ctx)
{
	char *err = NULL;
	struct membercard_renewal *r =
		reply->outcome == API_OK ? membercard_renewal_decode(reply->body, &err) : NULL;
	struct call_failure f;
	if (!r)
		call_failure_init(&f, reply, "POST /memberships/{card}/renewal", err);
	struct civil_date due;
	bool has_due = membercard_due_from(reply, &due);
	((membercard_renewal_fn)done)(ctx, r, r ? NULL : &f, has_due ? &due : NULL);
}

/* The key's body: the card (and reason) too, so that a try for another
 * patron never takes the key of one that got no answer. */
static const char *retry_key(struct call_retry *retry, const char *what, const char *card,
			     const cJSON *body)
{
	cJSON *keyed = cJSON_Duplicate(body, true);
	cJSON_AddStringToObject(keyed, "_call", what);
	cJSON_AddStringToObject(keyed, "_card", card);
	const char *key = call_retry_key(retry, keyed);
	cJSON_Delete(keyed);
	return key;
}

unsigned membercard_renew_start(struct api *api, const char *card, struct call_retry *retry,
				membercard_renewal_fn done, void *ctx)
{
	cJSON *body = cJSON_CreateObject();
	char *path = xasprintf("/memberships/%s/renewal", card);
	unsigned id = call_start(api, "POST", path, body, retry_key(retry, "renewal", card, body),
				 on_renewal, (call_fn)done, ctx);
	free(path);
	cJSON_Delete(body);
	return id;
}

static void on_replacement(struct api_reply *reply, call_fn done, void *ctx)
{
	char *err = NULL;
	struct membercard_replacement *r =
		reply->outcome == API_OK ? membercard_replacement_decode(reply->body, &err) : NULL;
	struct call_failure f;
	if (!r)
		call_failure_init(&f, reply, "POST /patrons/{card}/replacement", err);
	char *replaced = membercard_replaced_text_dup(reply);
	((membercard_replacement_fn)done)(ctx, r, r ? NULL : &f, replaced);
	free(replaced);
}

unsigned membercard_replace_start(struct api *api, const char *card,
				  enum membercard_reason reason, struct call_retry *retry,
				  membercard_replacement_fn done, void *ctx)
{
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "reason", reason_codes[reason]);
	char *path = xasprintf("/patrons/%s/replacement", card);
	unsigned id = call_start(api, "POST", path, body,
				 retry_key(retry, "replacement", card, body), on_replacement,
				 (call_fn)done, ctx);
	free(path);
	cJSON_Delete(body);
	return id;
}
