/* The built-in key bindings, in the syntax of a user's key file. */
#ifndef BALIE_KEYS_DEFAULT_H
#define BALIE_KEYS_DEFAULT_H

extern const char keys_default_text[];
/* The bindings of the title and hold shelf screens, loaded after it. */
extern const char keys_default_holds_text[];

#endif
