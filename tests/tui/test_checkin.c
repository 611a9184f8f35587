/* Checking in at the desk: each line shows the title and the
 * route in large plain words; the hold shelf (for the patron's initials)
 * and transit (to a branch, by name) ring the bell and are in the attention
 * colour; back on the shelf does neither. The routes are asked from a
 * reference training service first. */
#include "circref.h"
#include "desk.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define BRANCH "CEN"

struct found {
	char *barcode;
	struct circ_checkin *c;
};

static void found_free(struct found *f)
{
	free(f->barcode);
	circ_checkin_free(f->c);
}

/* One checked-in item of each route, and one with a fine, found on the
 * reference service. */
static bool find_routes(struct circref *cr, struct found routes[4])
{
	char **items = NULL;
	size_t n = circref_loaned_items(cr, 1, 40, &items);
	for (size_t i = 0; i < n; i++) {
		struct circ_checkin *c = circref_checkin(cr, items[i]);
		int slot = c && c->fine_cents > 0 && c->route == CIRC_SHELVE ? 3 : c ? (int)c->route : -1;
		if (slot >= 0 && !routes[slot].c) {
			routes[slot].barcode = xstrdup(items[i]);
			routes[slot].c = c;
			c = NULL;
		}
		circ_checkin_free(c);
	}
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
	return routes[0].c && routes[1].c && routes[2].c && routes[3].c;
}

static void test_routes(struct circref *cr, bool no_color)
{
	struct found routes[4] = {{0}};
	if (!ok(find_routes(cr, routes),
		"the reference has a loan of each route (shelve, hold shelf, transit) and a late one"))
		goto out;
	char *to = circref_branch_name_dup(cr, routes[CIRC_TRANSIT].c->branch);
	struct desk *d = desk_start(&(struct desk_opts){.lang = "C.UTF-8", .no_color = no_color,
		.files = (const struct desk_file[]){{".config/balie/balie.conf", "branch = " BRANCH "\n"},
						    {NULL, NULL}}});
	if (!ok(d && vt_wait_text(d->vt, "beheer", DESK_START_MS) &&
			desk_type_login(d, "balie", "oefenen") &&
			vt_wait_gone(d->vt, "beheer", DESK_STEP_MS),
		"the desk starts and logs in%s", no_color ? " (NO_COLOR)" : "")) {
		desk_stop(d);
		free(to);
		goto out;
	}
	vt_key(d->vt, "F3");
	ok(vt_wait_text(d->vt, "Check in", DESK_STEP_MS), "F3 opens check in");
	unsigned bells = vt_bells(d->vt);

	vt_send(d->vt, routes[CIRC_SHELVE].barcode);
	vt_send(d->vt, "\r");
	ok(circref_wait_row2(d->vt, routes[CIRC_SHELVE].barcode, "BACK ON THE SHELF", DESK_STEP_MS) &&
		   circref_wait_row2(d->vt, "BACK ON THE SHELF", routes[CIRC_SHELVE].c->title,
				     DESK_STEP_MS),
	   "a plain return: BACK ON THE SHELF and the title");
	ok(vt_bells(d->vt) == bells, "no bell for it");

	char *hold = xasprintf("HOLD SHELF %s", routes[CIRC_HOLD_SHELF].c->hold_for);
	vt_send(d->vt, routes[CIRC_HOLD_SHELF].barcode);
	vt_send(d->vt, "\r");
	ok(circref_wait_row2(d->vt, routes[CIRC_HOLD_SHELF].barcode, hold, DESK_STEP_MS) &&
		   circref_wait_row2(d->vt, hold, routes[CIRC_HOLD_SHELF].c->title, DESK_STEP_MS),
	   "a waiting hold: %s and the title", hold);
	ok(vt_wait_bells(d->vt, bells + 1, DESK_STEP_MS), "the hold shelf rings the bell");

	char *transit = xasprintf("IN TRANSIT to %s", to);
	vt_send(d->vt, routes[CIRC_TRANSIT].barcode);
	vt_send(d->vt, "\r");
	ok(circref_wait_row2(d->vt, routes[CIRC_TRANSIT].barcode, transit, DESK_STEP_MS),
	   "an item for elsewhere: %s", transit);
	ok(vt_wait_bells(d->vt, bells + 2, DESK_STEP_MS), "transit rings the bell too (%u bells)",
	   vt_bells(d->vt) - bells);

	int row = -1, col = -1;
	struct vt_attr attr = {0};
	bool found = vt_find(d->vt, transit, &row, &col) && vt_attr_at(d->vt, row, col, &attr);
	if (no_color)
		ok(found && attr.fg == -1 && attr.bold && attr.reverse,
		   "with NO_COLOR the route is bold and reverse (fg %d bold %d reverse %d)", attr.fg,
		   attr.bold, attr.reverse);
	else
		ok(found && attr.fg == 1 && attr.bold, "the route is in bold red (fg %d bold %d)",
		   attr.fg, attr.bold);
	found = vt_find(d->vt, "BACK ON THE SHELF", &row, &col) && vt_attr_at(d->vt, row, col, &attr);
	ok(found && attr.fg == -1 && !attr.reverse, "back on the shelf needs no attention colour");
	/* A late return: the fine is shown on its line and in the total. */
	const struct found *late = &routes[3];
	char money[32];
	snprintf(money, sizeof money, "€%lld.%02lld", late->c->fine_cents / 100,
		 late->c->fine_cents % 100);
	char *fine = xasprintf("(fine %s)", money);
	long long sum = 0;
	for (int i = 0; i < 4; i++)
		sum += routes[i].c->fine_cents;
	char *total = xasprintf("Fines received: €%lld.%02lld", sum / 100, sum % 100);
	vt_send(d->vt, late->barcode);
	vt_send(d->vt, "\r");
	ok(circref_wait_row2(d->vt, late->barcode, fine, DESK_STEP_MS) &&
		   vt_wait_text(d->vt, total, DESK_STEP_MS),
	   "a late return shows its fine: %s, and the total %s", fine, total);
	free(fine);
	free(total);
	ok(vt_wait_text(d->vt, "Checked in: 4", DESK_STEP_MS) &&
		   vt_find(d->vt, "Hold shelf: 1", NULL, NULL) &&
		   vt_find(d->vt, "In transit: 1", NULL, NULL),
	   "the counts add up");
	free(hold);
	free(transit);
	free(to);
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
out:
	for (int i = 0; i < 4; i++)
		found_free(&routes[i]);
}

int main(void)
{
	for (int pass = 0; pass < 2; pass++) {
		struct circref *cr = circref_start(BRANCH);
		if (ok(cr != NULL, "a reference training service"))
			test_routes(cr, pass == 1);
		ok(circref_stop(cr), "the reference service stopped cleanly");
	}
	return tap_done();
}
