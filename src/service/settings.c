#include "service/settings.h"

#include "core/conffile.h"
#include "core/i18n.h"
#include "core/validate.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void settings_init(struct settings *s)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	memset(s, 0, sizeof *s);
	s->listen = xstrdup(SETTINGS_DEFAULT_LISTEN);
	s->socket_mode = 0600;
	s->db = xstrdup(SETTINGS_DEFAULT_DB);
	s->timezone = xstrdup("Europe/Amsterdam");
	s->log_level = LOG_INFO;
	s->log_format = LOG_FORMAT_LOGFMT;
	s->token_idle_seconds = 30 * 60;
	s->token_lifetime_seconds = 12 * 3600;
	s->login_max_failures = 5;
	s->login_window_seconds = 15 * 60;
	/* More threads than cores: a request also waits for the disk. */
	s->threads = cpus > 0 && cpus < 32 ? 2 * (unsigned)cpus : 4;
	s->idempotency_keep_days = 30;
	s->max_connections = 1024;
	/* Every desk of a branch behind one NAT address has a few connections. */
	s->max_connections_per_address = 64;
	s->idle_timeout_seconds = 120;
	s->request_deadline_seconds = 30;
	s->smtp_retry_seconds = 60;
	s->sip2_locale = xstrdup("nl_NL.UTF-8");
	s->sip2_max_connections = 256;
	s->sip2_message_seconds = 10;
	s->sip2_idle_seconds = 900;
}

void settings_clear(struct settings *s)
{
	free(s->listen);
	free(s->socket);
	free(s->db);
	free(s->timezone);
	free(s->rules);
	free(s->tls_cert);
	free(s->tls_key);
	free(s->smtp_url);
	free(s->smtp_from);
	free(s->smtp_credentials_file);
	free(s->smtp_ca_file);
	free(s->metrics_token_file);
	free(s->sip2_listen);
	free(s->sip2_tls_cert);
	free(s->sip2_tls_key);
	free(s->sip2_sort_bins);
	free(s->sip2_locale);
	memset(s, 0, sizeof *s);
}

static bool set_uint(const char *value, unsigned long min, unsigned long max,
		     unsigned long scale, unsigned *out, char **reason)
{
	unsigned long n;
	if (!conffile_uint(value, min, max, &n, reason))
		return false;
	*out = (unsigned)(n * scale);
	return true;
}

static bool set_mode(const char *value, unsigned *out, char **reason)
{
	char *end;
	unsigned long mode = strtoul(value, &end, 8);
	if (value[0] != '0' || *end != '\0' || (mode != 0600 && mode != 0660 && mode != 0666)) {
		*reason = xasprintf(_("\"%s\" is not 0600, 0660 or 0666"), value);
		return false;
	}
	*out = (unsigned)mode;
	return true;
}

/* ADDRESS:PORT or [IPv6]:PORT with a port of 0..65535 (0: any free port),
 * checked here so a typing error is reported with its line before anything
 * is opened, and never wraps to another port. */
static bool listen_valid(const char *value, char **reason)
{
	const char *colon = value[0] == '[' ? strstr(value, "]:") : strrchr(value, ':');
	if (colon && value[0] == '[')
		colon++;
	const char *port = colon ? colon + 1 : NULL;
	if (!colon || colon == value || (value[0] == '[' && colon == value + 2) || !*port ||
	    strspn(port, "0123456789") != strlen(port)) {
		*reason = xasprintf(_("\"%s\" is not ADDRESS:PORT"), value);
		return false;
	}
	if (strlen(port) > 5 || strtoul(port, NULL, 10) > 65535) {
		*reason = xasprintf(_("port %s is not in 0..65535"), port);
		return false;
	}
	return true;
}

/* A zone the system knows: a compiled zone file (it starts "TZif") under
 * TZDIR or /usr/share/zoneinfo. The C library would take an unknown name
 * silently as UTC, and every due date would be off by the zone's offset. */
static bool timezone_known(const char *value)
{
	if (value[0] == '/' || strstr(value, "..") || strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"abcdefghijklmnopqrstuvwxyz0123456789/_+-") != strlen(value))
		return false;
	const char *dir = getenv("TZDIR");
	char *path = xasprintf("%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", value);
	FILE *f = fopen(path, "rb");
	free(path);
	char magic[4] = { 0 };
	bool known = f && fread(magic, 1, sizeof magic, f) == sizeof magic &&
		     memcmp(magic, "TZif", sizeof magic) == 0;
	if (f)
		fclose(f);
	return known;
}

/* The mail server's URL: smtp:// or smtps:// and a host, nothing else
 * libcurl would take (a path, another protocol). */
static bool smtp_url_valid(const char *value, char **reason)
{
	const char *host = strncmp(value, "smtp://", 7) == 0    ? value + 7
			   : strncmp(value, "smtps://", 8) == 0 ? value + 8
								 : NULL;
	if (!host || !*host || host[0] == ':' || strpbrk(host, "/?#@ \t")) {
		*reason = xasprintf(_("\"%s\" is not smtp://HOST[:PORT] or smtps://HOST[:PORT]"),
				    value);
		return false;
	}
	return true;
}

/* The settings of notices by e-mail; false with *reason for a bad value,
 * and *known false for a key that is not one of them. */
static bool settings_set_smtp(struct settings *s, const char *key, const char *value,
			      bool *known, char **reason)
{
	*known = true;
	if (strcmp(key, "smtp_retry_seconds") == 0)
		return set_uint(value, 1, 3600, 1, &s->smtp_retry_seconds, reason);
	char **slot = strcmp(key, "smtp_url") == 0		 ? &s->smtp_url
		      : strcmp(key, "smtp_from") == 0		 ? &s->smtp_from
		      : strcmp(key, "smtp_credentials_file") == 0 ? &s->smtp_credentials_file
		      : strcmp(key, "smtp_ca_file") == 0	 ? &s->smtp_ca_file
								 : NULL;
	if (!slot) {
		*known = false;
		return false;
	}
	if (*value == '\0') {
		*reason = xasprintf(_("\"%s\" needs a value"), key);
		return false;
	}
	if (slot == &s->smtp_url && !smtp_url_valid(value, reason))
		return false;
	if (slot == &s->smtp_from && validate_email(value) != VALIDATE_OK) {
		*reason = xasprintf(_("\"%s\" is not an e-mail address"), value);
		return false;
	}
	xstrset(slot, value);
	return true;
}

/* The settings of the SIP2 listener, as settings_set_smtp. */
static bool settings_set_sip2(struct settings *s, const char *key, const char *value,
			      bool *known, char **reason)
{
	*known = true;
	if (strcmp(key, "sip2_max_connections") == 0)
		return set_uint(value, 1, 10000, 1, &s->sip2_max_connections, reason);
	if (strcmp(key, "sip2_message_seconds") == 0)
		return set_uint(value, 1, 600, 1, &s->sip2_message_seconds, reason);
	if (strcmp(key, "sip2_idle_seconds") == 0)
		return set_uint(value, 1, 24 * 3600, 1, &s->sip2_idle_seconds, reason);
	char **slot = strcmp(key, "sip2_listen") == 0	   ? &s->sip2_listen
		      : strcmp(key, "sip2_tls_cert") == 0  ? &s->sip2_tls_cert
		      : strcmp(key, "sip2_tls_key") == 0   ? &s->sip2_tls_key
		      : strcmp(key, "sip2_sort_bins") == 0 ? &s->sip2_sort_bins
		      : strcmp(key, "sip2_locale") == 0	   ? &s->sip2_locale
							   : NULL;
	if (!slot) {
		*known = false;
		return false;
	}
	if (*value == '\0') {
		*reason = xasprintf(_("\"%s\" needs a value"), key);
		return false;
	}
	if (slot == &s->sip2_listen && !listen_valid(value, reason))
		return false;
	xstrset(slot, value);
	return true;
}

bool settings_set(struct settings *s, const char *key, const char *value, char **reason)
{
	bool smtp_key, sip2_key;
	bool smtp_ok = settings_set_smtp(s, key, value, &smtp_key, reason);
	if (smtp_key)
		return smtp_ok;
	bool sip2_ok = settings_set_sip2(s, key, value, &sip2_key, reason);
	if (sip2_key)
		return sip2_ok;
	if (strcmp(key, "listen") == 0 || strcmp(key, "socket") == 0) {
		if (*value == '\0') {
			*reason = xasprintf(_("\"%s\" needs a value"), key);
			return false;
		}
		if (key[0] == 'l' && !listen_valid(value, reason))
			return false;
		/* The service listens on one of the two; the last one set wins. */
		bool is_listen = key[0] == 'l';
		xstrset(&s->listen, is_listen ? value : NULL);
		xstrset(&s->socket, is_listen ? NULL : value);
		return true;
	}
	if (strcmp(key, "socket_mode") == 0)
		return set_mode(value, &s->socket_mode, reason);
	if (strcmp(key, "db") == 0 || strcmp(key, "timezone") == 0) {
		if (*value == '\0') {
			*reason = xasprintf(_("\"%s\" needs a value"), key);
			return false;
		}
		if (key[0] == 't' && !timezone_known(value)) {
			*reason = xasprintf(_("\"%s\" is not a time zone this system knows"), value);
			return false;
		}
		xstrset(key[0] == 'd' ? &s->db : &s->timezone, value);
		return true;
	}
	if (strcmp(key, "rules") == 0 || strcmp(key, "tls_cert") == 0 ||
	    strcmp(key, "tls_key") == 0) {
		if (*value == '\0') {
			*reason = xasprintf(_("\"%s\" needs a value"), key);
			return false;
		}
		xstrset(key[0] == 'r' ? &s->rules : strcmp(key, "tls_cert") == 0 ? &s->tls_cert
										 : &s->tls_key,
			value);
		return true;
	}
	if (strcmp(key, "max_connections") == 0)
		return set_uint(value, 1, 100000, 1, &s->max_connections, reason);
	if (strcmp(key, "max_connections_per_address") == 0)
		return set_uint(value, 1, 100000, 1, &s->max_connections_per_address, reason);
	if (strcmp(key, "idle_timeout_seconds") == 0)
		return set_uint(value, 1, 3600, 1, &s->idle_timeout_seconds, reason);
	if (strcmp(key, "request_deadline_seconds") == 0)
		return set_uint(value, 1, 600, 1, &s->request_deadline_seconds, reason);
	if (strcmp(key, "log_level") == 0) {
		if (!log_level_parse(value, &s->log_level)) {
			*reason = xasprintf(_("\"%s\" is not error, warn, info or debug"), value);
			return false;
		}
		return true;
	}
	if (strcmp(key, "log_format") == 0) {
		if (!log_format_parse(value, &s->log_format)) {
			*reason = xasprintf(_("\"%s\" is not logfmt or json"), value);
			return false;
		}
		return true;
	}
	if (strcmp(key, "metrics_token_file") == 0) {
		if (*value == '\0') {
			*reason = xasprintf(_("\"%s\" needs a value"), key);
			return false;
		}
		xstrset(&s->metrics_token_file, value);
		return true;
	}
	if (strcmp(key, "training") == 0)
		return conffile_bool(value, &s->training, reason);
	if (strcmp(key, "token_idle_minutes") == 0)
		return set_uint(value, 1, 24 * 60, 60, &s->token_idle_seconds, reason);
	if (strcmp(key, "token_idle_seconds") == 0)
		return set_uint(value, 1, 24 * 3600, 1, &s->token_idle_seconds, reason);
	if (strcmp(key, "token_lifetime_hours") == 0)
		return set_uint(value, 1, 7 * 24, 3600, &s->token_lifetime_seconds, reason);
	if (strcmp(key, "token_lifetime_seconds") == 0)
		return set_uint(value, 1, 7 * 24 * 3600, 1, &s->token_lifetime_seconds, reason);
	if (strcmp(key, "login_max_failures") == 0)
		return set_uint(value, 1, 1000, 1, &s->login_max_failures, reason);
	if (strcmp(key, "login_window_minutes") == 0)
		return set_uint(value, 1, 24 * 60, 60, &s->login_window_seconds, reason);
	if (strcmp(key, "login_window_seconds") == 0)
		return set_uint(value, 1, 24 * 3600, 1, &s->login_window_seconds, reason);
	if (strcmp(key, "threads") == 0)
		return set_uint(value, 1, 256, 1, &s->threads, reason);
	if (strcmp(key, "idempotency_keep_days") == 0)
		return set_uint(value, 30, 3650, 1, &s->idempotency_keep_days, reason);
	*reason = xasprintf(_("unknown setting \"%s\""), key);
	return false;
}

static bool settings_line(void *ctx, const char *key, const char *value, char **reason)
{
	return settings_set(ctx, key, value, reason);
}

bool settings_read_file(struct settings *s, const char *path, char **err)
{
	return conffile_parse(path, settings_line, s, err);
}
