#include "client/idolog.h"

#include "core/i18n.h"
#include "core/pdguard.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const catalog_members[IDO_L_COUNT] = {
	"classes", "topics", "organisations", "help_kinds", "outcomes", "referral_partners",
	"channels",
};
static const char *const stats_members[IDO_L_COUNT] = {
	"by_class", "by_topic", "by_organisation", "by_help_kind", "by_outcome",
	"by_referral_partner", "by_channel",
};

static void entries_clear(struct ido_entries *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->items[i].code);
		free(e->items[i].label);
	}
	free(e->items);
	e->items = NULL;
	e->n = 0;
}

/* [{"code","label"(,"count")}]; with_count: the count is required. */
static bool entries_decode(const cJSON *arr, const char *key, bool with_count,
			   struct ido_entries *out, char **err)
{
	if (!cJSON_IsArray(arr)) {
		*err = xasprintf("\"%s\" is missing or not a list", key);
		return false;
	}
	out->items = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *out->items);
	const cJSON *item;
	cJSON_ArrayForEach(item, arr) {
		const char *code = jsonx_string(item, "code");
		const char *label = jsonx_string(item, "label");
		long long count = 0;
		if (!code || !label || (with_count && !jsonx_int(item, "count", &count))) {
			*err = xasprintf("an entry of \"%s\" lacks its code, label or count", key);
			return false;
		}
		struct ido_entry *e = &out->items[out->n++];
		e->code = xstrdup(code);
		e->label = xstrdup(label);
		e->count = (long)count;
	}
	return true;
}

struct ido_catalog *ido_catalog_decode(const cJSON *body, char **err)
{
	struct ido_catalog *c = xcalloc(1, sizeof *c);
	for (unsigned l = 0; l < IDO_L_COUNT; l++) {
		if (!entries_decode(jsonx_array(body, catalog_members[l]), catalog_members[l], false,
				    &c->lists[l], err)) {
			ido_catalog_free(c);
			return NULL;
		}
	}
	return c;
}

void ido_catalog_free(struct ido_catalog *c)
{
	if (!c)
		return;
	for (unsigned l = 0; l < IDO_L_COUNT; l++)
		entries_clear(&c->lists[l]);
	free(c);
}

const char *ido_catalog_label(const struct ido_catalog *c, enum ido_list_id l, const char *code)
{
	for (size_t i = 0; c && code && i < c->lists[l].n; i++)
		if (strcmp(c->lists[l].items[i].code, code) == 0)
			return c->lists[l].items[i].label;
	return code;
}

static cJSON *codes_json(const char *const *codes, size_t n)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(codes[i]));
	return arr;
}

cJSON *ido_question_body_new(const struct ido_question *q)
{
	cJSON *b = cJSON_CreateObject();
	if (!b)
		abort(); /* cJSON fails only when out of memory */
	cJSON_AddStringToObject(b, "visit_id", q->visit_id);
	cJSON_AddStringToObject(b, "class", q->class_code ? q->class_code : "");
	cJSON_AddItemToObject(b, "topics", codes_json(q->topics, q->n_topics));
	cJSON_AddItemToObject(b, "organisations", codes_json(q->organisations, q->n_organisations));
	cJSON_AddItemToObject(b, "help", codes_json(q->help, q->n_help));
	cJSON_AddStringToObject(b, "outcome", q->outcome ? q->outcome : "");
	if (q->referred_to)
		cJSON_AddStringToObject(b, "referred_to", q->referred_to);
	cJSON_AddNumberToObject(b, "minutes", (double)q->minutes);
	cJSON_AddStringToObject(b, "channel", q->channel ? q->channel : "");
	if (q->note && *q->note)
		cJSON_AddStringToObject(b, "note", q->note);
	return b;
}

const char *ido_question_key(struct call_retry *r, const struct ido_question *q)
{
	cJSON *body = ido_question_body_new(q);
	const char *key = call_retry_key(r, body);
	cJSON_Delete(body);
	return key;
}

static bool months_decode(const cJSON *arr, struct ido_stats *s, char **err)
{
	if (!cJSON_IsArray(arr)) {
		*err = xstrdup("\"by_month\" is missing or not a list");
		return false;
	}
	s->months = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *s->months);
	const cJSON *item;
	cJSON_ArrayForEach(item, arr) {
		const char *m = jsonx_string(item, "month");
		long long count, minutes;
		if (!m || strlen(m) != 7 || !jsonx_int(item, "count", &count) ||
		    !jsonx_int(item, "minutes", &minutes)) {
			*err = xstrdup("an entry of \"by_month\" is not a month with counts");
			return false;
		}
		struct ido_month *mo = &s->months[s->n_months++];
		memcpy(mo->month, m, 8);
		mo->count = (long)count;
		mo->minutes = (long)minutes;
	}
	return true;
}

struct ido_stats *ido_stats_decode(const cJSON *body, char **err)
{
	struct ido_stats *s = xcalloc(1, sizeof *s);
	long long total, minutes;
	if (!jsonx_int(body, "total", &total) || !jsonx_int(body, "minutes", &minutes)) {
		*err = xstrdup("\"total\" or \"minutes\" is missing or not a number");
		ido_stats_free(s);
		return NULL;
	}
	s->total = (long)total;
	s->minutes = (long)minutes;
	bool ok = months_decode(jsonx_array(body, "by_month"), s, err) &&
		  entries_decode(jsonx_array(body, "by_branch"), "by_branch", true, &s->by_branch,
				 err);
	for (unsigned l = 0; ok && l < IDO_L_COUNT; l++)
		ok = entries_decode(jsonx_array(body, stats_members[l]), stats_members[l], true,
				    &s->by[l], err);
	if (!ok) {
		ido_stats_free(s);
		return NULL;
	}
	return s;
}

void ido_stats_free(struct ido_stats *s)
{
	if (!s)
		return;
	for (unsigned l = 0; l < IDO_L_COUNT; l++)
		entries_clear(&s->by[l]);
	entries_clear(&s->by_branch);
	free(s->months);
	free(s);
}

CALL_DECODER(ido_on_catalog, struct ido_catalog, ido_catalog_decode, ido_catalog_fn,
	     "GET /ido/catalog")

unsigned ido_catalog_start(struct api *api, ido_catalog_fn done, void *ctx)
{
	return call_start(api, "GET", "/ido/catalog", NULL, NULL, ido_on_catalog, (call_fn)done,
			  ctx);
}

CALL_DECODER(ido_on_stats, struct ido_stats, ido_stats_decode, ido_stats_fn, "GET /ido/stats")

/* The period's path below /api/v1 for what ("stats" or "export.csv"). */
static unsigned ido_period_start(struct api *api, const char *what, const char *from,
				 const char *to, call_decode_fn decode, call_fn done, void *ctx)
{
	char *path = xasprintf("/ido/%s?from=%s&to=%s", what, from, to);
	unsigned id = call_start(api, "GET", path, NULL, NULL, decode, done, ctx);
	free(path);
	return id;
}

unsigned ido_stats_start(struct api *api, const char *from, const char *to, ido_stats_fn done,
			 void *ctx)
{
	return ido_period_start(api, "stats", from, to, ido_on_stats, (call_fn)done, ctx);
}

static void ido_on_export(struct api_reply *reply, call_fn done, void *ctx)
{
	if (reply->outcome == API_OK && reply->text) {
		((ido_export_fn)done)(ctx, reply->text, reply->text_len, NULL);
		return;
	}
	struct call_failure f;
	call_failure_init(&f, reply, "GET /ido/export.csv",
			  reply->outcome == API_OK ? xstrdup("the answer is not text/csv") : NULL);
	((ido_export_fn)done)(ctx, NULL, 0, &f);
}

unsigned ido_export_start(struct api *api, const char *from, const char *to, ido_export_fn done,
			  void *ctx)
{
	return ido_period_start(api, "export.csv", from, to, ido_on_export, (call_fn)done, ctx);
}

bool ido_export_write(const char *path, const char *text, size_t len, bool replace, char **err)
{
	int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (replace ? O_TRUNC : O_EXCL);
	int fd = open(path, flags, 0600);
	if (fd < 0) {
		*err = xasprintf(_("%s cannot be written: %s"), path, strerror(errno));
		return false;
	}
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*err = xasprintf(_("%s cannot be written: %s"), path, strerror(errno));
			close(fd);
			return false;
		}
		done += (size_t)n;
	}
	if (close(fd) != 0) {
		*err = xasprintf(_("%s cannot be written: %s"), path, strerror(errno));
		return false;
	}
	return true;
}

/* A save under way; kept in a list so that ido_question_cancel can free it
 * (neither the api nor the outbox hands back a cancelled request's ctx). */
struct ido_save {
	unsigned id;
	ido_question_fn done;
	void *ctx;
	struct ido_save *next;
};

/* The desk is one thread with one event loop: one list serves every desk. */
static struct ido_save *ido_saves;

static bool ido_save_unlink(unsigned id, struct ido_save *which)
{
	for (struct ido_save **p = &ido_saves; *p; p = &(*p)->next) {
		struct ido_save *s = *p;
		if (s == which || (!which && s->id == id)) {
			*p = s->next;
			free(s);
			return true;
		}
	}
	return false;
}

/* The kinds the service found in the note: details.kinds, or the one
 * details.kind of a service that names only the first. */
static unsigned ido_note_kinds(const cJSON *details)
{
	unsigned kinds = PDGUARD_BIT(pdguard_kind_from_name(jsonx_string(details, "kind")));
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(details, "kinds");
	const cJSON *item;
	if (!cJSON_IsArray(list))
		list = NULL;
	cJSON_ArrayForEach(item, list)
		if (cJSON_IsString(item))
			kinds |= PDGUARD_BIT(pdguard_kind_from_name(item->valuestring));
	return kinds & ~PDGUARD_BIT(PDGUARD_NONE);
}

static void ido_on_saved(void *ctx, struct api_reply *reply)
{
	struct ido_save *s = ctx;
	ido_question_fn done = s->done;
	void *done_ctx = s->ctx;
	ido_save_unlink(0, s);
	bool journaled = outbox_reply_saved(reply);
	if (reply->outcome == API_OK || journaled) {
		/* the answer's body is the stored question: the desk needs none of it */
		done(done_ctx, &(struct ido_saved){ .stored = !journaled }, NULL);
		return;
	}
	struct ido_save_failure f = { 0 };
	call_failure_init(&f.call, reply, "POST /ido/questions", NULL);
	if (reply->outcome == API_REFUSED && reply->error == ERR_PERSONAL_DATA_IN_NOTE)
		f.note_kinds = ido_note_kinds(reply->error_details);
	done(done_ctx, NULL, &f);
}

unsigned ido_question_start(struct api *api, struct outbox *o, const struct ido_question *q,
			    const char *key, ido_question_fn done, void *ctx)
{
	struct ido_save *s = xcalloc(1, sizeof *s);
	*s = (struct ido_save){ .done = done, .ctx = ctx, .next = ido_saves };
	ido_saves = s;
	cJSON *body = ido_question_body_new(q);
	/* Through the journal, which gives the question its own key. */
	s->id = o ? outbox_submit(o, "POST", "/ido/questions", body, ido_on_saved, s)
		  : api_start(api, "POST", "/ido/questions", body, key, ido_on_saved, s);
	cJSON_Delete(body);
	return s->id;
}

void ido_question_cancel(struct api *api, struct outbox *o, unsigned id)
{
	if (id == 0)
		return;
	ido_save_unlink(id, NULL);
	if (o)
		outbox_cancel(o, id);
	else
		api_cancel(api, id);
}
