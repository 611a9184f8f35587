/* Runs a replay (src/client/replay.h) to its end in a test: the event loop a
 * desk would run, api_wait and api_dispatch, with a deadline. */
#ifndef BALIE_TEST_REPLAY_DRIVE_H
#define BALIE_TEST_REPLAY_DRIVE_H

#include "client/api.h"
#include "client/journal.h"
#include "client/replay.h"

#include <stdbool.h>
#include <stddef.h>

struct drive_result {
	bool finished;          /* false when the deadline passed first */
	enum replay_end end;
	char *why;              /* allocated, or NULL */
	size_t done, total;     /* the last progress report */
	size_t progress_calls;
	size_t refused;         /* refused hooks called */
	double seconds;
};

/* Replays journal through api until the run ends or seconds pass. Free
 * result->why. */
void drive_replay(struct api *api, struct journal *journal, double seconds,
		  struct drive_result *result);

/* A fresh key-less journal in dir/name.db, opened for desk "test-desk";
 * aborts the test when it cannot. */
struct journal *drive_journal(const char *dir, const char *name);

/* Appends an offline entry (JSON text body) at occurred_at; returns its
 * sequence, 0 on failure. */
long long drive_append(struct journal *j, const char *path, const char *json,
		       const char *occurred_at);

/* The service of a test runs on a fixed day, the journal on this machine's
 * clock: moves entry *e's moment to occurred_at, in its row and in the body
 * it is sent with, and reads it again into *e (the old one is freed). */
bool drive_entry_at_day(struct journal *j, struct journal_entry **e, const char *occurred_at);

#endif
