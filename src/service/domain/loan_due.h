/* A loan's due date set by hand (balied(8), PATCH /loans/{barcode}, and a
 * check-out's "due_on"): staff with the permission due_date give the day;
 * the rules' loan period does not apply. In the caller's transaction. */
#ifndef BALIED_LOAN_DUE_H
#define BALIED_LOAN_DUE_H

#include "service/domain/circulation.h"

#include <stdbool.h>

/* Whether due_on may be a due date given today (YYYY-MM-DD): NULL when it
 * may, else why not ("invalid": no date; "in_the_past"; "too_far": more
 * than a year ahead). */
const char *loan_due_problem(const char *due_on, const char *today);

struct loan_due_res {
	struct circ_item_rec item;
	char was[CIRC_DATE_LEN];     /* the due date before */
	char card[CIRC_CODE_LEN];    /* the borrower's card */
};

/* Sets the due date of the open loan of barcode: CIRC_OK, CIRC_ITEM_NOT_FOUND,
 * CIRC_NOT_ON_LOAN or CIRC_STORE_FAILED (logged). Free with
 * loan_due_res_clear. */
enum circ_status loan_due_set(const struct circ_ctx *ctx, const char *barcode, const char *due_on,
			      struct loan_due_res *res);
void loan_due_res_clear(struct loan_due_res *res);

#endif
