#include "service/domain/ido.h"

#include "core/log.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name, *member;
} ido_lists[IDO_LIST_COUNT] = {
	[IDO_CLASS] = { "class", "classes" },
	[IDO_TOPIC] = { "topic", "topics" },
	[IDO_ORGANISATION] = { "organisation", "organisations" },
	[IDO_HELP_KIND] = { "help_kind", "help_kinds" },
	[IDO_OUTCOME] = { "outcome", "outcomes" },
	[IDO_REFERRAL_PARTNER] = { "referral_partner", "referral_partners" },
	[IDO_CHANNEL] = { "channel", "channels" },
};

const char *ido_list_name(enum ido_list l)
{
	return l < IDO_LIST_COUNT ? ido_lists[l].name : "?";
}

const char *ido_list_member(enum ido_list l)
{
	return l < IDO_LIST_COUNT ? ido_lists[l].member : "?";
}

bool ido_list_from_name(const char *name, enum ido_list *out)
{
	for (unsigned l = 0; name && l < IDO_LIST_COUNT; l++) {
		if (strcmp(ido_lists[l].name, name) == 0) {
			*out = (enum ido_list)l;
			return true;
		}
	}
	return false;
}

static bool db_failed(struct store *store, const char *what)
{
	log_error("database: %s: %s", what, store_errmsg(store));
	return false;
}

enum ido_code_state ido_code_state(struct store *store, enum ido_list l, const char *code)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT active FROM ido_catalog WHERE list = ? AND code = ?");
	db_bind_text(st, 1, ido_list_name(l), -1);
	db_bind_text(st, 2, code, -1);
	int rc = db_step(st);
	enum ido_code_state s = rc == DB_ROW ? (db_column_int(st, 0) ? IDO_CODE_ACTIVE
									       : IDO_CODE_RETIRED)
			      : rc == DB_DONE ? IDO_CODE_UNKNOWN
						  : IDO_CODE_FAILED;
	if (s == IDO_CODE_FAILED)
		db_failed(store, "reading the IDO catalogue");
	store_done(st);
	return s;
}

cJSON *ido_catalog_json(struct store *store, bool retired)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *lists[IDO_LIST_COUNT];
	for (unsigned l = 0; l < IDO_LIST_COUNT; l++)
		lists[l] = cJSON_AddArrayToObject(root, ido_lists[l].member);
	struct db_stmt *st = store_stmt(store,
		"SELECT list, code, label, active FROM ido_catalog"
		" WHERE active = 1 OR ?1 ORDER BY list, position, code");
	db_bind_int64(st, 1, retired);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		enum ido_list l;
		if (!ido_list_from_name(db_column_text(st, 0), &l))
			continue;
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "code", db_column_text(st, 1));
		cJSON_AddStringToObject(e, "label", db_column_text(st, 2));
		if (retired)
			cJSON_AddBoolToObject(e, "active", db_column_int(st, 3) != 0);
		cJSON_AddItemToArray(lists[l], e);
	}
	store_done(st);
	if (rc != DB_DONE) {
		db_failed(store, "reading the IDO catalogue");
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

bool ido_catalog_put(struct store *store, enum ido_list l, const char *code, const char *label,
		     bool *added)
{
	enum ido_code_state s = ido_code_state(store, l, code);
	if (s == IDO_CODE_FAILED)
		return false;
	*added = s == IDO_CODE_UNKNOWN;
	struct db_stmt *st = store_stmt(store,
		*added ? "INSERT INTO ido_catalog (list, code, label, position)"
			 " SELECT ?1, ?2, ?3, COALESCE(MAX(position), 0) + 1 FROM ido_catalog"
			 " WHERE list = ?1"
		       : "UPDATE ido_catalog SET label = ?3, active = 1 WHERE list = ?1 AND code = ?2");
	db_bind_text(st, 1, ido_list_name(l), -1);
	db_bind_text(st, 2, code, -1);
	db_bind_text(st, 3, label, -1);
	bool ok = db_step(st) == DB_DONE || db_failed(store, "changing the IDO catalogue");
	store_done(st);
	return ok;
}

bool ido_catalog_set_active(struct store *store, enum ido_list l, const char *code, bool active,
			    bool *found)
{
	struct db_stmt *st = store_stmt(store,
		"UPDATE ido_catalog SET active = ? WHERE list = ? AND code = ?");
	db_bind_int64(st, 1, active);
	db_bind_text(st, 2, ido_list_name(l), -1);
	db_bind_text(st, 3, code, -1);
	bool ok = db_step(st) == DB_DONE || db_failed(store, "changing the IDO catalogue");
	*found = ok && store_changes(store) > 0;
	store_done(st);
	return ok;
}

static bool add_codes(struct store *store, long long id, const char *list,
		      const char *const *codes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct db_stmt *st = store_stmt(store,
			"INSERT INTO ido_question_codes (question_id, list, code)"
			" VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
		db_bind_int64(st, 1, id);
		db_bind_text(st, 2, list, -1);
		db_bind_text(st, 3, codes[i], -1);
		bool ok = db_step(st) == DB_DONE;
		store_done(st);
		if (!ok)
			return db_failed(store, "storing an IDO question");
	}
	return true;
}

bool ido_question_add(struct store *store, const struct ido_question *q,
		      const struct ido_asked *a, long long *id)
{
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO ido_questions (visit_id, at, day, branch_code, staff_id, class,"
		" outcome, referred_to, minutes, channel, note)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	db_bind_text(st, 1, q->visit_id, -1);
	db_bind_int64(st, 2, (long long)a->at);
	db_bind_text(st, 3, a->day, -1);
	db_bind_text(st, 4, a->branch, -1);
	if (a->staff_id)
		db_bind_int64(st, 5, a->staff_id);
	db_bind_text(st, 6, q->class_code, -1);
	db_bind_text(st, 7, q->outcome, -1);
	db_bind_text(st, 8, q->referred_to, -1);
	db_bind_int64(st, 9, q->minutes);
	db_bind_text(st, 10, q->channel, -1);
	db_bind_text(st, 11, q->note, -1);
	bool ok = db_step(st) == DB_DONE;
	store_done(st);
	if (!ok)
		return db_failed(store, "storing an IDO question");
	*id = store_last_id(store);
	return add_codes(store, *id, "topic", q->topics, q->n_topics) &&
	       add_codes(store, *id, "organisation", q->organisations, q->n_organisations) &&
	       add_codes(store, *id, "help_kind", q->help, q->n_help);
}

static void bind_period(struct db_stmt *st, const struct ido_period *p)
{
	db_bind_text(st, 1, p->from, -1);
	db_bind_text(st, 2, p->to, -1);
	db_bind_text(st, 3, p->branch, -1);
}

/* Every code a question of the period counts for, one row each, with its
 * month and branch: the codes of the several-valued lists and the columns
 * of the single-valued ones. */
#define IDO_CODES_OF_PERIOD \
	"WITH q AS (SELECT * FROM ido_questions WHERE day BETWEEN ?1 AND ?2" \
	"   AND (?3 IS NULL OR branch_code = ?3))," \
	" codes (month, branch, list, code) AS (" \
	"  SELECT substr(q.day, 1, 7), q.branch_code, c.list, c.code" \
	"    FROM ido_question_codes c JOIN q ON q.id = c.question_id" \
	"  UNION ALL SELECT substr(day, 1, 7), branch_code, 'class', class FROM q" \
	"  UNION ALL SELECT substr(day, 1, 7), branch_code, 'outcome', outcome FROM q" \
	"  UNION ALL SELECT substr(day, 1, 7), branch_code, 'referral_partner', referred_to" \
	"    FROM q WHERE referred_to IS NOT NULL" \
	"  UNION ALL SELECT substr(day, 1, 7), branch_code, 'channel', channel FROM q) "

/* Adds "by_<list>" for each list: [{"code","label","count"}], most first. */
static bool stats_codes(struct store *store, const struct ido_period *p, cJSON *root)
{
	cJSON *lists[IDO_LIST_COUNT];
	for (unsigned l = 0; l < IDO_LIST_COUNT; l++) {
		char *member = xasprintf("by_%s", ido_lists[l].name);
		lists[l] = cJSON_AddArrayToObject(root, member);
		free(member);
	}
	struct db_stmt *st = store_stmt(store, IDO_CODES_OF_PERIOD
		"SELECT codes.list, codes.code, COALESCE(cat.label, codes.code), COUNT(*) AS n"
		" FROM codes LEFT JOIN ido_catalog cat"
		"   ON cat.list = codes.list AND cat.code = codes.code"
		" GROUP BY codes.list, codes.code ORDER BY codes.list, n DESC, cat.position");
	bind_period(st, p);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		enum ido_list l;
		if (!ido_list_from_name(db_column_text(st, 0), &l))
			continue;
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "code", db_column_text(st, 1));
		cJSON_AddStringToObject(e, "label", db_column_text(st, 2));
		cJSON_AddNumberToObject(e, "count", db_column_int(st, 3));
		cJSON_AddItemToArray(lists[l], e);
	}
	store_done(st);
	return rc == DB_DONE || db_failed(store, "counting IDO questions");
}

/* "by_month" [{"month","count","minutes"}] and "by_branch"
 * [{"code","label","count","minutes"}], and the totals. */
static bool stats_totals(struct store *store, const struct ido_period *p, cJSON *root)
{
	static const char *const sql[] = {
		"SELECT NULL, NULL, COUNT(*), COALESCE(SUM(minutes), 0) FROM ido_questions"
		" WHERE day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR branch_code = ?3)",
		"SELECT substr(day, 1, 7) AS m, NULL, COUNT(*), SUM(minutes) FROM ido_questions"
		" WHERE day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR branch_code = ?3)"
		" GROUP BY m ORDER BY m",
		"SELECT q.branch_code, COALESCE(b.name, q.branch_code), COUNT(*), SUM(q.minutes)"
		" FROM ido_questions q LEFT JOIN branches b ON b.code = q.branch_code"
		" WHERE q.day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR q.branch_code = ?3)"
		" GROUP BY q.branch_code ORDER BY q.branch_code",
	};
	cJSON *by_month = cJSON_AddArrayToObject(root, "by_month");
	cJSON *by_branch = cJSON_AddArrayToObject(root, "by_branch");
	for (int i = 0; i < 3; i++) {
		struct db_stmt *st = store_stmt(store, sql[i]);
		bind_period(st, p);
		int rc;
		while ((rc = db_step(st)) == DB_ROW) {
			int count = db_column_int(st, 2);
			long long minutes = db_column_int64(st, 3);
			if (i == 0) {
				cJSON_AddNumberToObject(root, "total", count);
				cJSON_AddNumberToObject(root, "minutes", (double)minutes);
				continue;
			}
			cJSON *e = cJSON_CreateObject();
			if (i == 1) {
				cJSON_AddStringToObject(e, "month", db_column_text(st, 0));
			} else {
				cJSON_AddStringToObject(e, "code", db_column_text(st, 0));
				cJSON_AddStringToObject(e, "label", db_column_text(st, 1));
			}
			cJSON_AddNumberToObject(e, "count", count);
			cJSON_AddNumberToObject(e, "minutes", (double)minutes);
			cJSON_AddItemToArray(i == 1 ? by_month : by_branch, e);
		}
		store_done(st);
		if (rc != DB_DONE)
			return db_failed(store, "counting IDO questions");
	}
	return true;
}

cJSON *ido_stats_json(struct store *store, const struct ido_period *p)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "from", p->from);
	cJSON_AddStringToObject(root, "to", p->to);
	if (p->branch)
		cJSON_AddStringToObject(root, "branch", p->branch);
	else
		cJSON_AddNullToObject(root, "branch");
	if (!stats_totals(store, p, root) || !stats_codes(store, p, root)) {
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

struct buf {
	char *s;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* One field: quoted when it holds ';', '"' or a line break (RFC 4180). A
 * text a spreadsheet would take for a formula (=, +, -, @, a tab or a
 * carriage return first) gets a ' before it, so that a label typed by
 * beheer opens as the text it is and never runs. */
static void csv_field(struct buf *b, const char *s, bool last)
{
	if (s && *s && strchr("=+-@\t\r", *s))
		buf_add(b, "'", 1);
	if (s && strpbrk(s, ";\"\r\n")) {
		buf_add(b, "\"", 1);
		for (const char *c = s; *c; c++) {
			buf_add(b, c, 1);
			if (*c == '"')
				buf_add(b, "\"", 1);
		}
		buf_add(b, "\"", 1);
	} else if (s) {
		buf_add(b, s, strlen(s));
	}
	buf_add(b, last ? "\r\n" : ";", last ? 2 : 1);
}

/* The municipality reads the report in Dutch: each list's code has its
 * Dutch name beside it, in the words of the desk's IDO form. */
static const struct {
	const char *list, *label;
} csv_list_labels[] = {
	{ "total", "totaal" },
	{ "class", "soort vraag" },
	{ "topic", "onderwerp" },
	{ "organisation", "organisatie" },
	{ "help_kind", "geboden hulp" },
	{ "outcome", "uitkomst" },
	{ "referral_partner", "doorverwezen naar" },
	{ "channel", "kanaal" },
};

static const char *csv_list_label(const char *list)
{
	for (size_t i = 0; list && i < sizeof csv_list_labels / sizeof csv_list_labels[0]; i++)
		if (strcmp(csv_list_labels[i].list, list) == 0)
			return csv_list_labels[i].label;
	return list;
}

static void csv_row(struct buf *b, const char *month, const char *branch, const char *list,
		    const char *code, const char *label, long long count)
{
	char n[24];
	snprintf(n, sizeof n, "%lld", count);
	csv_field(b, month, false);
	csv_field(b, branch, false);
	csv_field(b, list, false);
	csv_field(b, csv_list_label(list), false);
	csv_field(b, code, false);
	csv_field(b, label, false);
	csv_field(b, n, true);
}

char *ido_export_csv_dup(struct store *store, const struct ido_period *p)
{
	struct buf b = { 0 };
	/* The byte-order mark makes spreadsheets read the file as UTF-8. */
	buf_add(&b, "\xef\xbb\xbf", 3);
	/* In Dutch: the file is for the municipality's report. */
	static const char header[] =
		"maand;vestiging;lijst;lijstnaam;code;omschrijving;aantal\r\n";
	buf_add(&b, header, sizeof header - 1);
	struct db_stmt *st = store_stmt(store, IDO_CODES_OF_PERIOD
		"SELECT month, branch, 'total', 'questions', 'vragen', COUNT(*), 0 AS o FROM"
		"  (SELECT substr(day, 1, 7) AS month, branch_code AS branch FROM q)"
		"  GROUP BY month, branch"
		" UNION ALL SELECT substr(day, 1, 7) AS month, branch_code, 'total', 'minutes', 'minuten',"
		"  SUM(minutes), 1 FROM q GROUP BY month, branch_code"
		" UNION ALL SELECT codes.month, codes.branch, codes.list, codes.code,"
		"  COALESCE(cat.label, codes.code), COUNT(*),"
		"  2 + instr('class topic organisation help_kind outcome referral_partner channel',"
		"    codes.list) * 1000 + COALESCE(cat.position, 999)"
		"  FROM codes LEFT JOIN ido_catalog cat"
		"    ON cat.list = codes.list AND cat.code = codes.code"
		"  GROUP BY codes.month, codes.branch, codes.list, codes.code"
		" ORDER BY 1, 2, 7");
	bind_period(st, p);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		csv_row(&b, db_column_text(st, 0),
			db_column_text(st, 1),
			db_column_text(st, 2),
			db_column_text(st, 3),
			db_column_text(st, 4), db_column_int64(st, 5));
	store_done(st);
	if (rc != DB_DONE) {
		db_failed(store, "exporting IDO questions");
		free(b.s);
		return NULL;
	}
	return b.s;
}
