/* cJSON used the same way everywhere: parsing with an explicit length and a
 * depth limit, and typed getters that return NULL or false for a missing or
 * mistyped member instead of guessing. */
#ifndef BALIE_JSONX_H
#define BALIE_JSONX_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

enum { JSONX_MAX_DEPTH = 32 };

/*
 * Parses len bytes at buf as one JSON value with nothing after it but white
 * space, nested at most JSONX_MAX_DEPTH deep. Returns NULL on failure (and
 * sets *err, allocated, when err is not NULL). Free with cJSON_Delete.
 */
cJSON *jsonx_parse(const char *buf, size_t len, char **err);

/* The string member key of obj, or NULL when missing or not a string. */
const char *jsonx_string(const cJSON *obj, const char *key);
/* The integer member key of obj; false when missing, not a number or not whole. */
bool jsonx_int(const cJSON *obj, const char *key, long long *out);
/* The boolean member key of obj; false when missing or not a boolean. */
bool jsonx_bool(const cJSON *obj, const char *key, bool *out);
/* The array member key of obj, or NULL. */
const cJSON *jsonx_array(const cJSON *obj, const char *key);
/* The object member key of obj, or NULL. */
const cJSON *jsonx_object(const cJSON *obj, const char *key);

/* Returns a newly allocated compact text of item (never NULL). */
char *jsonx_print_dup(const cJSON *item);

#endif
