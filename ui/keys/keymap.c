#include "ui/keys/keymap.h"

#include "ui/keys/keys_default.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { KEYMAP_MAX_FILE = 1 << 20, KEYMAP_MAX_WORDS = 5 };

struct keymap_binding {
	enum ui_screen screen;
	keycode key;
	enum action action;
	char *origin; /* the file it came from */
	unsigned line;
	unsigned load; /* which keymap_load_text call set it */
};

struct keymap {
	struct keymap_binding *b;
	size_t n, cap;
	unsigned loads;
};

struct keymap *keymap_new(void)
{
	return xcalloc(1, sizeof(struct keymap));
}

void keymap_free(struct keymap *km)
{
	if (!km)
		return;
	for (size_t i = 0; i < km->n; i++)
		free(km->b[i].origin);
	free(km->b);
	free(km);
}

static struct keymap_binding *keymap_find(const struct keymap *km, enum ui_screen s, keycode k)
{
	for (size_t i = 0; i < km->n; i++)
		if (km->b[i].screen == s && km->b[i].key == k)
			return &km->b[i];
	return NULL;
}

static void keymap_remove(struct keymap *km, struct keymap_binding *b)
{
	free(b->origin);
	size_t i = (size_t)(b - km->b);
	memmove(&km->b[i], &km->b[i + 1], (km->n - i - 1) * sizeof *b);
	km->n--;
}

/* Splits line in place into at most max words; returns the count, or max + 1
 * when there are more. */
static size_t keymap_split(char *line, char **words, size_t max)
{
	size_t n = 0;
	char *p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return n;
		if (n == max)
			return max + 1;
		words[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

static char *keymap_bind(struct keymap *km, const char *name, unsigned lineno, enum ui_screen s,
			 keycode k, const char *keyname, enum action a)
{
	struct keymap_binding *old = keymap_find(km, s, k);
	if (old && old->load == km->loads && old->action != a)
		return xasprintf(_("%s on %s is already bound to %s on line %u; it cannot also be %s"),
				 keyname, screen_name(s), action_name(old->action), old->line,
				 action_name(a));
	if (old) {
		old->action = a;
		xstrset(&old->origin, name);
		old->line = lineno;
		old->load = km->loads;
		return NULL;
	}
	if (km->n == km->cap) {
		km->cap = km->cap ? km->cap * 2 : 64;
		km->b = xrealloc(km->b, km->cap * sizeof *km->b);
	}
	km->b[km->n++] = (struct keymap_binding){
		.screen = s, .key = k, .action = a, .origin = xstrdup(name),
		.line = lineno, .load = km->loads,
	};
	return NULL;
}

/* Returns NULL when the line is good, else the reason (allocated). */
static char *keymap_line(struct keymap *km, const char *name, unsigned lineno, char *line)
{
	for (const char *c = line; *c; c++)
		if ((unsigned char)*c < 0x20 && *c != '\t')
			return xstrdup(_("the line holds a control character"));
	char *w[KEYMAP_MAX_WORDS];
	size_t n = keymap_split(line, w, KEYMAP_MAX_WORDS);
	if (n == 0 || w[0][0] == '#')
		return NULL;
	bool bind = strcmp(w[0], "bind") == 0;
	if (!bind && strcmp(w[0], "unbind") != 0)
		return xasprintf(_("\"%s\" is not a command: expected bind or unbind"), w[0]);
	size_t want = bind ? 4 : 3;
	if (n < want)
		return xstrdup(bind ? _("missing words: expected \"bind SCREEN KEY ACTION\"")
				    : _("missing words: expected \"unbind SCREEN KEY\""));
	if (n > want)
		return xasprintf(_("too many words after \"%s\""), w[want - 1]);
	enum ui_screen s;
	if (!screen_from_name(w[1], &s))
		return xasprintf(_("\"%s\" is not a screen"), w[1]);
	keycode k;
	if (!keys_parse(w[2], &k))
		return xasprintf(_("\"%s\" is not a key name"), w[2]);
	if (!bind) {
		struct keymap_binding *old = keymap_find(km, s, k);
		if (old)
			keymap_remove(km, old);
		return NULL;
	}
	enum action a = action_from_name(w[3]);
	if (a == ACTION_NONE)
		return xasprintf(_("\"%s\" is not an action"), w[3]);
	if (!action_works_on(a, s))
		return xasprintf(_("the action %s does not work on the screen %s"), w[3], w[1]);
	return keymap_bind(km, name, lineno, s, k, w[2], a);
}

bool keymap_load_text(struct keymap *km, const char *name, const char *text, char **err)
{
	km->loads++;
	char *copy = xstrdup(text);
	char *next = copy;
	unsigned lineno = 0;
	char *reason = NULL;
	while (!reason && next) {
		char *line = next;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		size_t len = strlen(line);
		if (len > 0 && line[len - 1] == '\r')
			line[len - 1] = '\0';
		reason = keymap_line(km, name, lineno, line);
	}
	free(copy);
	if (reason) {
		*err = xasprintf("%s:%u: %s", name, lineno, reason);
		free(reason);
		return false;
	}
	return true;
}

bool keymap_load_file(struct keymap *km, const char *path, bool missing_ok, char **err)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		if (missing_ok && errno == ENOENT)
			return true;
		*err = xasprintf("%s: %s", path, strerror(errno));
		return false;
	}
	char *text = xmalloc(KEYMAP_MAX_FILE + 1);
	size_t len = fread(text, 1, KEYMAP_MAX_FILE + 1, f);
	bool bad = ferror(f) || len > KEYMAP_MAX_FILE || memchr(text, '\0', len);
	fclose(f);
	if (bad) {
		*err = xasprintf("%s: %s", path, _("cannot be read as a key file"));
		free(text);
		return false;
	}
	text[len] = '\0';
	bool ok = keymap_load_text(km, path, text, err);
	free(text);
	return ok;
}

enum action keymap_lookup(const struct keymap *km, enum ui_screen s, keycode k)
{
	const struct keymap_binding *b = keymap_find(km, s, k);
	if (b)
		return b->action;
	b = keymap_find(km, SCREEN_GLOBAL, k);
	if (b && action_works_on(b->action, s))
		return b->action;
	return ACTION_NONE;
}

/* Function keys first, then Esc twins, control keys, named keys, characters. */
static unsigned keymap_key_rank(keycode k)
{
	if (keys_function_number(k))
		return 0;
	if (k & KEYC_ESC_PREFIX)
		return 1;
	if (k < 0x20)
		return 2;
	if (k >= KEYC_SPECIAL || k == KEYC_BACKSPACE || k == KEYC_SPACE)
		return 3;
	return 4;
}

static int keymap_key_cmp(const void *pa, const void *pb)
{
	keycode a = *(const keycode *)pa, b = *(const keycode *)pb;
	unsigned ra = keymap_key_rank(a), rb = keymap_key_rank(b);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	return a < b ? -1 : a > b;
}

size_t keymap_keys_for(const struct keymap *km, enum ui_screen s, enum action a,
		       keycode *out, size_t max)
{
	keycode *all = xcalloc(km->n + 1, sizeof *all);
	size_t n = 0;
	for (size_t i = 0; i < km->n; i++) {
		const struct keymap_binding *b = &km->b[i];
		if (b->screen != s && b->screen != SCREEN_GLOBAL)
			continue;
		if (keymap_lookup(km, s, b->key) == a &&
		    (b->screen == s || !keymap_find(km, s, b->key)))
			all[n++] = b->key;
	}
	qsort(all, n, sizeof *all, keymap_key_cmp);
	if (out && max)
		memcpy(out, all, (n < max ? n : max) * sizeof *all);
	free(all);
	return n;
}

bool keymap_check(const struct keymap *km, char **err)
{
	for (size_t i = 0; i < km->n; i++) {
		const struct keymap_binding *b = &km->b[i];
		if (b->screen == SCREEN_GLOBAL)
			continue;
		const struct keymap_binding *g = keymap_find(km, SCREEN_GLOBAL, b->key);
		if (!g || g->action == b->action || !action_works_on(g->action, b->screen))
			continue;
		if (keymap_keys_for(km, b->screen, g->action, NULL, 0) > 0)
			continue;
		char key[KEYS_NAME_MAX];
		keys_format(b->key, key);
		*err = xasprintf(_("%s:%u: on the screen %s, %s is bound to %s, which hides its "
				   "global binding to %s; %s has no other key on that screen"),
				 b->origin, b->line, screen_name(b->screen), key,
				 action_name(b->action), action_name(g->action),
				 action_name(g->action));
		return false;
	}
	return true;
}

static int keymap_binding_cmp(const void *pa, const void *pb)
{
	const struct keymap_binding *a = pa, *b = pb;
	if (a->screen != b->screen)
		return a->screen < b->screen ? -1 : 1;
	if (a->action != b->action)
		return a->action < b->action ? -1 : 1;
	return keymap_key_cmp(&a->key, &b->key);
}

void keymap_print(const struct keymap *km, FILE *out)
{
	struct keymap_binding *sorted = xcalloc(km->n + 1, sizeof *sorted);
	memcpy(sorted, km->b, km->n * sizeof *sorted);
	qsort(sorted, km->n, sizeof *sorted, keymap_binding_cmp);
	for (size_t i = 0; i < km->n; i++) {
		char key[KEYS_NAME_MAX];
		keys_format(sorted[i].key, key);
		fprintf(out, "bind %s %s %s\n", screen_name(sorted[i].screen), key,
			action_name(sorted[i].action));
	}
	free(sorted);
}

struct keymap *keymap_new_default(char **err)
{
	struct keymap *km = keymap_new();
	bool loaded = true;
	for (size_t i = 0; loaded && keys_default_texts[i]; i++)
		loaded = keymap_load_text(km, "(built-in)", keys_default_texts[i], err);
	if (!loaded || !keymap_check(km, err)) {
		keymap_free(km);
		return NULL;
	}
	return km;
}
