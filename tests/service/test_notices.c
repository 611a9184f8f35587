/* The hold-ready notice by e-mail against a real balied and a real SMTP
 * server on loopback (aiosmtpd, tests/service/smtp_sink.py): a hold made
 * ready at check-in writes its notice in the outbox; with the server not yet
 * there the sender tries again with its back-off, and once the server is up
 * the message arrives once, with the patron's address, the title, the
 * branch's name and the pick-up-by date in Dutch; a patron without an
 * address gets no message; a credentials file others may read, or with a
 * bad line, stops balied at its start with the file and the line. */
#include "core/clock.h"
#include "tap.h"

#include "circ_fixture.h"
#include "core/xalloc.h"

#include <dirent.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { WAIT_MS = 60000 };

static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	int port = -1;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static void pause_briefly(void)
{
	struct timespec ts = { 0, 50 * 1000000L };
	nanosleep(&ts, NULL);
}

static bool file_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Starts the sink on port, writing into dir; waits for its ready file. */
static pid_t sink_start(int port, const char *dir)
{
	char portstr[16];
	snprintf(portstr, sizeof portstr, "%d", port);
	pid_t pid = fork();
	if (pid == 0) {
		execl(getenv("PYTHON3"), "python3", getenv("SMTP_SINK"), portstr, dir, (char *)NULL);
		_exit(127);
	}
	char *ready = xasprintf("%s/ready", dir);
	long long until = clock_now_ms() + WAIT_MS;
	while (!file_exists(ready) && clock_now_ms() < until && waitpid(pid, NULL, WNOHANG) == 0)
		pause_briefly();
	bool up = file_exists(ready);
	free(ready);
	return up ? pid : -1;
}

static void sink_stop(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

static int count_messages(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		n += strncmp(e->d_name, "msg-", 4) == 0 && strstr(e->d_name, ".tmp") == NULL;
	if (d)
		closedir(d);
	return n;
}

static char *read_message_dup(const char *dir, int n)
{
	char *path = xasprintf("%s/msg-%d.txt", dir, n);
	FILE *f = fopen(path, "r");
	free(path);
	if (!f)
		return xstrdup("");
	char buf[8192];
	size_t len = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[len] = '\0';
	return xstrdup(buf);
}

static bool wait_messages(const char *dir, int want)
{
	long long until = clock_now_ms() + WAIT_MS;
	while (count_messages(dir) < want && clock_now_ms() < until)
		pause_briefly();
	return count_messages(dir) >= want;
}

static bool wait_sql(struct fx *fx, const char *sql)
{
	long long until = clock_now_ms() + WAIT_MS;
	while (fx_num(fx, "%s", sql) <= 0 && clock_now_ms() < until)
		pause_briefly();
	return fx_num(fx, "%s", sql) > 0;
}

static unsigned next_n = 1;

/* A patron with address (may be NULL), an item lent to someone else and the
 * patron's waiting hold on it at CEN; the item is checked in at CEN. Returns
 * the hold's id; n is the item's number (its title is "Testboek n"). */
static long long hold_made_ready(struct fx *fx, const char *given, const char *address,
				 unsigned *n)
{
	char card[15], other[15], barcode[15];
	unsigned me = next_n++;
	long long patron = fx_patron(fx, 100 + me, given, "Jansen", "adult", "2032-01-01", card);
	if (address)
		fx_sql(fx, "UPDATE patrons SET email = '%s' WHERE id = %lld", address, patron);
	long long borrower = fx_patron(fx, 200 + me, "Bert", "Bakker", "adult", "2032-01-01", other);
	*n = me;
	long long item = fx_item(fx, me, "book", "CEN", barcode);
	fx_loan(fx, item, borrower, "2031-03-20");
	fx_hold(fx, patron, item, "CEN", "waiting", 2);
	long long hold = fx_num(fx, "SELECT id FROM holds WHERE item_id = %lld", item);
	struct api_reply *r = fx_checkin(fx, barcode);
	fx_expect(r, 200, NULL, "the item with the hold is checked in at its pickup branch");
	return hold;
}

static void expect_text(const char *msg, const char *want, const char *what)
{
	if (!ok(strstr(msg, want) != NULL, "%s: \"%s\"", what, want))
		diag("the message:\n%s", msg);
}

static void test_outage_then_delivery(struct fx *fx, int port, const char *dir, pid_t *sink)
{
	unsigned n;
	long long hold = hold_made_ready(fx, "Anna", "anna@example.org", &n);
	ok(fx_num(fx, "SELECT count(*) FROM notices WHERE hold_id = %lld AND"
		      " to_address = 'anna@example.org' AND kind = 'hold_ready'", hold) == 1,
	   "the notice is in the outbox with the check-in");
	char *sql = xasprintf("SELECT count(*) FROM notices WHERE hold_id = %lld AND attempts >= 2"
			      " AND last_error IS NOT NULL AND sent_at IS NULL", hold);
	ok(wait_sql(fx, sql), "with no server listening the sender tries again and keeps the notice");
	free(sql);
	ok(count_messages(dir) == 0, "nothing arrived while the server was down");

	*sink = sink_start(port, dir);
	ok(*sink > 0, "the SMTP server is up on port %d", port);
	ok(wait_messages(dir, 1), "the message arrives once the server is up");
	char *msg = read_message_dup(dir, 1);
	char *title = xasprintf("Testboek %u", n);
	char *subject = xasprintf("Subject: Uw reservering ligt klaar: %s", title);
	char *branch = fx_text_dup(fx, "SELECT name FROM branches WHERE code = 'CEN'");
	char *iso = fx_text_dup(fx, "SELECT pickup_by FROM holds WHERE id = %lld", hold);
	char dutch[11] = "";
	if (iso && strlen(iso) == 10)
		snprintf(dutch, sizeof dutch, "%.2s-%.2s-%.4s", iso + 8, iso + 5, iso);
	expect_text(msg, "RCPT: anna@example.org\n", "the envelope's recipient");
	expect_text(msg, "To: anna@example.org\n", "the To header");
	expect_text(msg, subject, "the subject names the title");
	expect_text(msg, "Beste Anna,", "the greeting");
	expect_text(msg, title, "the body names the title");
	expect_text(msg, branch ? branch : "?", "the body names the pickup branch");
	expect_text(msg, dutch, "the pick-up-by date in Dutch (dd-mm-jjjj)");
	expect_text(msg, "ophalen tot en met", "the text is Dutch");
	char *sent = xasprintf("SELECT count(*) FROM notices WHERE hold_id = %lld AND"
			       " sent_at IS NOT NULL", hold);
	ok(wait_sql(fx, sent), "the notice is marked sent");
	free(sent);
	free(iso);
	free(branch);
	free(subject);
	free(title);
	free(msg);
}

static void test_without_address_and_once(struct fx *fx, const char *dir)
{
	unsigned n;
	long long hold = hold_made_ready(fx, "Bram", NULL, &n);
	ok(fx_num(fx, "SELECT count(*) FROM notices WHERE hold_id = %lld", hold) == 0,
	   "a patron without an e-mail address gets no notice row");
	ok(fx_num(fx, "SELECT count(*) FROM holds WHERE id = %lld AND status = 'ready'", hold) == 1,
	   "that hold is ready all the same");

	/* A later notice arriving shows the sender went round again: the first
	 * is still there once. */
	long long second = hold_made_ready(fx, "Carla", "carla@example.org", &n);
	ok(wait_messages(dir, 2), "the next notice arrives");
	char *sent = xasprintf("SELECT count(*) FROM notices WHERE hold_id = %lld AND"
			       " sent_at IS NOT NULL", second);
	ok(wait_sql(fx, sent), "and is marked sent");
	free(sent);
	ok(count_messages(dir) == 2, "two messages in all: each notice arrived once (got %d)",
	   count_messages(dir));
	char *m1 = read_message_dup(dir, 1), *m2 = read_message_dup(dir, 2);
	ok(strstr(m1, "anna@example.org") && strstr(m2, "carla@example.org"),
	   "one for Anna, one for Carla, none for Bram");
	free(m1);
	free(m2);
}

static bool write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	bool ok = f && fputs(text, f) >= 0;
	if (f)
		ok = fclose(f) == 0 && ok;
	return ok && chmod(path, mode) == 0;
}

/* balied started with credentials text of mode mode: its exit status and stderr. */
static int start_with_credentials(struct fx *fx, const char *text, mode_t mode, char **err)
{
	char *cred = xasprintf("%s/smtp.cred", fx->h.dir);
	char *conf = xasprintf("training = yes\nsmtp_url = smtp://127.0.0.1:1\n"
			       "smtp_from = bibliotheek@example.org\nsmtp_credentials_file = %s\n",
			       cred);
	write_file(cred, text, mode);
	write_file(fx->h.config, conf, 0600);
	char *out = NULL;
	int status = harness_run(&fx->h, NULL, &out, err, "--listen", "127.0.0.1:0", NULL);
	free(out);
	free(conf);
	free(cred);
	return status;
}

static void test_bad_credentials(struct fx *fx)
{
	char *err = NULL;
	int status = start_with_credentials(fx, "user = bieb\npassword = geheim\n", 0644, &err);
	ok(status != 0 && err && strstr(err, "smtp.cred") && strstr(err, "0600"),
	   "a credentials file others may read: balied refuses to start, naming it (%d: %s)",
	   status, err ? err : "");
	free(err);
	err = NULL;
	status = start_with_credentials(fx, "user = bieb\npasword = geheim\n", 0600, &err);
	ok(status != 0 && err && strstr(err, "smtp.cred:2:"),
	   "a bad line: balied refuses to start with the file and line (%d: %s)", status,
	   err ? err : "");
	free(err);
}

int main(void)
{
	struct fx fx;
	int port = free_port();
	char *settings = xasprintf("smtp_url = smtp://127.0.0.1:%d\n"
				   "smtp_from = bibliotheek@example.org\n"
				   "smtp_retry_seconds = 1\n", port);
	bool up = fx_start_with(&fx, NULL, settings);
	free(settings);
	if (!ok(up && port > 0, "a training balied whose mail server is 127.0.0.1:%d", port)) {
		fx_finish(&fx, true);
		return tap_done();
	}
	char *dir = xasprintf("%s/mail", fx.h.dir);
	mkdir(dir, 0700);
	pid_t sink = -1;
	test_outage_then_delivery(&fx, port, dir, &sink);
	test_without_address_and_once(&fx, dir);
	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	sink_stop(sink);
	test_bad_credentials(&fx);
	free(dir);
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
