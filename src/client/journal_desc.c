#include "client/journal_desc.h"

#include "client/circ.h"
#include "core/errcode.h"
#include "core/i18n.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

/* True when the refusal err names field in its details. */
/* True when the refusal err's details give want as key ("field", "reason"). */
static bool detail_is(const cJSON *err, const char *key, const char *want)
{
	const char *given = jsonx_string(cJSON_GetObjectItemCaseSensitive(err, "details"), key);
	return given && strcmp(given, want) == 0;
}

/* "The patron is blocked: the card has expired, fines over the limit." */
static char *blocked_dup(const cJSON *err)
{
	char *out = xstrdup(errcode_text(ERR_PATRON_BLOCKED));
	size_t len = strlen(out);
	if (len && out[len - 1] == '.')
		out[len - 1] = '\0';
	const cJSON *details = cJSON_GetObjectItemCaseSensitive(err, "details");
	const cJSON *b;
	bool first = true;
	cJSON_ArrayForEach(b, jsonx_array(details, "blocks")) {
		if (!cJSON_IsString(b))
			continue;
		char *more = xasprintf(first ? "%s: %s" : "%s, %s", out,
				       circ_block_text(b->valuestring));
		free(out);
		out = more;
		first = false;
	}
	char *done = xasprintf("%s.", out);
	free(out);
	return done;
}

/* The refusal in words, allocated. */
static char *reason_dup(const struct journal_entry *e, const cJSON *err, const char *code)
{
	if (!code)
		return xasprintf(_("refused (status %ld)"), e->status);
	if (strcmp(code, "patron_blocked") == 0)
		return blocked_dup(err);
	if (strcmp(code, "invalid_field") == 0 && detail_is(err, "field", "occurred_at") &&
	    detail_is(err, "reason", "outside_session"))
		/* Work no session covers is work without a log-in. */
		return xstrdup(_("Saved outside a session of this staff member at this desk: the "
				 "service does not accept work without a log-in."));
	if (strcmp(code, "invalid_field") == 0 && detail_is(err, "field", "occurred_at"))
		/* Its time is the desk's own clock: the desk must hear that. */
		return xstrdup(_("The desk's clock was wrong when this was saved: the service does"
				 " not accept its time (too old, in the future or no real date)."));
	return xstrdup(errcode_text(errcode_from_name(code)));
}

/* The blocks an override must name (see struct journal_desc). */
static void blocks_of(struct journal_desc *d, const cJSON *err)
{
	const cJSON *ov = err ? cJSON_GetObjectItemCaseSensitive(err, "overridable") : NULL;
	if (!d->code || !cJSON_IsTrue(ov) || d->kind != JOURNAL_KIND_CHECKOUT)
		return;
	if (strcmp(d->code, "patron_blocked") == 0) {
		d->blocks = circ_refusal_blocks_dup(cJSON_GetObjectItemCaseSensitive(err, "details"),
						    &d->n_blocks);
		return;
	}
	d->blocks = xcalloc(2, sizeof *d->blocks);
	d->blocks[0] = xstrdup(d->code);
	d->n_blocks = 1;
}

static char *what_dup(const struct journal_entry *e, const char *item, const char *card)
{
	switch (e->kind) {
	case JOURNAL_KIND_CHECKOUT:
		return xasprintf(_("Check out %s to card %s"), item ? item : "?", card ? card : "?");
	case JOURNAL_KIND_CHECKIN:
		return xasprintf(_("Check in %s"), item ? item : "?");
	case JOURNAL_KIND_IDO_QUESTION:
		return xstrdup(_("IDO question"));
	case JOURNAL_KIND_RENEWAL:
	case JOURNAL_KIND_OTHER:
		break;
	}
	return xasprintf("%s %s", e->method, e->path);
}

struct journal_desc *journal_desc_new(const struct journal_entry *e)
{
	struct journal_desc *d = xcalloc(1, sizeof *d);
	d->kind = e->kind;
	cJSON *body = cJSON_Parse(e->body);
	const char *item = jsonx_string(body, "item_barcode");
	const char *card = jsonx_string(body, "patron_card");
	d->item = item ? xstrdup(item) : NULL;
	d->card = card ? xstrdup(card) : NULL;
	d->what = what_dup(e, item, card);
	cJSON_Delete(body);
	if (e->state != JOURNAL_REFUSED)
		return d;
	cJSON *answer = e->answer ? cJSON_Parse(e->answer) : NULL;
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(answer, "error");
	err = cJSON_IsObject(err) ? err : NULL;
	const char *code = err ? jsonx_string(err, "code") : NULL;
	d->code = code ? xstrdup(code) : NULL;
	d->reason = reason_dup(e, err, code);
	blocks_of(d, err);
	cJSON_Delete(answer);
	return d;
}

bool journal_desc_overridable(const struct journal_desc *d)
{
	return d->n_blocks > 0;
}

void journal_desc_free(struct journal_desc *d)
{
	if (!d)
		return;
	free(d->item);
	free(d->card);
	free(d->what);
	free(d->code);
	free(d->reason);
	for (size_t i = 0; i < d->n_blocks; i++)
		free(d->blocks[i]);
	free(d->blocks);
	free(d);
}
