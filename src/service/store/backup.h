/* Online backup and restore of balied's SQLite database (balied(8),
 * "Running balied"): a consistent copy while desks work, and a restore that
 * checks what it puts in place and never leaves a half-written database. */
#ifndef BALIED_BACKUP_H
#define BALIED_BACKUP_H

#include <stdbool.h>

/*
 * Copies the database at db_path to a new file to, created 0600; an
 * existing to is refused and left as it is. The copy is one snapshot (a read
 * transaction held from the start), made a few pages at a time with pauses
 * between, so that in WAL mode no writer waits for it. The copy is a plain
 * file (no write-ahead log beside it) and on the disk when this returns.
 * False and *err (allocated, translated) on failure; a partial copy is
 * removed.
 */
bool backup_to_file(const char *db_path, const char *to, char **err);

/*
 * True when path is a balie database this balied can serve: SQLite's
 * integrity check says "ok", it has balied's meta table, and its schema
 * version is one this build knows. Else false and *err (allocated,
 * translated) saying which.
 */
bool backup_check(const char *path, char **err);

/*
 * Puts a copy of the checked backup from in place of db_path: written to a
 * temporary file in db_path's directory, flushed to the disk, then renamed
 * over db_path (with any write-ahead log of the old file removed first), so
 * that db_path is the old database or the whole new one, never a part. A
 * database a serving balied holds (backup_hold_live) is refused unless
 * force. False and *err (allocated, translated) on failure.
 */
bool backup_restore(const char *from, const char *db_path, bool force, char **err);

/*
 * Marks the database at db_path as served by this process, for as long as
 * the returned descriptor is open (a shared flock(2) on the file: several
 * balieds may serve one database). -1 and *err (allocated, translated)
 * when a restore holds it or the file cannot be opened.
 */
int backup_hold_live(const char *db_path, char **err);

#endif
