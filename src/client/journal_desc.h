/* A journal entry as the desk tells it (the queue screen, F8): what it is,
 * the item and card it names, and, for one the service refused, the
 * refusal's code, its sentence in the desk's words and the blocks an
 * override would have to name. Read from the entry's kind, body and stored
 * answer, so that the screen parses no JSON and compares no paths. */
#ifndef BALIE_JOURNAL_DESC_H
#define BALIE_JOURNAL_DESC_H

#include "client/journal.h"

#include <stdbool.h>
#include <stddef.h>

struct journal_desc {
	enum journal_kind kind;
	char *item;     /* the item's barcode, or NULL */
	char *card;     /* the patron's card, or NULL */
	char *what;     /* "Check out 3100... to card 2100...", translated */
	char *code;     /* a refusal's wire code ("patron_blocked"), or NULL */
	char *reason;   /* a refusal in the desk's words, translated; NULL when not refused */
	/* The blocks an override of the refusal must name; none (NULL, 0)
	 * when an override cannot help: only a check-out's refusal that the
	 * service called overridable can be overridden. */
	char **blocks;
	size_t n_blocks;
};

/* Describes e; free with journal_desc_free. */
struct journal_desc *journal_desc_new(const struct journal_entry *e);
void journal_desc_free(struct journal_desc *d);
/* True when an override with a reason can help d: it names blocks. */
bool journal_desc_overridable(const struct journal_desc *d);

#endif
