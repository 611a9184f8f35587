/* What the circulation screens (check out, check in, renew, patron) share:
 * the scan queue, the configuration, the key map, the branches and this
 * desk's branch, and the way to ask for a redraw or the desk's attention.
 * The app owns it; the screens never see the app itself. */
#ifndef BALIE_DESKCTX_H
#define BALIE_DESKCTX_H

#include "ui/actions.h"
#include "client/circ.h"
#include "client/config.h"
#include "ui/widgets/field.h"
#include "ui/keys/keymap.h"
#include "ui/widgets/scanlist.h"
#include "client/scanq.h"
#include "client/session.h"
#include "client/slip.h"

#include <curses.h>
#include <stdbool.h>

struct deskctx {
	struct scanq q;
	const struct config *cfg;
	const struct keymap *km;
	/* The app's own: they change with each log-in. */
	struct session_branches *const *branches; /* *branches may be NULL */
	struct session_login *const *session;     /* *session NULL while logged out */
	bool *dirty;                              /* set: the screen must be drawn again */
	/* The item barcode scanned last at check out or check in ("" none):
	 * what the item look-up opens with. */
	char last_item[4 * CIRC_BARCODE_MAX + 1];
};

/* The item barcode scanned last, for the item look-up. */
void deskctx_item_scanned(struct deskctx *c, const char *barcode);
/* This desk's branch code ("" while logged out). */
const char *deskctx_here(const struct deskctx *c);
/* The name of the branch with code, or the code when it is unknown. */
const char *deskctx_branch_name(const struct deskctx *c, const char *code);
/* Rings the bell, unless balie.conf says not to. */
void deskctx_attention(const struct deskctx *c);
/* Marks the screen for drawing. */
void deskctx_touch(const struct deskctx *c);
/* For the rows of the circulation screens (screen.h), whose scan line takes
 * every character: true when k is text. */
bool deskctx_scan_takes_text(const void *self, keycode k);
/* The name of the first key that does a on screen s, in buf; "" when none. */
void deskctx_key(const struct deskctx *c, enum ui_screen s, enum action a,
		 char buf[KEYS_NAME_MAX]);
/* Prints s when balie.conf has a print command (then frees s). Returns
 * NULL, or the failure (allocated, translated). No command: NULL. */
char *deskctx_print(const struct deskctx *c, struct slip *s);
/*
 * Draws a scan field (the card or barcode field of a scanning screen) in
 * width columns at (y, x): the text between brackets in the normal role,
 * because a scanner types a key every few milliseconds and a coloured field
 * costs some 25 bytes a key on the wire, a plain one 1 (DESIGN.md section 7).
 * Returns the cursor's column.
 */
int deskctx_scan_draw(const struct field *f, WINDOW *w, int y, int x, int width);
/* The top row of a scanning screen: its title, the field's label and the
 * scan field (at most 34 columns) on row y. Returns the cursor's column. */
int deskctx_scan_header_draw(const struct field *f, WINDOW *w, int y, int cols,
			     const char *title, const char *label);
/* Takes what was scanned into f (and empties f) for a scanning screen's
 * list: NULL when nothing was typed, or when it is no barcode (then lines
 * gets a NOT SENT line saying why and the bell rings: what the screen shows,
 * such as the patron, stays). Allocated. */
char *deskctx_take_scan_dup(const struct deskctx *c, struct field *f, struct scanlist *lines);
/* The last day before today that this desk's branch was open (its weekdays
 * and closed dates), at most 31 days back; yesterday when the calendar says
 * nothing. */
struct civil_date deskctx_last_open_day(const struct deskctx *c);
/* An item's alert (its note with the alert flag) met at check out or check
 * in: *alert becomes "title: note" and the bell rings; the screen shows it
 * until the desk acknowledges it (deskctx_alert_draw, then free it). */
void deskctx_alert_set(const struct deskctx *c, char **alert, const char *title,
		       const char *note);
/* Draws alert (may be NULL: nothing) at row y in the attention role, with
 * the key that acknowledges it on screen s; returns the rows it took. */
int deskctx_alert_draw(const struct deskctx *c, enum ui_screen s, const char *alert, WINDOW *w,
		       int y, int bottom, int cols);
/* A due date YYYY-MM-DD as dd-mm-jjjj (or as it came when it is no date). */
void deskctx_date(const char *iso, char out[DATE_STR_LEN + 16]);

#endif
