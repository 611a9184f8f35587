#include "client/circ_call.h"

#include "client/membercard.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* What the decoding of one answer needs: which decoder, whose callback. */
enum circ_call_kind { CIRC_CALL_PATRON, CIRC_CALL_SEARCH, CIRC_CALL_LOAN, CIRC_CALL_CHECKIN };

union circ_call_fn {
	circ_patron_fn patron;
	circ_search_fn search;
	circ_loan_fn loan;
	circ_checkin_fn checkin;
};

struct circ_call_job {
	enum circ_call_kind kind;
	union circ_call_fn done; /* the member of kind */
	void *ctx;
};

/* The desk's words for a refused reply: the code's text, and for
 * patron_blocked the blocks it names. Allocated. */
static char *circ_refusal_text_dup(const struct api_reply *reply)
{
	const char *text = api_reply_text(reply);
	if (reply->outcome != API_REFUSED || reply->error != ERR_PATRON_BLOCKED)
		return xstrdup(text);
	size_t n = 0;
	char **blocks = circ_refusal_blocks_dup(reply->error_details, &n);
	/* "The patron is blocked: the card has expired, fines over the limit." */
	size_t len = strlen(text);
	char *out = xstrndup(text, len > 0 && text[len - 1] == '.' ? len - 1 : len);
	for (size_t i = 0; i < n; i++) {
		char *more = xasprintf(i == 0 ? "%s: %s" : "%s, %s", out, circ_block_text(blocks[i]));
		free(out);
		out = more;
		free(blocks[i]);
	}
	char *done = xasprintf("%s.", out);
	free(out);
	free(blocks);
	return done;
}

/* The failure for a reply that is not the answer (or whose answer the
 * decoder refused: decode_err, logged with what the call was); free with
 * failure_clear. */
struct failure_store {
	struct circ_failure pub;
	char *text;
	char **blocks;
	size_t n_blocks;
};

static void failure_of(struct failure_store *s, const struct api_reply *reply, const char *what,
		       char *decode_err)
{
	*s = (struct failure_store){ 0 };
	struct circ_failure *f = &s->pub;
	call_failure_init(&f->call, reply, what, decode_err);
	f->saved = outbox_reply_saved(reply);
	f->seq = outbox_reply_seq(reply);
	if ((s->text = membercard_replaced_text_dup(reply)) != NULL)
		f->call.text = s->text;
	bool card = false;
	f->patron_card = reply->outcome == API_REFUSED && reply->error == ERR_ITEM_NOT_FOUND &&
			 jsonx_bool(reply->error_details, "patron_card", &card) && card;
	if (reply->outcome != API_REFUSED || reply->error != ERR_PATRON_BLOCKED)
		return;
	s->text = circ_refusal_text_dup(reply);
	f->call.text = s->text;
	s->blocks = circ_refusal_blocks_dup(reply->error_details, &s->n_blocks);
	f->blocks = (const char *const *)s->blocks;
	f->n_blocks = s->n_blocks;
}

static void failure_clear(struct failure_store *s)
{
	free(s->text);
	for (size_t i = 0; i < s->n_blocks; i++)
		free(s->blocks[i]);
	free(s->blocks);
}

static const char *const circ_call_what[] = { [CIRC_CALL_PATRON] = "GET /patrons/{card}",
					 [CIRC_CALL_SEARCH] = "GET /patrons?q=",
					 [CIRC_CALL_LOAN] = "POST /checkouts or /renewals",
					 [CIRC_CALL_CHECKIN] = "POST /checkins" };

/* Decodes reply as kind; NULL when it is no answer or not one of kind
 * (then *why may say why, allocated). */
static void *decode(enum circ_call_kind kind, const struct api_reply *reply, char **why)
{
	*why = NULL;
	if (reply->outcome != API_OK)
		return NULL;
	switch (kind) {
	case CIRC_CALL_PATRON:
		return circ_patron_decode(reply->body, why);
	case CIRC_CALL_SEARCH:
		return circ_search_decode(reply->body, why);
	case CIRC_CALL_LOAN:
		return circ_loan_decode(reply->body, why);
	case CIRC_CALL_CHECKIN:
		return circ_checkin_decode(reply->body, why);
	}
	return NULL;
}

/* Hands answer (or NULL and f) to the call's callback. */
static void deliver(const struct circ_call_job *c, unsigned tag, void *answer,
		    const struct circ_failure *f)
{
	switch (c->kind) {
	case CIRC_CALL_PATRON:
		c->done.patron(c->ctx, tag, answer, f);
		break;
	case CIRC_CALL_SEARCH:
		c->done.search(c->ctx, tag, answer, f);
		break;
	case CIRC_CALL_LOAN:
		c->done.loan(c->ctx, tag, answer, f);
		break;
	case CIRC_CALL_CHECKIN:
		c->done.checkin(c->ctx, tag, answer, f);
		break;
	}
}

static void on_reply(void *ctx, unsigned tag, struct api_reply *reply)
{
	struct circ_call_job *c = ctx;
	char *why;
	void *answer = decode(c->kind, reply, &why);
	if (answer) {
		deliver(c, tag, answer, NULL);
		return;
	}
	struct failure_store f;
	failure_of(&f, reply, circ_call_what[c->kind], why);
	deliver(c, tag, NULL, &f.pub);
	failure_clear(&f);
}

/* Queues the call; a body makes it mutating (with its own key). */
static void push(struct scanq *q, enum circ_call_kind kind, union circ_call_fn done, void *ctx,
		 const char *method, const char *path, cJSON *body, unsigned tag)
{
	struct circ_call_job *c = xcalloc(1, sizeof *c);
	*c = (struct circ_call_job){ .kind = kind, .done = done, .ctx = ctx };
	scanq_push(q, method, path, body, body != NULL, on_reply, c, free, tag);
}

void circ_patron_start(struct scanq *q, const char *card, circ_patron_fn done, void *ctx,
		       unsigned tag)
{
	char *path = circ_patron_path_dup(card);
	push(q, CIRC_CALL_PATRON, (union circ_call_fn){ .patron = done }, ctx, "GET", path, NULL, tag);
	free(path);
}

void circ_patron_checkout_start(struct scanq *q, const char *card, circ_patron_fn done,
				void *ctx, unsigned tag)
{
	char *path = circ_patron_checkout_path_dup(card);
	push(q, CIRC_CALL_PATRON, (union circ_call_fn){ .patron = done }, ctx, "GET", path, NULL, tag);
	free(path);
}

void circ_search_start(struct scanq *q, const char *query, const char *birth_date,
		       circ_search_fn done, void *ctx, unsigned tag)
{
	char *path = circ_search_path_dup(query, birth_date);
	push(q, CIRC_CALL_SEARCH, (union circ_call_fn){ .search = done }, ctx, "GET", path, NULL, tag);
	free(path);
}

void circ_checkout_start(struct scanq *q, const char *card, const char *barcode,
			 const char *const *blocks, size_t n_blocks, const char *reason,
			 circ_loan_fn done, void *ctx, unsigned tag)
{
	circ_checkout_due_start(q, card, barcode, blocks, n_blocks, reason, NULL, done, ctx, tag);
}

void circ_checkout_due_start(struct scanq *q, const char *card, const char *barcode,
			     const char *const *blocks, size_t n_blocks, const char *reason,
			     const char *due_on, circ_loan_fn done, void *ctx, unsigned tag)
{
	cJSON *body = circ_checkout_body_new(card, barcode, blocks, n_blocks, reason);
	if (due_on && !cJSON_AddStringToObject(body, "due_on", due_on))
		abort(); /* cJSON fails only when out of memory */
	push(q, CIRC_CALL_LOAN, (union circ_call_fn){ .loan = done }, ctx, "POST", "/checkouts", body,
	     tag);
}

void circ_checkin_start(struct scanq *q, const char *barcode, circ_checkin_fn done, void *ctx,
			unsigned tag)
{
	circ_checkin_with_start(q, barcode, NULL, false, done, ctx, tag);
}

void circ_checkin_with_start(struct scanq *q, const char *barcode, const char *effective_on,
			     bool amnesty, circ_checkin_fn done, void *ctx, unsigned tag)
{
	push(q, CIRC_CALL_CHECKIN, (union circ_call_fn){ .checkin = done }, ctx, "POST", "/checkins",
	     circ_checkin_body_new(barcode, effective_on, amnesty), tag);
}

void circ_renew_start(struct scanq *q, const char *barcode, const char *const *blocks,
		      size_t n_blocks, const char *reason, circ_loan_fn done, void *ctx,
		      unsigned tag)
{
	cJSON *body = blocks ? circ_renewal_body_new(barcode, blocks, n_blocks, reason)
			     : circ_item_body_new(barcode);
	push(q, CIRC_CALL_LOAN, (union circ_call_fn){ .loan = done }, ctx, "POST", "/renewals", body,
	     tag);
}

/* The outbox's settled entry, to each hook decoded as its kind. */
static void on_settled(void *ctx, long long seq, bool acknowledged, const struct api_reply *reply)
{
	const struct circ_settled_hooks *h = ctx;
	/* An acknowledged answer is a check-out's or a check-in's: to the
	 * hook of the other kind it is undecodable, which is no news for
	 * the log (that hook does not know seq). */
	struct api_reply quiet = *reply;
	if (acknowledged)
		quiet.outcome = API_BAD_ANSWER;
	struct failure_store f;
	failure_of(&f, acknowledged ? &quiet : reply, NULL, NULL);
	if (acknowledged)
		f.pub.call.outcome = API_OK;
	if (h->loan) {
		char *why = NULL;
		struct circ_loan *loan = acknowledged ? circ_loan_decode(reply->body, &why) : NULL;
		free(why);
		h->loan(h->ctx, seq, loan, loan ? NULL : &f.pub);
	}
	if (h->checkin) {
		char *why = NULL;
		struct circ_checkin *c = acknowledged ? circ_checkin_decode(reply->body, &why) : NULL;
		free(why);
		h->checkin(h->ctx, seq, c, c ? NULL : &f.pub);
	}
	failure_clear(&f);
}

void circ_settled_watch(struct outbox *o, const struct circ_settled_hooks *hooks)
{
	outbox_on_settled(o, on_settled, (void *)hooks);
}
