/* What the circulation tests share: a training balied whose "today" is fixed
 * (BALIED_TEST_TODAY), the same SQLite file opened by the test to lay out its
 * own patrons, items, loans and holds and to read back what balied stored,
 * and short forms of the calls. Include tap.h before this header. */
#ifndef BALIE_TEST_CIRC_FIXTURE_H
#define BALIE_TEST_CIRC_FIXTURE_H

#include "harness.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <string.h>

/* Monday 3 March 2031: CEN is open Monday to Saturday, NRD Tuesday to
 * Saturday, ZUI Monday, Tuesday, Thursday and Friday. */
#define FX_TODAY "2031-03-03"

struct fx {
	struct harness h;
	struct api *api;
	sqlite3 *db;
};

/*
 * Starts a training balied on FX_TODAY, with rules_text (may be NULL) as its
 * rules file, opens its database and logs in as balie at CEN. False (with a
 * TAP comment) when anything of it fails.
 */
bool fx_start(struct fx *fx, const char *rules_text);
/* The same with settings_text (may be NULL) added to balied's config file. */
bool fx_start_with(struct fx *fx, const char *rules_text, const char *settings_text);
/* Stops balied; returns its exit status (not 0 after a sanitizer's report). */
int fx_stop(struct fx *fx);
/* Stops everything; prints balied's log first when the test failed. */
void fx_finish(struct fx *fx, bool failed);

/* Logs in again as user at branch; the api sends the new token from now on. */
bool fx_login(struct fx *fx, const char *user, const char *branch);

/*
 * The audit row that a log-in of user at branch CEN, terminal "test-1" (the
 * harness's), at the instant at ("YYYY-MM-DDTHH:MM:SSZ") would have
 * written. The test's service runs on FX_TODAY; a replay from days ago needs
 * the session it was made in, and that session's log-in happened before the
 * service's clock could be set there.
 */
void fx_session_at(struct fx *fx, const char *user, const char *at);
/* The service's now (FX_TODAY at the time of day in Europe/Amsterdam, as
 * BALIED_TEST_TODAY sets it) plus seconds (negative: before), as
 * "YYYY-MM-DDTHH:MM:SSZ". A moment "earlier today" at a fixed UTC hour
 * would lie ahead of the service's clock in the first hours of its day. */
void fx_instant(long long seconds, char out[32]);

/* Runs SQL (printf format) on the database; aborts the test when it fails. */
void fx_sql(struct fx *fx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The first column of the first row of a query as a number; -1 for no row. */
long long fx_num(struct fx *fx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same as text, newly allocated; NULL for no row or NULL. */
char *fx_text_dup(struct fx *fx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A patron of the test: card "21999" n (8 digits) and a Luhn digit, written
 * to card (15 bytes). category "adult" or "youth", home CEN, expiring on
 * expires_on. Returns the patron's id. */
long long fx_patron(struct fx *fx, unsigned n, const char *given, const char *family,
		    const char *category, const char *expires_on, char card[15]);
/* An item: barcode "3199999" n (6 digits) and a Luhn digit, of a new title
 * "Testboek n" by "Auteur n"; status available at its home branch. Returns
 * its id. */
long long fx_item(struct fx *fx, unsigned n, const char *type, const char *home, char barcode[15]);
/* An item of title title_id ("Testboek n" of fx_item makes one per item):
 * barcode as fx_item's, a copy among several of one title. Returns its id. */
long long fx_copy(struct fx *fx, unsigned n, long long title_id, const char *type,
		  const char *home, char barcode[15]);
/* A loan of an item to a patron due on due_on, lent at CEN. */
void fx_loan(struct fx *fx, long long item_id, long long patron_id, const char *due_on);
/* A hold of a patron on an item, status "waiting" or "ready", placed days_ago days ago. */
void fx_hold(struct fx *fx, long long patron_id, long long item_id, const char *pickup,
	     const char *status, int days_ago);

/* Calls with a new Idempotency-Key. */
struct api_reply *fx_checkout(struct fx *fx, const char *card, const char *barcode);
struct api_reply *fx_checkin(struct fx *fx, const char *barcode);
struct api_reply *fx_renew(struct fx *fx, const char *barcode);
/* A POST of the JSON text body to path with a new key. */
struct api_reply *fx_post(struct fx *fx, const char *path, const char *json);
/* A POST with a given key. */
struct api_reply *fx_post_key(struct fx *fx, const char *path, const char *json, const char *key);

#ifdef BALIE_TAP_H
/* Checks status and error code (NULL for none) of r and frees r; true when both fit. */
static inline bool fx_expect(struct api_reply *r, long status, const char *code, const char *what)
{
	bool pass = r->status == status &&
		    ((!code && !r->error_code) ||
		     (code && r->error_code && strcmp(code, r->error_code) == 0));
	ok(pass, "%s: %ld %s (got %ld %s)", what, status, code ? code : "", r->status,
	   r->error_code ? r->error_code : "");
	api_reply_free(r);
	return pass;
}
#endif

#endif
