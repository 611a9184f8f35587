/* The corpus of hostile strings (tests/hostile/corpus.txt): control
 * characters, escape sequences, bidi controls, broken UTF-8, very wide and
 * very long text, kept as raw bytes. */
#ifndef BALIE_TEST_HOSTILE_CORPUS_H
#define BALIE_TEST_HOSTILE_CORPUS_H

#include <stdbool.h>
#include <stddef.h>

struct hostile {
	char name[32];
	char *bytes; /* may hold NUL bytes; NUL-terminated after len */
	size_t len;
};

/* Reads the corpus at path into *out (allocated). Returns how many strings;
 * 0 with *err (allocated) when the file cannot be read or a line is bad. */
size_t hostile_corpus_load(const char *path, struct hostile **out, char **err);
/* The corpus from BALIE_SOURCE_ROOT/tests/hostile/corpus.txt. */
size_t hostile_corpus_load_default(struct hostile **out, char **err);
void hostile_corpus_free(struct hostile *corpus, size_t n);

#endif
