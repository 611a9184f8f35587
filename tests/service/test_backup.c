/* balied backup and restore (balied(8), "Running balied"): 10 desks check
 * items out and in against a real balied while "balied backup" copies its
 * database; every call answered before the backup began is in the copy
 * (its Idempotency-Key is stored with the answer), and the desks were served
 * while it ran. The copy restores into a new place, passes the integrity
 * check and a balied serves it; a restore over the served database is
 * refused without --force, and a backup never overwrites a file. */
#include "core/clock.h"
#include "tap.h"

#include "harness.h"

#include "core/uuid.h"
#include "core/xalloc.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { N_DESKS = 10, ITEMS_PER_DESK = 4, MAX_ACKS = 20000, WARM_ACKS = 200 };

struct ack {
	char key[UUID_STR_LEN];
	long long at_ms; /* when the answer arrived */
};

struct desk {
	struct api *api;
	char card[15];
	char items[ITEMS_PER_DESK][15];
	struct ack *acks;
	atomic_size_t n_acks;
	unsigned long failed;
};

static atomic_bool stop;

/* One check-out or check-in with a key of the test's own, noted when answered. */
static void item_call(struct desk *d, const char *path, const char *card, const char *barcode)
{
	cJSON *b = cJSON_CreateObject();
	if (card)
		cJSON_AddStringToObject(b, "patron_card", card);
	cJSON_AddStringToObject(b, "item_barcode", barcode);
	size_t n = atomic_load(&d->n_acks);
	struct ack *a = &d->acks[n < MAX_ACKS ? n : MAX_ACKS - 1];
	uuid_v4(a->key);
	struct api_reply *r = api_call(d->api, "POST", path, b, a->key);
	cJSON_Delete(b);
	if (r->status == 200 || r->status == 201) {
		a->at_ms = clock_now_ms();
		if (n < MAX_ACKS)
			atomic_store(&d->n_acks, n + 1);
	} else if (d->failed++ < 3) {
		diag("%s %s: %ld %s", path, barcode, r->status, r->failure ? r->failure : "");
	}
	api_reply_free(r);
}

static void *desk_run(void *arg)
{
	struct desk *d = arg;
	while (!atomic_load(&stop)) {
		for (unsigned i = 0; i < ITEMS_PER_DESK; i++)
			item_call(d, "/checkouts", d->card, d->items[i]);
		for (unsigned i = 0; i < ITEMS_PER_DESK; i++)
			item_call(d, "/checkins", NULL, d->items[i]);
	}
	return NULL;
}

static size_t acks_total(struct desk *desks)
{
	size_t n = 0;
	for (unsigned i = 0; i < N_DESKS; i++)
		n += atomic_load(&desks[i].n_acks);
	return n;
}

static sqlite3 *open_ro(const char *path)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

static char *text_dup(const char *path, const char *sql)
{
	sqlite3 *db = open_ro(path);
	sqlite3_stmt *st = NULL;
	char *s = NULL;
	if (db && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		s = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return s;
}

/* How many keys answered up to before_ms are missing from the copy. */
static size_t missing_keys(const char *copy, struct desk *desks, long long before_ms,
			   size_t *checked)
{
	sqlite3 *db = open_ro(copy);
	sqlite3_stmt *st = NULL;
	size_t missing = 0;
	*checked = 0;
	if (!db || sqlite3_prepare_v2(db, "SELECT 1 FROM idempotency_keys WHERE key = ?", -1, &st,
				      NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return (size_t)-1;
	}
	for (unsigned i = 0; i < N_DESKS; i++) {
		size_t n = atomic_load(&desks[i].n_acks);
		for (size_t k = 0; k < n; k++) {
			/* An answer in the same millisecond as before_ms still came
			 * before the backup, which starts a process later. */
			if (desks[i].acks[k].at_ms > before_ms)
				continue;
			sqlite3_bind_text(st, 1, desks[i].acks[k].key, -1, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_ROW && missing++ < 3)
				diag("key %s answered before the backup is not in it",
				     desks[i].acks[k].key);
			sqlite3_reset(st);
			(*checked)++;
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return missing;
}

static bool start_desks(struct harness *h, struct desk *desks)
{
	char cards[N_DESKS][15];
	struct api *first = harness_desk_api(h);
	size_t n_cards = first ? harness_demo_patrons(first, cards, N_DESKS) : 0;
	if (first)
		api_free(first);
	bool ready = n_cards == N_DESKS;
	for (unsigned i = 0; ready && i < N_DESKS; i++) {
		desks[i].api = harness_desk_api(h);
		desks[i].acks = xcalloc(MAX_ACKS, sizeof *desks[i].acks);
		ready = desks[i].api != NULL;
		memcpy(desks[i].card, cards[i], 15);
		for (unsigned k = 0; k < ITEMS_PER_DESK; k++)
			harness_demo_code("3100000", 200 + i * ITEMS_PER_DESK + k, desks[i].items[k]);
	}
	return ready;
}

/* Waits (with a deadline) until the desks have been answered want times. */
static bool wait_acks(struct desk *desks, size_t want)
{
	long long until = clock_now_ms() + 60000;
	while (acks_total(desks) < want && clock_now_ms() < until)
		nanosleep(&(struct timespec){ 0, 10000000L }, NULL);
	return acks_total(desks) >= want;
}

/* The backup under load; the copy's path in copy. */
static void test_backup_under_load(struct harness *h, const char *copy, struct desk *desks)
{
	pthread_t t[N_DESKS];
	for (unsigned i = 0; i < N_DESKS; i++)
		pthread_create(&t[i], NULL, desk_run, &desks[i]);
	bool working = wait_acks(desks, WARM_ACKS);
	ok(working, "the desks are at work (%zu calls answered)", acks_total(desks));
	long long started = clock_now_ms();
	size_t acks_before = acks_total(desks);
	char *out = NULL, *err = NULL;
	int rc = harness_run(h, NULL, &out, &err, "backup", "--to", copy, NULL);
	size_t acks_after = acks_total(desks);
	ok(rc == 0, "balied backup --to FILE succeeds under load (%d: %s)", rc, err);
	/* The desks go on a little longer: the copy must not hold that. */
	wait_acks(desks, acks_after + 50);
	atomic_store(&stop, true);
	unsigned long failed = 0;
	for (unsigned i = 0; i < N_DESKS; i++) {
		pthread_join(t[i], NULL);
		failed += desks[i].failed;
	}
	ok(failed == 0, "every check-out and check-in was answered 200 or 201 (%lu not)", failed);
	diag("%zu calls answered before the backup, %zu while it ran, %zu in all", acks_before,
	     acks_after - acks_before, acks_total(desks));
	struct stat st;
	unsigned mode = stat(copy, &st) == 0 ? (unsigned)(st.st_mode & 0777) : 0;
	ok(mode == 0600, "the copy is created 0600 (%o)", mode);
	size_t checked;
	size_t missing = missing_keys(copy, desks, started, &checked);
	ok(missing == 0 && checked >= WARM_ACKS,
	   "every call answered before the backup began is in the copy (%zu of %zu missing)",
	   missing, checked);
	char *integrity = text_dup(copy, "PRAGMA integrity_check");
	ok(integrity && strcmp(integrity, "ok") == 0, "the copy passes the integrity check (%s)",
	   integrity ? integrity : "unreadable");
	free(integrity);
	free(out);
	free(err);
}

static void test_no_overwrite(const struct harness *h, const char *copy)
{
	char *out = NULL, *err = NULL;
	long long size = harness_file_size(copy);
	int rc = harness_run(h, NULL, &out, &err, "backup", "--to", copy, NULL);
	ok(rc == 1 && err && strstr(err, copy) && strstr(err, "exists") &&
	   harness_file_size(copy) == size,
	   "a backup to an existing file is refused, naming it, and the file is kept (%d: %s)", rc,
	   err);
	free(out);
	free(err);
}

static void test_restore_refused_live(const struct harness *h, const char *copy)
{
	char *out = NULL, *err = NULL;
	int rc = harness_run(h, NULL, &out, &err, "restore", "--from", copy, NULL);
	ok(rc == 1 && err && strstr(err, "running balied") && strstr(err, "--force"),
	   "a restore over the database a balied serves is refused without --force (%d: %s)", rc,
	   err);
	free(out);
	free(err);
	struct api *api = harness_desk_api(h);
	ok(api != NULL, "and the served database is untouched: a desk still logs in");
	if (api)
		api_free(api);
}

static void test_restore_new_place(const char *copy)
{
	struct harness h2;
	struct harness_opts opts = { .training = true };
	if (!harness_init(&h2, &opts)) {
		ok(false, "a second directory for the restore");
		return;
	}
	char junk[128];
	snprintf(junk, sizeof junk, "%s/junk.db", h2.dir);
	FILE *f = fopen(junk, "w");
	if (f) {
		fputs("not a database, not at all, not even close to one.\n", f);
		fclose(f);
	}
	char *out = NULL, *err = NULL;
	int rc = harness_run(&h2, NULL, &out, &err, "restore", "--from", junk, NULL);
	ok(rc == 1 && err && strstr(err, junk) && harness_file_size(h2.db) == 0,
	   "a file that is no database is refused, naming it, and nothing is made (%d: %s)", rc,
	   err);
	free(out);
	free(err);
	rc = harness_run(&h2, NULL, &out, &err, "restore", "--from", copy, NULL);
	ok(rc == 0, "balied restore --from FILE into a new place succeeds (%d: %s)", rc, err);
	free(out);
	free(err);
	char *integrity = text_dup(h2.db, "PRAGMA integrity_check");
	const char *count = "SELECT count(*) || ' keys, ' || (SELECT count(*) FROM loans) || ' loans'"
			    " FROM idempotency_keys";
	char *want = text_dup(copy, count), *got = text_dup(h2.db, count);
	ok(integrity && strcmp(integrity, "ok") == 0 && want && got && strcmp(want, got) == 0,
	   "the restored database passes the integrity check and holds the backup's rows "
	   "(%s; %s, the backup %s)", integrity ? integrity : "none", got ? got : "none",
	   want ? want : "none");
	free(integrity);
	free(want);
	free(got);
	bool up = harness_launch(&h2, &opts);
	ok(up, "a balied starts on the restored database");
	struct api *api = up ? harness_desk_api(&h2) : NULL;
	ok(api != NULL, "and a desk logs in to it");
	if (api)
		api_free(api);
	if (tap_failed)
		harness_dump_log(&h2);
	ok(!up || harness_stop(&h2) == 0, "that balied stops cleanly");
	harness_cleanup(&h2);
}

int main(void)
{
	struct harness h;
	struct harness_opts opts = { .training = true };
	bool up = harness_start(&h, &opts);
	ok(up, "a training balied starts");
	if (!up)
		return tap_done();
	static struct desk desks[N_DESKS];
	bool ready = start_desks(&h, desks);
	ok(ready, "%d desks are logged in, each with a patron of its own", N_DESKS);
	char copy[128];
	snprintf(copy, sizeof copy, "%s/backup.db", h.dir);
	if (ready) {
		test_backup_under_load(&h, copy, desks);
		test_no_overwrite(&h, copy);
		test_restore_refused_live(&h, copy);
		test_restore_new_place(copy);
	}
	for (unsigned i = 0; i < N_DESKS; i++) {
		if (desks[i].api)
			api_free(desks[i].api);
		free(desks[i].acks);
	}
	if (tap_failed)
		harness_dump_log(&h);
	ok(harness_stop(&h) == 0, "balied stops cleanly");
	harness_cleanup(&h);
	return tap_done();
}
