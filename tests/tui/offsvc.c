/* The offline tests' own balied (see offsvc.h). */
#include "offsvc.h"

#include "desk.h"
#include "tuienv.h"
#include "vt.h"
#include "core/xalloc.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct offsvc {
	char *home, *sock, *db, *conf;
	char *config; /* balied's config file, or NULL */
	char **envp;
	struct vt *vt;
};

static bool serve(struct offsvc *s)
{
	const char *argv[] = {tuienv_balied(), "--training", "--socket", s->sock, "--db", s->db,
			      s->config ? "--config" : NULL, s->config, NULL};
	char *err = NULL;
	s->vt = vt_spawn(&(struct vt_spawn){.argv = argv, .envp = s->envp}, &err);
	if (!s->vt) {
		printf("# cannot start balied: %s\n", err);
		free(err);
		return false;
	}
	return vt_wait_text(s->vt, "listening on unix:", DESK_START_MS);
}

struct offsvc *offsvc_start(void)
{
	return offsvc_start_conf(NULL);
}

struct offsvc *offsvc_start_conf(const char *config_text)
{
	if (!tuienv_balied()) {
		printf("# BALIED is not set: balied is not built yet\n");
		return NULL;
	}
	char *err = NULL;
	struct offsvc *s = xcalloc(1, sizeof *s);
	s->home = tuienv_home_new(&err);
	if (!s->home) {
		printf("# %s\n", err);
		free(err);
		free(s);
		return NULL;
	}
	s->sock = xasprintf("%s/run/balied.sock", s->home);
	s->db = xasprintf("%s/balied.db", s->home);
	s->conf = xasprintf("server = unix:%s\n", s->sock);
	if (config_text) {
		s->config = xasprintf("%s/balied.conf", s->home);
		FILE *f = fopen(s->config, "w");
		bool written = f && fputs(config_text, f) >= 0;
		if (f && fclose(f) != 0)
			written = false;
		if (!written) {
			printf("# cannot write %s\n", s->config);
			offsvc_stop(s);
			return NULL;
		}
	}
	s->envp = tuienv_envp_new(&(struct tuienv_opts){.home = s->home, .lang = "C.UTF-8"});
	if (!serve(s)) {
		offsvc_stop(s);
		return NULL;
	}
	return s;
}

bool offsvc_kill(struct offsvc *s)
{
	if (!s->vt)
		return false;
	kill(vt_pid(s->vt), SIGKILL);
	vt_close(s->vt);
	s->vt = NULL;
	return true;
}

bool offsvc_pause(struct offsvc *s)
{
	return s->vt && kill(vt_pid(s->vt), SIGSTOP) == 0;
}

bool offsvc_resume(struct offsvc *s)
{
	return s->vt && kill(vt_pid(s->vt), SIGCONT) == 0;
}

bool offsvc_restart(struct offsvc *s)
{
	if (s->vt)
		offsvc_kill(s);
	return serve(s);
}

bool offsvc_stop(struct offsvc *s)
{
	if (!s)
		return false;
	if (s->vt) {
		offsvc_resume(s);
		vt_close(s->vt);
	}
	bool clean = tuienv_strays(s->home, DESK_STEP_MS) == 0;
	tuienv_envp_free(s->envp);
	tuienv_home_remove(s->home);
	free(s->home);
	free(s->sock);
	free(s->db);
	free(s->conf);
	free(s->config);
	free(s);
	return clean;
}

const char *offsvc_server_conf(const struct offsvc *s)
{
	return s->conf;
}

const char *offsvc_db(const struct offsvc *s)
{
	return s->db;
}

static sqlite3_stmt *prepare(const struct offsvc *s, sqlite3 **db, const char *sql,
			     const char *const *params)
{
	if (sqlite3_open_v2(s->db, db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		printf("# %s: %s\n", s->db, sqlite3_errmsg(*db));
		return NULL;
	}
	sqlite3_busy_timeout(*db, 5000);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(*db, sql, -1, &st, NULL) != SQLITE_OK) {
		printf("# %s: %s\n", sql, sqlite3_errmsg(*db));
		return NULL;
	}
	for (int i = 0; params && params[i]; i++)
		sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_TRANSIENT);
	return st;
}

long long offsvc_query_int(const struct offsvc *s, const char *sql, const char *const *params)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = prepare(s, &db, sql, params);
	long long v = -1;
	if (st && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else if (st)
		printf("# %s: no row (%s)\n", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

char *offsvc_query_text_dup(const struct offsvc *s, const char *sql, const char *const *params)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = prepare(s, &db, sql, params);
	char *v = NULL;
	if (st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

bool offsvc_exec(const struct offsvc *s, const char *sql, const char *const *params)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = prepare(s, &db, sql, params);
	bool good = st && sqlite3_step(st) == SQLITE_DONE;
	if (st && !good)
		printf("# %s: %s\n", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return good;
}

/* offsvc_pick of select ORDER BY column, descending when from_last. */
static size_t offsvc_pick_ordered(const struct offsvc *s, const char *select, const char *column,
				  bool from_last, char out[][15], size_t n)
{
	char *sql = xasprintf("%s ORDER BY %s%s", select, column, from_last ? " DESC" : "");
	size_t got = offsvc_pick(s, sql, out, n);
	free(sql);
	return got;
}

size_t offsvc_pick_patrons(const struct offsvc *s, bool from_last, char out[][15], size_t n)
{
	return offsvc_pick_ordered(s,
		"SELECT p.card AS x FROM patrons p WHERE p.expires_on > date('now', '+1 day')"
		" AND p.category = 'adult' AND p.manual_block IS NULL"
		" AND (SELECT count(*) FROM loans l WHERE l.patron_id = p.id AND l.returned_at IS NULL) < 5"
		" AND (SELECT coalesce(sum(f.amount_cents), 0) FROM charges f WHERE f.patron_id = p.id) = 0",
		"p.id", from_last, out, n);
}

size_t offsvc_pick_items(const struct offsvc *s, bool from_last, char out[][15], size_t n)
{
	return offsvc_pick_ordered(s,
		"SELECT i.barcode AS x FROM items i WHERE i.status = 'available'"
		" AND i.item_type IN (SELECT code FROM item_types)"
		" AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.status IN ('waiting', 'in_transit', 'ready')"
		" AND (h.item_id = i.id OR h.title_id = i.title_id))",
		"i.id", from_last, out, n);
}

long long offsvc_open_loans(const struct offsvc *s, const char *barcode, const char *card)
{
	return offsvc_query_int(s,
		"SELECT count(*) FROM loans l JOIN items i ON i.id = l.item_id"
		" JOIN patrons p ON p.id = l.patron_id"
		" WHERE i.barcode = ?1 AND p.card = ?2 AND l.returned_at IS NULL",
		(const char *const[]){barcode, card, NULL});
}

long long offsvc_loans_since(const struct offsvc *s, const char *barcode, long long t0)
{
	char since[32];
	snprintf(since, sizeof since, "%lld", t0);
	return offsvc_query_int(s,
		"SELECT count(*) FROM loans l JOIN items i ON i.id = l.item_id"
		" WHERE i.barcode = ?1 AND l.loaned_at >= CAST(?2 AS INTEGER)",
		(const char *const[]){barcode, since, NULL});
}

size_t offsvc_pick(const struct offsvc *s, const char *sql, char out[][15], size_t n)
{
	size_t got = 0;
	for (size_t i = 0; i < n; i++) {
		char *q = xasprintf("SELECT x FROM (%s LIMIT 1 OFFSET %zu)", sql, i);
		char *v = offsvc_query_text_dup(s, q, NULL);
		free(q);
		if (!v || strlen(v) != 14) {
			free(v);
			break;
		}
		memcpy(out[got++], v, 15);
		free(v);
	}
	return got;
}

long long offsvc_journal_int(const char *home, const char *sql)
{
	char *path = xasprintf("%s/.local/state/balie/journal.db", home);
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long n = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		printf("# journal %s: %s\n", path, db ? sqlite3_errmsg(db) : "not opened");
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(path);
	return n;
}
