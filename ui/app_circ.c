#include "ui/app_circ.h"

#include "client/circ_call.h"
#include "ui/screens/account.h"
#include "ui/screens/cashup.h"
#include "ui/screens/checkin.h"
#include "ui/screens/checkout.h"
#include "ui/screens/holdshelf.h"
#include "ui/deskctx.h"
#include "ui/screens/patron.h"
#include "ui/screens/renew.h"
#include "ui/screens/titles.h"
#include "core/xalloc.h"

#include <stdlib.h>

struct app_circ {
	struct deskctx ctx;
	struct checkout checkout;
	struct checkin checkin;
	struct renew renew;
	struct patron patron;
	struct titles titles;
	struct holdshelf holdshelf;
	struct account_screen account;
	struct cashup_screen cashup;
	struct circ_settled_hooks settled; /* the outbox's settled entries */
};

struct app_circ *app_circ_new(const struct app_setup *setup, struct session_login *const *session,
			      struct session_branches *const *branches, bool *dirty)
{
	struct app_circ *ac = xcalloc(1, sizeof *ac);
	scanq_init(&ac->ctx.q, setup->api);
	ac->ctx.cfg = setup->cfg;
	ac->ctx.km = setup->km;
	ac->ctx.session = session;
	ac->ctx.branches = branches;
	ac->ctx.dirty = dirty;
	checkout_init(&ac->checkout, &ac->ctx);
	checkin_init(&ac->checkin, &ac->ctx);
	ac->checkout.returns = &ac->checkin;
	renew_init(&ac->renew, &ac->ctx);
	patron_init(&ac->patron, &ac->ctx);
	titles_init(&ac->titles, &ac->ctx);
	ac->patron.titles = &ac->titles;
	holdshelf_init(&ac->holdshelf, &ac->ctx, &ac->checkin);
	account_screen_init(&ac->account, &ac->ctx, &ac->patron);
	ac->patron.account = &ac->account;
	cashup_screen_init(&ac->cashup, &ac->ctx);
	return ac;
}

/* A saved line of check out or check in shows what the replay got for it. */
static void app_circ_settled_loan(void *ctx, long long seq, struct circ_loan *loan,
				  const struct circ_failure *f)
{
	struct app_circ *ac = ctx;
	checkout_settled(&ac->checkout, seq, loan, f);
}

static void app_circ_settled_checkin(void *ctx, long long seq, struct circ_checkin *r,
				     const struct circ_failure *f)
{
	struct app_circ *ac = ctx;
	checkin_settled(&ac->checkin, seq, r, f);
}

void app_circ_set_offline(struct app_circ *ac, struct outbox *offline)
{
	scanq_set_offline(&ac->ctx.q, offline);
	ac->settled = (struct circ_settled_hooks){ .ctx = ac, .loan = app_circ_settled_loan,
						   .checkin = app_circ_settled_checkin };
	if (offline)
		circ_settled_watch(offline, &ac->settled);
}

void app_circ_free(struct app_circ *ac)
{
	if (!ac)
		return;
	scanq_clear(&ac->ctx.q);
	checkout_free(&ac->checkout);
	checkin_free(&ac->checkin);
	renew_free(&ac->renew);
	patron_free(&ac->patron);
	titles_free(&ac->titles);
	holdshelf_free(&ac->holdshelf);
	account_screen_free(&ac->account);
	cashup_screen_free(&ac->cashup);
	free(ac);
}

void app_circ_place_screens(struct app_circ *ac, void *self[SCREEN_COUNT])
{
	self[SCREEN_CHECKOUT] = &ac->checkout;
	self[SCREEN_CHECKIN] = &ac->checkin;
	self[SCREEN_RENEW] = &ac->renew;
	self[SCREEN_PATRON] = &ac->patron;
	self[SCREEN_TITLES] = &ac->titles;
	self[SCREEN_HOLDSHELF] = &ac->holdshelf;
	self[SCREEN_ACCOUNT] = &ac->account;
	self[SCREEN_CASHUP] = &ac->cashup;
}
