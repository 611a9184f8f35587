/* balied: the central service of balie (DESIGN.md), or, with a subcommand
 * ("user ...", "branch ...": the table in admin/admin.c), the tool that
 * manages its staff accounts, branches and lists. */
#include "build_config.h"

#include "service/admin/admin.h"
#include "service/domain/auth.h"
#include "service/api/endpoints.h"
#include "service/api/http.h"
#include "core/i18n.h"
#include "service/store/idempotency.h"
#include "service/api/listener.h"
#include "core/log.h"
#include "service/domain/rules.h"
#include "service/training/seed.h"
#include "service/domain/notices.h"
#include "service/domain/session.h"
#include "service/mail/sender.h"
#include "service/settings.h"
#include "service/sip2/server.h"
#include "service/store/backup.h"
#include "service/store/store.h"
#include "service/training/testclock.h"
#include "service/domain/throttle.h"
#include "core/xalloc.h"

#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAINTENANCE_SECONDS = 3600 };

static void usage(FILE *out)
{
	fprintf(out, "%s",
		_("Usage: balied [OPTION]...\n"
		  "       balied [--db PATH | --config FILE] user add|disable|enable|list ...\n"
		  "       balied [--db PATH | --config FILE] branch add|close|open|list ...\n"
		  "       balied [--db PATH | --config FILE] permission grant|revoke|list ...\n"
		  "       balied [--db PATH | --config FILE] ido-catalog list|add|retire|restore ...\n"
		  "       balied [--db PATH | --config FILE] memberships age-out [--date YYYY-MM-DD]\n"
		  "       balied [--db PATH | --config FILE] backup --to FILE\n"
		  "       balied [--db PATH | --config FILE] restore --from FILE [--force]\n"
		  "The central service of balie, the library circulation desk.\n"
		  "\n"
		  "  -c, --config FILE      read settings from FILE\n"
		  "  -l, --listen ADDR:PORT listen for HTTP on this address and port\n"
		  "  -s, --socket PATH      listen for HTTP on this Unix socket instead\n"
		  "  -d, --db PATH          the SQLite database\n"
		  "  -r, --rules FILE       the library's rules (balied-rules(5))\n"
		  "  -t, --training         a training service with demo data\n"
		  "  -L, --log-level LEVEL  error, warn, info or debug\n"
		  "  -V, --version          show the version and stop\n"
		  "  -h, --help             show this help and stop\n"
		  "\n"
		  "See balied(8) for the settings and the user and branch commands.\n"));
}

static void setup_gettext(void)
{
	setlocale(LC_ALL, "");
	const char *dir = getenv("BALIE_LOCALEDIR");
	bindtextdomain(GETTEXT_PACKAGE, dir && *dir ? dir : LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);
}

struct cli {
	const char *config;
	const char *set[8][2]; /* settings given as options, applied after the file */
	size_t n_set;
};

/* Parses the options before any subcommand; returns -1 to go on, else an
 * exit status. */
static int parse_options(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "listen", required_argument, NULL, 'l' },
		{ "socket", required_argument, NULL, 's' },
		{ "db", required_argument, NULL, 'd' },
		{ "rules", required_argument, NULL, 'r' },
		{ "training", no_argument, NULL, 't' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "+c:l:s:d:r:tL:Vh", opts, NULL)) != -1) {
		const char *key = NULL, *value = optarg;
		switch (c) {
		case 'c': cli->config = optarg; break;
		case 'l': key = "listen"; break;
		case 's': key = "socket"; break;
		case 'd': key = "db"; break;
		case 'r': key = "rules"; break;
		case 't': key = "training", value = "yes"; break;
		case 'L': key = "log_level"; break;
		case 'V': printf("balied %s\n", BALIE_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
		if (key && cli->n_set < sizeof cli->set / sizeof cli->set[0]) {
			cli->set[cli->n_set][0] = key;
			cli->set[cli->n_set][1] = value;
			cli->n_set++;
		}
	}
	return -1;
}

/* The file first (the one named, or the default when it exists), then the
 * options over it. */
static bool load_settings(const struct cli *cli, struct settings *s)
{
	char *err = NULL;
	char *fallback = xasprintf("%s/balie/balied.conf", SYSCONFDIR);
	const char *path = cli->config ? cli->config : access(fallback, F_OK) == 0 ? fallback : NULL;
	bool ok = !path || settings_read_file(s, path, &err);
	for (size_t i = 0; ok && i < cli->n_set; i++) {
		char *reason = NULL;
		ok = settings_set(s, cli->set[i][0], cli->set[i][1], &reason);
		if (!ok) {
			err = xasprintf("--%s: %s", strcmp(cli->set[i][0], "log_level") == 0
							  ? "log-level" : cli->set[i][0],
					reason);
			free(reason);
		}
	}
	if (!ok) {
		fprintf(stderr, "balied: %s\n", err);
		free(err);
	}
	free(fallback);
	return ok;
}

/* Marks a new database as training or not, fills a new training database,
 * and refuses to serve a database of the other kind. */
static bool check_mode(struct store *store, const struct settings *s, bool serving,
		       time_t clock_offset)
{
	char *mode = store_meta_dup(store, "mode");
	bool ok = true;
	if (mode && !serving) {
		/* "user ..." works on either kind. */
	} else if (!mode) {
		ok = (!s->training || seed_training(store, time(NULL) + clock_offset)) &&
		     store_meta_set(store, "mode", s->training ? "training" : "production");
		if (!ok)
			fprintf(stderr, _("balied: cannot prepare the database %s\n"), s->db);
	} else if (strcmp(mode, "training") == 0 && !s->training) {
		fprintf(stderr, _("balied: %s is a training database; start balied with --training\n"),
			s->db);
		ok = false;
	} else if (strcmp(mode, "training") != 0 && s->training) {
		fprintf(stderr,
			_("balied: %s is not a training database; --training needs a new database\n"),
			s->db);
		ok = false;
	}
	free(mode);
	return ok;
}

static void maintain(struct store *store, const struct settings *s)
{
	time_t now = time(NULL);
	struct session_lifetimes life = { s->token_idle_seconds, s->token_lifetime_seconds };
	struct throttle_rule rule = { s->login_max_failures, s->login_window_seconds };
	session_purge(store, &life, now);
	throttle_purge(store, &rule, now);
}

static int open_listener(const struct settings *s, char *shown, size_t len)
{
	char *err = NULL;
	int fd;
	if (s->socket) {
		fd = listener_unix(s->socket, s->socket_mode, &err);
		snprintf(shown, len, "unix:%s", s->socket);
	} else {
		fd = listener_tcp(s->listen, shown, len, &err);
		/* The ready line names the scheme a desk must use. */
		if (fd >= 0 && s->tls_cert && strncmp(shown, "http://", 7) == 0) {
			char *https = xasprintf("https://%s", shown + 7);
			snprintf(shown, len, "%s", https);
			free(https);
		}
	}
	if (fd < 0) {
		fprintf(stderr, "balied: %s\n", err);
		free(err);
	}
	return fd;
}

/* Waits for SIGTERM or SIGINT, doing maintenance now and then. The signals
 * are blocked in every thread and taken here: no work in a handler. */
static void wait_for_stop(const sigset_t *stop, struct store *store, const struct settings *s,
			  struct idem_purger *purger)
{
	for (;;) {
		struct timespec timeout = { MAINTENANCE_SECONDS, 0 };
		int sig = sigtimedwait(stop, NULL, &timeout);
		if (sig == SIGTERM || sig == SIGINT) {
			log_info("signal %d: stopping", sig);
			return;
		}
		if (sig < 0 && errno == EAGAIN) {
			maintain(store, s);
			idempotency_purger_kick(purger);
		}
	}
}

/* The rules file named in the settings, or the default one when it exists;
 * the built-in defaults under both. */
static bool load_rules(const struct settings *s, struct rules *rules)
{
	rules_init(rules);
	char *fallback = xasprintf("%s/balie/rules.conf", SYSCONFDIR);
	const char *path = s->rules ? s->rules : access(fallback, F_OK) == 0 ? fallback : NULL;
	char *err = NULL;
	bool ok = !path || rules_read_file(rules, path, &err);
	if (!ok) {
		fprintf(stderr, "balied: %s\n", err);
		free(err);
	} else if (path) {
		log_info("rules read from %s", path);
	}
	free(fallback);
	return ok;
}

/* Runs the subcommand argv[0] from the table (admin.h). */
static int run_command(struct store *store, const struct settings *s, int argc, char **argv)
{
	const struct admin_cmd *cmd = admin_find(argv[0]);
	if (!cmd) {
		fprintf(stderr, _("balied: unknown command \"%s\"\n"), argv[0]);
		usage(stderr);
		return 2;
	}
	struct rules rules;
	struct admin_ctx ctx = { .store = store };
	if (cmd->needs_rules) {
		if (!load_rules(s, &rules))
			return 1;
		ctx.rules = &rules;
	}
	return cmd->run(&ctx, argc, argv);
}

/* The sender of notices when a mail server is set, else one line that says
 * how many wait (a count: no address, no name). False when its credentials
 * are refused. */
static bool start_mail(struct store *store, const struct settings *s, time_t clock_offset,
		       struct mail_sender **out)
{
	*out = NULL;
	if (!s->smtp_url || !s->smtp_from) {
		log_info("notices: %s; %lld wait in the outbox",
			 s->smtp_url ? "no smtp_from set" : "no smtp_url set", notices_waiting(store));
		return true;
	}
	struct mail_config config = { .url = s->smtp_url, .from = s->smtp_from,
				      .ca_file = s->smtp_ca_file,
				      .retry_seconds = s->smtp_retry_seconds,
				      .clock_offset = (long long)clock_offset };
	char *user = NULL, *password = NULL, *err = NULL;
	if (s->smtp_credentials_file &&
	    !mail_credentials_read(s->smtp_credentials_file, &user, &password, &err)) {
		fprintf(stderr, "balied: %s\n", err);
		free(err);
		return false;
	}
	config.user = user;
	config.password = password;
	*out = mail_sender_start(s->db, &config);
	free(user);
	if (password)
		sodium_memzero(password, strlen(password));
	free(password);
	return true;
}

static int serve_held(struct store *store, const struct settings *s, time_t clock_offset,
		      const struct rules *rules);

/* The SIP2 listener when sip2_listen is set (sip2/server.h); *out stays
 * NULL when it is not. False after saying why it cannot start. */
static bool start_sip2(const struct settings *s, struct sip2_env *env, struct sip2_server **out)
{
	*out = NULL;
	if (!s->sip2_listen)
		return true;
	char *err = NULL;
	struct sip2_sortbins *bins = sip2_sortbins_read(s->sip2_sort_bins, &err);
	char shown[256];
	int fd = bins ? listener_tcp(s->sip2_listen, shown, sizeof shown, &err) : -1;
	env->bins = bins;
	*out = fd >= 0 ? sip2_server_start(env, s->db, fd, &err) : NULL;
	if (!*out) {
		fprintf(stderr, "balied: %s\n", err);
		free(err);
		if (fd >= 0)
			close(fd);
		sip2_sortbins_free(bins);
		env->bins = NULL;
		return false;
	}
	/* The address without the scheme of an HTTP URL. */
	log_info("sip2: listening on %s%s", shown + 7, s->sip2_tls_cert ? " (TLS)" : "");
	return true;
}

static void stop_sip2(struct sip2_server *server, struct sip2_env *env)
{
	sip2_server_stop(server);
	sip2_sortbins_free((struct sip2_sortbins *)env->bins);
}

static int serve(struct store *store, const struct settings *s, time_t clock_offset)
{
	struct rules rules;
	if (!load_rules(s, &rules))
		return 1;
	/* Listening with a store that takes no write would say "ok" while
	 * every loan and login failed. */
	store_set_serving(store);
	char *why = NULL;
	if (!store_check_writable(store, &why)) {
		fprintf(stderr, _("balied: refusing to serve: %s\n"), why);
		free(why);
		return 1;
	}
	/* A restore refuses to replace a database file while this is held. */
	int live = store_kind(store) == STORE_SQLITE ? backup_hold_live(s->db, &why) : -2;
	if (live == -1) {
		fprintf(stderr, _("balied: refusing to serve: %s\n"), why);
		free(why);
		return 1;
	}
	int status = serve_held(store, s, clock_offset, &rules);
	if (live >= 0)
		close(live);
	return status;
}

static int serve_held(struct store *store, const struct settings *s, time_t clock_offset,
		      const struct rules *rules)
{
	maintain(store, s);
	/* Blocked before the socket exists, so that a stop never leaves it behind. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	char *err = NULL, *metrics_token = NULL;
	if (s->metrics_token_file &&
	    !ep_metrics_token_read(s->metrics_token_file, &metrics_token, &err)) {
		fprintf(stderr, "balied: %s\n", err);
		free(err);
		return 1;
	}
	/* After the signals are blocked: its thread inherits the mask. */
	struct mail_sender *sender;
	if (!start_mail(store, s, clock_offset, &sender)) {
		free(metrics_token);
		return 1;
	}
	char shown[256];
	int fd = open_listener(s, shown, sizeof shown);
	if (fd < 0) {
		mail_sender_stop(sender);
		free(metrics_token);
		return 1;
	}

	struct service svc = { .settings = s, .idem = idempotency_new(), .training = s->training,
			       .rules = rules, .clock_offset = clock_offset,
			       .metrics_token = metrics_token };
	struct http_server *server = http_start(&svc, s->db, fd, s->threads, &err);
	if (!server) {
		fprintf(stderr, "balied: %s\n", err);
		free(err);
		close(fd);
		idempotency_free(svc.idem);
		mail_sender_stop(sender);
		free(metrics_token);
		return 1;
	}
	struct sip2_env sip2 = { .settings = s, .idem = svc.idem, .rules = rules,
				 .clock_offset = clock_offset };
	struct sip2_server *sip2_server;
	if (!start_sip2(s, &sip2, &sip2_server)) {
		http_stop(server);
		idempotency_free(svc.idem);
		mail_sender_stop(sender);
		return 1;
	}
	log_info("balied %s serving %s with %u threads%s", BALIE_VERSION, shown, s->threads,
		 s->training ? " (training)" : "");
	printf("listening on %s\n", shown);
	fflush(stdout);
	/* After the listener: a million old keys take minutes to purge, and the
	 * desks are served meanwhile. */
	struct idem_purger *purger = idempotency_purger_start(s->db, s->idempotency_keep_days);
	wait_for_stop(&stop, store, s, purger);
	idempotency_purger_stop(purger);
	mail_sender_stop(sender);
	stop_sip2(sip2_server, &sip2);
	http_stop(server);
	if (s->socket)
		unlink(s->socket);
	idempotency_free(svc.idem);
	if (metrics_token)
		sodium_memzero(metrics_token, strlen(metrics_token));
	free(metrics_token);
	return 0;
}

int main(int argc, char **argv)
{
	setup_gettext();
	struct cli cli = { 0 };
	int status = parse_options(argc, argv, &cli);
	if (status >= 0)
		return status;
	struct settings s;
	settings_init(&s);
	if (!load_settings(&cli, &s)) {
		settings_clear(&s);
		return 2;
	}
	log_set_level(s.log_level);
	log_set_format(s.log_format);
	/* Dates of the protocol are in the library's time zone, whatever the
	 * machine's; set before any thread starts. */
	setenv("TZ", s.timezone, 1);
	tzset();
	/* Once, before any thread: the sender of notices uses libcurl. */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (!auth_init()) {
		fprintf(stderr, "%s\n", _("balied: libsodium cannot be started"));
		settings_clear(&s);
		return 1;
	}
	const struct admin_cmd *own = optind < argc ? admin_find(argv[optind]) : NULL;
	if (own && own->opens_db) {
		struct admin_ctx ctx = { .db_path = s.db };
		status = own->run(&ctx, argc - optind, argv + optind);
		settings_clear(&s);
		return status;
	}
	char *err = NULL;
	struct store *store = store_open(s.db, &err);
	if (!store) {
		fprintf(stderr, _("balied: cannot open the database: %s\n"), err);
		free(err);
		settings_clear(&s);
		return 1;
	}
	/* Also before "user ...": a database is training or not from its start. */
	bool serving = optind == argc;
	time_t clock_offset = 0;
	/* The test clock is for a serving training balied; commands ignore it. */
	if (serving && !testclock_offset(s.training, &clock_offset, &err)) {
		fprintf(stderr, "balied: %s\n", err);
		free(err);
		status = 2;
	} else if (!check_mode(store, &s, serving, clock_offset)) {
		status = 1;
	} else if (optind < argc) {
		status = run_command(store, &s, argc - optind, argv + optind);
	} else {
		status = serve(store, &s, clock_offset);
	}
	store_free(store);
	settings_clear(&s);
	return status;
}
