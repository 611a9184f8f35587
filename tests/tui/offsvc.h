/* A balied the offline tests start, stop and start again themselves, on a
 * Unix socket and a database in the test's own directory, so that the desk
 * (server = unix:...) loses its service in the middle of its work and finds
 * it again on the same database. The database is read directly (SQLite) to
 * count what the service holds. */
#ifndef BALIE_TUI_OFFSVC_H
#define BALIE_TUI_OFFSVC_H

#include <stdbool.h>
#include <stddef.h>

struct offsvc;

/* A new directory with a training balied in it, serving; NULL after a
 * diagnostic. The desk's balie.conf line is offsvc_server_conf. */
struct offsvc *offsvc_start(void);
/* The same with config_text (e.g. "token_lifetime_seconds = 20\n") as
 * balied's config file (--config); NULL for none. */
struct offsvc *offsvc_start_conf(const char *config_text);
/* Kills balied (SIGKILL: the service goes away, no goodbye). */
bool offsvc_kill(struct offsvc *s);
/* Stops balied with SIGSTOP (it takes connections and answers nothing, so
 * that each request of the desk runs into its deadline) and lets it go on. */
bool offsvc_pause(struct offsvc *s);
bool offsvc_resume(struct offsvc *s);
/* Starts balied again on the same database and socket; false after a diagnostic. */
bool offsvc_restart(struct offsvc *s);
/* Stops balied, checks nothing is left, removes the directory, frees s. */
bool offsvc_stop(struct offsvc *s);

/* "server = unix:/path\n" for the desk's balie.conf. */
const char *offsvc_server_conf(const struct offsvc *s);
/* The database file. */
const char *offsvc_db(const struct offsvc *s);

/* The first integer of sql with text parameters (NULL-terminated), or -1
 * after a diagnostic. Opens the database for this one query. */
long long offsvc_query_int(const struct offsvc *s, const char *sql, const char *const *params);
/* The first text of sql (allocated), or NULL when there is no row. */
char *offsvc_query_text_dup(const struct offsvc *s, const char *sql, const char *const *params);
/* Runs sql with text parameters; false after a diagnostic. */
bool offsvc_exec(const struct offsvc *s, const char *sql, const char *const *params);

/* The first n 14-digit codes (barcodes or cards) of the rows of sql, a query
 * of one text column named x, into out; returns how many there were. */
size_t offsvc_pick(const struct offsvc *s, const char *sql, char out[][15], size_t n);
/* Up to n cards of patrons a test can lend to: adults with a card valid
 * past tomorrow, no block, fewer than 5 loans and no fines (not the demo's
 * blocked or fined ones); in the order of the patrons, from the last when
 * from_last. Returns how many there were. */
size_t offsvc_pick_patrons(const struct offsvc *s, bool from_last, char out[][15], size_t n);
/* Up to n barcodes of items a test can lend: on the shelf, of a loanable
 * type, with no hold; in the order of the items, from the last when
 * from_last. Returns how many there were. */
size_t offsvc_pick_items(const struct offsvc *s, bool from_last, char out[][15], size_t n);
/* Open loans of item barcode to patron card: 1 when lent once to that card. */
long long offsvc_open_loans(const struct offsvc *s, const char *barcode, const char *card);
/* Every loan row of item barcode (open or kept in a history) made after t0
 * (unix time). */
long long offsvc_loans_since(const struct offsvc *s, const char *barcode, long long t0);

/* The first integer of sql in the journal of the desk whose home is home
 * ($HOME/.local/state/balie/journal.db), or -1 after a diagnostic. */
long long offsvc_journal_int(const char *home, const char *sql);

#endif
