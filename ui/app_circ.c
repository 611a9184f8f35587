#include "ui/app_circ.h"

#include "client/outbox.h"
#include "ui/screens/checkin.h"
#include "ui/screens/checkout.h"
#include "ui/deskctx.h"
#include "ui/screens/patron.h"
#include "ui/screens/renew.h"
#include "core/xalloc.h"

#include <stdlib.h>

struct app_circ {
	struct deskctx ctx;
	struct checkout checkout;
	struct checkin checkin;
	struct renew renew;
	struct patron patron;
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
	return ac;
}

/* A saved line of check out or check in shows what the replay got for it. */
static void app_circ_settled(void *ctx, long long seq, bool acknowledged,
			     const struct api_reply *reply)
{
	struct app_circ *ac = ctx;
	checkout_settled(&ac->checkout, seq, acknowledged, reply);
	checkin_settled(&ac->checkin, seq, acknowledged, reply);
}

void app_circ_set_offline(struct app_circ *ac, struct outbox *offline)
{
	scanq_set_offline(&ac->ctx.q, offline);
	if (offline)
		outbox_on_settled(offline, app_circ_settled, ac);
}

void app_circ_reset(struct app_circ *ac)
{
	scanq_clear(&ac->ctx.q);
	checkout_reset(&ac->checkout);
	checkin_reset(&ac->checkin);
	renew_reset(&ac->renew);
	patron_reset(&ac->patron);
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
	free(ac);
}

bool app_circ_is_screen(enum ui_screen s)
{
	return s == SCREEN_CHECKOUT || s == SCREEN_CHECKIN || s == SCREEN_RENEW ||
	       s == SCREEN_PATRON;
}

enum ui_screen app_circ_screen_of(enum action a)
{
	switch (a) {
	case ACTION_CHECKOUT:
		return SCREEN_CHECKOUT;
	case ACTION_CHECKIN:
		return SCREEN_CHECKIN;
	case ACTION_RENEW:
		return SCREEN_RENEW;
	case ACTION_PATRON:
		return SCREEN_PATRON;
	default:
		return SCREEN_COUNT;
	}
}

bool app_circ_action(struct app_circ *ac, enum ui_screen s, enum action a)
{
	switch (s) {
	case SCREEN_CHECKOUT:
		return checkout_action(&ac->checkout, a);
	case SCREEN_CHECKIN:
		return checkin_action(&ac->checkin, a);
	case SCREEN_RENEW:
		return renew_action(&ac->renew, a);
	case SCREEN_PATRON:
		return patron_action(&ac->patron, a);
	default:
		return false;
	}
}

bool app_circ_takes_text(const struct app_circ *ac, enum ui_screen s, keycode k)
{
	if (!app_circ_is_screen(s) || !keys_is_text(k))
		return false;
	return s != SCREEN_PATRON || patron_takes_text(&ac->patron, k);
}

void app_circ_key(struct app_circ *ac, enum ui_screen s, keycode k)
{
	switch (s) {
	case SCREEN_CHECKOUT:
		checkout_key(&ac->checkout, k);
		break;
	case SCREEN_CHECKIN:
		checkin_key(&ac->checkin, k);
		break;
	case SCREEN_RENEW:
		renew_key(&ac->renew, k);
		break;
	case SCREEN_PATRON:
		patron_key(&ac->patron, k);
		break;
	default:
		break;
	}
}

void app_circ_draw(const struct app_circ *ac, enum ui_screen s, WINDOW *w, int top, int bottom,
		   int cols, int *cy, int *cx)
{
	switch (s) {
	case SCREEN_CHECKOUT:
		checkout_draw(&ac->checkout, w, top, bottom, cols, cy, cx);
		break;
	case SCREEN_CHECKIN:
		checkin_draw(&ac->checkin, w, top, bottom, cols, cy, cx);
		break;
	case SCREEN_RENEW:
		renew_draw(&ac->renew, w, top, bottom, cols, cy, cx);
		break;
	case SCREEN_PATRON:
		patron_draw(&ac->patron, w, top, bottom, cols, cy, cx);
		break;
	default:
		break;
	}
}

bool app_circ_live(const struct app_circ *ac, enum ui_screen s, enum action a)
{
	/* The key of the screen one is on opens nothing new; between patrons
	 * there is no visit to end, print or override in. */
	if (app_circ_screen_of(a) == s)
		return false;
	if (s == SCREEN_CHECKOUT)
		return checkout_live(&ac->checkout, a);
	if (s == SCREEN_PATRON)
		return patron_live(&ac->patron, a);
	return true;
}
