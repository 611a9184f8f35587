#include "ui/keys/keys.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	keycode key;
} keys_named[] = {
	{ "Enter", KEYC_ENTER },       { "Tab", KEYC_TAB },
	{ "BackTab", KEYC_BACKTAB },   { "Esc", KEYC_ESC },
	{ "Up", KEYC_UP },             { "Down", KEYC_DOWN },
	{ "Left", KEYC_LEFT },         { "Right", KEYC_RIGHT },
	{ "PgUp", KEYC_PGUP },         { "PgDn", KEYC_PGDN },
	{ "Home", KEYC_HOME },         { "End", KEYC_END },
	{ "Insert", KEYC_INSERT },     { "Delete", KEYC_DELETE },
	{ "Backspace", KEYC_BACKSPACE }, { "Space", KEYC_SPACE },
};

enum { KEYS_N_NAMED = sizeof keys_named / sizeof keys_named[0] };

/* One code point from UTF-8; 0 when s is not exactly one valid character. */
static uint32_t keys_single_char(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s);
	uint32_t cp;
	size_t n;
	if (len == 0)
		return 0;
	if (u[0] < 0x80) {
		cp = u[0];
		n = 1;
	} else if ((u[0] & 0xe0) == 0xc0) {
		cp = u[0] & 0x1fu;
		n = 2;
	} else if ((u[0] & 0xf0) == 0xe0) {
		cp = u[0] & 0x0fu;
		n = 3;
	} else if ((u[0] & 0xf8) == 0xf0) {
		cp = u[0] & 0x07u;
		n = 4;
	} else {
		return 0;
	}
	if (len != n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (u[i] & 0x3fu);
	}
	static const uint32_t min_for_len[] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (cp < min_for_len[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 0;
	return cp;
}

/* Control codes that have a name of their own are that named key. */
static keycode keys_normalise_control(keycode k)
{
	switch (k) {
	case 8:
		return KEYC_BACKSPACE;
	case 10:
		return KEYC_ENTER;
	default:
		return k;
	}
}

static bool keys_parse_base(const char *name, keycode *out)
{
	for (size_t i = 0; i < KEYS_N_NAMED; i++) {
		if (strcasecmp(name, keys_named[i].name) == 0) {
			*out = keys_named[i].key;
			return true;
		}
	}
	if ((name[0] == 'F' || name[0] == 'f') && name[1] >= '1' && name[1] <= '9') {
		unsigned n = (unsigned)(name[1] - '0');
		if (name[2] >= '0' && name[2] <= '9' && name[3] == '\0')
			n = n * 10 + (unsigned)(name[2] - '0');
		else if (name[2] != '\0')
			return false;
		if (n < 1 || n > 12)
			return false;
		*out = KEYC_F1 + n - 1;
		return true;
	}
	if (name[0] == '^' && name[1] != '\0' && name[2] == '\0') {
		char c = name[1];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == '?') {
			*out = KEYC_BACKSPACE;
			return true;
		}
		if (c < 'A' || c > '_')
			return false;
		*out = keys_normalise_control((keycode)(c & 0x1f));
		return true;
	}
	uint32_t cp = keys_single_char(name);
	if (cp == 0)
		return false;
	*out = cp;
	return true;
}

bool keys_parse(const char *name, keycode *out)
{
	const char *rest = NULL;
	if (strncasecmp(name, "Esc-", 4) == 0 && name[4] != '\0')
		rest = name + 4;
	else if (strncasecmp(name, "M-", 2) == 0 && name[2] != '\0')
		rest = name + 2;
	if (rest) {
		keycode base;
		if (!keys_parse_base(rest, &base) || base == KEYC_ESC)
			return false;
		*out = base | KEYC_ESC_PREFIX;
		return true;
	}
	return keys_parse_base(name, out);
}

void keys_format(keycode k, char buf[KEYS_NAME_MAX])
{
	const char *prefix = (k & KEYC_ESC_PREFIX) ? "Esc-" : "";
	keycode base = k & ~KEYC_ESC_PREFIX;
	for (size_t i = 0; i < KEYS_N_NAMED; i++) {
		if (keys_named[i].key == base) {
			snprintf(buf, KEYS_NAME_MAX, "%s%s", prefix, keys_named[i].name);
			return;
		}
	}
	if (base >= KEYC_F1 && base <= KEYC_F12) {
		snprintf(buf, KEYS_NAME_MAX, "%sF%u", prefix, base - KEYC_F1 + 1);
	} else if (base < 0x20) {
		snprintf(buf, KEYS_NAME_MAX, "%s^%c", prefix, (char)(base + '@'));
	} else if (base < KEYC_SPECIAL) {
		char u[5] = { 0 };
		if (base < 0x80) {
			u[0] = (char)base;
		} else if (base < 0x800) {
			u[0] = (char)(0xc0 | (base >> 6));
			u[1] = (char)(0x80 | (base & 0x3f));
		} else if (base < 0x10000) {
			u[0] = (char)(0xe0 | (base >> 12));
			u[1] = (char)(0x80 | ((base >> 6) & 0x3f));
			u[2] = (char)(0x80 | (base & 0x3f));
		} else {
			u[0] = (char)(0xf0 | (base >> 18));
			u[1] = (char)(0x80 | ((base >> 12) & 0x3f));
			u[2] = (char)(0x80 | ((base >> 6) & 0x3f));
			u[3] = (char)(0x80 | (base & 0x3f));
		}
		snprintf(buf, KEYS_NAME_MAX, "%s%s", prefix, u);
	} else {
		snprintf(buf, KEYS_NAME_MAX, "%s?", prefix);
	}
}

keycode keys_from_curses(int rc, wint_t wc)
{
	if (rc == OK)
		return wc == 0 || wc > 0x10ffff ? KEYC_NONE : keys_normalise_control((keycode)wc);
	if (rc != KEY_CODE_YES)
		return KEYC_NONE;
	int k = (int)wc;
	if (k >= KEY_F(1) && k <= KEY_F(12))
		return KEYC_F1 + (keycode)(k - KEY_F(1));
	switch (k) {
	case KEY_BTAB: return KEYC_BACKTAB;
	case KEY_UP: return KEYC_UP;
	case KEY_DOWN: return KEYC_DOWN;
	case KEY_LEFT: return KEYC_LEFT;
	case KEY_RIGHT: return KEYC_RIGHT;
	case KEY_PPAGE: return KEYC_PGUP;
	case KEY_NPAGE: return KEYC_PGDN;
	case KEY_HOME: return KEYC_HOME;
	case KEY_END: return KEYC_END;
	case KEY_IC: return KEYC_INSERT;
	case KEY_DC: return KEYC_DELETE;
	case KEY_BACKSPACE: return KEYC_BACKSPACE;
	case KEY_ENTER: return KEYC_ENTER;
	case KEY_RESIZE: return KEYC_RESIZE;
	default: return KEYC_NONE;
	}
}

unsigned keys_function_number(keycode k)
{
	return k >= KEYC_F1 && k <= KEYC_F12 ? k - KEYC_F1 + 1 : 0;
}

bool keys_is_text(keycode k)
{
	return k >= 0x20 && k < KEYC_SPECIAL && k != KEYC_BACKSPACE && !(k >= 0x80 && k < 0xa0);
}

/* Longer than any key a terminal sends: past it the bytes are typing. */
enum { KEYS_SEQ_MAX = 16 };

bool keys_seq_introducer(keycode k)
{
	return k == '[' || k == 'O';
}

void keys_seq_begin(struct keys_seq *s, keycode introducer)
{
	*s = (struct keys_seq){ .active = true, .ss3 = introducer == 'O' };
}

static enum keys_seq_step keys_seq_stop(struct keys_seq *s, enum keys_seq_step step)
{
	s->active = false;
	return step;
}

enum keys_seq_step keys_seq_feed(struct keys_seq *s, keycode k)
{
	if (!s->active)
		return KEYS_SEQ_BROKEN;
	if (k < 0x20 || k > 0x7e || s->len >= KEYS_SEQ_MAX)
		return keys_seq_stop(s, KEYS_SEQ_BROKEN);
	if (s->linux_fkey)
		return keys_seq_stop(s, KEYS_SEQ_END);
	if (!s->ss3 && s->len == 0 && k == '[') {
		s->linux_fkey = true;
		s->len++;
		return KEYS_SEQ_MORE;
	}
	s->len++;
	/* parameter bytes 0x30-0x3f, intermediate bytes 0x20-0x2f, a final
	 * byte 0x40-0x7e (ECMA-48 5.4) */
	if (k >= 0x40)
		return keys_seq_stop(s, KEYS_SEQ_END);
	return KEYS_SEQ_MORE;
}
