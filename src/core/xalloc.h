/* Allocation that never returns NULL: out of memory aborts through one place. */
#ifndef BALIE_XALLOC_H
#define BALIE_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

#define ATTR_MALLOC __attribute__((malloc))
#define ATTR_RETURNS_NONNULL __attribute__((returns_nonnull))
#define ATTR_FORMAT(a, b) __attribute__((format(printf, a, b)))

void *xmalloc(size_t size) ATTR_MALLOC ATTR_RETURNS_NONNULL;
void *xcalloc(size_t count, size_t size) ATTR_MALLOC ATTR_RETURNS_NONNULL;
void *xrealloc(void *ptr, size_t size) ATTR_RETURNS_NONNULL;
char *xstrdup(const char *s) ATTR_MALLOC ATTR_RETURNS_NONNULL;
char *xstrndup(const char *s, size_t n) ATTR_MALLOC ATTR_RETURNS_NONNULL;
/* Returns a newly allocated formatted string. */
char *xasprintf(const char *fmt, ...) ATTR_FORMAT(1, 2) ATTR_MALLOC ATTR_RETURNS_NONNULL;
char *xvasprintf(const char *fmt, va_list ap) ATTR_FORMAT(1, 0) ATTR_MALLOC ATTR_RETURNS_NONNULL;

/* Replaces *slot with a copy of value (or NULL), freeing the old one. */
void xstrset(char **slot, const char *value);

#endif
