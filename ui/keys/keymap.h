/* Key bindings: which key does which action on which screen. Built from the
 * defaults (keys_default.h), then the site file, the user's file and --keys,
 * all in the same syntax (balie-keys(5)):
 *   bind <screen|global> <key> <action>
 *   unbind <screen|global> <key>
 *   # a comment
 * A later file overrides an earlier one; within one file, binding a key that
 * is already bound to another action is a conflict. */
#ifndef BALIE_KEYMAP_H
#define BALIE_KEYMAP_H

#include "ui/actions.h"
#include "ui/keys/keys.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct keymap;

/* Returns a new, empty key map. */
struct keymap *keymap_new(void);
void keymap_free(struct keymap *km);

/*
 * Adds the bindings in text to km; name stands for the file in errors. On an
 * error returns false, sets *err (allocated, "NAME:LINE: reason") and leaves
 * the bindings of the lines before it in km.
 */
bool keymap_load_text(struct keymap *km, const char *name, const char *text, char **err);
/* The same for a file; when missing_ok, a file that does not exist is no error. */
bool keymap_load_file(struct keymap *km, const char *path, bool missing_ok, char **err);

/*
 * Checks the whole map for a screen binding that hides a global one so that
 * the global action, which works on that screen, has no key left there. On
 * such a conflict returns false and sets *err (allocated), naming the file
 * and line of the screen binding and both actions.
 */
bool keymap_check(const struct keymap *km, char **err);

/* What key k does on screen s: the screen's own binding, else the global one
 * when its action works on s, else ACTION_NONE. */
enum action keymap_lookup(const struct keymap *km, enum ui_screen s, keycode k);

/* Stores in out (at most max) the keys that do action a on screen s, function
 * keys first; returns how many there are (which may exceed max). */
size_t keymap_keys_for(const struct keymap *km, enum ui_screen s, enum action a,
		       keycode *out, size_t max);

/* Writes every binding as a "bind" line, screen by screen. */
void keymap_print(const struct keymap *km, FILE *out);

/* Returns a new map holding the built-in defaults; the defaults are checked
 * by the unit tests, so a failure here is a bug (it sets *err). */
struct keymap *keymap_new_default(char **err);

#endif
