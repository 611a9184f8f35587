#include "service/mail/sender.h"

#include "core/log.h"
#include "core/validate.h"
#include "core/xalloc.h"
#include "service/domain/notices.h"
#include "service/mail/message.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* How often the sender looks for new notices at most: other connections
 * write them, so nothing wakes it. */
enum { SENDER_POLL_SECONDS = 2, SENDER_TIMEOUT_MS = 30000 };

struct mail_sender {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
	char *db_path;
	char *url, *from, *user, *password, *ca_file;
	unsigned retry_seconds;
	long long clock_offset;
};

struct mail_upload {
	const char *text;
	size_t len, at;
};

static size_t sender_read(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct mail_upload *up = arg;
	size_t n = up->len - up->at < size * nmemb ? up->len - up->at : size * nmemb;
	memcpy(buf, up->text + up->at, n);
	up->at += n;
	return n;
}

/* The host of the URL is this machine: a plain smtp:// there needs no TLS. */
static bool sender_url_is_loopback(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL;
	bool loopback = curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
			curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
			(strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 ||
			 strcmp(host, "[::1]") == 0);
	curl_free(host);
	curl_url_cleanup(u);
	return loopback;
}

static void sender_options(CURL *e, const struct mail_sender *s, struct curl_slist *rcpt,
			   struct mail_upload *up, char *errbuf)
{
	curl_easy_setopt(e, CURLOPT_URL, s->url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	/* smtp:// to another machine must upgrade with STARTTLS; the certificate
	 * and the host name are always checked. */
	curl_easy_setopt(e, CURLOPT_USE_SSL,
			 sender_url_is_loopback(s->url) ? (long)CURLUSESSL_TRY : (long)CURLUSESSL_ALL);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (s->ca_file)
		curl_easy_setopt(e, CURLOPT_CAINFO, s->ca_file);
	if (s->user) {
		curl_easy_setopt(e, CURLOPT_USERNAME, s->user);
		curl_easy_setopt(e, CURLOPT_PASSWORD, s->password);
	}
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)SENDER_TIMEOUT_MS);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)SENDER_TIMEOUT_MS);
	curl_easy_setopt(e, CURLOPT_MAIL_FROM, s->from);
	curl_easy_setopt(e, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(e, CURLOPT_READFUNCTION, sender_read);
	curl_easy_setopt(e, CURLOPT_READDATA, up);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
}

/* Hands one notice to the server; NULL when it accepted it, else why not
 * (allocated; curl's words, which name no patron). */
static char *sender_send_dup(const struct mail_sender *s, const struct notice *n)
{
	if (validate_email(n->to) != VALIDATE_OK)
		return xstrdup("the address is not an e-mail address");
	char *text = mail_message_dup(s->from, n->to, n->subject, n->body, n->id, n->created_at,
				      time(NULL));
	struct mail_upload up = { text, strlen(text), 0 };
	char *rcpt_text = xasprintf("<%s>", n->to);
	struct curl_slist *rcpt = curl_slist_append(NULL, rcpt_text);
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *e = curl_easy_init();
	CURLcode rc = CURLE_OUT_OF_MEMORY;
	if (e && rcpt) {
		sender_options(e, s, rcpt, &up, errbuf);
		rc = curl_easy_perform(e);
	}
	curl_easy_cleanup(e);
	curl_slist_free_all(rcpt);
	free(rcpt_text);
	free(text);
	if (rc == CURLE_OK)
		return NULL;
	return xasprintf("%s%s%s", curl_easy_strerror(rc), *errbuf ? ": " : "", errbuf);
}

/* The service's now: what the outbox's instants are written in. */
static time_t sender_now(const struct mail_sender *s)
{
	return time(NULL) + (time_t)s->clock_offset;
}

static bool sender_stopping(struct mail_sender *s)
{
	pthread_mutex_lock(&s->lock);
	bool stopping = s->stopping;
	pthread_mutex_unlock(&s->lock);
	return stopping;
}

/* Sends what is due now; a failing store is tried again at the next pass. */
static void sender_pass(struct mail_sender *s, struct store *store)
{
	struct notice n;
	while (!sender_stopping(s) &&
	       notices_take_due(store, sender_now(s), s->retry_seconds, &n) == 1) {
		char *why = sender_send_dup(s, &n);
		if (!why) {
			notices_mark_sent(store, n.id, sender_now(s));
			log_info("notices: notice %lld sent", n.id);
		} else {
			notices_mark_failed(store, n.id, why);
			log_warn("notices: notice %lld not sent (attempt %u): %s", n.id, n.attempts,
				 why);
			free(why);
		}
		notice_clear(&n);
	}
}

/* Waits until the next notice is due, at most SENDER_POLL_SECONDS, or a stop. */
static void sender_wait(struct mail_sender *s, struct store *store)
{
	long long due = notices_next_due(store);
	time_t now = sender_now(s);
	long long wait = due > now && due - now < SENDER_POLL_SECONDS ? due - now
								      : SENDER_POLL_SECONDS;
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += (time_t)wait;
	pthread_mutex_lock(&s->lock);
	while (!s->stopping && pthread_cond_timedwait(&s->wake, &s->lock, &until) == 0)
		;
	pthread_mutex_unlock(&s->lock);
}

static void *sender_main(void *arg)
{
	struct mail_sender *s = arg;
	char *err = NULL;
	struct store *store = store_open(s->db_path, &err);
	if (!store) {
		log_error("notices: cannot open the database to send notices: %s", err);
		free(err);
		return NULL;
	}
	store_set_serving(store);
	while (!sender_stopping(s)) {
		sender_pass(s, store);
		sender_wait(s, store);
	}
	store_free(store);
	return NULL;
}

static char *sender_dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void sender_free(struct mail_sender *s)
{
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
	free(s->db_path);
	free(s->url);
	free(s->from);
	free(s->user);
	if (s->password)
		sodium_memzero(s->password, strlen(s->password));
	free(s->password);
	free(s->ca_file);
	free(s);
}

struct mail_sender *mail_sender_start(const char *db_path, const struct mail_config *config)
{
	struct mail_sender *s = xcalloc(1, sizeof *s);
	s->db_path = xstrdup(db_path);
	s->url = xstrdup(config->url);
	s->from = xstrdup(config->from);
	s->user = sender_dup_or_null(config->user);
	s->password = sender_dup_or_null(config->password);
	s->ca_file = sender_dup_or_null(config->ca_file);
	s->retry_seconds = config->retry_seconds;
	s->clock_offset = config->clock_offset;
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&s->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&s->thread, NULL, sender_main, s) != 0) {
		log_error("notices: cannot start the sender");
		sender_free(s);
		return NULL;
	}
	return s;
}

void mail_sender_stop(struct mail_sender *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	sender_free(s);
}
