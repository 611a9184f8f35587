#include "client/circ_call.h"

#include "core/log.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* What the decoding of one answer needs: which decoder, whose callback. */
enum call_kind { CALL_PATRON, CALL_SEARCH, CALL_LOAN, CALL_CHECKIN };

union call_fn {
	circ_patron_fn patron;
	circ_search_fn search;
	circ_loan_fn loan;
	circ_checkin_fn checkin;
};

struct call {
	enum call_kind kind;
	union call_fn done; /* the member of kind */
	void *ctx;
};

char *circ_refusal_text_dup(const struct api_reply *reply)
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
 * decoder refused: undecodable); free with failure_clear. */
struct failure_store {
	struct circ_failure pub;
	char *text;
	char **blocks;
	size_t n_blocks;
};

static void failure_of(struct failure_store *s, const struct api_reply *reply)
{
	*s = (struct failure_store){ 0 };
	struct circ_failure *f = &s->pub;
	if (outbox_reply_saved(reply)) {
		f->kind = CIRC_SAVED;
		f->seq = outbox_reply_seq(reply);
		f->text = "";
	} else if (reply->outcome == API_UNREACHABLE) {
		f->kind = CIRC_UNREACHABLE;
		f->setup_problem = reply->tls != API_TLS_NONE;
		f->text = api_reply_text(reply);
	} else if (reply->outcome == API_REFUSED) {
		f->kind = CIRC_REFUSED;
		f->error = reply->error;
		f->overridable = reply->overridable;
		s->text = circ_refusal_text_dup(reply);
		f->text = s->text;
		if (reply->error == ERR_PATRON_BLOCKED)
			s->blocks = circ_refusal_blocks_dup(reply->error_details, &s->n_blocks);
		f->blocks = (const char *const *)s->blocks;
		f->n_blocks = s->n_blocks;
	} else {
		f->kind = CIRC_UNDECODABLE;
		f->text = api_undecodable_text();
	}
}

static void failure_clear(struct failure_store *s)
{
	free(s->text);
	for (size_t i = 0; i < s->n_blocks; i++)
		free(s->blocks[i]);
	free(s->blocks);
}

/* The decoder's reason goes to the log, without the answer itself: it may
 * name a patron. */
static void log_undecodable(const char *what, char *why)
{
	log_warn("an answer to %s that the desk cannot decode: %s", what, why ? why : "?");
	free(why);
}

/* Decodes reply as kind; NULL when it is no answer or not one of kind. */
static void *decode(enum call_kind kind, const struct api_reply *reply)
{
	if (reply->outcome != API_OK)
		return NULL;
	char *why = NULL;
	void *out = NULL;
	static const char *const what[] = { [CALL_PATRON] = "a patron lookup",
					    [CALL_SEARCH] = "a patron search",
					    [CALL_LOAN] = "a check-out or renewal",
					    [CALL_CHECKIN] = "a check-in" };
	switch (kind) {
	case CALL_PATRON:
		out = circ_patron_decode(reply->body, &why);
		break;
	case CALL_SEARCH:
		out = circ_search_decode(reply->body, &why);
		break;
	case CALL_LOAN:
		out = circ_loan_decode(reply->body, &why);
		break;
	case CALL_CHECKIN:
		out = circ_checkin_decode(reply->body, &why);
		break;
	}
	if (!out)
		log_undecodable(what[kind], why);
	return out;
}

/* Hands answer (or NULL and f) to the call's callback. */
static void deliver(const struct call *c, unsigned tag, void *answer,
		    const struct circ_failure *f)
{
	switch (c->kind) {
	case CALL_PATRON:
		c->done.patron(c->ctx, tag, answer, f);
		break;
	case CALL_SEARCH:
		c->done.search(c->ctx, tag, answer, f);
		break;
	case CALL_LOAN:
		c->done.loan(c->ctx, tag, answer, f);
		break;
	case CALL_CHECKIN:
		c->done.checkin(c->ctx, tag, answer, f);
		break;
	}
}

static void on_reply(void *ctx, unsigned tag, struct api_reply *reply)
{
	struct call *c = ctx;
	void *answer = decode(c->kind, reply);
	if (answer) {
		deliver(c, tag, answer, NULL);
		return;
	}
	struct failure_store f;
	failure_of(&f, reply);
	deliver(c, tag, NULL, &f.pub);
	failure_clear(&f);
}

/* Queues the call; a body makes it mutating (with its own key). */
static void push(struct scanq *q, enum call_kind kind, union call_fn done, void *ctx,
		 const char *method, const char *path, cJSON *body, unsigned tag)
{
	struct call *c = xcalloc(1, sizeof *c);
	*c = (struct call){ .kind = kind, .done = done, .ctx = ctx };
	scanq_push(q, method, path, body, body != NULL, on_reply, c, free, tag);
}

void circ_patron_start(struct scanq *q, const char *card, circ_patron_fn done, void *ctx,
		       unsigned tag)
{
	char *path = circ_patron_path_dup(card);
	push(q, CALL_PATRON, (union call_fn){ .patron = done }, ctx, "GET", path, NULL, tag);
	free(path);
}

void circ_search_start(struct scanq *q, const char *query, const char *birth_date,
		       circ_search_fn done, void *ctx, unsigned tag)
{
	char *path = circ_search_path_dup(query, birth_date);
	push(q, CALL_SEARCH, (union call_fn){ .search = done }, ctx, "GET", path, NULL, tag);
	free(path);
}

void circ_checkout_start(struct scanq *q, const char *card, const char *barcode,
			 const char *const *blocks, size_t n_blocks, const char *reason,
			 circ_loan_fn done, void *ctx, unsigned tag)
{
	push(q, CALL_LOAN, (union call_fn){ .loan = done }, ctx, "POST", "/checkouts",
	     circ_checkout_body_new(card, barcode, blocks, n_blocks, reason), tag);
}

void circ_checkin_start(struct scanq *q, const char *barcode, circ_checkin_fn done, void *ctx,
			unsigned tag)
{
	push(q, CALL_CHECKIN, (union call_fn){ .checkin = done }, ctx, "POST", "/checkins",
	     circ_item_body_new(barcode), tag);
}

void circ_renew_start(struct scanq *q, const char *barcode, const char *const *blocks,
		      size_t n_blocks, const char *reason, circ_loan_fn done, void *ctx,
		      unsigned tag)
{
	cJSON *body = blocks ? circ_renewal_body_new(barcode, blocks, n_blocks, reason)
			     : circ_item_body_new(barcode);
	push(q, CALL_LOAN, (union call_fn){ .loan = done }, ctx, "POST", "/renewals", body, tag);
}

/* The outbox's settled entry, to each hook decoded as its kind. */
static void on_settled(void *ctx, long long seq, bool acknowledged, const struct api_reply *reply)
{
	const struct circ_settled_hooks *h = ctx;
	struct failure_store f;
	failure_of(&f, reply);
	if (acknowledged) {
		/* an acknowledged answer that is not of the hook's kind is
		 * undecodable to that hook */
		f.pub.kind = CIRC_UNDECODABLE;
		f.pub.text = api_undecodable_text();
	}
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
