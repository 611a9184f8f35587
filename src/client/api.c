#include "client/api.h"

#include "client/api_url.h"
#include "build_config.h"
#include "core/i18n.h"
#include "core/jsonx.h"
#include "core/log.h"
#include "core/sanitize.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <curl/curl.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
	API_DEFAULT_TIMEOUT_MS = 5000,
	API_DEFAULT_MAX_REPLY = 1 << 20,
	API_STACK_WAITFDS = 8,
	API_FOREVER_MS = 24 * 3600 * 1000,
};

/* The public reply first, so that a struct api_reply * is also one of these. */
struct reply_store {
	struct api_reply pub;
	char *failure;
	char *text;
	bool taken;
};

struct request {
	struct api *api;
	unsigned id;
	CURL *easy;
	struct curl_slist *headers;
	char *buf;
	size_t len, cap;
	bool too_large;
	api_done_fn done;
	void *ctx;
	struct timespec started;
	char *path;       /* below /api/v1, to point the request at another node */
	size_t server;    /* the index in api->urls it was sent to */
	size_t tries;     /* how many nodes refused the connection before */
	struct request *next;
	char errbuf[CURL_ERROR_SIZE];
};

struct api {
	CURLM *multi;
	/* The nodes of the service, tried in turn: a request goes to the
	 * current one; one that cannot be reached makes the next current. */
	struct api_url urls[API_URL_MAX];
	size_t n_urls;
	size_t current;
	char *ca_file;
	char *token;
	long timeout_ms;
	long max_reply;
	unsigned last_id;
	struct request *requests;
};

static unsigned curl_users;

static double seconds_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

struct api *api_new(const char *server_url, const char *ca_file, char **err)
{
	struct api_url urls[API_URL_MAX];
	size_t n_urls = 0;
	if (!api_url_list_parse(server_url, urls, &n_urls, err))
		return NULL;
	if (curl_users++ == 0 && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		curl_users--;
		while (n_urls > 0)
			api_url_clear(&urls[--n_urls]);
		*err = xstrdup(_("The network library could not be started."));
		return NULL;
	}
	struct api *api = xcalloc(1, sizeof *api);
	api->multi = curl_multi_init();
	if (!api->multi)
		abort(); /* fails only when out of memory */
	memcpy(api->urls, urls, sizeof urls);
	api->n_urls = n_urls;
	api->ca_file = ca_file ? xstrdup(ca_file) : NULL;
	api->timeout_ms = API_DEFAULT_TIMEOUT_MS;
	api->max_reply = API_DEFAULT_MAX_REPLY;
	return api;
}

/* Unlinks req from the api and releases it; the callback is not called. */
static void request_free(struct request *req)
{
	struct api *api = req->api;
	for (struct request **p = &api->requests; *p; p = &(*p)->next) {
		if (*p == req) {
			*p = req->next;
			break;
		}
	}
	curl_multi_remove_handle(api->multi, req->easy);
	curl_easy_cleanup(req->easy);
	curl_slist_free_all(req->headers);
	free(req->buf);
	free(req->path);
	free(req);
}

static struct reply_store *reply_new(enum api_outcome outcome, const char *failure)
{
	struct reply_store *r = xcalloc(1, sizeof *r);
	r->pub.outcome = outcome;
	r->pub.error = ERR_UNKNOWN;
	if (failure) {
		r->failure = sanitize_dup(failure, strlen(failure));
		r->pub.failure = r->failure;
	}
	return r;
}

/* Calls the callback once and frees the reply unless the callback took it. */
static void reply_deliver(api_done_fn done, void *ctx, struct reply_store *r)
{
	if (done)
		done(ctx, &r->pub);
	if (!r->taken)
		api_reply_free(&r->pub);
}

void api_free(struct api *api)
{
	if (!api)
		return;
	while (api->requests) {
		struct request *req = api->requests;
		api_done_fn done = req->done;
		void *ctx = req->ctx;
		struct reply_store *r = reply_new(API_UNREACHABLE, "the desk closed the connection");
		r->pub.seconds = seconds_since(&req->started);
		request_free(req);
		reply_deliver(done, ctx, r);
	}
	curl_multi_cleanup(api->multi);
	for (size_t i = 0; i < api->n_urls; i++)
		api_url_clear(&api->urls[i]);
	free(api->ca_file);
	free(api->token);
	free(api);
	if (--curl_users == 0)
		curl_global_cleanup();
}

void api_set_token(struct api *api, const char *token)
{
	xstrset(&api->token, token);
}

void api_set_timeout_ms(struct api *api, long ms)
{
	api->timeout_ms = ms > 0 ? ms : API_DEFAULT_TIMEOUT_MS;
}

void api_set_max_reply_bytes(struct api *api, long bytes)
{
	api->max_reply = bytes > 0 ? bytes : API_DEFAULT_MAX_REPLY;
}

/* A header value must not be able to end the header early. */
static bool header_value_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

static size_t on_data(char *data, size_t size, size_t n, void *userdata)
{
	struct request *req = userdata;
	size_t add = size * n;
	if (req->len + add > (size_t)req->api->max_reply) {
		req->too_large = true;
		return 0; /* libcurl ends the transfer with CURLE_WRITE_ERROR */
	}
	if (req->len + add + 1 > req->cap) {
		req->cap = (req->len + add + 1) * 2;
		req->buf = xrealloc(req->buf, req->cap);
	}
	memcpy(req->buf + req->len, data, add);
	req->len += add;
	req->buf[req->len] = '\0';
	return add;
}

static struct curl_slist *request_headers(const struct api *api, const char *idempotency_key)
{
	struct curl_slist *h = NULL;
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Accept: application/json");
	h = curl_slist_append(h, "Expect:"); /* no 100-continue round trip */
	/* balied names it in its log line and answers it back: both ends match. */
	char id[UUID_STR_LEN];
	uuid_v4(id);
	char *id_line = xasprintf("X-Request-Id: %s", id);
	h = curl_slist_append(h, id_line);
	free(id_line);
	if (api->token && header_value_ok(api->token)) {
		char *line = xasprintf("Authorization: Bearer %s", api->token);
		h = curl_slist_append(h, line);
		free(line);
	}
	if (idempotency_key && header_value_ok(idempotency_key)) {
		char *line = xasprintf("Idempotency-Key: %s", idempotency_key);
		h = curl_slist_append(h, line);
		free(line);
	}
	if (!h)
		abort(); /* curl_slist_append fails only when out of memory */
	return h;
}

static void request_set_method(CURL *easy, const char *method, const cJSON *body)
{
	if (body) {
		char *text = jsonx_print_dup(body);
		curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, (long)strlen(text));
		curl_easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, text);
		free(text);
	} else if (strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
		   strcmp(method, "PATCH") == 0) {
		curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, 0L);
		curl_easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, "");
	}
	if (strcmp(method, "GET") == 0 && !body)
		curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
	else if (strcmp(method, "POST") != 0)
		curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method);
}

/* Points the request at the current node. */
static void request_point(struct api *api, struct request *req)
{
	const struct api_url *u = &api->urls[api->current];
	req->server = api->current;
	char *url = xasprintf("%s/api/v1%s", u->base, req->path);
	curl_easy_setopt(req->easy, CURLOPT_URL, url);
	free(url);
	curl_easy_setopt(req->easy, CURLOPT_UNIX_SOCKET_PATH, u->unix_path);
}

static void request_setup(struct api *api, struct request *req, const char *method,
			  const char *path, const cJSON *body, const char *idempotency_key)
{
	CURL *e = req->easy;
	req->path = xstrdup(path);
	request_point(api, req);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	/* Verification is always on; there is deliberately no way to turn it off. */
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (api->ca_file)
		curl_easy_setopt(e, CURLOPT_CAINFO, api->ca_file);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, api->timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, api->timeout_ms);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)api->max_reply);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "balie/" BALIE_VERSION);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, req->errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, req);
	curl_easy_setopt(e, CURLOPT_PRIVATE, req);
	req->headers = request_headers(api, idempotency_key);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, req->headers);
	request_set_method(e, method, body);
}

unsigned api_start(struct api *api, const char *method, const char *path, const cJSON *body,
		   const char *idempotency_key, api_done_fn done, void *ctx)
{
	struct request *req = xcalloc(1, sizeof *req);
	req->api = api;
	if (++api->last_id == 0)
		api->last_id = 1;
	req->id = api->last_id;
	req->done = done;
	req->ctx = ctx;
	clock_gettime(CLOCK_MONOTONIC, &req->started);
	req->easy = curl_easy_init();
	if (!req->easy)
		abort(); /* fails only when out of memory */
	request_setup(api, req, method, path, body, idempotency_key);
	req->next = api->requests;
	api->requests = req;
	curl_multi_add_handle(api->multi, req->easy);
	return req->id;
}

void api_cancel(struct api *api, unsigned id)
{
	for (struct request *req = api->requests; req; req = req->next) {
		if (req->id == id) {
			request_free(req);
			return;
		}
	}
}

unsigned api_pending(const struct api *api)
{
	unsigned n = 0;
	for (const struct request *req = api->requests; req; req = req->next)
		n++;
	return n;
}

static short events_to_curl(short ev)
{
	short out = 0;
	if (ev & POLLIN)
		out |= CURL_WAIT_POLLIN;
	if (ev & POLLPRI)
		out |= CURL_WAIT_POLLPRI;
	if (ev & POLLOUT)
		out |= CURL_WAIT_POLLOUT;
	return out;
}

static short events_from_curl(short ev)
{
	short out = 0;
	if (ev & CURL_WAIT_POLLIN)
		out |= POLLIN;
	if (ev & CURL_WAIT_POLLPRI)
		out |= POLLPRI;
	if (ev & CURL_WAIT_POLLOUT)
		out |= POLLOUT;
	return out;
}

int api_wait(struct api *api, struct api_waitfd *extra, unsigned n_extra, int timeout_ms)
{
	struct curl_waitfd stack[API_STACK_WAITFDS];
	struct curl_waitfd *fds = n_extra <= API_STACK_WAITFDS ? stack
				  : xcalloc(n_extra, sizeof *fds);
	for (unsigned i = 0; i < n_extra; i++) {
		fds[i].fd = extra[i].fd;
		fds[i].events = events_to_curl(extra[i].events);
		fds[i].revents = 0;
	}
	int numfds = 0;
	errno = 0;
	/* libcurl refuses a negative timeout; poll(2) reads it as "no limit". */
	CURLMcode rc = curl_multi_poll(api->multi, n_extra ? fds : NULL, n_extra,
				       timeout_ms < 0 ? API_FOREVER_MS : timeout_ms, &numfds);
	int ready = 0;
	for (unsigned i = 0; i < n_extra; i++) {
		extra[i].revents = events_from_curl(fds[i].revents);
		if (extra[i].revents)
			ready++;
	}
	if (fds != stack)
		free(fds);
	if (rc != CURLM_OK) {
		log_debug("curl_multi_poll: %s", curl_multi_strerror(rc));
		return -1;
	}
	/* libcurl returns early but quietly when poll(2) was interrupted; the
	 * errno it leaves behind is how a signal shows. */
	if (ready == 0 && errno == EINTR)
		return -1;
	return ready;
}

/* Replaces the cJSON-owned string at *slot by its sanitised form. */
static void sanitize_slot(char **slot)
{
	if (!*slot || sanitize_is_clean(*slot))
		return;
	char *clean = sanitize_dup(*slot, strlen(*slot));
	size_t n = strlen(clean) + 1;
	char *copy = cJSON_malloc(n);
	if (!copy)
		abort();
	memcpy(copy, clean, n);
	free(clean);
	cJSON_free(*slot);
	*slot = copy;
}

/* Text from the service enters the client here: every key and string value. */
static void sanitize_tree(cJSON *item)
{
	for (; item; item = item->next) {
		if (!(item->type & cJSON_StringIsConst))
			sanitize_slot(&item->string);
		if (cJSON_IsString(item))
			sanitize_slot(&item->valuestring);
		sanitize_tree(item->child);
	}
}

static void reply_fill_refusal(struct reply_store *r)
{
	const cJSON *err = jsonx_object(r->pub.body, "error");
	const char *code = jsonx_string(err, "code");
	if (!err || !code) {
		r->pub.outcome = API_BAD_ANSWER;
		r->failure = xasprintf("HTTP %ld without a protocol error body", r->pub.status);
		r->pub.failure = r->failure;
		return;
	}
	r->pub.outcome = API_REFUSED;
	r->pub.error_code = code;
	r->pub.error = errcode_from_name(code);
	r->pub.error_message = jsonx_string(err, "message");
	r->pub.error_details = jsonx_object(err, "details");
	bool overridable = false;
	if (jsonx_bool(err, "overridable", &overridable))
		r->pub.overridable = overridable;
}

static void reply_set_failure(struct reply_store *r, enum api_outcome outcome, char *failure)
{
	r->pub.outcome = outcome;
	free(r->failure);
	r->failure = failure;
	r->pub.failure = failure;
}

/* Reads the answer's bytes into r by its status (already in r) and type. */
static void reply_classify(struct reply_store *r, const char *type, const char *buf, size_t len)
{
	long status = r->pub.status;
	char *perr = NULL;
	if (status >= 200 && status <= 299 && type && strncmp(type, "text/csv", 8) == 0) {
		/* A file to be saved as it came, not a protocol answer. */
		r->text = xmalloc(len + 1);
		if (len)
			memcpy(r->text, buf, len);
		r->text[len] = '\0';
		r->pub.text = r->text;
		r->pub.text_len = len;
		return;
	}
	if (len > 0) {
		r->pub.body = jsonx_parse(buf, len, &perr);
		if (r->pub.body)
			sanitize_tree(r->pub.body);
	}
	if (status >= 500 && status <= 599) {
		reply_set_failure(r, API_UNREACHABLE, xasprintf("the service answered HTTP %ld", status));
	} else if (len > 0 && !r->pub.body) {
		reply_set_failure(r, API_BAD_ANSWER,
				  xasprintf("HTTP %ld with a body that is not JSON (%s)", status, perr));
	} else if (status >= 200 && status <= 299) {
		r->pub.outcome = API_OK;
	} else if (status >= 400 && status <= 499) {
		reply_fill_refusal(r);
	} else {
		reply_set_failure(r, API_BAD_ANSWER, xasprintf("unexpected HTTP status %ld", status));
	}
	free(perr);
}

/* Classifies a finished transfer into a reply (DESIGN.md section 2). */
static struct reply_store *reply_from_transfer(struct request *req, CURLcode result)
{
	struct reply_store *r = reply_new(API_OK, NULL);
	r->pub.seconds = seconds_since(&req->started);
	long status = 0;
	curl_easy_getinfo(req->easy, CURLINFO_RESPONSE_CODE, &status);
	r->pub.status = status;
	if (req->too_large || result == CURLE_FILESIZE_EXCEEDED) {
		reply_set_failure(r, API_BAD_ANSWER,
				  xasprintf("the answer is larger than %ld bytes", req->api->max_reply));
		return r;
	}
	if (result != CURLE_OK) {
		const char *why = req->errbuf[0] ? req->errbuf : curl_easy_strerror(result);
		reply_set_failure(r, API_UNREACHABLE, sanitize_dup(why, strlen(why)));
		if (result == CURLE_PEER_FAILED_VERIFICATION)
			r->pub.tls = strstr(why, "subject name") || strstr(why, "host name")
					     ? API_TLS_WRONG_NAME : API_TLS_UNTRUSTED;
		else if (result == CURLE_SSL_CONNECT_ERROR)
			r->pub.tls = API_TLS_HANDSHAKE;
		return r;
	}
	const char *type = NULL;
	curl_easy_getinfo(req->easy, CURLINFO_CONTENT_TYPE, &type);
	reply_classify(r, type, req->buf, req->len);
	return r;
}

struct api_reply *api_reply_from_bytes(long status, const char *content_type, const char *buf,
				       size_t len)
{
	struct reply_store *r = reply_new(API_OK, NULL);
	r->pub.status = status;
	reply_classify(r, content_type, buf, len);
	return &r->pub;
}

/* After a request to node `from` found no service: the next node becomes
 * the current one, unless another request moved on already. */
static void api_fail_over(struct api *api, size_t from)
{
	if (api->n_urls < 2 || api->current != from)
		return;
	api->current = (from + 1) % api->n_urls;
	log_info("server %zu of %zu gave no answer; the desk uses server %zu now", from + 1,
		 api->n_urls, api->current + 1);
}

/* A connection that could not be made sent nothing: the same request may go
 * to the next node at once, until every node was tried. */
static bool request_retry_elsewhere(struct request *req, CURLcode result)
{
	struct api *api = req->api;
	if ((result != CURLE_COULDNT_CONNECT && result != CURLE_COULDNT_RESOLVE_HOST) ||
	    req->tries + 1 >= api->n_urls)
		return false;
	api_fail_over(api, req->server);
	curl_multi_remove_handle(api->multi, req->easy);
	req->tries++;
	req->len = 0;
	req->too_large = false;
	req->errbuf[0] = '\0';
	request_point(api, req);
	curl_multi_add_handle(api->multi, req->easy);
	return true;
}

void api_dispatch(struct api *api)
{
	int running = 0;
	curl_multi_perform(api->multi, &running);
	CURLMsg *msg;
	int left = 0;
	while ((msg = curl_multi_info_read(api->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		struct request *req = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&req);
		if (!req)
			continue;
		CURLcode result = msg->data.result;
		if (request_retry_elsewhere(req, result))
			continue;
		struct reply_store *r = reply_from_transfer(req, result);
		if (r->pub.outcome == API_UNREACHABLE)
			api_fail_over(api, req->server);
		api_done_fn done = req->done;
		void *ctx = req->ctx;
		/* Freed before the callback, so a callback may start or cancel freely. */
		request_free(req);
		reply_deliver(done, ctx, r);
	}
}

struct call_state {
	struct api_reply *reply;
	bool done;
};

static void on_call_done(void *ctx, struct api_reply *reply)
{
	struct call_state *st = ctx;
	st->reply = api_reply_take(reply);
	st->done = true;
}

struct api_reply *api_call(struct api *api, const char *method, const char *path,
			   const cJSON *body, const char *idempotency_key)
{
	struct call_state st = { 0 };
	api_start(api, method, path, body, idempotency_key, on_call_done, &st);
	while (!st.done) {
		api_dispatch(api);
		if (!st.done)
			api_wait(api, NULL, 0, 1000);
	}
	return st.reply;
}

struct api_reply *api_reply_take(struct api_reply *reply)
{
	((struct reply_store *)reply)->taken = true;
	return reply;
}

void api_reply_free(struct api_reply *reply)
{
	if (!reply)
		return;
	struct reply_store *r = (struct reply_store *)reply;
	cJSON_Delete(r->pub.body);
	free(r->failure);
	free(r->text);
	free(r);
}

const char *api_reply_text(const struct api_reply *reply)
{
	switch (reply->outcome) {
	case API_OK:
		return "";
	case API_REFUSED:
		return errcode_text(reply->error);
	case API_UNREACHABLE:
		switch (reply->tls) {
		case API_TLS_UNTRUSTED:
			return _("The service's certificate is not trusted by this desk (see ca_file in balie.conf).");
		case API_TLS_WRONG_NAME:
			return _("The service's certificate is for another name than the server in balie.conf.");
		case API_TLS_HANDSHAKE:
			return _("No secure connection to the service could be made.");
		case API_TLS_NONE:
			break;
		}
		return _("The service cannot be reached.");
	case API_BAD_ANSWER:
		break;
	}
	return api_undecodable_text();
}

const char *api_undecodable_text(void)
{
	return _("The service gave an answer this desk does not understand.");
}
