/* The "key = value" files of balie and balied: one setting a line, '#' starts
 * a comment line, a value may be wrapped in double quotes. Every error names
 * the file and the line. */
#ifndef BALIE_CONFFILE_H
#define BALIE_CONFFILE_H

#include <stdbool.h>

/*
 * Called for each setting. Returns false and sets *reason (allocated, in the
 * user's language) when the key is unknown or the value is bad.
 */
typedef bool (*conffile_fn)(void *ctx, const char *key, const char *value, char **reason);

/*
 * Reads the file at path. On failure returns false and sets *err to a newly
 * allocated "PATH:LINE: reason" (or "PATH: reason" when it cannot be read).
 */
bool conffile_parse(const char *path, conffile_fn fn, void *ctx, char **err);
/* The same for text already in memory; name stands for the file in errors. */
bool conffile_parse_text(const char *name, const char *text, conffile_fn fn, void *ctx, char **err);

/* Value helpers for conffile_fn callbacks; each sets *reason on failure. */
bool conffile_bool(const char *value, bool *out, char **reason);
bool conffile_uint(const char *value, unsigned long min, unsigned long max,
		   unsigned long *out, char **reason);

#endif
