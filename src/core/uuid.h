#ifndef BALIE_UUID_H
#define BALIE_UUID_H

#include <stdbool.h>

#define UUID_STR_LEN 37 /* 36 characters and the NUL */

/* Writes a random (version 4) UUID in lower-case hex with dashes. */
void uuid_v4(char out[UUID_STR_LEN]);
/* True when s is a UUID in the 8-4-4-4-12 hex form (any version). */
bool uuid_is_valid(const char *s);

#endif
