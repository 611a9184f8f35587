#include "service/domain/notices.h"

#include "core/date.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { NOTICES_BACKOFF_MAX_SECONDS = 3600 };

static const char *notices_col(struct db_stmt *st, int col)
{
	const char *t = db_column_text(st, col);
	return t ? t : "";
}

/* "zaterdag 22-03-2031": the weekday spelled out, so that nobody counts days. */
static char *notices_day_dup(const char *iso)
{
	static const char *const weekdays[] = { "maandag", "dinsdag", "woensdag", "donderdag",
						"vrijdag", "zaterdag", "zondag" };
	struct civil_date d;
	if (!date_parse_iso(iso, &d))
		return xstrdup(iso);
	char dutch[DATE_STR_LEN];
	date_format_dutch(d, dutch);
	return xasprintf("%s %s", weekdays[date_weekday(d) - 1], dutch);
}

static char *notices_ready_body_dup(const char *given_name, const char *title,
				    const char *branch_name, const char *day)
{
	return xasprintf("Beste %s,\n"
			 "\n"
			 "Uw reservering ligt voor u klaar in de afhaalkast van %s:\n"
			 "\n"
			 "    %s\n"
			 "\n"
			 "U kunt het ophalen tot en met %s. Daarna gaat het naar de volgende\n"
			 "lener of terug naar de plank. Neem uw bibliotheekpas mee.\n"
			 "\n"
			 "Met vriendelijke groet,\n"
			 "De bibliotheek\n",
			 given_name, branch_name, title, day);
}

static bool notices_insert(struct store *store, long long patron_id, long long hold_id,
			   const char *to, const char *subject, const char *body, time_t now)
{
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO notices (kind, patron_id, hold_id, to_address, subject, body,"
		" created_at, next_attempt_at) VALUES ('hold_ready', ?1, ?2, ?3, ?4, ?5, ?6, ?6)");
	db_bind_int64(st, 1, patron_id);
	db_bind_int64(st, 2, hold_id);
	db_bind_text(st, 3, to, -1);
	db_bind_text(st, 4, subject, -1);
	db_bind_text(st, 5, body, -1);
	db_bind_int64(st, 6, (long long)now);
	return store_run(store, st, "writing a notice");
}

bool notices_hold_ready(struct store *store, long long hold_id, time_t now)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT p.id, p.email, p.given_name, t.title, b.name, h.pickup_by"
		" FROM holds h JOIN patrons p ON p.id = h.patron_id"
		" JOIN items i ON i.id = h.item_id JOIN titles t ON t.id = i.title_id"
		" JOIN branches b ON b.code = h.pickup_branch"
		" WHERE h.id = ?1");
	db_bind_int64(st, 1, hold_id);
	int rc = db_step(st);
	if (rc != DB_ROW) {
		store_done(st);
		return rc == DB_DONE || store_failed(store, "reading a hold for its notice");
	}
	long long patron_id = db_column_int64(st, 0);
	char *to = xstrdup(notices_col(st, 1));
	bool ok = true;
	if (*to) {
		char *day = notices_day_dup(notices_col(st, 5));
		char *subject = xasprintf("Uw reservering ligt klaar: %s", notices_col(st, 3));
		char *body = notices_ready_body_dup(notices_col(st, 2), notices_col(st, 3),
						    notices_col(st, 4), day);
		store_done(st);
		ok = notices_insert(store, patron_id, hold_id, to, subject, body, now);
		free(body);
		free(subject);
		free(day);
	} else {
		store_done(st);
	}
	free(to);
	return ok;
}

void notice_clear(struct notice *n)
{
	free(n->to);
	free(n->subject);
	free(n->body);
	memset(n, 0, sizeof *n);
}

static long long notices_backoff(unsigned retry_seconds, unsigned attempts)
{
	long long delay = retry_seconds;
	for (unsigned i = 1; i < attempts && delay < NOTICES_BACKOFF_MAX_SECONDS; i++)
		delay *= 2;
	return delay < NOTICES_BACKOFF_MAX_SECONDS ? delay : NOTICES_BACKOFF_MAX_SECONDS;
}

static int notices_read_due(struct store *store, time_t now, struct notice *out)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT id, to_address, subject, body, created_at, attempts FROM notices"
		" WHERE sent_at IS NULL AND next_attempt_at <= ?1"
		" ORDER BY next_attempt_at, id LIMIT 1");
	db_bind_int64(st, 1, (long long)now);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_column_int64(st, 0);
		out->to = xstrdup(notices_col(st, 1));
		out->subject = xstrdup(notices_col(st, 2));
		out->body = xstrdup(notices_col(st, 3));
		out->created_at = db_column_int64(st, 4);
		out->attempts = (unsigned)db_column_int(st, 5) + 1;
	}
	store_done(st);
	if (rc == DB_ROW)
		return 1;
	return rc == DB_DONE ? 0 : (store_failed(store, "reading the outbox"), -1);
}

static bool notices_count_attempt(struct store *store, const struct notice *n, time_t now,
				  unsigned retry_seconds)
{
	struct db_stmt *st = store_stmt(store,
		"UPDATE notices SET attempts = ?2, next_attempt_at = ?3 WHERE id = ?1");
	db_bind_int64(st, 1, n->id);
	db_bind_int64(st, 2, (int)n->attempts);
	db_bind_int64(st, 3, (long long)now + notices_backoff(retry_seconds, n->attempts));
	return store_run(store, st, "counting a notice's attempt");
}

int notices_take_due(struct store *store, time_t now, unsigned retry_seconds, struct notice *out)
{
	memset(out, 0, sizeof *out);
	if (!store_begin(store))
		return -1;
	int found = notices_read_due(store, now, out);
	if (found == 1 && (!notices_count_attempt(store, out, now, retry_seconds) ||
			   !store_commit(store)))
		found = -1;
	if (found != 1) {
		store_rollback(store);
		notice_clear(out);
	}
	return found;
}

/* Runs one UPDATE of a notice in a transaction of its own. */
static bool notices_update(struct store *store, struct db_stmt *st, const char *what)
{
	bool ok = db_step(st) == DB_DONE;
	store_done(st);
	if (!ok)
		store_failed(store, what);
	return ok;
}

bool notices_mark_sent(struct store *store, long long id, time_t now)
{
	struct db_stmt *st = store_stmt(store,
		"UPDATE notices SET sent_at = ?2, last_error = NULL WHERE id = ?1");
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, (long long)now);
	return notices_update(store, st, "marking a notice sent");
}

bool notices_mark_failed(struct store *store, long long id, const char *error)
{
	struct db_stmt *st = store_stmt(store, "UPDATE notices SET last_error = ?2 WHERE id = ?1");
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, error, -1);
	return notices_update(store, st, "marking a notice's failure");
}

static long long notices_scalar(struct store *store, const char *sql, const char *what)
{
	struct db_stmt *st = store_stmt(store, sql);
	int rc = db_step(st);
	long long v = rc == DB_ROW ? db_column_int64(st, 0) : -1;
	store_done(st);
	if (rc != DB_ROW)
		store_failed(store, what);
	return v;
}

long long notices_next_due(struct store *store)
{
	return notices_scalar(store,
		"SELECT coalesce(min(next_attempt_at), 0) FROM notices WHERE sent_at IS NULL",
		"reading the outbox");
}

long long notices_waiting(struct store *store)
{
	return notices_scalar(store, "SELECT count(*) FROM notices WHERE sent_at IS NULL",
			      "counting the outbox");
}

bool notices_to_phone(struct store *store, const char *branch, notices_phone_fn fn, void *ctx)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT p.card, p.given_name, p.family_name, p.phone, t.title, h.pickup_branch,"
		" h.pickup_by, h.id FROM holds h JOIN patrons p ON p.id = h.patron_id"
		" JOIN items i ON i.id = h.item_id JOIN titles t ON t.id = i.title_id"
		" WHERE h.status = 'ready' AND (?1 IS NULL OR h.pickup_branch = ?1)"
		"  AND coalesce(p.email, '') = ''"
		"  AND NOT EXISTS (SELECT 1 FROM notices n WHERE n.hold_id = h.id)"
		" ORDER BY h.pickup_by, h.id");
	if (branch)
		db_bind_text(st, 1, branch, -1);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct notice_phone row = {
			.card = notices_col(st, 0), .given_name = notices_col(st, 1),
			.family_name = notices_col(st, 2),
			.phone = db_column_text(st, 3) ? notices_col(st, 3) : NULL,
			.title = notices_col(st, 4), .pickup_branch = notices_col(st, 5),
			.pickup_by = notices_col(st, 6), .hold_id = db_column_int64(st, 7),
		};
		fn(ctx, &row);
	}
	store_done(st);
	return rc == DB_DONE || store_failed(store, "reading the ready holds to phone");
}
