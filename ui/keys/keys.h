/* Keys as the desk sees them: one number per key, with the names used in key
 * files (balie-keys(5)): F1..F12, ^X, Esc-x (M-x is the same key: terminals
 * send Alt+x as Escape then x), Enter, Tab, Up, PgDn, ... or a character. */
#ifndef BALIE_KEYS_H
#define BALIE_KEYS_H

#include <stdbool.h>
#include <stdint.h>
#include <wchar.h>

typedef uint32_t keycode;

/* Below KEYC_SPECIAL a key is the Unicode code point it sends (controls
 * included: Tab is 9, Enter 13, Esc 27, Backspace 127). */
enum {
	KEYC_NONE = 0,
	KEYC_TAB = 9,
	KEYC_ENTER = 13,
	KEYC_ESC = 27,
	KEYC_SPACE = 32,
	KEYC_BACKSPACE = 127,
	KEYC_SPECIAL = 0x200000,
	KEYC_F1 = KEYC_SPECIAL, /* F1..F12 follow */
	KEYC_F12 = KEYC_F1 + 11,
	KEYC_BACKTAB,
	KEYC_UP,
	KEYC_DOWN,
	KEYC_LEFT,
	KEYC_RIGHT,
	KEYC_PGUP,
	KEYC_PGDN,
	KEYC_HOME,
	KEYC_END,
	KEYC_INSERT,
	KEYC_DELETE,
	KEYC_RESIZE, /* the terminal changed size; never bound */
	KEYC_LAST_SPECIAL = KEYC_RESIZE,
};

/* Or-ed in for "Escape, then this key". */
#define KEYC_ESC_PREFIX 0x40000000u

enum { KEYS_NAME_MAX = 32 };

/* Parses a key name; false when it is not one. */
bool keys_parse(const char *name, keycode *out);
/* Writes the canonical name of k (as keys_parse reads it) into buf. */
void keys_format(keycode k, char buf[KEYS_NAME_MAX]);
/* The key for what ncurses get_wch returned (rc OK or KEY_CODE_YES); KEYC_NONE
 * for a key the desk does not know. */
keycode keys_from_curses(int rc, wint_t wc);
/* n in 1..12 for F1..F12, else 0. */
unsigned keys_function_number(keycode k);
/* True for a printable character a text field takes (no prefix, no control). */
bool keys_is_text(keycode k);

/* An escape sequence that curses did not know for this terminal (a function
 * key of another terminal type): Esc [ parameters intermediates final (CSI,
 * also the Linux console's Esc [ [ x) or Esc O parameters final (SS3). It is
 * read whole, so that none of it reaches a field. */
struct keys_seq {
	bool active;
	bool ss3;
	bool linux_fkey; /* Esc [ [: one more key ends it */
	unsigned len;
};
enum keys_seq_step {
	KEYS_SEQ_MORE,   /* the key belongs to the sequence, which goes on */
	KEYS_SEQ_END,    /* the key ended the sequence */
	KEYS_SEQ_BROKEN, /* the key is not part of a sequence: the sequence ends
			  * before it and the key is the caller's */
};
/* True when k after Esc may begin a sequence ([ or O). */
bool keys_seq_introducer(keycode k);
/* Starts a sequence with its introducer ([ or O). */
void keys_seq_begin(struct keys_seq *s, keycode introducer);
/* The next key of an active sequence; after END or BROKEN s is inactive. */
enum keys_seq_step keys_seq_feed(struct keys_seq *s, keycode k);

#endif
