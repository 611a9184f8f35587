#include "service/store/backup.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "service/store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Pages a step copies, and the pause after it: a step of 256 pages of 4 KiB
 * is about a millisecond of work, so the copy takes a few times the time a
 * straight copy would and leaves the disk to the desks in between. */
enum { BACKUP_STEP_PAGES = 256, BACKUP_PAUSE_MS = 2, BACKUP_BUSY_MS = 5000 };

static bool fail_db(sqlite3 *db, const char *path, char **err)
{
	*err = xasprintf("%s: %s", path, db ? sqlite3_errmsg(db) : _("out of memory"));
	return false;
}

/* fsync of a file by name, or of the directory that holds it. */
static bool sync_path(const char *path, bool its_dir, char **err)
{
	char *copy = xstrdup(path);
	const char *target = its_dir ? dirname(copy) : copy;
	int fd = open(target, O_RDONLY | O_CLOEXEC | (its_dir ? O_DIRECTORY : 0));
	bool ok = fd >= 0 && fsync(fd) == 0;
	if (!ok)
		*err = xasprintf(_("cannot flush %s to the disk: %s"), target, strerror(errno));
	if (fd >= 0)
		close(fd);
	free(copy);
	return ok;
}

static sqlite3 *open_db(const char *path, int flags, char **err)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		fail_db(db, path, err);
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, BACKUP_BUSY_MS);
	return db;
}

/* Copies src's main database into dest's, in steps; src is in a read
 * transaction when given so (one snapshot), else each step reads anew. */
static bool copy_pages(sqlite3 *src, sqlite3 *dest, const char *dest_path, char **err)
{
	sqlite3_backup *b = sqlite3_backup_init(dest, "main", src, "main");
	if (!b)
		return fail_db(dest, dest_path, err);
	int rc;
	do {
		rc = sqlite3_backup_step(b, BACKUP_STEP_PAGES);
		if (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(BACKUP_PAUSE_MS);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		return fail_db(dest, dest_path, err);
	/* A plain file that stands alone: no log to be carried beside it. */
	if (sqlite3_exec(dest, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
		return fail_db(dest, dest_path, err);
	return true;
}

/* Copies the open src (in a snapshot) to the empty file dest_path. */
static bool copy_to(sqlite3 *src, const char *dest_path, char **err)
{
	sqlite3 *dest = open_db(dest_path, SQLITE_OPEN_READWRITE, err);
	if (!dest)
		return false;
	bool ok = copy_pages(src, dest, dest_path, err);
	if (sqlite3_close(dest) != SQLITE_OK && ok) {
		*err = xasprintf(_("%s: cannot close the copy"), dest_path);
		ok = false;
	}
	return ok && sync_path(dest_path, false, err) && sync_path(dest_path, true, err);
}

/* Holds a read transaction on src, so that every step copies one snapshot:
 * in WAL mode a reader stops no writer. */
static bool begin_snapshot(sqlite3 *src, const char *path, char **err)
{
	if (sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_schema;", NULL, NULL, NULL) ==
	    SQLITE_OK)
		return true;
	return fail_db(src, path, err);
}

bool backup_to_file(const char *db_path, const char *to, char **err)
{
	if (access(db_path, F_OK) != 0) {
		*err = xasprintf(_("there is no database %s"), db_path);
		return false;
	}
	int fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		*err = errno == EEXIST
			? xasprintf(_("%s exists; a backup never overwrites a file"), to)
			: xasprintf(_("cannot create %s: %s"), to, strerror(errno));
		return false;
	}
	close(fd);
	sqlite3 *src = open_db(db_path, SQLITE_OPEN_READWRITE, err);
	bool ok = src && begin_snapshot(src, db_path, err) && copy_to(src, to, err);
	if (src) {
		sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
		sqlite3_close(src);
	}
	if (!ok)
		unlink(to);
	return ok;
}

/* The first column of the one row of sql, as text (allocated), or NULL. */
static char *query_text_dup(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	char *value = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		value = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return value;
}

static bool check_open(sqlite3 *db, const char *path, char **err)
{
	char *integrity = query_text_dup(db, "PRAGMA integrity_check");
	char *version = integrity ? query_text_dup(db, "PRAGMA user_version") : NULL;
	char *mode = version ? query_text_dup(db, "SELECT value FROM meta WHERE key = 'mode'")
			     : NULL;
	int v = version ? atoi(version) : -1;
	bool ok = false;
	if (!integrity)
		*err = xasprintf(_("%s is not a SQLite database that can be read"), path);
	else if (strcmp(integrity, "ok") != 0)
		*err = xasprintf(_("%s fails the integrity check: %s"), path, integrity);
	else if (!mode)
		*err = xasprintf(_("%s is not a balie database"), path);
	else if (v < 1 || v > store_schema_version())
		*err = xasprintf(_("%s has schema version %d; this balied knows 1 to %d"), path, v,
				 store_schema_version());
	else
		ok = true;
	free(integrity);
	free(version);
	free(mode);
	return ok;
}

bool backup_check(const char *path, char **err)
{
	if (access(path, R_OK) != 0) {
		*err = xasprintf(_("cannot read %s: %s"), path, strerror(errno));
		return false;
	}
	sqlite3 *db = open_db(path, SQLITE_OPEN_READONLY, err);
	bool ok = db && check_open(db, path, err);
	sqlite3_close(db);
	return ok;
}

/* The descriptor of db_path with an exclusive flock on it, so that no
 * balied starts on it meanwhile; -2 when there is no such file yet; -1 when
 * it cannot be had, with *live when a serving balied holds it (else *err). */
static int hold_for_restore(const char *db_path, bool *live, char **err)
{
	*live = false;
	int fd = open(db_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return -2;
	if (fd < 0) {
		*err = xasprintf(_("cannot open %s: %s"), db_path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return fd;
	*live = errno == EWOULDBLOCK;
	close(fd);
	return -1;
}

/* Removes the log and index of the old database: left beside the new file,
 * SQLite would apply the old log to it. */
static bool drop_old_log(const char *db_path, char **err)
{
	static const char *const tails[] = { "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
		char *side = xasprintf("%s%s", db_path, tails[i]);
		bool ok = unlink(side) == 0 || errno == ENOENT;
		if (!ok)
			*err = xasprintf(_("cannot remove %s: %s"), side, strerror(errno));
		free(side);
		if (!ok)
			return false;
	}
	return true;
}

static bool restore_into(const char *from, const char *db_path, char **err)
{
	char *tmp = xasprintf("%s.restore-XXXXXX", db_path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		*err = xasprintf(_("cannot create a file beside %s: %s"), db_path, strerror(errno));
		free(tmp);
		return false;
	}
	close(fd);
	sqlite3 *src = open_db(from, SQLITE_OPEN_READONLY, err);
	bool ok = src && begin_snapshot(src, from, err) && copy_to(src, tmp, err);
	sqlite3_close(src);
	ok = ok && drop_old_log(db_path, err);
	if (ok && rename(tmp, db_path) != 0) {
		*err = xasprintf(_("cannot rename %s to %s: %s"), tmp, db_path, strerror(errno));
		ok = false;
	}
	ok = ok && sync_path(db_path, true, err);
	if (!ok)
		unlink(tmp);
	free(tmp);
	return ok;
}

bool backup_restore(const char *from, const char *db_path, bool force, char **err)
{
	if (!backup_check(from, err))
		return false;
	bool live;
	int fd = hold_for_restore(db_path, &live, err);
	if (fd == -1 && !live)
		return false;
	if (live && !force) {
		*err = xasprintf(_("%s is in use by a running balied; stop it first, or give --force"),
				 db_path);
		return false;
	}
	bool ok = restore_into(from, db_path, err);
	if (fd >= 0)
		close(fd);
	return ok;
}

int backup_hold_live(const char *db_path, char **err)
{
	int fd = open(db_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = xasprintf(_("cannot open %s: %s"), db_path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_SH | LOCK_NB) != 0) {
		*err = xasprintf(_("%s is being restored; start balied when the restore is done"),
				 db_path);
		close(fd);
		return -1;
	}
	return fd;
}
