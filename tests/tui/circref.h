/* A private training service that lives as long as a circulation test, asked
 * directly through the client library: the tests learn titles, due dates,
 * loans and routes from it instead of copying demo data into the tests.
 * Its database is seeded like the desk's own training service (same data,
 * same day), so what it answers first is what the desk will see. */
#ifndef BALIE_TUI_CIRCREF_H
#define BALIE_TUI_CIRCREF_H

#include "client/api.h"
#include "client/circ.h"
#include "desk.h"

#include <stdbool.h>
#include <stddef.h>

struct circref;

/* Starts balied --training and logs in as balie/oefenen at branch; NULL
 * after a diagnostic when that fails. */
struct circref *circref_start(const char *branch);
/* Stops the service and checks that nothing is left running. */
bool circref_stop(struct circref *cr);

/* A call on the reference service; free with api_reply_free. */
struct api_reply *circref_call(struct circref *cr, const char *method, const char *path,
			       cJSON *body);
/* GET /patrons/{card}, decoded, or NULL. */
struct circ_patron *circref_patron(struct circref *cr, const char *card);
/* POST /checkouts of barcode to card (no override), decoded, or NULL. */
struct circ_loan *circref_checkout(struct circref *cr, const char *card, const char *barcode);
/* POST /checkins, decoded, or NULL. */
struct circ_checkin *circref_checkin(struct circref *cr, const char *barcode);

/* The name of the branch with code (allocated; the code when unknown). */
char *circref_branch_name_dup(struct circref *cr, const char *code);
/* The barcodes of every loan of demo patrons first..last (allocated list of
 * allocated strings); returns how many. */
size_t circref_loaned_items(struct circref *cr, unsigned first, unsigned last, char ***out);

/* The card of demo patron n and the barcode of demo item n (seed.c). */
void circref_card(unsigned n, char out[15]);
void circref_item(unsigned n, char out[15]);

/* Starts the desk (balie.conf: branch preselected, then more_conf), logs
 * in as balie and waits for the desk; NULL after a diagnostic. */
struct desk *circref_desk(const char *branch, const char *lang, const char *more_conf,
			  const char *const *extra_env);
/* Waits until one row holds a and, after it, b; dumps the screen on timeout. */
bool circref_wait_row2(struct vt *vt, const char *a, const char *b, int deadline_ms);

/* The balie.conf of a circulation test: the branch preselected, and more. */
char *circref_conf_dup(const char *branch, const char *more);

#endif
