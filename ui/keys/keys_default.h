/* The built-in key bindings, in the syntax of a user's key file. */
#ifndef BALIE_KEYS_DEFAULT_H
#define BALIE_KEYS_DEFAULT_H

/* The built-in bindings in parts, loaded in this order; NULL ends the list.
 * Parts, as ISO C caps a string literal at 4095 bytes: a screen's lines go
 * in the part of its concern. */
extern const char *const keys_default_texts[];

#endif
