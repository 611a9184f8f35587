/* The IDO question log over HTTP: the catalogue, logging a question (the note
 * checked by the personal-data guard), the statistics of a period and the
 * CSV export. ido and balie see their own branch; beheer sees every branch. */
#include "service/api/endpoints.h"

#include "core/date.h"
#include "service/domain/ido.h"
#include "core/jsonx.h"
#include "core/log.h"
#include "service/domain/offline.h"
#include "service/domain/staff.h"
#include "service/timefmt.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void ep_ido_catalog(struct call *call, struct reply *out)
{
	const char *retired = call->query(call->query_ctx, "retired");
	cJSON *cat = ido_catalog_json(call->store, retired && (strcmp(retired, "true") == 0 ||
							       strcmp(retired, "1") == 0));
	if (!cat) {
		reply_unavailable(out);
		return;
	}
	reply_json(out, 200, cat);
}

/* What the prepare step checked, for the handler. The strings point into
 * call->json, which lives until the call is answered. */
struct new_question {
	struct ido_question q;
	struct ido_asked asked;
	const char **codes; /* topics, organisations and help, one block */
	char day[TIMEFMT_DATE_LEN];
	struct offline_when when;
};

static void new_question_free(void *p)
{
	struct new_question *nq = p;
	if (nq)
		free(nq->codes);
	free(nq);
}

/* A code of list l: present, known and not retired. */
static bool check_code(struct call *call, struct reply *out, const char *field, enum ido_list l,
		       const char *code)
{
	if (!code || !*code) {
		reply_invalid_field(out, field, "missing");
		return false;
	}
	switch (ido_code_state(call->store, l, code)) {
	case IDO_CODE_ACTIVE:
		return true;
	case IDO_CODE_UNKNOWN:
		reply_invalid_field(out, field, "unknown");
		return false;
	case IDO_CODE_RETIRED:
		reply_invalid_field(out, field, "retired");
		return false;
	case IDO_CODE_FAILED:
		break;
	}
	reply_unavailable(out);
	return false;
}

/* An array of codes of list l into codes[*n...]; at least min of them,
 * none twice. */
static bool read_codes(struct call *call, struct reply *out, const char *field, enum ido_list l,
		       size_t min, const char **codes, size_t *n)
{
	const cJSON *arr = jsonx_array(call->json, field);
	if (!arr) {
		reply_invalid_field(out, field, "missing");
		return false;
	}
	size_t first = *n;
	const cJSON *item;
	cJSON_ArrayForEach(item, arr) {
		if (!cJSON_IsString(item)) {
			reply_invalid_field(out, field, "unknown");
			return false;
		}
		for (size_t i = first; i < *n; i++) {
			if (strcmp(codes[i], item->valuestring) == 0) {
				reply_invalid_field(out, field, "duplicate");
				return false;
			}
		}
		if (!check_code(call, out, field, l, item->valuestring))
			return false;
		codes[(*n)++] = item->valuestring;
	}
	if (*n - first < min) {
		reply_invalid_field(out, field, "empty");
		return false;
	}
	return true;
}

/* The optional note: at most IDO_NOTE_MAX characters of clean text, and no
 * personal data (ep_note.c); the refusal names the kind, never the value. */
static bool check_note(struct call *call, struct reply *out, const char **note)
{
	return ep_note_read(call, "note", IDO_NOTE_MAX, EP_NOTE_IDO_REFUSED, note, out);
}

static bool read_outcome(struct call *call, struct reply *out, struct ido_question *q)
{
	q->outcome = jsonx_string(call->json, "outcome");
	if (!check_code(call, out, "outcome", IDO_OUTCOME, q->outcome))
		return false;
	q->referred_to = jsonx_string(call->json, "referred_to");
	bool referred = strcmp(q->outcome, "referred") == 0;
	if (referred)
		return check_code(call, out, "referred_to", IDO_REFERRAL_PARTNER, q->referred_to);
	if (q->referred_to && *q->referred_to) {
		reply_invalid_field(out, "referred_to", "only_when_referred");
		return false;
	}
	q->referred_to = NULL;
	return true;
}

static bool read_minutes(struct call *call, struct reply *out, long *minutes)
{
	long long m;
	if (!jsonx_int(call->json, "minutes", &m)) {
		reply_invalid_field(out, "minutes",
				    cJSON_GetObjectItemCaseSensitive(call->json, "minutes")
					    ? "not_a_whole_number" : "missing");
		return false;
	}
	if (m < 1 || m > IDO_MINUTES_MAX) {
		reply_invalid_field(out, "minutes", "out_of_range");
		return false;
	}
	*minutes = (long)m;
	return true;
}

static size_t array_size(const cJSON *json, const char *key)
{
	const cJSON *arr = jsonx_array(json, key);
	return arr ? (size_t)cJSON_GetArraySize(arr) : 0;
}

/* Checks everything before the transaction: a refusal of the body changes
 * nothing and is not stored under the key. */
bool ep_ido_question_prepare(struct call *call, struct reply *out)
{
	struct new_question *nq = xcalloc(1, sizeof *nq);
	call->prepared = nq;
	call->prepared_free = new_question_free;
	struct ido_question *q = &nq->q;
	q->visit_id = jsonx_string(call->json, "visit_id");
	if (!q->visit_id || !uuid_is_valid(q->visit_id)) {
		reply_invalid_field(out, "visit_id", q->visit_id ? "not_a_uuid" : "missing");
		return false;
	}
	q->class_code = jsonx_string(call->json, "class");
	if (!check_code(call, out, "class", IDO_CLASS, q->class_code))
		return false;
	size_t max = array_size(call->json, "topics") + array_size(call->json, "organisations") +
		     array_size(call->json, "help");
	nq->codes = xcalloc(max + 1, sizeof *nq->codes);
	size_t n = 0;
	q->topics = nq->codes;
	if (!read_codes(call, out, "topics", IDO_TOPIC, 1, nq->codes, &n))
		return false;
	q->n_topics = n;
	q->organisations = nq->codes + n;
	if (!read_codes(call, out, "organisations", IDO_ORGANISATION, 0, nq->codes, &n))
		return false;
	q->n_organisations = n - q->n_topics;
	q->help = nq->codes + n;
	if (!read_codes(call, out, "help", IDO_HELP_KIND, 0, nq->codes, &n))
		return false;
	q->n_help = n - q->n_topics - q->n_organisations;
	q->channel = jsonx_string(call->json, "channel");
	if (!read_outcome(call, out, q) || !read_minutes(call, out, &q->minutes) ||
	    !check_code(call, out, "channel", IDO_CHANNEL, q->channel) ||
	    !check_note(call, out, &q->note) || !offline_permitted(call, out) ||
	    !offline_read_when(call, out, &nq->when))
		return false;
	nq->asked.at = nq->when.at; /* when the question was asked: now, or occurred_at */
	timefmt_date(nq->asked.at, nq->day);
	nq->asked.day = nq->day;
	nq->asked.branch = call->session->branch;
	nq->asked.staff_id = call->session->staff_id;
	return true;
}

void ep_ido_question_create(struct call *call, struct reply *out)
{
	struct new_question *nq = call->prepared;
	long long id;
	if (!ido_question_add(call->store, &nq->q, &nq->asked, &id)) {
		reply_unavailable(out);
		return;
	}
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", id);
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "question_id", idtext);
	if (!offline_audit(call, &nq->when, NULL, d)) {
		reply_unavailable(out);
		return;
	}
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "id", idtext);
	cJSON_AddStringToObject(root, "visit_id", nq->q.visit_id);
	cJSON_AddStringToObject(root, "branch", nq->asked.branch);
	cJSON_AddStringToObject(root, "date", nq->asked.day);
	reply_json(out, 201, root);
}

bool ep_period_read(struct call *call, struct reply *out, char from[DATE_STR_LEN],
		    char to[DATE_STR_LEN], const char **branch_out)
{
	struct civil_date today = date_of_time(call->now), d1, d2;
	const char *qfrom = call->query(call->query_ctx, "from");
	const char *qto = call->query(call->query_ctx, "to");
	if (qfrom && !date_parse_iso(qfrom, &d1)) {
		reply_invalid_field(out, "from", "not_a_date");
		return false;
	}
	if (qto && !date_parse_iso(qto, &d2)) {
		reply_invalid_field(out, "to", "not_a_date");
		return false;
	}
	if (!qfrom)
		d1 = (struct civil_date){ today.year, today.month, 1 };
	if (!qto)
		d2 = today;
	if (date_compare(d1, d2) > 0) {
		reply_invalid_field(out, "to", "before_from");
		return false;
	}
	date_format_iso(d1, from);
	date_format_iso(d2, to);
	const char *branch = call->query(call->query_ctx, "branch");
	if (branch && !*branch)
		branch = NULL;
	if (!(call->session->roles & ROLE_BEHEER)) {
		if (branch && strcmp(branch, call->session->branch) != 0) {
			reply_error(out, ERR_FORBIDDEN,
				    "only administration sees the statistics of another branch", NULL);
			return false;
		}
		branch = call->session->branch;
	} else if (branch && !staff_branch_exists(call->store, branch)) {
		reply_invalid_field(out, "branch", "unknown");
		return false;
	}
	*branch_out = branch;
	return true;
}

static bool read_period(struct call *call, struct reply *out, struct ido_period *p,
			char from[DATE_STR_LEN], char to[DATE_STR_LEN])
{
	p->from = from;
	p->to = to;
	return ep_period_read(call, out, from, to, &p->branch);
}

void ep_ido_stats(struct call *call, struct reply *out)
{
	struct ido_period p;
	char from[DATE_STR_LEN], to[DATE_STR_LEN];
	if (!read_period(call, out, &p, from, to))
		return;
	cJSON *stats = ido_stats_json(call->store, &p);
	if (!stats) {
		reply_unavailable(out);
		return;
	}
	reply_json(out, 200, stats);
}

void ep_ido_export(struct call *call, struct reply *out)
{
	struct ido_period p;
	char from[DATE_STR_LEN], to[DATE_STR_LEN];
	if (!read_period(call, out, &p, from, to))
		return;
	char *csv = ido_export_csv_dup(call->store, &p);
	if (!csv) {
		reply_unavailable(out);
		return;
	}
	log_info("IDO export %s..%s %s by \"%s\"", from, to, p.branch ? p.branch : "all branches",
		 call->session->username);
	free(out->body);
	out->status = 200;
	out->body = csv;
	out->content_type = "text/csv; charset=utf-8";
}
