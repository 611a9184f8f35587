/* The floors a checkout is compared with (DESIGN.md section 7): the SQLite
 * commits it needs, timed on the same disk as the service's database.
 *
 * Both are replicas, in a database of their own beside the service's (so
 * that they take no lock the service needs while it is measured), with the
 * same settings as the desk's journal and balied's store: WAL and
 * synchronous=FULL, so every commit waits for fsync of the log. */
#ifndef BALIE_BENCH_FLOOR_H
#define BALIE_BENCH_FLOOR_H

#include "bench_stats.h"

#include <stdbool.h>

/* n commits of one desk-journal entry each (an INSERT of the entry with its
 * Idempotency-Key and body) in dir/bench-journal.db; each commit's time is
 * added to out. False with *err (allocated) when SQLite fails. */
bool bench_floor_journal(const char *dir, unsigned n, struct bench_samples *out, char **err);

/* n transactions shaped like balied's checkout (BEGIN IMMEDIATE; the
 * idempotency row; the loan; the item's status; the stored answer; COMMIT)
 * in dir/bench-store.db; each transaction's time is added to out. */
bool bench_floor_store(const char *dir, unsigned n, struct bench_samples *out, char **err);

#endif
