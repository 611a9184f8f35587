#include "service/domain/loan_stats.h"

#include "core/log.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const actions[] = { "checkout", "renewal", "checkin", "in_house" };
enum { N_ACTIONS = sizeof actions / sizeof actions[0] };

static void bind_period(struct db_stmt *st, const struct loan_stats_period *p)
{
	db_bind_text(st, 1, p->from, -1);
	db_bind_text(st, 2, p->to, -1);
	if (p->branch)
		db_bind_text(st, 3, p->branch, -1);
}

static void add_counts(cJSON *obj, struct db_stmt *st, int first)
{
	for (int i = 0; i < N_ACTIONS; i++)
		cJSON_AddNumberToObject(obj, actions[i], (double)db_column_int64(st, first + i));
}

/* The rows of the period grouped by column key (NULL: one total row), each
 * with its four counts, into an array (or the object total). */
static bool group(struct store *store, const struct loan_stats_period *p, const char *key,
		  cJSON *into)
{
	char *sql = xasprintf(
		"SELECT %s, sum(CASE action WHEN 'checkout' THEN count ELSE 0 END),"
		" sum(CASE action WHEN 'renewal' THEN count ELSE 0 END),"
		" sum(CASE action WHEN 'checkin' THEN count ELSE 0 END),"
		" sum(CASE action WHEN 'in_house' THEN count ELSE 0 END)"
		" FROM loan_stats WHERE day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR branch_code = ?3)"
		" %s%s ORDER BY 1",
		key ? key : "''", key ? "GROUP BY " : "", key ? key : "");
	/* Prepared each time: the statement cache is keyed by the text's address. */
	struct db_stmt *st = store_prepare_once(store, sql);
	free(sql);
	if (!st)
		return store_failed(store, "counting loans");
	bind_period(st, p);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		cJSON *row = key ? cJSON_CreateObject() : into;
		if (key) {
			cJSON_AddStringToObject(row, "code", db_column_text(st, 0));
			cJSON_AddItemToArray(into, row);
		}
		add_counts(row, st, 1);
	}
	db_finalize(st);
	return rc == DB_DONE || store_failed(store, "counting loans");
}

cJSON *loan_stats_json(struct store *store, const struct loan_stats_period *p)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "from", p->from);
	cJSON_AddStringToObject(root, "to", p->to);
	if (p->branch)
		cJSON_AddStringToObject(root, "branch", p->branch);
	else
		cJSON_AddNullToObject(root, "branch");
	static const struct {
		const char *name, *column;
	} groups[] = { { "by_day", "day" }, { "by_branch", "branch_code" },
		       { "by_item_type", "item_type" }, { "by_category", "patron_category" } };
	bool ok = group(store, p, NULL, cJSON_AddObjectToObject(root, "total"));
	for (size_t i = 0; ok && i < sizeof groups / sizeof groups[0]; i++)
		ok = group(store, p, groups[i].column, cJSON_AddArrayToObject(root, groups[i].name));
	if (!ok) {
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

/* The data delivery reads Dutch: the action's name there. */
static const char *action_dutch(const char *action)
{
	static const char *const dutch[] = { "uitlening", "verlenging", "inname", "ter inzage" };
	for (int i = 0; i < N_ACTIONS; i++)
		if (strcmp(actions[i], action) == 0)
			return dutch[i];
	return action;
}

static void buf_add(char **buf, size_t *len, const char *s)
{
	size_t n = strlen(s);
	*buf = xrealloc(*buf, *len + n + 1);
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

/* One field and its ';': quoted when it holds ';', '"' or a line break
 * (RFC 4180), and with a ' first when a spreadsheet would take it for a
 * formula (a branch code is any text). */
static void csv_field(char **buf, size_t *len, const char *s)
{
	s = s ? s : "";
	if (*s && strchr("=+-@\t\r", *s))
		buf_add(buf, len, "'");
	if (!strpbrk(s, ";\"\r\n")) {
		buf_add(buf, len, s);
	} else {
		buf_add(buf, len, "\"");
		for (const char *c = s; *c; c++)
			buf_add(buf, len, *c == '"' ? "\"\"" : (char[]){ *c, '\0' });
		buf_add(buf, len, "\"");
	}
	buf_add(buf, len, ";");
}

char *loan_stats_csv_dup(struct store *store, const struct loan_stats_period *p)
{
	char *buf = NULL;
	size_t len = 0;
	/* The byte-order mark makes spreadsheets read the file as UTF-8. */
	buf_add(&buf, &len, "\xef\xbb\xbf" "dag;vestiging;soort;categorie;actie;aantal\r\n");
	struct db_stmt *st = store_stmt(store,
		"SELECT day, branch_code, item_type, patron_category, action, count FROM loan_stats"
		" WHERE day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR branch_code = ?3) AND count > 0"
		" ORDER BY day, branch_code, item_type, patron_category, action");
	bind_period(st, p);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		for (int col = 0; col < 4; col++)
			csv_field(&buf, &len, db_column_text(st, col));
		csv_field(&buf, &len, action_dutch(db_column_text(st, 4)));
		char *count = xasprintf("%lld\r\n", (long long)db_column_int64(st, 5));
		buf_add(&buf, &len, count);
		free(count);
	}
	store_done(st);
	if (rc != DB_DONE) {
		store_failed(store, "exporting loan statistics");
		free(buf);
		return NULL;
	}
	return buf;
}
