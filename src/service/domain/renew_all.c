#include "service/domain/renew_all.h"

#include "service/domain/patron.h"
#include "core/xalloc.h"

#include <stdlib.h>

struct barcodes {
	char **list;
	size_t n;
};

static void add_barcode(void *ctx, const struct patron_loan *loan)
{
	struct barcodes *b = ctx;
	b->list = xrealloc(b->list, (b->n + 1) * sizeof *b->list);
	b->list[b->n++] = xstrdup(loan->item_barcode);
}

enum circ_status renew_all(const struct circ_ctx *ctx, const char *card, renew_all_fn fn,
			   void *fn_ctx)
{
	struct circ_patron_rec p;
	enum circ_status s = circ_patron_find(ctx->store, card, &p);
	long long patron_id = p.id;
	circ_patron_clear(&p);
	if (s != CIRC_OK)
		return s;
	/* The barcodes first: each renewal writes the loans the list reads. */
	struct barcodes b = { 0 };
	if (!patron_each_loan(ctx->store, patron_id, ctx->today, add_barcode, &b))
		s = CIRC_STORE_FAILED;
	for (size_t i = 0; i < b.n && s == CIRC_OK; i++) {
		struct circ_renewal_res res;
		enum circ_status one = circ_renew(ctx, b.list[i], 0, &res);
		if (one == CIRC_STORE_FAILED)
			s = one;
		else
			fn(fn_ctx, one, &res);
		circ_renewal_res_clear(&res);
	}
	for (size_t i = 0; i < b.n; i++)
		free(b.list[i]);
	free(b.list);
	return s;
}
