/* A real balied for the service tests: the built program, started on a free
 * loopback port (or a Unix socket) with a database in a temporary directory,
 * driven over HTTP through the client library (src/client/api.h). */
#ifndef BALIE_TEST_HARNESS_H
#define BALIE_TEST_HARNESS_H

#include "client/api.h"

#include <stdbool.h>
#include <sys/types.h>

struct harness_opts {
	bool training;           /* --training */
	bool unix_socket;        /* --socket DIR/balied.sock instead of --listen 127.0.0.1:0 */
	const char *config_text; /* written to DIR/balied.conf and passed with --config */
};

struct harness {
	pid_t pid;                /* the running balied, or 0 */
	char dir[64];             /* the temporary directory */
	char *db;                 /* DIR/balied.db */
	char *config;             /* DIR/balied.conf, or NULL */
	char *log;                /* DIR/balied.log: balied's stderr */
	char *socket;             /* DIR/balied.sock */
	char url[256];            /* from the ready line: http://127.0.0.1:PORT or unix:PATH */
};

/* Makes the temporary directory and the config file; starts nothing. */
bool harness_init(struct harness *h, const struct harness_opts *opts);
/* harness_init, then harness_launch. */
bool harness_start(struct harness *h, const struct harness_opts *opts);
/* Starts balied in a directory from harness_init and waits (with a deadline)
 * for its ready line. */
bool harness_launch(struct harness *h, const struct harness_opts *opts);
/* Stops balied with SIGTERM and waits for it; returns its exit status, or -1
 * when it had to be killed or died of a signal. */
int harness_stop(struct harness *h);
/* Stops balied if running and removes the temporary directory. */
void harness_cleanup(struct harness *h);

/* A new api for the running balied; aborts the test when it cannot. */
struct api *harness_api(const struct harness *h);

/*
 * Runs "balied --db DB [--config CONF] ARGS..." to its end (with a deadline),
 * giving it stdin_text (may be NULL) on standard input. Returns its exit
 * status (-1 when it failed to run) and sets *out and *err (allocated) to
 * what it wrote. args ends with NULL.
 */
int harness_run(const struct harness *h, const char *stdin_text, char **out, char **err, ...)
	__attribute__((sentinel));

/*
 * Sends raw bytes (a whole HTTP/1.1 request) to the TCP balied, from the
 * loopback address source (e.g. "127.0.0.2"; NULL for any), and returns the
 * status of the answer (0 when none); *answer (may be NULL) gets the whole
 * answer, headers and body. For what the client library cannot do: broken
 * JSON, huge bodies, another client address.
 */
int harness_raw(const struct harness *h, const char *source, const char *request, size_t len,
		char **answer);

/* A code of the training data: prefix "21000" and 8 digits of n for a
 * card, "3100000" and 6 digits for an item, then the Luhn digit. */
void harness_demo_code(const char *prefix, unsigned n, char out[15]);
/* Up to want training cards (of the 50) without a block, with at most 5
 * loans and no hold to pick up, read through api; returns how many. */
size_t harness_demo_patrons(struct api *api, char (*cards)[15], size_t want);
/* POSTs {"patron_card"?, "item_barcode"} to path (/checkouts, /checkins,
 * /renewals) with a new Idempotency-Key; card may be NULL. */
struct api_reply *harness_post_item(struct api *api, const char *path, const char *card,
				    const char *barcode);
/* Writes text to the file path (made or emptied); false when that failed. */
bool harness_write_file(const char *path, const char *text);
/* The size of a file, 0 when there is none. */
long long harness_file_size(const char *path);

/* balied's log as it is now (allocated, free it; "" when there is none). */
char *harness_log_dup(const struct harness *h);
/* Prints balied's log as TAP comments, to explain a failure. */
void harness_dump_log(const struct harness *h);

/* Logs in through api; returns the reply (free with api_reply_free). */
struct api_reply *harness_login(struct api *api, const char *user, const char *password,
				const char *branch);

/* A whole HTTP/1.1 login request of user with password at branch CEN from
 * terminal, with Connection: close, for harness_raw and raw sockets
 * (allocated). */
char *harness_login_request_dup(const char *user, const char *password, const char *terminal);

/* A new api logged in as the training account balie at CEN (free with
 * api_free), or NULL when the login fails. */
struct api *harness_desk_api(const struct harness *h);

/* Sends a whole login of user with password (branch CEN) to the TCP balied
 * from the loopback address source (NULL for any), without waiting for the
 * answer; returns the connection (close it), or -1. For logins that must be
 * under way at the same time. */
int harness_login_send(const struct harness *h, const char *source, const char *user,
		       const char *password);

#endif
