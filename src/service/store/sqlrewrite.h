/* The domain's SQL (SQLite's dialect where the two differ) as PostgreSQL
 * takes it: the few words that differ, turned once at prepare. */
#ifndef BALIED_SQLREWRITE_H
#define BALIED_SQLREWRITE_H

/*
 * A statement with ? and ?N placeholders as one with $N (a bare ? is one
 * more than the highest number before it, as in SQLite), LIKE as ILIKE
 * (SQLite's LIKE ignores case). Quoted text is left as it is. *n_params
 * (may be NULL) gets the highest placeholder number. Newly allocated.
 */
char *sqlrewrite_postgresql(const char *sql, int *n_params);

/*
 * A statement of a schema step: as above, and SQLite's types and table
 * options as PostgreSQL's (an INTEGER PRIMARY KEY named id is an identity
 * column; INTEGER is bigint, BLOB bytea; WITHOUT ROWID goes; a CHECK of
 * NOT GLOB '*[^set]*' is a regular expression). Newly allocated.
 */
char *sqlrewrite_postgresql_ddl(const char *sql);

#endif
