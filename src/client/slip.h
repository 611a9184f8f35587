/* Receipts (DESIGN.md section 4): lines of text at the printer's width,
 * converted with iconv to its charset (receipt printers want CP858, not
 * UTF-8; what the charset lacks is transliterated) and piped to the print
 * command of balie.conf, run with /bin/sh -c. A slip is built line by line
 * with the generic calls below; slip_loan_new and slip_checkin_new build the
 * desk's own slips, and others (the welcome slip) use the generic calls. */
#ifndef BALIE_SLIP_H
#define BALIE_SLIP_H

#include "client/account.h"
#include "client/circ.h"
#include "core/date.h"

#include <stdbool.h>
#include <stddef.h>

/* How long the print command may take before it is killed. */
enum { SLIP_PRINT_MS = 5000 };

struct slip;

/* Returns a new, empty slip of width characters a line (at least 16). */
struct slip *slip_new(unsigned width);
void slip_free(struct slip *s);

/* Adds UTF-8 text, broken at spaces into lines of the width (a word wider
 * than a line is cut). */
void slip_text(struct slip *s, const char *utf8);
/* Adds text centred on its line (cut when wider). */
void slip_center(struct slip *s, const char *utf8);
/* Adds left and right on one line, right flush right; when both do not
 * fit, right goes on a line of its own. */
void slip_pair(struct slip *s, const char *left, const char *right);
/* Adds a line of '-', and an empty line. */
void slip_rule(struct slip *s);
void slip_blank(struct slip *s);

/* The slip as UTF-8, each line ended by "\n"; newly allocated. */
char *slip_text_dup(const struct slip *s);
size_t slip_lines(const struct slip *s);

/*
 * Converts UTF-8 text to charset (transliterating what it lacks, else '?').
 * Returns the bytes (allocated, *len of them) or NULL with *err (allocated,
 * translated) when the charset is unknown.
 */
char *slip_encode_dup(const char *utf8, const char *charset, size_t *len, char **err);

/*
 * Prints: converts the slip to charset and writes it to the standard input
 * of /bin/sh -c command (its output is discarded). False, with *err
 * (allocated, translated, naming the command's exit status or signal and
 * the first line it wrote to stderr), when that fails or takes longer than
 * SLIP_PRINT_MS.
 */
bool slip_print(const struct slip *s, const char *command, const char *charset, char **err);

/* The loan slip of one patron's visit: the branch, the date, the card (its
 * last four digits only), each loan with its due date, the count, and the
 * fines still open. Returns a new slip. */
struct slip *slip_loan_new(unsigned width, const char *branch_name, const char *card,
			   const struct circ_loan *const *loans, size_t n, long long fines_cents,
			   struct civil_date today);

/* The slip that goes with an item to the hold shelf (for the patron's
 * initials at the pickup branch) or in transit (to the branch); branch_name
 * is the branch's name, here_name this desk's branch. NULL for a shelved item. */
struct slip *slip_checkin_new(unsigned width, const struct circ_checkin *c,
			      const char *branch_name, const char *here_name,
			      struct civil_date today);

/* The receipt of a payment at the desk: the branch, the date, the card
 * (its last four digits only), what it covered by kind, the amount and how
 * it was paid, and what is still open. Returns a new slip. */
struct slip *slip_receipt_new(unsigned width, const char *branch_name, const char *card,
			      const struct account_credit *paid, struct civil_date today);

/* The cash-up of a desk for a day: payments by method and by kind, refunds,
 * waivers and the net. Returns a new slip. */
struct slip *slip_cashup_new(unsigned width, const char *branch_name,
			     const struct account_cashup *c, struct civil_date today);

#endif
