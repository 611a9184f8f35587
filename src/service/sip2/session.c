#include "service/sip2/session.h"

#include "core/log.h"
#include "core/sanitize.h"
#include "core/xalloc.h"
#include "service/sip2/charset.h"
#include "service/sip2/messages.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The messages in the order of the supported-messages field (BX) of 98;
 * a NULL handler is a message balied does not support (N in BX). */
static const struct {
	const char *code;
	sip2_handler_fn handle;
	bool before_login;  /* may come before a login */
} messages[] = {
	{ "23", sip2_msg_patron_status, false },
	{ "11", sip2_msg_checkout, false },
	{ "09", sip2_msg_checkin, false },
	{ "01", sip2_msg_block_patron, false },
	{ "99", sip2_msg_status, true },
	{ "97", NULL, true },  /* handled below: the resend of the last answer */
	{ "93", sip2_msg_login, true },
	{ "63", sip2_msg_patron_info, false },
	{ "35", sip2_msg_end_session, false },
	{ "37", sip2_msg_fee_paid, false },
	{ "17", sip2_msg_item_info, false },
	{ "19", sip2_msg_item_update, false },
	{ "25", sip2_msg_patron_enable, false },
	{ "15", sip2_msg_hold, false },
	{ "29", sip2_msg_renew, false },
	{ "65", sip2_msg_renew_all, false },
};
enum { N_MESSAGES = sizeof messages / sizeof messages[0] };

/* Answered "not supported" by their handlers: N in BX. */
static bool supported(const char *code)
{
	return strcmp(code, "19") != 0 && strcmp(code, "25") != 0;
}

void sip2_supported_messages(char out[17])
{
	for (size_t i = 0; i < N_MESSAGES && i < 16; i++)
		out[i] = supported(messages[i].code) ? 'Y' : 'N';
	out[16] = '\0';
}

void sip2_session_init(struct sip2_session *s, const struct sip2_env *env, struct store *store,
		       const char *address)
{
	memset(s, 0, sizeof *s);
	s->env = env;
	s->store = store;
	s->address = address;
	snprintf(s->charset, sizeof s->charset, "UTF-8");
}

void sip2_session_clear(struct sip2_session *s)
{
	free(s->who.username);
	free(s->who.name);
	free(s->who.branch);
	free(s->who.terminal);
	free(s->last);
	memset(s, 0, sizeof *s);
}

time_t sip2_now(const struct sip2_session *s)
{
	return time(NULL) + s->env->clock_offset;
}

/* A kiosk's text is untrusted: valid UTF-8 without controls from here on. */
char *sip2_arg_dup(const struct sip2_session *s, const struct sip2_msg *m, const char *id)
{
	const struct sip2_field *f = sip2_field_find(m, id);
	if (!f)
		return xstrdup("");
	char *utf8 = sip2_charset_in_dup(s->charset, f->value, f->len);
	char *clean = sanitize_dup(utf8, strlen(utf8));
	free(utf8);
	return clean;
}

void sip2_circ_ctx(const struct sip2_session *s, struct circ_ctx *ctx)
{
	circ_ctx_init(ctx, s->store, s->env->rules, sip2_now(s), s->who.branch, s->who.staff_id);
}

/* ---- exactly once ---- */

struct once {
	struct sip2_session *s;
	const struct sip2_msg *m;
	sip2_change_fn change;
};

static void run_once(void *ctx, struct store *store, struct idem_response *out)
{
	struct once *o = ctx;
	struct sip2_out answer = { 0 };
	bool store_failed = false;
	(void)store; /* the session's */
	bool done = o->change(o->s, o->m, &answer, &store_failed);
	out->body = sip2_out_take(&answer);
	out->status = store_failed ? 503 : done ? 200 : 409;
}

/* Where the transaction date is in the fixed part of a changing message. */
static size_t date_at(const char *code)
{
	if (strcmp(code, "11") == 0 || strcmp(code, "29") == 0)
		return 2; /* after the renewal policy (third party) and no block */
	return strcmp(code, "65") == 0 ? 0 : 1; /* 09, 15, 01: after one flag */
}

/* The key of a message: the kiosk account, the bytes with the sequence
 * number, and, when the kiosk sends no date (blanks), today, so that the
 * same blank-dated request on another day is not taken for a resend. */
static void once_key(const struct sip2_session *s, const struct sip2_msg *m, const char *raw,
		     size_t len, char out[48])
{
	size_t at = date_at(m->code);
	unsigned char hash[16];
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof hash);
	crypto_generichash_update(&st, (const unsigned char *)"sip2", 5);
	crypto_generichash_update(&st, (const unsigned char *)s->who.username,
				  strlen(s->who.username) + 1);
	crypto_generichash_update(&st, (const unsigned char *)raw, len);
	char when[SIP2_DATE_LEN];
	if (m->fixed_len < at + 18 || strspn(m->fixed + at, " 0") >= 8) {
		sip2_date(sip2_now(s), when);
		crypto_generichash_update(&st, (const unsigned char *)when, 8);
	}
	crypto_generichash_final(&st, hash, sizeof hash);
	char hex[33];
	sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
	snprintf(out, 48, "sip2-%s", hex);
}

char *sip2_once_dup(struct sip2_session *s, const struct sip2_msg *m, sip2_change_fn change)
{
	/* The whole message up to AZ: the sequence number is part of the key. */
	const char *raw = m->fixed - 2;
	size_t len = m->body_len + (m->seq != SIP2_NO_SEQ ? 3 : 0);
	char key[48], path[16];
	once_key(s, m, raw, len, key);
	snprintf(path, sizeof path, "/sip2/%s", m->code);
	struct idem_request req = { .key = key, .method = "SIP2", .path = path, .body = raw,
				    .body_len = len, .staff_id = s->who.staff_id };
	struct once o = { s, m, change };
	struct idem_response resp = { 0 };
	enum idem_outcome out = idempotency_run(s->env->idem, s->store, &req, run_once, &o, &resp);
	if (out == IDEM_DONE || out == IDEM_REPLAYED) {
		if (out == IDEM_REPLAYED)
			log_info("sip2: %s of \"%s\" resent: the first answer again", m->code,
				 s->who.username);
		if (resp.status < 500)
			return resp.body;
	}
	free(resp.body);
	if (out == IDEM_IN_PROGRESS)
		log_info("sip2: %s of \"%s\" is being handled on another connection", m->code,
			 s->who.username);
	return NULL;
}

/* ---- one message ---- */

static char *frame(struct sip2_session *s, const struct sip2_msg *m, const char *body,
		   size_t *out_len)
{
	size_t n;
	char *bytes = sip2_charset_out_dup(s->charset, body, &n);
	char *framed = sip2_frame_dup(bytes, n, m->has_checksum, m->seq, out_len);
	free(bytes);
	return framed;
}

/* 96: the kiosk is asked to send its request again. */
static char *request_resend(bool checksum, size_t *out_len)
{
	return sip2_frame_dup("96", 2, checksum, SIP2_NO_SEQ, out_len);
}

static char *resend_last(struct sip2_session *s, bool checksum, size_t *out_len)
{
	if (!s->last)
		return request_resend(checksum, out_len);
	*out_len = s->last_len;
	return xstrndup(s->last, s->last_len);
}

static void keep_last(struct sip2_session *s, const char *answer, size_t len)
{
	free(s->last);
	s->last = xstrndup(answer, len);
	s->last_len = len;
}

char *sip2_session_handle(struct sip2_session *s, const char *raw, size_t len, size_t *out_len)
{
	struct sip2_msg m;
	enum sip2_parse p = sip2_parse(raw, len, &m);
	if (p == SIP2_BAD_CHECKSUM || p == SIP2_MALFORMED) {
		log_info("sip2: %s message %.2s from %s: asking for it again",
			 p == SIP2_BAD_CHECKSUM ? "a bad checksum on" : "a malformed", raw,
			 s->address);
		return request_resend(p == SIP2_BAD_CHECKSUM || m.has_checksum, out_len);
	}
	size_t i = 0;
	while (i < N_MESSAGES && (p != SIP2_PARSE_OK || strcmp(messages[i].code, m.code) != 0))
		i++;
	if (i == N_MESSAGES) {
		log_info("sip2: message %.2s from %s is not one balied knows: no answer",
			 len >= 2 ? raw : "??", s->address);
		return NULL;
	}
	if (!s->logged_in && !messages[i].before_login) {
		log_warn("sip2: message %s from %s before a login: closing", m.code, s->address);
		s->close = true;
		return NULL;
	}
	if (!messages[i].handle)
		return resend_last(s, m.has_checksum, out_len);
	char *body = messages[i].handle(s, &m);
	if (!body)
		return request_resend(m.has_checksum, out_len);
	char *answer = frame(s, &m, body, out_len);
	free(body);
	keep_last(s, answer, *out_len);
	return answer;
}
