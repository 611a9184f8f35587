/*
 * GET /patrons/{card} and GET /patrons?q=&birth_date= (DESIGN.md section 2).
 * Roles balie and beheer (routes.c).
 *
 * Details of the protocol decided here (also in balied(8)):
 * - A patron: {"card","name","given_name","family_name","birth_date",
 *   "category","home_branch","expires_on","blocks":[codes],"manual_block"?,
 *   "loans":[{"item_barcode","title","author","item_type","due_on","overdue",
 *   "renewals"}],"loans_count","max_loans","holds_ready":[{"item_barcode",
 *   "title","pickup_branch","ready_since","pickup_by"}],"holds_waiting",
 *   "holds":[{"item_barcode","title","pickup_branch","status","pickup_by"}],
 *   "fines_cents"}: holds are every open hold (status waiting, in_transit or
 *   ready) by the time it was placed; pickup_by is "" until it is ready. Loans by due date; blocks as for POST /checkouts.
 * - A card of 14 digits whose last is not its Luhn check digit is
 *   invalid_field "card", "check_digit" (not patron_not_found).
 * - The search: q matches every word of it in "given family" (case-insensitive
 *   for ASCII letters), birth_date (YYYY-MM-DD) exactly; at least one of them
 *   (invalid_field "q", "missing"; a birth_date that is not a date is
 *   invalid_field "birth_date", "invalid"). Answer {"patrons":[{"card","name",
 *   "birth_date","category","home_branch","expires_on"}],"truncated":bool},
 *   at most 50, by family name, given name and birth date.
 */
#include "service/api/endpoints.h"

#include "service/domain/circulation.h"
#include "core/date.h"
#include "core/jsonx.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { SEARCH_MAX = 50, QUERY_MAX = 100, QUERY_WORDS = 5 };

static const char *text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? (const char *)t : "";
}

static bool add_loans(struct call *call, const struct circ_ctx *ctx, long long patron_id,
		      cJSON *patron)
{
	cJSON *loans = cJSON_AddArrayToObject(patron, "loans");
	sqlite3_stmt *st = store_stmt(call->store,
		"SELECT i.barcode, i.title, i.author, i.item_type, l.due_on, l.renewals"
		" FROM loans l JOIN items i ON i.id = l.item_id"
		" WHERE l.patron_id = ? AND l.returned_at IS NULL ORDER BY l.due_on, i.title");
	sqlite3_bind_int64(st, 1, patron_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *loan = cJSON_CreateObject();
		cJSON_AddStringToObject(loan, "item_barcode", text(st, 0));
		cJSON_AddStringToObject(loan, "title", text(st, 1));
		cJSON_AddStringToObject(loan, "author", text(st, 2));
		cJSON_AddStringToObject(loan, "item_type", text(st, 3));
		cJSON_AddStringToObject(loan, "due_on", text(st, 4));
		cJSON_AddBoolToObject(loan, "overdue", strcmp(text(st, 4), ctx->today) < 0);
		cJSON_AddNumberToObject(loan, "renewals", sqlite3_column_int(st, 5));
		cJSON_AddItemToArray(loans, loan);
	}
	store_done(st);
	return rc == SQLITE_DONE;
}

/* "holds": every open hold, waiting ones too, with its state. */
static bool add_open_holds(struct call *call, long long patron_id, cJSON *patron)
{
	cJSON *all = cJSON_AddArrayToObject(patron, "holds");
	sqlite3_stmt *st = store_stmt(call->store,
		"SELECT i.barcode, i.title, h.pickup_branch, h.status, h.pickup_by"
		" FROM holds h JOIN items i ON i.id = h.item_id"
		" WHERE h.patron_id = ? AND h.status IN ('waiting', 'in_transit', 'ready')"
		" ORDER BY h.placed_at, h.id");
	sqlite3_bind_int64(st, 1, patron_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *h = cJSON_CreateObject();
		cJSON_AddStringToObject(h, "item_barcode", text(st, 0));
		cJSON_AddStringToObject(h, "title", text(st, 1));
		cJSON_AddStringToObject(h, "pickup_branch", text(st, 2));
		cJSON_AddStringToObject(h, "status", text(st, 3));
		cJSON_AddStringToObject(h, "pickup_by", text(st, 4));
		cJSON_AddItemToArray(all, h);
	}
	store_done(st);
	return rc == SQLITE_DONE;
}

static bool add_holds(struct call *call, long long patron_id, cJSON *patron)
{
	cJSON *ready = cJSON_AddArrayToObject(patron, "holds_ready");
	sqlite3_stmt *st = store_stmt(call->store,
		"SELECT i.barcode, i.title, h.pickup_branch, h.ready_since, h.pickup_by"
		" FROM holds h JOIN items i ON i.id = h.item_id"
		" WHERE h.patron_id = ? AND h.status = 'ready' ORDER BY h.ready_since, h.id");
	sqlite3_bind_int64(st, 1, patron_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *h = cJSON_CreateObject();
		cJSON_AddStringToObject(h, "item_barcode", text(st, 0));
		cJSON_AddStringToObject(h, "title", text(st, 1));
		cJSON_AddStringToObject(h, "pickup_branch", text(st, 2));
		char since[DATE_STR_LEN] = "";
		if (sqlite3_column_type(st, 3) != SQLITE_NULL)
			date_format_iso(date_of_time((time_t)sqlite3_column_int64(st, 3)), since);
		cJSON_AddStringToObject(h, "ready_since", since);
		cJSON_AddStringToObject(h, "pickup_by", text(st, 4));
		cJSON_AddItemToArray(ready, h);
	}
	store_done(st);
	if (rc != SQLITE_DONE)
		return false;
	st = store_stmt(call->store, "SELECT count(*) FROM holds WHERE patron_id = ?"
				     " AND status IN ('waiting', 'in_transit')");
	sqlite3_bind_int64(st, 1, patron_id);
	rc = sqlite3_step(st);
	cJSON_AddNumberToObject(patron, "holds_waiting", rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0);
	store_done(st);
	return rc == SQLITE_ROW && add_open_holds(call, patron_id, patron);
}

static char *full_name_dup(const char *given, const char *family)
{
	return xasprintf("%s %s", given, family);
}

void ep_patron_show(struct call *call, struct reply *out)
{
	struct circ_ctx ctx;
	circ_ctx_init(&ctx, call->store, call->svc->rules, call->now, call->session->branch,
		      call->session->staff_id);
	const char *problem = circ_card_problem(call->params[0]);
	if (problem) {
		reply_invalid_field(out, "card", problem);
		return;
	}
	struct circ_patron_rec p;
	enum circ_status s = circ_patron_find(call->store, call->params[0], &p);
	if (s != CIRC_OK) {
		if (s == CIRC_PATRON_NOT_FOUND)
			reply_error(out, ERR_PATRON_NOT_FOUND, "no patron with this card", NULL);
		else
			reply_unavailable(out);
		return;
	}
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "card", p.card);
	char *name = full_name_dup(p.given_name, p.family_name);
	cJSON_AddStringToObject(root, "name", name);
	free(name);
	cJSON_AddStringToObject(root, "given_name", p.given_name);
	cJSON_AddStringToObject(root, "family_name", p.family_name);
	cJSON_AddStringToObject(root, "birth_date", p.birth_date);
	cJSON_AddStringToObject(root, "category", p.category);
	cJSON_AddStringToObject(root, "home_branch", p.home_branch);
	cJSON_AddStringToObject(root, "expires_on", p.expires_on);
	cJSON *blocks = cJSON_AddArrayToObject(root, "blocks");
	unsigned mask = circ_patron_blocks(&ctx, &p);
	for (unsigned bit = 1; bit <= CIRC_BLOCK_ALL; bit <<= 1)
		if (mask & bit)
			cJSON_AddItemToArray(blocks, cJSON_CreateString(circ_block_name(bit)));
	if (p.manual_block)
		cJSON_AddStringToObject(root, "manual_block", p.manual_block);
	cJSON_AddNumberToObject(root, "loans_count", p.loans);
	cJSON_AddNumberToObject(root, "max_loans", rules_max_loans(ctx.rules, p.category));
	cJSON_AddNumberToObject(root, "fines_cents", (double)p.fines_cents);
	if (!add_loans(call, &ctx, p.id, root) || !add_holds(call, p.id, root)) {
		log_error("database: reading a patron's loans or holds: %s",
			  sqlite3_errmsg(store_db(call->store)));
		cJSON_Delete(root);
		reply_unavailable(out);
	} else {
		reply_json(out, 200, root);
	}
	circ_patron_clear(&p);
}

/* Escapes LIKE's wildcards so that a typed % or _ is just a character. */
static char *like_pattern_dup(const char *word, size_t len)
{
	char *out = xmalloc(2 * len + 3);
	size_t n = 0;
	out[n++] = '%';
	for (size_t i = 0; i < len; i++) {
		if (word[i] == '%' || word[i] == '_' || word[i] == '\\')
			out[n++] = '\\';
		out[n++] = word[i];
	}
	out[n++] = '%';
	out[n] = '\0';
	return out;
}

/* Splits q into at most QUERY_WORDS LIKE patterns; returns how many. */
static size_t query_words(const char *q, char *words[QUERY_WORDS])
{
	size_t n = 0;
	while (q && *q && n < QUERY_WORDS) {
		while (*q == ' ')
			q++;
		size_t len = strcspn(q, " ");
		if (len)
			words[n++] = like_pattern_dup(q, len);
		q += len;
	}
	return n;
}

void ep_patron_search(struct call *call, struct reply *out)
{
	const char *q = call->query(call->query_ctx, "q");
	const char *birth = call->query(call->query_ctx, "birth_date");
	struct civil_date d;
	if (birth && *birth && !date_parse_iso(birth, &d)) {
		reply_invalid_field(out, "birth_date", "invalid");
		return;
	}
	if (q && strlen(q) > QUERY_MAX) {
		reply_invalid_field(out, "q", "too_long");
		return;
	}
	char *words[QUERY_WORDS];
	size_t n = query_words(q, words);
	if (n == 0 && !(birth && *birth)) {
		reply_invalid_field(out, "q", "missing");
		return;
	}
	/* Unused word slots match everything ('%'). */
	sqlite3_stmt *st = store_stmt(call->store,
		"SELECT card, given_name, family_name, birth_date, category, home_branch, expires_on"
		" FROM patrons WHERE (?6 IS NULL OR birth_date = ?6)"
		" AND given_name || ' ' || family_name LIKE ?1 ESCAPE '\\'"
		" AND given_name || ' ' || family_name LIKE ?2 ESCAPE '\\'"
		" AND given_name || ' ' || family_name LIKE ?3 ESCAPE '\\'"
		" AND given_name || ' ' || family_name LIKE ?4 ESCAPE '\\'"
		" AND given_name || ' ' || family_name LIKE ?5 ESCAPE '\\'"
		" ORDER BY family_name, given_name, birth_date LIMIT ?7");
	for (int i = 0; i < QUERY_WORDS; i++)
		sqlite3_bind_text(st, i + 1, (size_t)i < n ? words[i] : "%", -1, SQLITE_STATIC);
	if (birth && *birth)
		sqlite3_bind_text(st, 6, birth, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, SEARCH_MAX + 1);
	cJSON *root = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(root, "patrons");
	int rc, count = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && count < SEARCH_MAX) {
		cJSON *p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "card", text(st, 0));
		char *name = full_name_dup(text(st, 1), text(st, 2));
		cJSON_AddStringToObject(p, "name", name);
		free(name);
		cJSON_AddStringToObject(p, "birth_date", text(st, 3));
		cJSON_AddStringToObject(p, "category", text(st, 4));
		cJSON_AddStringToObject(p, "home_branch", text(st, 5));
		cJSON_AddStringToObject(p, "expires_on", text(st, 6));
		cJSON_AddItemToArray(list, p);
		count++;
	}
	cJSON_AddBoolToObject(root, "truncated", rc == SQLITE_ROW);
	bool ok = rc == SQLITE_ROW || rc == SQLITE_DONE;
	store_done(st);
	for (size_t i = 0; i < n; i++)
		free(words[i]);
	if (!ok) {
		log_error("database: searching patrons: %s", sqlite3_errmsg(store_db(call->store)));
		cJSON_Delete(root);
		reply_unavailable(out);
		return;
	}
	reply_json(out, 200, root);
}
