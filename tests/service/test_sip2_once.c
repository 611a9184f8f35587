/* SIP2's error detection and exactly once, against a real balied: a bad
 * checksum is answered with 96, 97 gets the last answer again; a resent
 * checkout, checkin or renewal (same bytes, same sequence number, on the
 * same connection or a new one of the same kiosk) gets the first answer and
 * the store shows one loan, not two; malformed messages, one over 4096
 * bytes, one that does not end in time, a connection dropped in the middle
 * of a message, a message before the login; the kiosk's character set; 50
 * kiosks at once; a kiosk account refused at the HTTP API; and the cap on
 * connections. */
#include "tap.h"

#include "sip2_fixture.h"

#include "core/xalloc.h"

#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { KIOSKS = 50, CAP = 60 };

static unsigned next_n = 1;
static char now[19];

/* Waits (at most 5 s) for text in balied's log. */
static bool log_shows(struct sfx *s, const char *text)
{
	for (int i = 0; i < 500; i++) {
		char *log = harness_log_dup(&s->fx.h);
		bool found = strstr(log, text) != NULL;
		free(log);
		if (found)
			return true;
		poll(NULL, 0, 10);
	}
	return false;
}

static bool closed_by_balied(int fd)
{
	bool closed = false;
	char *a = sip2c_read_dup(fd, 5000, &closed);
	free(a);
	return closed;
}

static void test_detection(struct sfx *s)
{
	int fd = sip2c_connect(s->port);
	char *a = sip2c_call_dup(fd, "97");
	is_str(a, "96", "97 before any answer: 96, nothing to resend");
	free(a);
	close(fd);
	fd = sip2c_login(s->port, "kiosk1", SIP2_PASSWORD, "CEN");
	a = sip2c_call_dup(fd, "97");
	is_str(a, "941", "97 after the login: the login's answer again");
	free(a);
	a = sip2c_call_dup(fd, "9900302.00AY1AZ0000");
	char want[16] = "96AZ";
	sip2c_checksum(want, 4, want + 4);
	is_str(a, want, "a bad checksum is answered with 96 and its own checksum");
	free(a);
	char *first = sfx_call(fd, "9900302.00", 2);
	a = sip2c_call_dup(fd, "97");
	ok(first && a && strcmp(first, a) == 0, "97 resends the last answer as it was");
	free(a);
	free(first);
	a = sip2c_call_dup(fd, "11YN20310303");
	is_str(a, "96", "a checkout without its fixed fields is malformed: 96");
	free(a);
	a = sip2c_call_dup(fd, "2300020310303    120000ao|AA1|");
	is_str(a, "96", "a field id that is not two capitals is malformed: 96");
	free(a);
	ok(sip2c_send(fd, "XY12345") && !sip2c_read_dup(fd, 500, NULL),
	   "an unknown message gets no answer");
	a = sip2c_call_dup(fd, "9900302.00");
	ok(a && strncmp(a, "98", 2) == 0 && !strstr(a, "AZ"),
	   "the session goes on; a message without AZ is answered without (%s)", a ? a : "");
	free(a);
	ok(sip2c_send_raw(fd, "9900302.00\r\n", 12), "a message ends in CR LF");
	a = sip2c_read_dup(fd, 5000, NULL);
	ok(a && strncmp(a, "98", 2) == 0, "CR LF is taken as the end of a message");
	free(a);
	a = sip2c_call_dup(fd, "9900302.00");
	ok(a && strncmp(a, "98", 2) == 0, "and the LF is no message of its own");
	free(a);
	close(fd);

	fd = sip2c_connect(s->port);
	ok(sip2c_send(fd, "2300020310303    120000AOCEN|AA1|") && closed_by_balied(fd),
	   "a patron status before a login: the connection is closed");
	close(fd);
}

static double ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* A kiosk writing a message and its CR apart: without an ACK at once, its
 * Nagle would hold the CR back for the delayed ACK, some 40 ms a call. */
static void test_split_writes(struct sfx *s)
{
	int fd = sip2c_login(s->port, "kiosk1", SIP2_PASSWORD, "CEN");
	double ms[15];
	for (int i = 0; i < 15; i++) {
		double t0 = ms_now();
		sip2c_send_raw(fd, "9900302.00", 10);
		sip2c_send_raw(fd, "\r", 1);
		free(sip2c_read_dup(fd, 5000, NULL));
		ms[i] = ms_now() - t0;
	}
	qsort(ms, 15, sizeof ms[0], by_value);
	ok(ms[7] < 30, "a message written in two parts is answered without waiting for an ACK"
	   " (median %.1f ms)", ms[7]);
	close(fd);
}

static void test_limits(struct sfx *s)
{
	int fd = sip2c_login(s->port, "kiosk1", SIP2_PASSWORD, "CEN");
	char *big = xmalloc(5001);
	memset(big, 'A', 5000);
	big[5000] = '\0';
	ok(sip2c_send_raw(fd, big, 5000) && closed_by_balied(fd),
	   "5000 bytes without a CR: the connection is closed");
	ok(log_shows(s, "sip2: a message over 4096 bytes from 127.0.0.1: closing"),
	   "with a log line");
	close(fd);
	fd = sip2c_login(s->port, "kiosk1", SIP2_PASSWORD, "CEN");
	memcpy(big, "9900302.00AM", 12);
	big[4100] = '\r';
	/* In one write: balied may close before a second one. */
	ok(sip2c_send_raw(fd, big, 4101) && closed_by_balied(fd),
	   "a message of 4100 bytes and its CR too");
	close(fd);
	free(big);

	fd = sip2c_login(s->port, "kiosk1", SIP2_PASSWORD, "CEN");
	ok(sip2c_send_raw(fd, "9900", 4) && closed_by_balied(fd),
	   "a message that does not end within sip2_message_seconds: closed");
	ok(log_shows(s, "did not end in time: closing"), "with a log line");
	close(fd);
}

static void test_dropped(struct sfx *s)
{
	char card[15], item[15];
	fx_patron(&s->fx, next_n++, "Mila", "de Boer", "adult", "2032-01-01", card);
	long long it = fx_item(&s->fx, next_n++, "book", "CEN", item);
	int fd = sip2c_login(s->port, "kiosk1", SIP2_PASSWORD, "CEN");
	char *m = xasprintf("11NN%s                  AOCEN|AA%s|AB%s|AC|", now, card, item);
	ok(sip2c_send_raw(fd, m, strlen(m)), "half a checkout: all but its CR");
	close(fd);
	free(m);
	ok(log_shows(s, "closed the connection in the middle of a message"),
	   "balied sees the connection dropped in the middle of a message");
	ok(fx_num(&s->fx, "SELECT count(*) FROM loans WHERE item_id = %lld", it) == 0,
	   "and nothing was lent");
}

static long long open_loans(struct sfx *s, long long item)
{
	return fx_num(&s->fx, "SELECT count(*) FROM loans WHERE item_id = %lld AND"
		      " returned_at IS NULL", item);
}

static long long stat_count(struct sfx *s, const char *action)
{
	return fx_num(&s->fx, "SELECT coalesce(sum(count), 0) FROM loan_stats WHERE action = '%s'",
		      action);
}

static void test_once(struct sfx *s)
{
	char card[15], item[15];
	long long p = fx_patron(&s->fx, next_n++, "Luuk", "Dekker", "adult", "2032-01-01", card);
	long long it = fx_item(&s->fx, next_n++, "book", "CEN", item);
	long long lent = stat_count(s, "checkout"), returned = stat_count(s, "checkin");
	int fd = sip2c_login(s->port, "kiosk1", SIP2_PASSWORD, "CEN");
	char *out = xasprintf("11NN%s                  AOCEN|AA%s|AB%s|AC|", now, card, item);
	char *first = sfx_call(fd, out, 3);
	ok(first && strncmp(first, "121", 3) == 0, "a checkout (%s)", first ? first : "");
	char *again = sfx_call(fd, out, 3);
	ok(first && again && strcmp(first, again) == 0,
	   "the same checkout resent: the first answer again");
	free(again);
	close(fd);
	fd = sip2c_login(s->port, "kiosk1", SIP2_PASSWORD, "CEN");
	again = sfx_call(fd, out, 3);
	ok(first && again && strcmp(first, again) == 0,
	   "resent on a new connection of the kiosk: the first answer again");
	free(again);
	ok(open_loans(s, it) == 1 && fx_num(&s->fx, "SELECT count(*) FROM loans WHERE"
					   " patron_id = %lld", p) == 1,
	   "the store has one loan, not two");
	ok(stat_count(s, "checkout") == lent + 1, "and one checkout counted");

	char *in = xasprintf("09N%s%sAPCEN|AOCEN|AB%s|AC|", now, now, item);
	char *back = sfx_call(fd, in, 4);
	ok(back && strncmp(back, "101", 3) == 0, "the item checked in (%s)", back ? back : "");
	again = sfx_call(fd, in, 4);
	ok(back && again && strcmp(back, again) == 0, "the checkin resent: its first answer");
	free(again);
	ok(stat_count(s, "checkin") == returned + 1, "one checkin counted");
	again = sfx_call(fd, out, 3);
	ok(first && again && strcmp(first, again) == 0,
	   "the old checkout resent after the checkin: the first answer, nothing lent");
	free(again);
	ok(open_loans(s, it) == 0, "the item is not on loan");
	free(back);
	free(in);
	free(first);
	free(out);

	long long it2 = fx_item(&s->fx, next_n++, "book", "CEN", item);
	fx_loan(&s->fx, it2, p, "2031-03-10");
	char *renew = xasprintf("29NN%s                  AOCEN|AA%s|AB%s|", now, card, item);
	first = sfx_call(fd, renew, 5);
	again = sfx_call(fd, renew, 5);
	ok(first && again && strncmp(first, "301", 3) == 0 && strcmp(first, again) == 0,
	   "a renewal resent: the first answer again");
	ok(fx_num(&s->fx, "SELECT renewals FROM loans WHERE item_id = %lld", it2) == 1,
	   "the loan is renewed once");
	free(first);
	free(again);
	free(renew);
	close(fd);
}

static void test_charset(struct sfx *s)
{
	char card[15];
	long long p = fx_patron(&s->fx, next_n++, "José", "Müller", "adult", "2032-01-01", card);
	ok(sfx_kiosk(s, "kiosk-latin", "ISO-8859-1") && sfx_kiosk(s, "kiosk-ascii", "ASCII"),
	   "kiosk accounts with ISO-8859-1 and ASCII");
	int fd = sip2c_login(s->port, "kiosk-latin", SIP2_PASSWORD, "CEN");
	char *m = xasprintf("23000%sAOCEN|AA%s|", now, card);
	char *a = sfx_call(fd, m, 0);
	char *name = a ? sip2c_field_dup(a, 35, "AE") : NULL;
	is_str(name, "Jos\xe9 M\xfcller", "an ISO-8859-1 kiosk gets the name in ISO-8859-1");
	free(name);
	free(a);
	char *block = xasprintf("01N%sAOCEN|ALpas ingehouden \xe9\xe9n keer|AA%s|", now, card);
	a = sfx_call(fd, block, 1);
	free(a);
	char *why = fx_text_dup(&s->fx, "SELECT manual_block FROM patrons WHERE id = %lld", p);
	is_str(why, "pas ingehouden één keer", "what it sends in ISO-8859-1 is stored as UTF-8");
	free(why);
	free(block);
	close(fd);
	fd = sip2c_login(s->port, "kiosk-ascii", SIP2_PASSWORD, "CEN");
	a = sfx_call(fd, m, 0);
	name = a ? sip2c_field_dup(a, 35, "AE") : NULL;
	bool ascii = name && strncmp(name, "Jos", 3) == 0;
	for (const char *c = name; c && *c; c++)
		ascii = ascii && (unsigned char)*c < 0x80;
	ok(ascii, "an ASCII kiosk gets the name transliterated (%s)", name ? name : "");
	char *af = a ? sip2c_field_dup(a, 35, "AF") : NULL;
	is_str(af, "Uw pas is geblokkeerd. Vraag het aan de balie.", "and its Dutch in ASCII");
	free(af);
	free(name);
	free(a);
	free(m);
	close(fd);
}

struct kiosk {
	struct sfx *s;
	char user[16], card[15], item[15];
	bool lent, returned;
};

/* A login as a kiosk does it: again after a refusal, a little later. */
static int login_retrying(struct kiosk *k)
{
	for (int i = 0; i < 50; i++) {
		int fd = sip2c_login(k->s->port, k->user, SIP2_PASSWORD, "CEN");
		if (fd >= 0)
			return fd;
		poll(NULL, 0, 100);
	}
	return -1;
}

static void *kiosk_main(void *arg)
{
	struct kiosk *k = arg;
	int fd = login_retrying(k);
	if (fd < 0)
		return NULL;
	char *out = xasprintf("11NN%s                  AOCEN|AA%s|AB%s|AC|", now, k->card, k->item);
	char *in = xasprintf("09N%s%sAPCEN|AOCEN|AB%s|AC|", now, now, k->item);
	char *a = sfx_call(fd, out, 1);
	k->lent = a && strncmp(a, "121", 3) == 0;
	free(a);
	a = sfx_call(fd, in, 2);
	k->returned = a && strncmp(a, "101", 3) == 0;
	free(a);
	free(out);
	free(in);
	close(fd);
	return NULL;
}

static void test_many(struct sfx *s)
{
	static struct kiosk k[KIOSKS];
	pthread_t t[KIOSKS];
	char *hash = fx_text_dup(&s->fx, "SELECT password_hash FROM staff WHERE username = 'kiosk1'");
	for (unsigned i = 0; i < KIOSKS; i++) {
		k[i].s = s;
		snprintf(k[i].user, sizeof k[i].user, "kiosk-%02u", i);
		fx_sql(&s->fx, "INSERT INTO staff (username, name, password_hash, branch_code,"
		       " created_at) VALUES ('%s', '%s', '%s', 'CEN', 0);"
		       "INSERT INTO staff_roles SELECT id, 'kiosk' FROM staff WHERE username = '%s'",
		       k[i].user, k[i].user, hash, k[i].user);
		fx_patron(&s->fx, next_n++, "Kiosk", "Lener", "adult", "2032-01-01", k[i].card);
		fx_item(&s->fx, next_n++, "book", "CEN", k[i].item);
	}
	free(hash);
	long long lent = stat_count(s, "checkout");
	for (unsigned i = 0; i < KIOSKS; i++)
		pthread_create(&t[i], NULL, kiosk_main, &k[i]);
	unsigned n_lent = 0, n_returned = 0;
	for (unsigned i = 0; i < KIOSKS; i++) {
		pthread_join(t[i], NULL);
		n_lent += k[i].lent;
		n_returned += k[i].returned;
	}
	ok(n_lent == KIOSKS && n_returned == KIOSKS,
	   "%d kiosks at once each lend and take back an item (%u, %u)", KIOSKS, n_lent,
	   n_returned);
	ok(stat_count(s, "checkout") == lent + KIOSKS, "the store counted %d checkouts", KIOSKS);
}

/* sip2_max_connections (60 here) open at once: one more is closed. */
static void test_cap(struct sfx *s)
{
	int fds[CAP];
	for (unsigned i = 0; i < CAP; i++)
		fds[i] = sip2c_connect(s->port);
	int extra = sip2c_connect(s->port);
	ok(extra >= 0 && closed_by_balied(extra), "connection %d is closed", CAP + 1);
	ok(log_shows(s, "connections open: closing the new one from 127.0.0.1"), "with a log line");
	close(extra);
	for (unsigned i = 0; i < CAP; i++)
		close(fds[i]);
	char *a = NULL;
	for (int i = 0; i < 100 && !a; i++) {
		int fd = sip2c_connect(s->port);
		a = sip2c_call_dup(fd, "9900302.00");
		close(fd);
		if (!a)
			poll(NULL, 0, 50);
	}
	ok(a && strncmp(a, "98", 2) == 0, "once they are closed, a kiosk is answered again");
	free(a);
}

static void test_http(struct sfx *s)
{
	struct api *api = harness_api(&s->fx.h);
	struct api_reply *r = harness_login(api, "kiosk1", SIP2_PASSWORD, "CEN");
	ok(r->status == 403 && r->error_code && strcmp(r->error_code, "forbidden") == 0,
	   "a kiosk account's login at the HTTP API is refused: 403 forbidden (%ld)", r->status);
	api_reply_free(r);
	api_free(api);
}

int main(void)
{
	struct sfx s;
	if (!sfx_start(&s, "sip2_message_seconds = 1\nlogin_max_failures = 200\n"
			     "sip2_max_connections = 60\n")) {
		ok(false, "balied with SIP2 starts");
		sfx_finish(&s, true);
		return tap_done();
	}
	sip2c_now(now);
	memcpy(now, "20310303", 8);
	test_detection(&s);
	test_split_writes(&s);
	test_limits(&s);
	test_dropped(&s);
	test_once(&s);
	test_charset(&s);
	test_many(&s);
	test_http(&s);
	test_cap(&s);
	int failed = tap_done();
	sfx_finish(&s, failed != 0);
	return failed;
}
