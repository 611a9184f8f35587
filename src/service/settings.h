/* balied's settings: built-in defaults, then the config file, then the
 * command line, each overriding the one before. */
#ifndef BALIED_SETTINGS_H
#define BALIED_SETTINGS_H

#include "core/log.h"

#include <stdbool.h>
#include <sys/types.h>

struct settings {
	char *listen;        /* "ADDR:PORT"; NULL when socket is used */
	char *socket;        /* path of a Unix socket, or NULL */
	unsigned socket_mode;/* permissions of the socket file, e.g. 0600 */
	char *db;            /* path of the SQLite database */
	char *timezone;      /* for dates, e.g. "Europe/Amsterdam" */
	char *rules;         /* the rules file (balied-rules(5)); NULL for the default */
	enum log_level log_level;
	enum log_format log_format;
	char *metrics_token_file; /* the bearer token of GET /metrics, mode 0600; NULL: off */
	bool training;
	unsigned token_idle_seconds;
	unsigned token_lifetime_seconds;
	unsigned login_max_failures;
	unsigned login_window_seconds;
	unsigned threads;
	unsigned idempotency_keep_days;
	char *tls_cert;      /* PEM certificate (chain) for HTTPS, or NULL for plain HTTP */
	char *tls_key;       /* its PEM private key; both or neither */
	unsigned max_connections;          /* open connections in all */
	unsigned max_connections_per_address;
	unsigned idle_timeout_seconds;     /* a connection with no traffic is closed */
	unsigned request_deadline_seconds; /* to send one whole request, headers and body */
	/* Notices by e-mail (mail/sender.h); with no smtp_url they wait in the outbox. */
	char *smtp_url;              /* smtp://HOST[:PORT] or smtps://HOST[:PORT], or NULL */
	char *smtp_from;             /* the sender's address */
	char *smtp_credentials_file; /* "user" and "password", mode 0600; NULL: no login */
	char *smtp_ca_file;          /* CA certificates for the server's TLS; NULL: the system's */
	unsigned smtp_retry_seconds; /* the first back-off after a failure; it doubles to an hour */
	/* SIP2 for kiosks (sip2/server.h, balied-sip2(7)); off without sip2_listen. */
	char *sip2_listen;           /* "ADDR:PORT", or NULL */
	char *sip2_tls_cert;         /* PEM certificate (chain) for SIP2 over TLS, or NULL */
	char *sip2_tls_key;          /* its PEM private key; both or neither */
	char *sip2_sort_bins;        /* the sort bin file (sip2/sortbin.h), or NULL */
	char *sip2_locale;           /* of the kiosks' screen messages: "nl_NL.UTF-8" */
	unsigned sip2_max_connections;
	unsigned sip2_message_seconds; /* to send one whole message */
	unsigned sip2_idle_seconds;    /* a silent connection is closed */
};

#define SETTINGS_DEFAULT_LISTEN "127.0.0.1:8439"
#define SETTINGS_DEFAULT_DB "/var/lib/balie/balied.db"

/* Fills s with the defaults (allocated strings; free with settings_clear). */
void settings_init(struct settings *s);
void settings_clear(struct settings *s);

/* Reads a config file over s. On failure returns false and sets *err
 * (allocated, translated, "FILE:LINE: reason"). */
bool settings_read_file(struct settings *s, const char *path, char **err);

/* Sets one key as a config file would; for tests and the command line. */
bool settings_set(struct settings *s, const char *key, const char *value, char **reason);

#endif
