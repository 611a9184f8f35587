/* A deterministic generator of titles and their copies for the benchmarks
 * (DESIGN.md section 7): the same count and seed give the same rows, in any
 * run and on any machine, so that figures measured on different days are of
 * the same data. Titles have two to five Dutch words, an author from lists
 * of given and family names, a year and a valid ISBN-13 (978 90 and the
 * title's number); each gets one to max_copies copies spread over the
 * database's branches, a quarter of them out (status on_loan, no loan row).
 * Written into an existing balied database (the schema there already), in
 * one transaction. Meant to be shared with the generator of the network's
 * size (patrons, loans and statistics on top of these titles). */
#ifndef BALIE_BENCH_GEN_TITLES_H
#define BALIE_BENCH_GEN_TITLES_H

#include <sqlite3.h>
#include <stdbool.h>

struct gen_titles_opts {
	unsigned long count;      /* titles */
	unsigned long long seed;
	unsigned max_copies;      /* 1 or more */
};

struct gen_titles_done {
	unsigned long titles, items;
	long long first_title_id; /* of the first title written */
};

/* Writes the rows; false with *err (allocated) when SQLite refuses. */
bool gen_titles(sqlite3 *db, const struct gen_titles_opts *opts, struct gen_titles_done *done,
		char **err);

/* Word i (any i) of the generator's vocabulary, for the searches of a
 * benchmark: the same words the titles are made of. */
const char *gen_titles_word(unsigned long i);
/* The ISBN-13 of title n (0-based) of a run, in out (14 bytes). */
void gen_titles_isbn(unsigned long n, char out[14]);

#endif
