/* A plain-text table for balied's commands: the columns are as wide as
 * their widest cell in display cells (a translated header such as
 * "VESTIGING" or an accented name must not push the next column out of
 * line), two spaces apart, the last one not padded. */
#ifndef BALIED_TEXTTABLE_H
#define BALIED_TEXTTABLE_H

#include <stddef.h>
#include <stdio.h>

struct texttable;

/* A table of ncols columns; free with texttable_free. */
struct texttable *texttable_new(size_t ncols);
void texttable_free(struct texttable *t);
/* Adds a row of ncols cells (copied; NULL is shown as "-"). */
void texttable_add(struct texttable *t, const char *const *cells);
/* Writes every row, each ending in a newline. */
void texttable_print(const struct texttable *t, FILE *out);
/* The display width of a UTF-8 string in the current locale (bytes when it
 * cannot be decoded). */
size_t texttable_width(const char *s);

#endif
