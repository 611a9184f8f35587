/* The PostgreSQL driver of the store (libpq): the database of a network,
 * with several balied in front of it.
 *
 * The domain's SQL is written once; at prepare the driver turns its ? and
 * ?N placeholders into $N and its few SQLite words into PostgreSQL's
 * (sqlrewrite.h). A statement kept by store_stmt is prepared on the server
 * once per connection, at its first step, with the types of what was bound
 * then (an integer is int8, a blob bytea, text is left for the server to
 * infer).
 *
 * Transactions are SERIALIZABLE: the domain checks and then writes (is the
 * item on loan? then lend it) as it does on SQLite, where writers take
 * turns; on PostgreSQL several nodes write at once, and a transaction that
 * would break what a serial order gives fails with a serialization
 * failure, which db_step answers as DB_BUSY, and the caller runs it again
 * (idempotency_run). A lost connection is made again at the next statement
 * outside a transaction: with several hosts in the connection string and
 * target_session_attrs=read-write, libpq finds the primary that is left.
 */
#include "service/store/store_driver.h"

#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "service/store/schema.h"
#include "service/store/sqlrewrite.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	/* Type oids of pg_type, stable across releases. */
	PG_INT8 = 20,
	PG_BYTEA = 17,
	PG_MAX_PARAMS = 32,
	/* A lost connection is tried again at most this often per connection. */
	PG_RECONNECT_MS = 500,
	/* Waiting for a lock another transaction holds: as SQLite's busy wait. */
	PG_LOCK_TIMEOUT_MS = 2000,
};

struct pg {
	struct store base;
	PGconn *conn;
	char *conninfo;
	unsigned epoch;     /* counts connections made: statements prepare again */
	unsigned next_name; /* of the statements prepared on the server */
	bool in_tx;
	bool failed_tx;     /* a statement failed inside the transaction */
	long long reconnect_at;
	long long changes;
	char sqlstate[6];
	char errmsg[256];
	enum store_fault fault;
};

struct pg_param {
	char *value; /* NULL: SQL NULL */
	int len;
	int format;  /* 0 text, 1 binary */
	unsigned type;
};

struct pg_stmt {
	struct db_stmt base;
	struct pg *pg;
	char *sql;
	int n_params;
	bool keep;
	char name[24];
	unsigned prepared_epoch; /* 0: not prepared on this connection */
	struct pg_param params[PG_MAX_PARAMS];
	PGresult *res;
	int row, n_rows;
	unsigned char *blob; /* the decoded bytea of the column asked last */
	size_t blob_len;
};

static struct pg *pg_of(struct store *store)
{
	return (struct pg *)store;
}

static struct pg_stmt *stmt_of(struct db_stmt *st)
{
	return (struct pg_stmt *)st;
}

/* ---- errors ---- */

static enum store_fault fault_of_state(const char *state, bool connection_bad)
{
	if (connection_bad)
		return STORE_FAULT_UNREACHABLE;
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))
		return STORE_FAULT_BUSY;
	if (!strcmp(state, "53100"))
		return STORE_FAULT_FULL;
	if (!strcmp(state, "25006"))
		return STORE_FAULT_READ_ONLY; /* a standby: not (yet) the primary */
	if (!strncmp(state, "08", 2) || !strncmp(state, "57P", 3) || !strncmp(state, "53", 2))
		return STORE_FAULT_UNREACHABLE;
	return STORE_FAULT_NONE;
}

/* Keeps what went wrong for store_errmsg and the fault; the message is
 * libpq's, which names no values of the statement. */
static void note_failure(struct pg *pg, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	bool bad = PQstatus(pg->conn) != CONNECTION_OK;
	snprintf(pg->sqlstate, sizeof pg->sqlstate, "%s", state ? state : (bad ? "08006" : "XX000"));
	snprintf(pg->errmsg, sizeof pg->errmsg, "%s", msg ? msg : PQerrorMessage(pg->conn));
	char *nl = strchr(pg->errmsg, '\n');
	if (nl)
		*nl = '\0';
	pg->fault = fault_of_state(pg->sqlstate, bad);
	store_fault_note(pg->fault);
	if (pg->in_tx)
		pg->failed_tx = true;
}

static int rc_of_state(const char *state)
{
	if (!strncmp(state, "23", 2))
		return DB_CONSTRAINT;
	if (fault_of_state(state, false) == STORE_FAULT_BUSY)
		return DB_BUSY;
	return DB_ERROR;
}

/* ---- the connection ---- */

/* The name the log gives the database: its name and host, never the
 * connection string (which may hold a password). */
static char *display_name(PGconn *conn, const char *where)
{
	if (conn && PQstatus(conn) == CONNECTION_OK)
		return xasprintf("postgresql %s on %s", PQdb(conn),
				 PQhost(conn) && *PQhost(conn) ? PQhost(conn) : "localhost");
	const char *at = strchr(where, '@');
	return xasprintf("postgresql %s", at ? at + 1 : "(see the db setting)");
}

static PGconn *connect_db(const char *where)
{
	/* Defaults the connection string may override: balied waits a bounded
	 * time for a host, and names itself to the server. */
	const char *const keys[] = { "connect_timeout", "application_name", "dbname", NULL };
	const char *const values[] = { "3", "balied", where, NULL };
	return PQconnectdbParams(keys, values, 1);
}

static bool session_setup(struct pg *pg, char **err)
{
	char *sql = xasprintf("SET lock_timeout = %d; SET TIME ZONE 'UTC';"
			      " SET default_transaction_isolation = 'read committed';"
			      " SET client_min_messages = warning;",
			      PG_LOCK_TIMEOUT_MS);
	PGresult *res = PQexec(pg->conn, sql);
	free(sql);
	bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok && err)
		*err = xstrdup(PQresultErrorMessage(res));
	PQclear(res);
	return ok;
}

/* A lost connection is made again, outside a transaction only. */
static bool ensure_connected(struct pg *pg)
{
	if (PQstatus(pg->conn) == CONNECTION_OK)
		return true;
	if (pg->in_tx)
		return false;
	long long now = clock_now_ms();
	if (now < pg->reconnect_at)
		return false;
	pg->reconnect_at = now + PG_RECONNECT_MS;
	PQreset(pg->conn);
	if (PQstatus(pg->conn) != CONNECTION_OK || !session_setup(pg, NULL)) {
		note_failure(pg, NULL);
		return false;
	}
	pg->epoch++;
	log_info("database %s: connected again", pg->base.name);
	return true;
}

static bool exec_simple(struct pg *pg, const char *sql, char **err)
{
	if (!ensure_connected(pg)) {
		if (err)
			*err = xasprintf("cannot reach the database: %s", pg->errmsg);
		return false;
	}
	PGresult *res = PQexec(pg->conn, sql);
	ExecStatusType s = PQresultStatus(res);
	bool ok = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
	if (ok) {
		pg->changes = atoll(PQcmdTuples(res));
		pg->fault = STORE_FAULT_NONE;
	} else {
		note_failure(pg, res);
		if (err)
			*err = xstrdup(pg->errmsg);
	}
	PQclear(res);
	return ok;
}

static bool pg_exec(struct store *base, const char *sql, char **err)
{
	char *rewritten = sqlrewrite_postgresql(sql, NULL);
	bool ok = exec_simple(pg_of(base), rewritten, err);
	free(rewritten);
	return ok;
}

/* ---- the schema ---- */

static int schema_version(struct pg *pg)
{
	PGresult *res = PQexec(pg->conn, "SELECT version FROM balied_schema");
	int v = -1;
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		v = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

/* What SQLite has built in and the domain's SQL uses, made once in a new
 * database. */
static const char *const pg_prelude[] = {
	"CREATE TABLE balied_schema (version integer NOT NULL)",
	"INSERT INTO balied_schema (version) VALUES (0)",
	"CREATE FUNCTION balied_concat(acc text, v text, sep text) RETURNS text"
	"  LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN v IS NULL THEN acc"
	"  WHEN acc IS NULL THEN v ELSE acc || sep || v END $$",
	"CREATE FUNCTION balied_concat(acc text, v text) RETURNS text"
	"  LANGUAGE sql IMMUTABLE AS $$ SELECT balied_concat(acc, v, ',') $$",
	"CREATE AGGREGATE group_concat(text, text) (SFUNC = balied_concat, STYPE = text)",
	"CREATE AGGREGATE group_concat(text) (SFUNC = balied_concat, STYPE = text)",
	"CREATE FUNCTION instr(s text, part text) RETURNS integer"
	"  LANGUAGE sql IMMUTABLE AS $$ SELECT strpos(s, part) $$",
	"CREATE FUNCTION last_insert_rowid() RETURNS bigint"
	"  LANGUAGE sql AS $$ SELECT lastval() $$",
	/* The words of a title for its search: lower case, without accents. */
	"CREATE EXTENSION IF NOT EXISTS unaccent",
	"CREATE FUNCTION balied_fold(s text) RETURNS text"
	"  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT lower(unaccent('unaccent'::regdictionary, s)) $$",
	"CREATE EXTENSION IF NOT EXISTS pg_trgm",
};

static bool run_step(struct pg *pg, const struct schema_step *step, char **err)
{
	for (size_t i = 0; i < step->n_sql; i++) {
		if (!store_step_applies(STORE_POSTGRESQL, step->sql[i]))
			continue;
		char *sql = sqlrewrite_postgresql_ddl(step->sql[i]);
		bool ok = exec_simple(pg, sql, err);
		if (!ok) {
			char *why = *err;
			*err = xasprintf("%s (in: %.120s)", why, sql);
			free(why);
		}
		free(sql);
		if (!ok)
			return false;
	}
	return true;
}

/* Migrates under an advisory lock of the transaction, so that nodes that
 * start together migrate once; each step and its version commit together. */
static bool migrate(struct pg *pg, char **err)
{
	if (schema_version(pg) == (int)schema_step_count)
		return true;
	if (!exec_simple(pg, "BEGIN; SELECT pg_advisory_xact_lock(7431, 0)", err))
		return false;
	int have = schema_version(pg);
	if (have < 0) {
		exec_simple(pg, "ROLLBACK; BEGIN; SELECT pg_advisory_xact_lock(7431, 0)", NULL);
		for (size_t i = 0; i < sizeof pg_prelude / sizeof pg_prelude[0]; i++)
			if (!exec_simple(pg, pg_prelude[i], err)) {
				exec_simple(pg, "ROLLBACK", NULL);
				return false;
			}
		have = 0;
	}
	int want = (int)schema_step_count;
	if (have > want) {
		*err = xasprintf("schema version %d is newer than this balied knows (%d)", have, want);
		exec_simple(pg, "ROLLBACK", NULL);
		return false;
	}
	for (int v = have; v < want; v++) {
		char set[64];
		snprintf(set, sizeof set, "UPDATE balied_schema SET version = %d", v + 1);
		if (!run_step(pg, &schema_steps[v], err) || !exec_simple(pg, set, err)) {
			exec_simple(pg, "ROLLBACK", NULL);
			return false;
		}
		log_info("database %s: schema migrated to version %d", pg->base.name, v + 1);
	}
	return exec_simple(pg, "COMMIT", err);
}

static void pg_close(struct store *base)
{
	struct pg *pg = pg_of(base);
	store_base_clear(base);
	PQfinish(pg->conn);
	free(pg->conninfo);
	free(pg);
}

static struct store *pg_open(const char *where, char **err)
{
	PGconn *conn = connect_db(where);
	if (!conn || PQstatus(conn) != CONNECTION_OK) {
		char *name = display_name(NULL, where);
		const char *why = conn ? PQerrorMessage(conn) : "out of memory";
		*err = xasprintf("%s: %.*s", name, (int)strcspn(why, "\n"), why);
		free(name);
		PQfinish(conn);
		return NULL;
	}
	struct pg *pg = xcalloc(1, sizeof *pg);
	char *name = display_name(conn, where);
	store_base_init(&pg->base, &store_pg_driver, name);
	free(name);
	pg->conn = conn;
	pg->conninfo = xstrdup(where);
	pg->epoch = 1;
	char *why = NULL;
	if (!session_setup(pg, &why) || !migrate(pg, &why)) {
		*err = xasprintf("%s: %s", pg->base.name, why ? why : pg->errmsg);
		free(why);
		pg_close(&pg->base);
		return NULL;
	}
	return &pg->base;
}

/* ---- statements ---- */

static struct db_stmt *pg_prepare(struct store *base, const char *sql, bool keep)
{
	struct pg *pg = pg_of(base);
	int n = 0;
	char *rewritten = sqlrewrite_postgresql(sql, &n);
	if (n > PG_MAX_PARAMS) {
		snprintf(pg->errmsg, sizeof pg->errmsg, "more than %d parameters", PG_MAX_PARAMS);
		free(rewritten);
		return NULL;
	}
	struct pg_stmt *st = xcalloc(1, sizeof *st);
	st->base.drv = &store_pg_driver;
	st->pg = pg;
	st->sql = rewritten;
	st->n_params = n;
	st->keep = keep;
	if (keep)
		snprintf(st->name, sizeof st->name, "s%u", ++pg->next_name);
	return &st->base;
}

static void clear_result(struct pg_stmt *st)
{
	PQclear(st->res);
	st->res = NULL;
	st->row = st->n_rows = 0;
	PQfreemem(st->blob);
	st->blob = NULL;
}

static void clear_params(struct pg_stmt *st)
{
	for (int i = 0; i < st->n_params; i++) {
		free(st->params[i].value);
		st->params[i] = (struct pg_param){ 0 };
	}
}

static void pg_reset(struct db_stmt *base)
{
	struct pg_stmt *st = stmt_of(base);
	clear_result(st);
	clear_params(st);
}

static void pg_finalize(struct db_stmt *base)
{
	struct pg_stmt *st = stmt_of(base);
	pg_reset(base);
	/* The server's copy ends with the connection. */
	free(st->sql);
	free(st);
}

static struct pg_param *param(struct db_stmt *base, int col)
{
	struct pg_stmt *st = stmt_of(base);
	if (col < 1 || col > st->n_params) {
		log_error("database: parameter %d of a statement with %d", col, st->n_params);
		abort(); /* a programming error, as SQLite's misuse */
	}
	struct pg_param *p = &st->params[col - 1];
	free(p->value);
	*p = (struct pg_param){ 0 };
	return p;
}

static void pg_bind_int64(struct db_stmt *st, int col, long long v)
{
	struct pg_param *p = param(st, col);
	p->value = xasprintf("%lld", v);
	p->type = PG_INT8;
}

static void pg_bind_text(struct db_stmt *st, int col, const char *text, int len)
{
	struct pg_param *p = param(st, col);
	if (!text)
		return; /* NULL, as SQLite binds it */
	size_t n = len < 0 ? strlen(text) : (size_t)len;
	p->value = xmalloc(n + 1);
	memcpy(p->value, text, n);
	p->value[n] = '\0';
}

static void pg_bind_blob(struct db_stmt *st, int col, const void *data, int len)
{
	struct pg_param *p = param(st, col);
	p->value = xmalloc((size_t)len + 1);
	memcpy(p->value, data, (size_t)len);
	p->len = len;
	p->format = 1;
	p->type = PG_BYTEA;
}

static void pg_bind_null(struct db_stmt *st, int col)
{
	param(st, col);
}

static PGresult *execute(struct pg_stmt *st)
{
	struct pg *pg = st->pg;
	const char *values[PG_MAX_PARAMS];
	int lengths[PG_MAX_PARAMS], formats[PG_MAX_PARAMS];
	unsigned types[PG_MAX_PARAMS];
	for (int i = 0; i < st->n_params; i++) {
		values[i] = st->params[i].value;
		lengths[i] = st->params[i].len;
		formats[i] = st->params[i].format;
		types[i] = st->params[i].type;
	}
	if (!st->keep)
		return PQexecParams(pg->conn, st->sql, st->n_params, types, values, lengths,
				    formats, 0);
	if (st->prepared_epoch != pg->epoch) {
		PGresult *res = PQprepare(pg->conn, st->name, st->sql, st->n_params, types);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			return res;
		PQclear(res);
		st->prepared_epoch = pg->epoch;
	}
	return PQexecPrepared(pg->conn, st->name, st->n_params, values, lengths, formats, 0);
}

static int pg_step(struct db_stmt *base)
{
	struct pg_stmt *st = stmt_of(base);
	struct pg *pg = st->pg;
	if (st->res) {
		PQfreemem(st->blob);
		st->blob = NULL;
		if (++st->row < st->n_rows)
			return DB_ROW;
		return DB_DONE;
	}
	if (!ensure_connected(pg))
		return DB_ERROR;
	PGresult *res = execute(st);
	switch (PQresultStatus(res)) {
	case PGRES_TUPLES_OK:
		st->res = res;
		st->row = 0;
		st->n_rows = PQntuples(res);
		pg->changes = atoll(PQcmdTuples(res)); /* an INSERT ... RETURNING */
		pg->fault = STORE_FAULT_NONE;
		return st->n_rows > 0 ? DB_ROW : DB_DONE;
	case PGRES_COMMAND_OK:
		pg->changes = atoll(PQcmdTuples(res));
		pg->fault = STORE_FAULT_NONE;
		/* Kept so that a second step answers DB_DONE again. */
		st->res = res;
		st->row = st->n_rows = 0;
		return DB_DONE;
	default:
		note_failure(pg, res);
		PQclear(res);
		return PQstatus(pg->conn) != CONNECTION_OK ? DB_ERROR : rc_of_state(pg->sqlstate);
	}
}

static bool null_at(struct pg_stmt *st, int col)
{
	return !st->res || st->row >= st->n_rows || col >= PQnfields(st->res) ||
	       PQgetisnull(st->res, st->row, col);
}

static long long pg_column_int64(struct db_stmt *base, int col)
{
	struct pg_stmt *st = stmt_of(base);
	if (null_at(st, col))
		return 0;
	const char *v = PQgetvalue(st->res, st->row, col);
	if (v[0] == 't' && !v[1])
		return 1; /* a boolean, which SQLite gives as 1 and 0 */
	return strtoll(v, NULL, 10);
}

static const char *pg_column_text(struct db_stmt *base, int col)
{
	struct pg_stmt *st = stmt_of(base);
	return null_at(st, col) ? NULL : PQgetvalue(st->res, st->row, col);
}

static const void *pg_column_blob(struct db_stmt *base, int col)
{
	struct pg_stmt *st = stmt_of(base);
	if (null_at(st, col))
		return NULL;
	PQfreemem(st->blob);
	st->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(st->res, st->row, col),
				   &st->blob_len);
	return st->blob;
}

static int pg_column_bytes(struct db_stmt *base, int col)
{
	struct pg_stmt *st = stmt_of(base);
	if (null_at(st, col))
		return 0;
	if (PQftype(st->res, col) == PG_BYTEA) {
		if (!st->blob)
			pg_column_blob(base, col);
		return (int)st->blob_len;
	}
	return PQgetlength(st->res, st->row, col);
}

static int pg_column_type(struct db_stmt *base, int col)
{
	return null_at(stmt_of(base), col) ? DB_NULL : DB_VALUE;
}

/* ---- transactions ---- */

static bool pg_begin(struct store *base)
{
	struct pg *pg = pg_of(base);
	if (!exec_simple(pg, "BEGIN ISOLATION LEVEL SERIALIZABLE", NULL)) {
		store_fault_begins(base, pg->fault == STORE_FAULT_NONE ? STORE_FAULT_UNREACHABLE
								       : pg->fault);
		return false;
	}
	pg->in_tx = true;
	pg->failed_tx = false;
	return true;
}

static bool pg_commit(struct store *base)
{
	struct pg *pg = pg_of(base);
	if (!pg->in_tx)
		return true;
	/* A COMMIT of a failed transaction is a ROLLBACK. */
	if (pg->failed_tx || !exec_simple(pg, "COMMIT", NULL)) {
		if (pg->fault != STORE_FAULT_NONE && pg->fault != STORE_FAULT_BUSY)
			store_fault_begins(base, pg->fault);
		return false;
	}
	pg->in_tx = false;
	store_fault_ends(base);
	return true;
}

static void pg_rollback(struct store *base)
{
	struct pg *pg = pg_of(base);
	if (!pg->in_tx)
		return;
	pg->in_tx = false;
	if (PQstatus(pg->conn) == CONNECTION_OK) {
		PGresult *res = PQexec(pg->conn, "ROLLBACK");
		PQclear(res);
	}
}

static long long pg_changes(struct store *base)
{
	return pg_of(base)->changes;
}

static long long pg_last_id(struct store *base)
{
	struct pg *pg = pg_of(base);
	PGresult *res = PQexec(pg->conn, "SELECT lastval()");
	long long id = 0;
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		id = atoll(PQgetvalue(res, 0, 0));
	else
		note_failure(pg, res);
	PQclear(res);
	return id;
}

static const char *pg_errmsg(struct store *base)
{
	return pg_of(base)->errmsg;
}

static enum store_fault pg_fault(struct store *base)
{
	return pg_of(base)->fault;
}

static bool pg_check_writable(struct store *base, char **err)
{
	struct pg *pg = pg_of(base);
	PGresult *res = PQexec(pg->conn, "SELECT pg_is_in_recovery()");
	bool standby = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
		       PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (!standby)
		return true;
	*err = xasprintf("the database %s cannot be written: it is a standby (add"
			 " target_session_attrs=read-write to the db setting)", base->name);
	return false;
}

static bool pg_probe(struct store *base)
{
	struct pg *pg = pg_of(base);
	if (pg->in_tx)
		return false;
	bool ok = exec_simple(pg, "UPDATE meta SET value = value WHERE key = 'mode'", NULL);
	if (ok)
		store_fault_ends(base);
	return ok;
}

static void pg_set_serving(struct store *base)
{
	(void)base; /* lock_timeout is set for every connection */
}

static int pg_step_nowait(struct store *base, struct db_stmt *st)
{
	(void)base; /* lock_timeout bounds the wait */
	return pg_step(st);
}

const struct store_driver store_pg_driver = {
	.kind = STORE_POSTGRESQL,
	.open = pg_open,
	.close = pg_close,
	.prepare = pg_prepare,
	.exec = pg_exec,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.changes = pg_changes,
	.last_id = pg_last_id,
	.errmsg = pg_errmsg,
	.fault = pg_fault,
	.check_writable = pg_check_writable,
	.probe = pg_probe,
	.set_serving = pg_set_serving,
	.step_nowait = pg_step_nowait,
	.bind_int64 = pg_bind_int64,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.column_int64 = pg_column_int64,
	.column_text = pg_column_text,
	.column_blob = pg_column_blob,
	.column_bytes = pg_column_bytes,
	.column_type = pg_column_type,
	.reset = pg_reset,
	.finalize = pg_finalize,
};
