#include "ui/widgets/keyline.h"

#include "core/i18n.h"
#include "ui/roles.h"
#include "ui/widgets/term.h"

#include <string.h>

enum { KEYLINE_MAX = KEYC_F12 - KEYC_F1 + 1 };

/* How the line is laid out: full labels two apart, then short labels for
 * the other screens' keys, then short labels for all but the screen's own
 * keys, one apart. */
enum keyline_tier { KEYLINE_FULL, KEYLINE_SHORT, KEYLINE_TIGHT, KEYLINE_TIERS };

struct keyline_key {
	keycode k;
	enum action a;
	int prio; /* 0 the screen's own, 1 log out and lock, 2 the other screens' */
	bool shown;
};

/* "key line|" marks a short label's msgid, so it can differ from the full
 * label in every language; the mark never shows. */
static const struct {
	enum action a;
	const char *label;
} keyline_short[] = {
	{ ACTION_CHECKOUT, N_("key line|Out") },
	{ ACTION_CHECKIN, N_("key line|In") },
	{ ACTION_RENEW, N_("key line|Renew") },
	{ ACTION_PATRON, N_("key line|Patron") },
	{ ACTION_ENROL, N_("key line|Enrol") },
	{ ACTION_QUEUE, N_("key line|Queue") },
	{ ACTION_LOGOUT, N_("key line|Log out") },
	{ ACTION_LOCK, N_("key line|Lock") },
	{ ACTION_HELP, N_("key line|Help") },
};

const char *keyline_short_label(enum action a)
{
	for (size_t i = 0; i < sizeof keyline_short / sizeof keyline_short[0]; i++) {
		if (keyline_short[i].a != a)
			continue;
		const char *t = _(keyline_short[i].label);
		/* A language with the full label but not yet the short one
		 * shows the full one rather than English. */
		if (t == keyline_short[i].label && action_label_translated(a))
			return action_label(a);
		const char *bar = strchr(t, '|');
		return bar && strncmp(t, "key line|", 9) == 0 ? bar + 1 : t;
	}
	return action_label(a);
}

static const char *keyline_label(const struct keyline_key *key, enum keyline_tier tier)
{
	bool short_ = (tier == KEYLINE_SHORT && key->prio == 2) ||
		      (tier == KEYLINE_TIGHT && key->prio > 0);
	return short_ ? keyline_short_label(key->a) : action_label(key->a);
}

static int keyline_width(const struct keyline_key *key, enum keyline_tier tier)
{
	char name[KEYS_NAME_MAX];
	keys_format(key->k, name);
	return (int)strlen(name) + 1 + term_width(keyline_label(key, tier));
}

static int keyline_gap(enum keyline_tier tier)
{
	return tier == KEYLINE_TIGHT ? 1 : 2;
}

/* Marks the keys shown in this tier, by priority; true when all fit. */
static bool keyline_fit(struct keyline_key *keys, size_t n, int cols, enum keyline_tier tier)
{
	int used = 0;
	bool all = true;
	for (size_t i = 0; i < n; i++)
		keys[i].shown = false;
	for (int prio = 0; prio < 3; prio++) {
		for (size_t i = 0; i < n; i++) {
			if (keys[i].prio != prio)
				continue;
			int need = keyline_width(&keys[i], tier) + (used ? keyline_gap(tier) : 0);
			if (used + need > cols) {
				all = false;
				continue;
			}
			used += need;
			keys[i].shown = true;
		}
	}
	return all;
}

static size_t keyline_collect(struct keyline_key keys[KEYLINE_MAX], const struct keymap *km,
			      enum ui_screen s, keyline_live_fn live, const void *ctx,
			      enum action urgent)
{
	size_t n = 0;
	for (keycode k = KEYC_F1; k <= KEYC_F12; k++) {
		enum action a = keymap_lookup(km, s, k);
		if (a == ACTION_NONE || !roles_allow(a) || (live && !live(ctx, s, a)))
			continue;
		int prio = keymap_lookup(km, SCREEN_GLOBAL, k) != a ? 0
			   : a == ACTION_LOGOUT || a == ACTION_LOCK || a == urgent ? 1
										  : 2;
		keys[n++] = (struct keyline_key){ k, a, prio, false };
	}
	return n;
}

void keyline_draw(WINDOW *w, int row, int cols, const struct keymap *km, enum ui_screen s,
		  keyline_live_fn live, const void *ctx, enum action urgent)
{
	term_fill(w, row, 0, cols, TERM_BAR);
	struct keyline_key keys[KEYLINE_MAX];
	size_t n = keyline_collect(keys, km, s, live, ctx, urgent);
	enum keyline_tier tier = KEYLINE_FULL;
	while (!keyline_fit(keys, n, cols, tier) && tier + 1 < KEYLINE_TIERS)
		tier++;
	int x = 0;
	for (size_t i = 0; i < n; i++) {
		if (!keys[i].shown)
			continue;
		char name[KEYS_NAME_MAX];
		keys_format(keys[i].k, name);
		if (x)
			x += keyline_gap(tier);
		x += term_text_as(w, row, x, cols - x, name, TERM_BAR_KEY);
		x += 1;
		x += term_text_as(w, row, x, cols - x, keyline_label(&keys[i], tier), TERM_BAR);
	}
}
