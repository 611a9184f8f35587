/* Titles: the bibliographic record the copies of a book share, and the
 * search of the desk (GET /titles): words of the title or author, or an
 * ISBN. The search is one function so that another store can answer it its
 * own way (SQLite answers it from the FTS5 index titles_fts). */
#ifndef BALIED_TITLE_H
#define BALIED_TITLE_H

#include "service/store/store.h"

#include <stdbool.h>
#include <stddef.h>

enum { TITLE_QUERY_MAX = 200, TITLE_ISBN_LEN = 14 };

/* The ISBN-13 (13 digits) of q when q is an ISBN: 10 or 13 digits (an
 * ISBN-10 may end in X) with hyphens or spaces between them and a right check
 * digit. False otherwise. */
bool title_isbn13(const char *q, char out[TITLE_ISBN_LEN]);

/* The copies of a title at one branch (their home branch). */
struct title_branch {
	const char *branch;
	unsigned copies;
	unsigned on_shelf; /* available at home */
};

struct title_match {
	long long id;
	const char *title, *author;
	int year;                 /* 0 when unknown */
	const char *isbn, *ppn;   /* NULL when unknown */
	unsigned copies, on_shelf;
	const struct title_branch *branches;
	size_t n_branches;
};
typedef void (*title_match_fn)(void *ctx, const struct title_match *m);

enum title_search_status {
	TITLE_SEARCH_OK,
	TITLE_SEARCH_NO_WORDS, /* q holds no word and is no ISBN */
	TITLE_SEARCH_FAILED,   /* logged */
};

/*
 * At most max titles for q, ranked: the title with q's ISBN first, then the
 * titles holding every word of q (a word matches the start of a word of the
 * title or author; case and accents do not count), then those holding some,
 * each group by relevance. A group of more than 500 titles is ranked among
 * its first 500 (in the index's order), so that a common word costs no more
 * than a rare one; *truncated is true then. fn gets each; its strings live
 * until it returns. *truncated tells whether there were more.
 */
enum title_search_status title_search(struct store *store, const char *q, size_t max,
				      title_match_fn fn, void *ctx, bool *truncated);

#endif
