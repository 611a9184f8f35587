/* Talking to balied over HTTP/JSON (DESIGN.md section 2) with libcurl.
 *
 * One struct api per program holds one libcurl multi handle, so connections
 * are reused. Requests never block: api_start queues one, the event loop
 * waits in api_wait (on the network and on the caller's own descriptors,
 * such as the terminal) and api_dispatch calls each request's done callback
 * when it has finished. api_call is the blocking form, for tests and tools.
 *
 * Every string in a reply body is sanitised (src/core/sanitize.h) before
 * anyone sees it: this is where text from the service enters the client.
 */
#ifndef BALIE_API_H
#define BALIE_API_H

#include "core/errcode.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

enum api_outcome {
	API_OK,          /* 2xx; body holds the answer (NULL for 204) */
	API_REFUSED,     /* 4xx with the protocol's error body: the error fields are set */
	API_UNREACHABLE, /* no connection, no answer within the deadline, or a 5xx */
	API_BAD_ANSWER,  /* an answer that is not the protocol: not JSON, too large, ... */
};

/* Why a secure connection failed, so that the desk can say so in words. */
enum api_tls_problem {
	API_TLS_NONE,
	API_TLS_UNTRUSTED, /* the certificate's CA is not trusted (ca_file) */
	API_TLS_WRONG_NAME,/* the certificate is for another host name */
	API_TLS_HANDSHAKE, /* no TLS at all, or one the desk does not accept */
};

struct api_reply {
	enum api_outcome outcome;
	long status;               /* HTTP status; 0 when no answer came */
	cJSON *body;               /* parsed and sanitised; NULL when there was none */
	enum errcode error;        /* API_REFUSED: the code, ERR_UNKNOWN when new to us */
	const char *error_code;    /* API_REFUSED: the wire code as sent, or NULL */
	const char *error_message; /* API_REFUSED: the service's English text, for logs */
	const cJSON *error_details;/* API_REFUSED: "details", or NULL */
	bool overridable;          /* API_REFUSED: staff may override with a reason */
	const char *failure;       /* UNREACHABLE/BAD_ANSWER: what went wrong, English */
	enum api_tls_problem tls;  /* UNREACHABLE: a certificate or handshake problem */
	double seconds;            /* time from start to the end of the answer */
	/* API_OK with a text/csv answer (GET /ido/export.csv): the bytes as
	 * sent, not JSON and not sanitised, for a file and never for the
	 * screen; body is NULL then. */
	const char *text;
	size_t text_len;
};

/* Called once per request from api_dispatch (or api_free, with
 * API_UNREACHABLE, for a request still open). The reply is freed by the api
 * after the callback returns; take what you need or detach body. */
typedef void (*api_done_fn)(void *ctx, struct api_reply *reply);

/*
 * Returns a new api for server_url: "https://host[:port]", "http://" only to
 * a loopback address (127.0.0.0/8, ::1, localhost), or "unix:/path/to/socket"
 * (HTTP over that Unix socket); or a list of such addresses, separated by
 * spaces or commas: the nodes of one service on one database. Requests go
 * to one node until it cannot be reached (no connection, no answer within
 * the deadline, a 5xx), then to the next. A request whose connection was
 * refused goes to the next node at once, as nothing was sent; any other
 * failure is the request's reply, and its Idempotency-Key makes sending it
 * again to another node harmless. ca_file may be NULL (the system's CAs).
 * On a bad URL returns NULL and sets *err (allocated, translated).
 */
struct api *api_new(const char *server_url, const char *ca_file, char **err);
void api_free(struct api *api);

/* The bearer token sent with every request from now on; NULL for none. */
void api_set_token(struct api *api, const char *token);
/* The deadline of each request, default 5000 ms. */
void api_set_timeout_ms(struct api *api, long ms);
/* The Content-Length beyond which an answer is refused, default 1 MiB. */
void api_set_max_reply_bytes(struct api *api, long bytes);

/*
 * Starts method (e.g. "GET", "POST") on path below /api/v1 (e.g. "/session").
 * body may be NULL; idempotency_key is sent as Idempotency-Key when not NULL.
 * Returns an id (never 0) for api_cancel.
 */
unsigned api_start(struct api *api, const char *method, const char *path, const cJSON *body,
		   const char *idempotency_key, api_done_fn done, void *ctx);
/* Forgets a request: its callback will not be called. */
void api_cancel(struct api *api, unsigned id);
/* How many requests are open. */
unsigned api_pending(const struct api *api);

struct api_waitfd {
	int fd;
	short events;  /* POLLIN, POLLOUT */
	short revents; /* set by api_wait */
};

/*
 * Waits at most timeout_ms (or less, when libcurl has a timer due) for the
 * network or for one of the extra descriptors. Returns the number of extra
 * descriptors that are ready, or -1 when interrupted by a signal.
 */
int api_wait(struct api *api, struct api_waitfd *extra, unsigned n_extra, int timeout_ms);
/* Moves transfers on and calls the callbacks of those that finished. */
void api_dispatch(struct api *api);

/* Blocking: starts a request and waits for its reply. Free with api_reply_free. */
struct api_reply *api_call(struct api *api, const char *method, const char *path,
			   const cJSON *body, const char *idempotency_key);
/* Takes the reply away from the api inside a done callback; the caller then
 * frees it with api_reply_free. */
struct api_reply *api_reply_take(struct api_reply *reply);
void api_reply_free(struct api_reply *reply);
/* The reply that an answer with this status, Content-Type (may be NULL) and
 * body would give: parsed, sanitised and classified as for a real transfer.
 * For the fuzz targets, which reach the same code without a network. Free
 * with api_reply_free. */
struct api_reply *api_reply_from_bytes(long status, const char *content_type, const char *buf,
				       size_t len);

/* The words the desk shows for a reply that is not API_OK, translated. */
const char *api_reply_text(const struct api_reply *reply);
/* The desk's sentence for an answer it cannot decode (API_BAD_ANSWER, or a
 * 2xx whose body a decoder refused), translated: the one text for it. */
const char *api_undecodable_text(void);

#endif
