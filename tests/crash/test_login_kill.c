/* balied killed with SIGKILL while five logins hash their passwords: the
 * tries were reserved against the throttle before the hashing, and no answer
 * settled them, so after the restart they count for nothing. The right
 * password is accepted for that account and for another account from the
 * same address (it used to be refused with 429 for both, for 15 minutes).
 * The kill comes when balied has read all five requests (their handlers
 * reserve before they hash) and answered none. */
#include "tap.h"
#include "core/clock.h"

#include "harness.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <sqlite3.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { N_LOGINS = 5, ATTEMPTS = 20, WAIT_MS = 20000 };


/* True when balied has read the whole request of the connection from
 * local port client to its port server: the kernel's receive queue of its
 * end (/proc/net/tcp) is empty. It calls the handler as soon as it has read
 * a request, and the handler reserves the try before it hashes. */
static bool request_read(unsigned server, unsigned client)
{
	FILE *f = fopen("/proc/net/tcp", "r");
	char line[512];
	bool read_all = false;
	while (f && fgets(line, sizeof line, f)) {
		unsigned local, remote, rx;
		if (sscanf(line, " %*u: %*8x:%x %*8x:%x %*x %*x:%x", &local, &remote, &rx) == 3 &&
		    local == server && remote == client)
			read_all = rx == 0;
	}
	if (f)
		fclose(f);
	return read_all;
}

static unsigned port_of(int fd)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	if (fd < 0 || getsockname(fd, (struct sockaddr *)&sa, &len) != 0)
		return 0;
	return ntohs(sa.sin_port);
}

/* True when fd has an HTTP answer (or part of one) to read. */
static bool answered(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char c;
	return poll(&p, 1, 0) == 1 && recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 1;
}

/* The failed logins the database holds, -1 when it cannot be read. */
static long long failures_stored(const struct harness *h)
{
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	long long n = -1;
	if (sqlite3_open_v2(h->db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM login_failures", -1, &st, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* Sends the logins, waits until balied has read every one of them and
 * answered none, and kills it. True when it was killed with every login read
 * and still unanswered. */
static bool kill_mid_login(struct harness *h)
{
	unsigned server = 0;
	sscanf(h->url, "http://127.0.0.1:%u", &server);
	int fds[N_LOGINS];
	bool sent = true;
	for (int i = 0; i < N_LOGINS; i++) {
		fds[i] = harness_login_send(h, NULL, "balie", "oefenen");
		sent = sent && fds[i] >= 0;
	}
	long long deadline = clock_now_ms() + WAIT_MS;
	bool all_read = false, any = false;
	while (sent && !all_read && !any && clock_now_ms() < deadline) {
		all_read = true;
		for (int i = 0; i < N_LOGINS; i++) {
			all_read = all_read && request_read(server, port_of(fds[i]));
			any = any || answered(fds[i]);
		}
	}
	kill(h->pid, SIGKILL);
	waitpid(h->pid, NULL, 0);
	h->pid = 0;
	for (int i = 0; i < N_LOGINS; i++) {
		char head[16] = "";
		if (fds[i] >= 0 && answered(fds[i]) && recv(fds[i], head, sizeof head - 1, 0) > 0)
			diag("answered before the kill: %.12s", head);
		any = any || head[0];
		if (fds[i] >= 0)
			close(fds[i]);
	}
	diag("killed with %d logins read; %lld failed logins in the database", N_LOGINS,
	     failures_stored(h));
	if (any)
		diag("a login was answered before the kill; trying again");
	return sent && all_read && !any;
}

/* Gives balie a hash that takes long to check (64 MiB, 8 passes), so that
 * the kill surely comes while the five are checking it; made once. */
static bool slow_hash_for_balie(const struct harness *h)
{
	static char hash[crypto_pwhash_STRBYTES];
	if (!hash[0] &&
	    (sodium_init() < 0 ||
	     crypto_pwhash_str(hash, "oefenen", 7, 8, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0))
		return false;
	sqlite3 *db;
	char *sql = sqlite3_mprintf("UPDATE staff SET password_hash = %Q WHERE username = 'balie'",
				    hash);
	bool ok = sqlite3_open(h->db, &db) == SQLITE_OK && sqlite3_busy_timeout(db, 5000) == 0 &&
		  sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK && sqlite3_changes(db) == 1;
	sqlite3_free(sql);
	sqlite3_close(db);
	return ok;
}

static long login_status(const struct harness *h, const char *user)
{
	struct api *api = harness_api(h);
	struct api_reply *r = harness_login(api, user, "oefenen", "CEN");
	long status = r->status;
	api_reply_free(r);
	api_free(api);
	return status;
}

int main(void)
{
	/* More threads than logins, so that all five are under way at once. */
	struct harness_opts opts = { .training = true, .config_text = "threads = 32\n" };
	struct harness h;
	if (!ok(harness_start(&h, &opts), "a training balied")) {
		harness_cleanup(&h);
		return tap_done();
	}
	bool killed = false, slow = true;
	for (int i = 0; i < ATTEMPTS && !killed; i++) {
		/* Again each time: a login that got through made it anew. */
		slow = slow_hash_for_balie(&h) && slow;
		killed = kill_mid_login(&h);
		if (!harness_launch(&h, &opts))
			break;
	}
	ok(slow, "balie's password had a hash that is slow to check (64 MiB, 8 passes)");
	ok(killed, "balied was killed with SIGKILL while %d logins of balie were hashing,"
		   " none of them answered", N_LOGINS);
	ok(h.pid > 0, "balied starts again on the same database");
	long balie = login_status(&h, "balie");
	ok(balie == 201, "the right password of balie is accepted after the restart (%ld)", balie);
	long beheer = login_status(&h, "beheer");
	ok(beheer == 201,
	   "the right password of beheer, from the same address, is accepted too (%ld)", beheer);
	if (tap_failed)
		harness_dump_log(&h);
	harness_cleanup(&h);
	return tap_done();
}
