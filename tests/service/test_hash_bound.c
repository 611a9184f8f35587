/* Password hashing within a bound: twenty logins at once, from twenty
 * addresses, never make balied hash more than two passwords at a time, so
 * its peak memory (VmHWM) stays under its own memory at rest plus the bound
 * of balied(8) (2 x 19 MiB) and a margin; each gets an answer (401, or 503
 * unavailable when it waited too long). A stored hash with older, heavier
 * parameters is made again at the next login. */
#include "tap.h"
#include "core/clock.h"

#include "harness.h"

#include <poll.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { N_LOGINS = 20, BOUND_KB = 2 * 19 * 1024, MARGIN_KB = 24 * 1024, WAIT_MS = 60000 };


/* A line of /proc/PID/status in kB ("VmRSS", "VmHWM"); -1 when unknown. */
static long status_kb(pid_t pid, const char *name)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long kb = -1;
	size_t len = strlen(name);
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, name, len) == 0 && line[len] == ':')
			kb = strtol(line + len + 1, NULL, 10);
	if (f)
		fclose(f);
	return kb;
}

/* The status of the answer on fd, reading to its end; 0 for none. */
static int read_status(int fd, long long deadline)
{
	char buf[4096];
	size_t have = 0;
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		long long left = deadline - clock_now_ms();
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		ssize_t n = read(fd, buf + have, sizeof buf - 1 - have);
		if (n <= 0)
			break;
		have += (size_t)n;
		if (have == sizeof buf - 1)
			break;
	}
	buf[have] = '\0';
	int status = 0;
	return sscanf(buf, "HTTP/1.1 %d", &status) == 1 ? status : 0;
}

static void test_bound(const struct harness *h)
{
	long rest = status_kb(h->pid, "VmRSS");
	int fds[N_LOGINS];
	for (int i = 0; i < N_LOGINS; i++) {
		char source[32], user[32];
		snprintf(source, sizeof source, "127.0.0.%d", 10 + i);
		snprintf(user, sizeof user, "niemand%d", i);
		fds[i] = harness_login_send(h, source, user, "geraden");
	}
	long long deadline = clock_now_ms() + WAIT_MS;
	int n401 = 0, n503 = 0;
	for (int i = 0; i < N_LOGINS; i++) {
		int status = fds[i] >= 0 ? read_status(fds[i], deadline) : 0;
		n401 += status == 401;
		n503 += status == 503;
		if (fds[i] >= 0)
			close(fds[i]);
	}
	long peak = status_kb(h->pid, "VmHWM");
	ok(n401 + n503 == N_LOGINS, "%d logins at once from %d addresses: %d answered 401, %d 503",
	   N_LOGINS, N_LOGINS, n401, n503);
	ok(rest > 0 && peak > 0 && peak < rest + BOUND_KB + MARGIN_KB,
	   "balied's peak memory %ld kB stays under its %ld kB at rest plus the bound %d kB and"
	   " a margin of %d kB", peak, rest, BOUND_KB, MARGIN_KB);
}

static char *stored_hash_dup(const struct harness *h, const char *user)
{
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	char *hash = NULL;
	if (sqlite3_open(h->db, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT password_hash FROM staff WHERE username = ?", -1, &st,
			       NULL) == SQLITE_OK &&
	    sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		hash = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return hash;
}

static bool store_hash(const struct harness *h, const char *user, const char *hash)
{
	sqlite3 *db;
	char *sql = sqlite3_mprintf("UPDATE staff SET password_hash = %Q WHERE username = %Q",
				    hash, user);
	bool ok = sqlite3_open(h->db, &db) == SQLITE_OK && sqlite3_busy_timeout(db, 5000) == 0 &&
		  sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK && sqlite3_changes(db) == 1;
	sqlite3_free(sql);
	sqlite3_close(db);
	return ok;
}

static void test_rehash(const struct harness *h)
{
	char old[crypto_pwhash_STRBYTES];
	bool made = sodium_init() >= 0 &&
		    crypto_pwhash_str(old, "oefenen", 7, crypto_pwhash_OPSLIMIT_INTERACTIVE,
				      crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
	ok(made && store_hash(h, "ido", old),
	   "the account ido has a hash of the old parameters (64 MiB, 2 passes): %.30s", old);
	struct api *api = harness_api(h);
	struct api_reply *r = harness_login(api, "ido", "oefenen", "CEN");
	ok(r->status == 201, "ido logs in with it (%ld)", r->status);
	api_reply_free(r);
	char *now = stored_hash_dup(h, "ido");
	ok(now && strcmp(now, old) != 0 && strstr(now, "$argon2id$v=19$m=19456,t=2,p=1$"),
	   "the stored hash is made again with 19 MiB and 2 passes: %.40s", now ? now : "");
	r = harness_login(api, "ido", "oefenen", "CEN");
	char *again = stored_hash_dup(h, "ido");
	ok(r->status == 201 && again && now && strcmp(again, now) == 0,
	   "the new hash logs in, and is kept as it is (%ld)", r->status);
	api_reply_free(r);
	free(again);
	free(now);
	api_free(api);
}

int main(void)
{
	struct harness_opts opts = { .training = true, .config_text = "threads = 32\n" };
	struct harness h;
	if (!ok(harness_start(&h, &opts), "a training balied with 32 threads")) {
		harness_cleanup(&h);
		return tap_done();
	}
	/* The bound first: checking the old hash takes its 64 MiB once. */
	test_bound(&h);
	test_rehash(&h);
	ok(harness_stop(&h) == 0, "balied stops cleanly");
	if (tap_failed)
		harness_dump_log(&h);
	harness_cleanup(&h);
	return tap_done();
}
