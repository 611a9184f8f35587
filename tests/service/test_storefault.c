/* balied's SQLite store under real faults: a full disk (a small tmpfs,
 * filled and freed again), a read-only file system (a tmpfs remounted
 * read-only) and a write lock held by another process (this test, with the
 * sqlite3 C API on the same file). Mounting needs root; without it the
 * parts that mount are skipped with a TAP skip. */
#include "tap.h"
#include "core/clock.h"

#include "harness.h"

#include "core/jsonx.h"
#include "core/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Generous: the machine may be loaded. */
enum { RECOVER_DEADLINE_MS = 20000, HEALTH_DEADLINE_MS = 1000, LOCK_HOLD_MS = 3000 };

/* The token of the latest login, for a fresh connection of the same desk. */
static char last_token[128];

static struct api *login(const struct harness *h)
{
	struct api *api = harness_api(h);
	struct api_reply *r = harness_login(api, "balie", "oefenen", "CEN");
	const char *token = jsonx_string(r->body, "token");
	if (token) {
		api_set_token(api, token);
		snprintf(last_token, sizeof last_token, "%s", token);
	}
	else
		diag("login: %ld", r->status);
	api_reply_free(r);
	return api;
}

/* The English message of an error body, also of a 5xx (the client library
 * gives the error fields only for a 4xx). */
static const char *error_message(const struct api_reply *r)
{
	return r ? jsonx_string(cJSON_GetObjectItemCaseSensitive(r->body, "error"), "message")
		 : NULL;
}

/* How many lines of balied's log hold text. */
static int log_lines_with(const struct harness *h, const char *text)
{
	FILE *f = fopen(h->log, "r");
	char line[2048];
	int n = 0;
	while (f && fgets(line, sizeof line, f))
		if (strstr(line, text))
			n++;
	if (f)
		fclose(f);
	return n;
}

/* A tmpfs of size at DIR/name for the database; false when it cannot be
 * mounted (not root). */
static bool mount_small_disk(struct harness *h, const char *name, const char *size, char **where)
{
	*where = xasprintf("%s/%s", h->dir, name);
	char *opts = xasprintf("size=%s", size);
	bool mounted = mkdir(*where, 0700) == 0 &&
		       mount("tmpfs", *where, "tmpfs", 0, opts) == 0;
	free(opts);
	if (mounted) {
		free(h->db);
		h->db = xasprintf("%s/balied.db", *where);
	}
	return mounted;
}

struct ledger {
	char barcodes[500][15];
	bool lent[500];
	size_t n;
	unsigned acknowledged; /* check-outs answered 201 */
};

/* Lends and returns the demo items until a check-out is refused with 503;
 * returns that reply (or NULL). */
static struct api_reply *lend_until_refused(struct api *api, const char *card,
					    struct ledger *led, unsigned max_calls)
{
	for (unsigned k = 0; k < max_calls; k++) {
		size_t i = k % led->n;
		struct api_reply *r = led->lent[i] ? harness_post_item(api, "/checkins", NULL, led->barcodes[i])
						   : harness_post_item(api, "/checkouts", card, led->barcodes[i]);
		if (r->status == 503)
			return r;
		if (r->status == 201 || r->status == 200) {
			led->lent[i] = !led->lent[i];
			if (r->status == 201)
				led->acknowledged++;
		}
		api_reply_free(r);
	}
	return NULL;
}

static const char health_request[] = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n"
				     "Connection: close\r\n\r\n";

/* The open loans of the ledger's items that the ledger says are lent. */
static long long stored_loans(const char *path, const struct ledger *led, unsigned *want)
{
	sqlite3 *db = NULL;
	long long n = -1;
	*want = 0;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_stmt *st = NULL;
		sqlite3_prepare_v2(db, "SELECT count(*) FROM loans l JOIN items i ON i.id = l.item_id"
				       " WHERE l.returned_at IS NULL AND i.barcode = ?",
				   -1, &st, NULL);
		n = 0;
		for (size_t i = 0; st && i < led->n; i++) {
			if (!led->lent[i])
				continue;
			(*want)++;
			sqlite3_bind_text(st, 1, led->barcodes[i], -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW)
				n += sqlite3_column_int64(st, 0);
			sqlite3_reset(st);
		}
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return n;
}

/* A reader that keeps its snapshot (a long backup, say) keeps the
 * write-ahead log from being reset: it grows into all the free space. */
static sqlite3 *hold_snapshot(const char *path)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN; SELECT count(*) FROM items;", NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

static void test_disk_full(void)
{
	struct harness h;
	char *disk = NULL;
	if (!harness_init(&h, NULL) || !mount_small_disk(&h, "disk", "6m", &disk)) {
		printf("ok %d # SKIP cannot mount a small tmpfs (needs root): %s\n", ++tap_count,
		       strerror(errno));
		harness_cleanup(&h);
		free(disk);
		return;
	}
	struct harness_opts opts = { .training = true };
	bool up = harness_launch(&h, &opts);
	ok(up, "a training balied starts on a 6 MB disk");
	struct api *api = up ? login(&h) : NULL;
	char card[15];
	harness_demo_code("21000", 1, card);
	struct ledger led = { .n = 40 };
	for (unsigned k = 0; k < led.n; k++)
		harness_demo_code("3100000", k + 1, led.barcodes[k]);

	/* Space the operator can free later. */
	char *balloon = xasprintf("%s/balloon", disk);
	int fd = open(balloon, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ok(fd >= 0 && posix_fallocate(fd, 0, 1024 * 1024) == 0, "1 MB of the disk is kept aside");
	if (fd >= 0)
		close(fd);
	sqlite3 *reader = up ? hold_snapshot(h.db) : NULL;
	struct api_reply *refused = api ? lend_until_refused(api, card, &led, 5000) : NULL;
	char *wal = xasprintf("%s-wal", h.db);
	long long full_wal = harness_file_size(wal);
	ok(refused != NULL, "when the log has filled the disk, lending is refused with 503 "
			    "(log %lld bytes)", full_wal);
	const char *msg = error_message(refused);
	ok(msg && strstr(msg, "full"), "the 503 says the database's disk is full (%s)",
	   msg ? msg : "none");
	api_reply_free(refused);
	/* More refusals: the log must not repeat itself for each. */
	for (unsigned k = 0; api && k < 20; k++)
		api_reply_free(harness_post_item(api, "/checkouts", card, led.barcodes[0]));
	char *answer = NULL;
	int health = up ? harness_raw(&h, NULL, health_request, sizeof health_request - 1, &answer)
			: 0;
	ok(health == 503 && answer && strstr(answer, "\"store\":\"full\""),
	   "GET /health fails and names the full disk (%d)", health);
	free(answer);

	sqlite3_close(reader);
	unlink(balloon);
	long long deadline = clock_now_ms() + RECOVER_DEADLINE_MS;
	bool lending = false;
	while (api && !lending && clock_now_ms() < deadline) {
		struct api_reply *r = lend_until_refused(api, card, &led, 1);
		lending = r == NULL;
		api_reply_free(r);
	}
	ok(lending, "when space is free again, lending works without a restart");
	long long wal_bytes = harness_file_size(wal);
	ok(wal_bytes < full_wal / 4 && wal_bytes < 512 * 1024,
	   "the write-ahead log was truncated (%lld bytes, %lld when full)", wal_bytes, full_wal);
	int said = log_lines_with(&h, "disk is full");
	ok(said == 1, "the log says once that the disk is full (%d lines)", said);
	int counted = log_lines_with(&h, "refused while the disk was full");
	ok(counted >= 1 && counted <= 3,
	   "and counts the refused writes when they work again (%d lines)", counted);
	int repeated = log_lines_with(&h, "database or disk is full");
	ok(repeated <= 3, "the same error line is not repeated for every refusal (%d)", repeated);
	if (api)
		api_free(api);
	ok(harness_stop(&h) == 0, "balied stops cleanly");
	unsigned want;
	long long open_loans = stored_loans(h.db, &led, &want);
	ok(open_loans == want && led.acknowledged > 0,
	   "every acknowledged loan is stored (%lld open, %u expected, %u lent in all)", open_loans,
	   want, led.acknowledged);
	if (tap_failed)
		harness_dump_log(&h);
	free(wal);
	free(balloon);
	umount2(disk, MNT_DETACH);
	free(disk);
	harness_cleanup(&h);
}

/* The database file alone is bound read-only onto itself: its directory
 * stays writable, as with a file of mode 0444 for a user other than root
 * (root passes over file modes). */
static void test_read_only(void)
{
	struct harness h;
	struct harness_opts opts = { .training = true };
	bool made = harness_start(&h, &opts) && harness_stop(&h) == 0;
	ok(made, "a training database is made");
	bool ro = mount(h.db, h.db, NULL, MS_BIND, NULL) == 0;
	if (!ro && (errno == EPERM || errno == EACCES)) {
		printf("ok %d # SKIP cannot bind-mount the database read-only (needs root)\n",
		       ++tap_count);
		harness_cleanup(&h);
		return;
	}
	ro = ro && mount(NULL, h.db, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) == 0;
	ok(ro, "the database file is made read-only");
	char *out = NULL, *err = NULL;
	int status = harness_run(&h, NULL, &out, &err, "--training", "--listen", "127.0.0.1:0",
				 (char *)NULL);
	ok(status != 0 && !strstr(out, "listening"),
	   "balied refuses to serve a database it cannot write (status %d)", status);
	ok(strstr(err, h.db) && strstr(err, "read-only"), "and says the file is read-only: %s", err);
	free(out);
	free(err);
	umount2(h.db, MNT_DETACH);
	harness_cleanup(&h);
}

struct writer {
	struct api *api;
	char card[15], barcode[15];
	long status;
	char message[200];
};

static void *write_one(void *arg)
{
	struct writer *w = arg;
	struct api_reply *r = harness_post_item(w->api, "/checkouts", w->card, w->barcode);
	const char *msg = error_message(r);
	w->status = r->status;
	snprintf(w->message, sizeof w->message, "%s", msg ? msg : "");
	api_reply_free(r);
	return NULL;
}

enum { N_WRITERS = 6 };

static void test_foreign_lock(void)
{
	struct harness h;
	struct harness_opts opts = { .training = true, .config_text = "threads = 2\n" };
	bool up = harness_start(&h, &opts);
	ok(up, "a training balied with 2 threads starts");
	struct api *reader = up ? login(&h) : NULL;
	char token[sizeof last_token];
	snprintf(token, sizeof token, "%s", last_token);
	struct writer w[N_WRITERS];
	for (unsigned i = 0; i < N_WRITERS; i++) {
		w[i] = (struct writer){ .api = up ? login(&h) : NULL };
		harness_demo_code("21000", 2, w[i].card);
		harness_demo_code("3100000", 100 + i, w[i].barcode);
	}
	sqlite3 *db = NULL;
	bool locked = up && sqlite3_open(h.db, &db) == SQLITE_OK &&
		      sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
	ok(locked, "another process holds the write lock");

	pthread_t t[N_WRITERS];
	for (unsigned i = 0; locked && i < N_WRITERS; i++)
		pthread_create(&t[i], NULL, write_one, &w[i]);
	/* While the lock is held, health and reads on new connections. */
	long long slowest_health = 0, slowest_read = 0;
	int health_bad = 0, read_bad = 0;
	char card[15], *path;
	harness_demo_code("21000", 3, card);
	path = xasprintf("/patrons/%s", card);
	long long until = clock_now_ms() + LOCK_HOLD_MS;
	while (locked && clock_now_ms() < until) {
		long long t0 = clock_now_ms();
		if (harness_raw(&h, NULL, health_request, sizeof health_request - 1, NULL) != 200)
			health_bad++;
		long long t1 = clock_now_ms();
		struct api *fresh = harness_api(&h);
		api_set_token(fresh, token);
		struct api_reply *r = api_call(fresh, "GET", path, NULL, NULL);
		if (r->status != 200)
			read_bad++;
		api_reply_free(r);
		api_free(fresh);
		long long t2 = clock_now_ms();
		if (t1 - t0 > slowest_health)
			slowest_health = t1 - t0;
		if (t2 - t1 > slowest_read)
			slowest_read = t2 - t1;
	}
	ok(locked && health_bad == 0 && slowest_health < HEALTH_DEADLINE_MS,
	   "GET /health answers 200 within %d ms while writers wait (slowest %lld ms, %d failed)",
	   HEALTH_DEADLINE_MS, slowest_health, health_bad);
	ok(locked && read_bad == 0 && slowest_read < HEALTH_DEADLINE_MS,
	   "a patron is read within %d ms while writers wait (slowest %lld ms, %d failed)",
	   HEALTH_DEADLINE_MS, slowest_read, read_bad);
	if (db) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(db);
	}
	int answered = 0, busy = 0;
	for (unsigned i = 0; locked && i < N_WRITERS; i++) {
		pthread_join(t[i], NULL);
		if (w[i].status == 201)
			answered++;
		else if (w[i].status == 503 && strstr(w[i].message, "busy"))
			busy++;
		else
			diag("writer %u: %ld %s", i, w[i].status, w[i].message);
	}
	ok(answered + busy == N_WRITERS,
	   "each waiting writer is lent or refused with 503 naming the busy database (%d, %d)",
	   answered, busy);
	free(path);
	for (unsigned i = 0; i < N_WRITERS; i++)
		if (w[i].api)
			api_free(w[i].api);
	if (reader)
		api_free(reader);
	if (tap_failed)
		harness_dump_log(&h);
	harness_cleanup(&h);
}

int main(void)
{
	test_disk_full();
	test_read_only();
	test_foreign_lock();
	return tap_done();
}
