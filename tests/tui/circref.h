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

/* Up to n adults of demo patrons 2..30 without a block and with room for
 * room more loans (of 25), decoded into pat (free each with
 * circ_patron_free); returns how many. */
size_t circref_pick_patrons(struct circref *cr, size_t room, struct circ_patron **pat, size_t n);
/* n barcodes of items (from demo item 100, not the demo's loans) that the
 * reference lends and takes back, so that they are loanable; returns how
 * many it found. */
size_t circref_pick_items(struct circref *cr, char (*codes)[15], size_t n);

/* True when the barcodes on the screen's scan lines (a row starting
 * " 3100000"), top to bottom, are the tail of sent, in order; *seen gets
 * how many lines there were. */
bool circref_scans_in_order(struct vt *vt, char **sent, size_t n_sent, size_t *seen);

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

/* The file path as it is now (allocated, NUL-ended, *len bytes), or NULL. */
char *circref_read_file_dup(const char *path, size_t *len);
/* Waits until the file holds at least min bytes (the print command has
 * run), pumping vt; then what it holds, as circref_read_file_dup. */
char *circref_wait_file_dup(struct vt *vt, const char *path, size_t min, size_t *len);

/* The balie.conf of a circulation test: the branch preselected, and more. */
char *circref_conf_dup(const char *branch, const char *more);

#endif
