/* 23 patron status, 63 patron information, 35 end patron session, 01 block
 * patron and 25 patron enable (not supported). A card balie does not know is
 * answered with BL N and the patron status of every privilege denied. balie
 * keeps no patron PINs: AD is not checked, and CQ says Y. */
#include "service/sip2/messages.h"

#include "service/domain/audit.h"
#include "service/domain/holds.h"
#include "service/domain/kiosk.h"
#include "service/domain/patron.h"
#include "core/i18n.h"
#include "core/xalloc.h"
#include "service/sip2/answer.h"

#include <stdlib.h>
#include <string.h>

enum { PAGE_MAX = 200 };

static char *full_name_dup(const struct circ_patron_rec *p)
{
	return xasprintf("%s %s", p->given_name ? p->given_name : "",
			 p->family_name ? p->family_name : "");
}

/* The start shared by 24, 26 and 64: the patron status, language, date. */
static void status_head(struct sip2_out *o, const struct sip2_session *s, const char *code,
			bool found, unsigned blocks)
{
	char status[15];
	sip2_patron_status(found ? blocks : CIRC_BLOCK_ALL, status);
	if (!found)
		memset(status, 'Y', 14);
	sip2_out_init(o, code);
	sip2_out_fixed(o, status);
	sip2_out_fixed(o, "000");
	sip2_out_now(o, s);
}

/* AO, AA, AE, BL, CQ, and the money fields, shared by 24, 26 and 64. */
static void patron_fields(struct sip2_out *o, struct sip2_session *s, const struct sip2_msg *m,
			  bool found, const struct circ_patron_rec *p)
{
	char *ao = sip2_arg_dup(s, m, "AO");
	char *aa = sip2_arg_dup(s, m, "AA");
	sip2_out_field(o, "AO", ao);
	sip2_out_field(o, "AA", aa);
	char *name = found ? full_name_dup(p) : xstrdup("");
	sip2_out_field(o, "AE", name);
	sip2_out_field(o, "BL", found ? "Y" : "N");
	sip2_out_field(o, "CQ", found ? "Y" : "N");
	if (found) {
		char amount[24];
		sip2_amount(p->fines_cents, amount);
		sip2_out_field(o, "BH", "EUR");
		sip2_out_field(o, "BV", amount);
	}
	free(name);
	free(ao);
	free(aa);
}

static void screen_message(struct sip2_out *o, bool found, unsigned blocks)
{
	const char *text = !found ? sip2_refusal_text(CIRC_PATRON_NOT_FOUND)
			   : blocks ? sip2_block_text(blocks)
				    : NULL;
	if (text)
		sip2_out_field(o, "AF", text);
}

/* A 24 (or 26) for the patron of m as it stands now. */
static char *status_answer(struct sip2_session *s, const struct sip2_msg *m, const char *code,
			   const char *extra)
{
	struct circ_patron_rec p;
	enum circ_status st = sip2_patron_of(s, m, &p);
	if (st == CIRC_STORE_FAILED)
		return NULL;
	struct circ_ctx ctx;
	sip2_circ_ctx(s, &ctx);
	bool found = st == CIRC_OK;
	unsigned blocks = found ? circ_patron_blocks(&ctx, &p) : 0;
	struct sip2_out o;
	status_head(&o, s, code, found, blocks);
	patron_fields(&o, s, m, found, &p);
	if (extra)
		sip2_out_field(&o, "AF", extra);
	else
		screen_message(&o, found, blocks);
	circ_patron_clear(&p);
	return sip2_out_take(&o);
}

char *sip2_msg_patron_status(struct sip2_session *s, const struct sip2_msg *m)
{
	return status_answer(s, m, "24", NULL);
}

char *sip2_msg_patron_enable(struct sip2_session *s, const struct sip2_msg *m)
{
	return status_answer(s, m, "26", _("This cannot be done here. Please ask at the desk."));
}

/* ---- 63 patron information ---- */

/* The lists of 64, each with its count, and the page of one of them. */
struct lists {
	unsigned charged, overdue, ready, waiting, fines;
	struct sip2_out page;    /* the fields of the list the summary asks for */
	const char *want;        /* its field id: "AU", "AT", "AS", "CD", or NULL */
	unsigned from, to;       /* BP and BQ, 1 first */
	unsigned at;             /* position in the wanted list */
};

static void list_add(struct lists *l, const char *id, const char *value)
{
	if (!l->want || strcmp(l->want, id) != 0)
		return;
	l->at++;
	if (l->at >= l->from && l->at <= l->to)
		sip2_out_field(&l->page, id, value);
}

static void on_loan(void *ctx, const struct patron_loan *loan)
{
	struct lists *l = ctx;
	l->charged++;
	list_add(l, "AU", loan->item_barcode);
	if (loan->overdue) {
		l->overdue++;
		list_add(l, "AT", loan->item_barcode);
	}
}

static void on_hold(void *ctx, const struct holds_hold *h)
{
	struct lists *l = ctx;
	bool ready = strcmp(h->status, "ready") == 0;
	if (strcmp(h->status, "expired") == 0)
		return;
	if (ready)
		l->ready++;
	else
		l->waiting++;
	list_add(l, ready ? "AS" : "CD", h->title);
}

/* The summary field: the first Y names the list (positions 0 to 5). */
static const char *wanted_list(const struct sip2_msg *m)
{
	static const char *const ids[] = { "AS", "AT", "AU", "AV", "BU", "CD" };
	for (size_t i = 0; i < 6 && 21 + i < m->fixed_len; i++)
		if (m->fixed[21 + i] == 'Y' || m->fixed[21 + i] == 'y')
			return ids[i];
	return NULL;
}

static unsigned number_arg(struct sip2_session *s, const struct sip2_msg *m, const char *id,
			   unsigned fallback)
{
	char *v = sip2_arg_dup(s, m, id);
	char *end;
	unsigned long n = strtoul(v, &end, 10);
	bool ok = *v && *end == '\0' && n > 0 && n < 100000;
	free(v);
	return ok ? (unsigned)n : fallback;
}

static bool read_lists(struct sip2_session *s, const struct sip2_msg *m,
		       const struct circ_ctx *ctx, long long patron_id, struct lists *l)
{
	l->want = wanted_list(m);
	l->from = number_arg(s, m, "BP", 1);
	l->to = number_arg(s, m, "BQ", l->from + PAGE_MAX - 1);
	if (l->to - l->from >= PAGE_MAX)
		l->to = l->from + PAGE_MAX - 1;
	bool fines = l->want && strcmp(l->want, "AV") == 0;
	return patron_each_loan(s->store, patron_id, ctx->today, on_loan, l) &&
	       holds_each_of_patron(s->store, patron_id, ctx->now, on_hold, l) &&
	       sip2_fine_items(s, patron_id, l->from, l->to, fines, &l->page, &l->fines);
}

char *sip2_msg_patron_info(struct sip2_session *s, const struct sip2_msg *m)
{
	struct circ_patron_rec p;
	enum circ_status st = sip2_patron_of(s, m, &p);
	struct circ_ctx ctx;
	sip2_circ_ctx(s, &ctx);
	struct lists l = { 0 };
	if (st == CIRC_STORE_FAILED || (st == CIRC_OK && !read_lists(s, m, &ctx, p.id, &l))) {
		circ_patron_clear(&p);
		free(sip2_out_take(&l.page));
		return NULL;
	}
	bool found = st == CIRC_OK;
	unsigned blocks = found ? circ_patron_blocks(&ctx, &p) : 0;
	struct sip2_out o;
	status_head(&o, s, "64", found, blocks);
	sip2_out_count(&o, l.ready, 4);
	sip2_out_count(&o, l.overdue, 4);
	sip2_out_count(&o, l.charged, 4);
	sip2_out_count(&o, l.fines, 4);
	sip2_out_count(&o, 0, 4);   /* recall items: balie has no recalls */
	sip2_out_count(&o, l.waiting, 4);
	patron_fields(&o, s, m, found, &p);
	if (found) {
		char limit[12];
		snprintf(limit, sizeof limit, "%u", rules_max_loans(s->env->rules, p.category));
		sip2_out_field(&o, "CB", limit);
	}
	char *page = sip2_out_take(&l.page);
	sip2_out_fixed(&o, page);
	free(page);
	screen_message(&o, found, blocks);
	circ_patron_clear(&p);
	return sip2_out_take(&o);
}

/* ---- 35 end patron session ---- */

char *sip2_msg_end_session(struct sip2_session *s, const struct sip2_msg *m)
{
	return sip2_plain_answer_dup(s, m, "36", true, _("Thank you and goodbye."));
}

/* ---- 01 block patron ---- */

static bool block_change(struct sip2_session *s, const struct sip2_msg *m, struct sip2_out *o,
			 bool *store_failed)
{
	struct circ_patron_rec p;
	enum circ_status st = sip2_patron_of(s, m, &p);
	char *why = sip2_arg_dup(s, m, "AL");
	const char *reason = *why ? why : "blocked by a kiosk";
	bool ok = st == CIRC_OK && kiosk_block_patron(s->store, p.id, reason) &&
		  audit_add(s->store, &s->who, sip2_now(s), "manual_block", p.card, reason, NULL);
	*store_failed = st == CIRC_STORE_FAILED || (st == CIRC_OK && !ok);
	free(why);
	circ_patron_clear(&p);
	if (ok) {
		char *answer = status_answer(s, m, "24", NULL);
		if (!answer) {
			*store_failed = true;
			return false;
		}
		sip2_out_fixed(o, answer);
		free(answer);
	} else if (!*store_failed) {
		char *answer = status_answer(s, m, "24", NULL);
		sip2_out_fixed(o, answer ? answer : "");
		free(answer);
	}
	return ok;
}

char *sip2_msg_block_patron(struct sip2_session *s, const struct sip2_msg *m)
{
	return sip2_once_dup(s, m, block_change);
}
