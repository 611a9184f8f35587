#include "ui/screens/inhouse.h"

#include "client/item.h"
#include "client/needsvc.h"
#include "core/i18n.h"
#include "ui/widgets/term.h"
#include "core/xalloc.h"

#include <stdlib.h>

enum { INHOUSE_FIELD_MAX = 4 * CIRC_BARCODE_MAX };

void inhouse_init(struct inhouse *h, struct deskctx *ctx)
{
	*h = (struct inhouse){ .ctx = ctx, .from = SCREEN_CHECKIN };
	field_init(&h->scan, INHOUSE_FIELD_MAX, false);
	scanlist_init(&h->lines);
}

static void inhouse_reset(struct inhouse *h)
{
	field_clear(&h->scan);
	scanlist_clear(&h->lines);
	h->counted = 0;
}

void inhouse_free(struct inhouse *h)
{
	inhouse_reset(h);
	field_free(&h->scan);
	scanlist_free(&h->lines);
}

static void on_counted(void *ctx, unsigned line, struct item_info *i, const struct call_failure *f)
{
	struct inhouse *h = ctx;
	deskctx_touch(h->ctx);
	if (i) {
		h->counted++;
		/* TRANSLATORS: an item counted as used in the library, in capitals */
		scanlist_set(&h->lines, line, SCANLINE_DONE, _("COUNTED"), i->title);
		item_info_free(i);
		return;
	}
	char *words = f->outcome == API_UNREACHABLE
			      ? call_failure_sentence_dup(
					_("Counting in-house use needs the service; the desk is offline."),
					f)
			      : xstrdup(f->text);
	/* TRANSLATORS: an item not counted as used in the library, in capitals */
	scanlist_set(&h->lines, line, SCANLINE_ATTENTION, _("NOT COUNTED"), words);
	free(words);
	deskctx_attention(h->ctx);
}

static void scan(struct inhouse *h)
{
	char *text = deskctx_take_scan_dup(h->ctx, &h->scan, &h->lines);
	if (!text)
		return;
	unsigned line = scanlist_add(&h->lines, text);
	item_in_house_start(&h->ctx->q, text, on_counted, h, line);
	free(text);
}

static void inhouse_draw(const struct inhouse *h, struct screen_area *a)
{
	a->cx = deskctx_scan_header_draw(&h->scan, a->w, a->top, a->cols, _("In-house use"),
					 _("Item"));
	a->cy = a->top;
	char *sum = xasprintf(_("Counted: %u   (used in the library, no loan)"), h->counted);
	if (a->top + 1 <= a->bottom)
		term_text(a->w, a->top + 1, 2, a->cols - 3, sum);
	free(sum);
	int y = a->top + 2;
	if (y <= a->bottom)
		term_hline(a->w, y++, 0, a->cols);
	scanlist_draw(&h->lines, a->w, y, a->bottom, a->cols);
}

/* ---- the screen's row (screen.h) ---- */

static void inhouse_op_open(void *self, enum ui_screen from)
{
	struct inhouse *h = self;
	if (from != SCREEN_HELP && from != SCREEN_INHOUSE)
		h->from = from;
}

static void inhouse_op_reset(void *self)
{
	inhouse_reset(self);
}

static bool inhouse_op_action(void *self, enum action a, enum ui_screen *screen)
{
	struct inhouse *h = self;
	switch (a) {
	case ACTION_SCAN:
		scan(h);
		return true;
	case ACTION_BACK:
		*screen = h->from;
		return true;
	default:
		return false;
	}
}

static void inhouse_op_key(void *self, keycode k)
{
	struct inhouse *h = self;
	(void)field_key(&h->scan, k);
}

static bool inhouse_op_live(const void *self, enum action a)
{
	(void)self;
	return action_screen(a) != SCREEN_INHOUSE;
}

static void inhouse_op_draw(void *self, struct screen_area *area)
{
	inhouse_draw(self, area);
}

const struct screen_ops inhouse_ops = {
	.open = inhouse_op_open,
	.reset = inhouse_op_reset,
	.action = inhouse_op_action,
	.takes_text = deskctx_scan_takes_text,
	.key = inhouse_op_key,
	.live = inhouse_op_live,
	.draw = inhouse_op_draw,
};
