#include "client/slip.h"

#include "core/clock.h"
#include "core/i18n.h"
#include "core/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { SLIP_MIN_WIDTH = 16 };

struct slip {
	unsigned width;
	char **lines;
	size_t n, cap;
};

struct slip *slip_new(unsigned width)
{
	struct slip *s = xcalloc(1, sizeof *s);
	s->width = width < SLIP_MIN_WIDTH ? SLIP_MIN_WIDTH : width;
	return s;
}

void slip_free(struct slip *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->lines[i]);
	free(s->lines);
	free(s);
}

static void slip_push(struct slip *s, char *line)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->lines = xrealloc(s->lines, s->cap * sizeof *s->lines);
	}
	s->lines[s->n++] = line;
}

/* A printer cell per code point: the charsets of receipt printers have no
 * wide or combining characters, and what they lack becomes one character. */
static size_t u8_chars(const char *p, size_t bytes)
{
	size_t n = 0;
	for (size_t i = 0; i < bytes; i++)
		if (((unsigned char)p[i] & 0xC0) != 0x80)
			n++;
	return n;
}

/* The number of bytes of the first chars characters of p. */
static size_t u8_prefix(const char *p, size_t chars)
{
	size_t i = 0;
	while (p[i] && chars > 0) {
		i++;
		while (((unsigned char)p[i] & 0xC0) == 0x80)
			i++;
		chars--;
	}
	return i;
}

void slip_blank(struct slip *s)
{
	slip_push(s, xstrdup(""));
}

void slip_rule(struct slip *s)
{
	char *line = xmalloc(s->width + 1);
	memset(line, '-', s->width);
	line[s->width] = '\0';
	slip_push(s, line);
}

void slip_text(struct slip *s, const char *utf8)
{
	const char *p = utf8;
	while (*p == ' ')
		p++;
	if (!*p) {
		slip_blank(s);
		return;
	}
	while (*p) {
		size_t fit = u8_prefix(p, s->width);
		size_t take = fit;
		if (p[fit] && p[fit] != ' ') {
			/* Break at the last space that fits; cut a word wider than a line. */
			size_t sp = fit;
			while (sp > 0 && p[sp] != ' ')
				sp--;
			if (sp > 0)
				take = sp;
		}
		size_t end = take;
		while (end > 0 && p[end - 1] == ' ')
			end--;
		slip_push(s, xstrndup(p, end));
		p += take;
		while (*p == ' ')
			p++;
	}
}

void slip_center(struct slip *s, const char *utf8)
{
	size_t bytes = u8_prefix(utf8, s->width);
	size_t chars = u8_chars(utf8, bytes);
	size_t pad = (s->width - chars) / 2;
	slip_push(s, xasprintf("%*s%.*s", (int)pad, "", (int)bytes, utf8));
}

void slip_pair(struct slip *s, const char *left, const char *right)
{
	size_t lc = u8_chars(left, strlen(left)), rc = u8_chars(right, strlen(right));
	if (lc + 1 + rc > s->width) {
		slip_text(s, left);
		if (rc > s->width) /* wider than a line: wrapped, never cut */
			slip_text(s, right);
		else
			slip_push(s, xasprintf("%*s%s", (int)(s->width - rc), "", right));
		return;
	}
	slip_push(s, xasprintf("%s%*s%s", left, (int)(s->width - lc - rc), "", right));
}

char *slip_text_dup(const struct slip *s)
{
	size_t len = 1;
	for (size_t i = 0; i < s->n; i++)
		len += strlen(s->lines[i]) + 1;
	char *out = xmalloc(len), *p = out;
	for (size_t i = 0; i < s->n; i++) {
		size_t l = strlen(s->lines[i]);
		memcpy(p, s->lines[i], l);
		p[l] = '\n';
		p += l + 1;
	}
	*p = '\0';
	return out;
}

size_t slip_lines(const struct slip *s)
{
	return s->n;
}

char *slip_encode_dup(const char *utf8, const char *charset, size_t *len, char **err)
{
	char *target = xasprintf("%s//TRANSLIT", charset);
	iconv_t cd = iconv_open(target, "UTF-8");
	free(target);
	if (cd == (iconv_t)-1) {
		*err = xasprintf(_("The printer's character set %s is not known here."), charset);
		return NULL;
	}
	size_t in_left = strlen(utf8), cap = in_left * 4 + 16;
	char *out = xmalloc(cap), *op = out, *ip = (char *)utf8;
	size_t out_left = cap - 1;
	while (in_left > 0) {
		if (iconv(cd, &ip, &in_left, &op, &out_left) != (size_t)-1)
			break;
		if (errno == E2BIG)
			break; /* cannot happen: 4 bytes out for every byte in */
		/* A character not even transliterable, or invalid input: one '?'. */
		if (out_left > 0) {
			*op++ = '?';
			out_left--;
		}
		ip++;
		in_left--;
		while (in_left > 0 && ((unsigned char)*ip & 0xC0) == 0x80) {
			ip++;
			in_left--;
		}
	}
	iconv(cd, NULL, NULL, &op, &out_left);
	iconv_close(cd);
	*len = (size_t)(op - out);
	*op = '\0';
	return out;
}

/* ---- running the print command ---- */


/* Waits for pid up to deadline; kills it after. */
static int wait_child(pid_t pid, long long deadline, bool *late)
{
	int status = 0;
	*late = false;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			return status;
		if (clock_now_ms() >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			*late = true;
			return status;
		}
		struct timespec pause = { 0, 5 * 1000000L }; /* a print command runs for milliseconds */
		nanosleep(&pause, NULL);
	}
}

/* The first line the command wrote to stderr (in fd), or "". */
static char *first_line_dup(int fd)
{
	char buf[160];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	for (char *c = buf; *c; c++)
		if ((unsigned char)*c < 0x20)
			*c = ' ';
	return xstrdup(buf);
}

static char *failure_dup(int status, bool late, int errfd)
{
	char *said = first_line_dup(errfd);
	char *why;
	if (late)
		why = xasprintf(_("The print command did not finish in %d seconds."),
				SLIP_PRINT_MS / 1000);
	else if (WIFSIGNALED(status))
		why = xasprintf(_("The print command was ended by signal %d."), WTERMSIG(status));
	else
		why = xasprintf(_("The print command failed (exit status %d)."), WEXITSTATUS(status));
	char *msg = said[0] ? xasprintf("%s %s", why, said) : xstrdup(why);
	free(why);
	free(said);
	return msg;
}

static pid_t spawn_shell(const char *command, int in_fd, int err_fd)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	/* The child: stdin from the pipe, stdout to /dev/null (never the desk's
	 * terminal), stderr to the file the desk reads. */
	int null = open("/dev/null", O_WRONLY);
	if (dup2(in_fd, 0) < 0 || null < 0 || dup2(null, 1) < 0 || dup2(err_fd, 2) < 0)
		_exit(126);
	signal(SIGPIPE, SIG_DFL);
	execl("/bin/sh", "sh", "-c", command, (char *)NULL);
	_exit(127);
}

static bool write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

bool slip_print(const struct slip *s, const char *command, const char *charset, char **err)
{
	size_t len = 0;
	char *text = slip_text_dup(s);
	char *bytes = slip_encode_dup(text, charset, &len, err);
	free(text);
	if (!bytes)
		return false;
	FILE *errfile = tmpfile();
	int fds[2];
	if (!errfile || pipe2(fds, O_CLOEXEC) != 0) {
		*err = xasprintf(_("The print command could not be started: %s"), strerror(errno));
		if (errfile)
			fclose(errfile);
		free(bytes);
		return false;
	}
	/* A command that does not read all of it must not kill the desk. */
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	pid_t pid = spawn_shell(command, fds[0], fileno(errfile));
	close(fds[0]);
	bool wrote = pid > 0 && write_all(fds[1], bytes, len);
	close(fds[1]);
	free(bytes);
	bool late = false;
	int status = pid > 0 ? wait_child(pid, clock_now_ms() + SLIP_PRINT_MS, &late) : 0;
	sigaction(SIGPIPE, &old, NULL);
	bool good = pid > 0 && !late && WIFEXITED(status) && WEXITSTATUS(status) == 0 && wrote;
	if (pid < 0)
		*err = xasprintf(_("The print command could not be started: %s"), strerror(errno));
	else if (!good && (late || !WIFEXITED(status) || WEXITSTATUS(status) != 0))
		*err = failure_dup(status, late, fileno(errfile));
	else if (!good)
		*err = xstrdup(_("The print command did not take the whole slip."));
	fclose(errfile);
	return good;
}

/* ---- the desk's slips ---- */

static void slip_head(struct slip *s, const char *branch_name, const char *title,
		      struct civil_date today)
{
	char date[DATE_STR_LEN];
	date_format_dutch(today, date);
	if (branch_name && *branch_name)
		slip_center(s, branch_name);
	slip_center(s, title);
	slip_center(s, date);
	slip_rule(s);
}

/* The card, its last four digits only: a slip may be left on the counter. */
static void slip_card(struct slip *s, const char *card)
{
	size_t clen = strlen(card);
	char *masked = xasprintf("****%s", clen > 4 ? card + clen - 4 : card);
	slip_pair(s, _("Card"), masked);
	free(masked);
}

struct slip *slip_loan_new(unsigned width, const char *branch_name, const char *card,
			   const struct circ_loan *const *loans, size_t n, long long fines_cents,
			   struct civil_date today)
{
	struct slip *s = slip_new(width);
	/* TRANSLATORS: the heading of the loan slip; in Dutch UITLEENBON */
	slip_head(s, branch_name, _("LOAN SLIP"), today);
	slip_card(s, card);
	slip_blank(s);
	for (size_t i = 0; i < n; i++) {
		struct civil_date due;
		char when[DATE_STR_LEN] = "";
		if (date_parse_iso(loans[i]->due_on, &due))
			date_format_dutch(due, when);
		slip_text(s, loans[i]->title);
		char *right = xasprintf(_("due %s"), when[0] ? when : loans[i]->due_on);
		slip_pair(s, loans[i]->item_barcode, right);
		free(right);
		slip_blank(s);
	}
	slip_rule(s);
	char *count = xasprintf(P_("%zu item", "%zu items", (unsigned long)n), n);
	slip_text(s, count);
	free(count);
	if (fines_cents > 0) {
		char money[32];
		circ_money(fines_cents, money);
		slip_pair(s, _("Fines to pay"), money);
	}
	slip_blank(s);
	slip_center(s, _("Thank you, and enjoy!"));
	return s;
}

struct slip *slip_checkin_new(unsigned width, const struct circ_checkin *c,
			      const char *branch_name, const char *here_name,
			      struct civil_date today)
{
	if (c->route == CIRC_SHELVE)
		return NULL;
	struct slip *s = slip_new(width);
	if (c->route == CIRC_HOLD_SHELF) {
		slip_head(s, here_name, _("HOLD SHELF"), today);
		slip_pair(s, _("For"), c->hold_for);
		slip_pair(s, _("Pickup at"), branch_name);
	} else {
		slip_head(s, here_name, _("IN TRANSIT"), today);
		slip_pair(s, _("To"), branch_name);
	}
	slip_blank(s);
	slip_text(s, c->title);
	slip_text(s, c->barcode);
	return s;
}

static void slip_money(struct slip *s, const char *label, long long cents)
{
	char money[32];
	circ_money(cents, money);
	slip_pair(s, label, money);
}

struct slip *slip_receipt_new(unsigned width, const char *branch_name, const char *card,
			      const struct account_credit *paid, struct civil_date today)
{
	struct slip *s = slip_new(width);
	/* TRANSLATORS: the heading of the receipt of a payment; in Dutch BETAALBEWIJS */
	slip_head(s, branch_name, _("RECEIPT"), today);
	slip_card(s, card);
	slip_blank(s);
	for (size_t i = 0; i < paid->n_covered; i++)
		slip_money(s, account_kind_text(paid->covered[i].kind), paid->covered[i].amount_cents);
	slip_rule(s);
	bool pin = strcmp(paid->method, "pin") == 0;
	slip_money(s, pin ? _("Paid by pin") : _("Paid in cash"), paid->amount_cents);
	slip_money(s, _("Still to pay"), paid->balance_cents);
	slip_blank(s);
	slip_center(s, _("Thank you!"));
	return s;
}

struct slip *slip_cashup_new(unsigned width, const char *branch_name,
			     const struct account_cashup *c, struct civil_date today)
{
	struct slip *s = slip_new(width);
	/* TRANSLATORS: the heading of the cash-up slip; in Dutch KASOPMAAK */
	slip_head(s, branch_name, _("CASH-UP"), today);
	slip_pair(s, _("Desk"), c->terminal[0] ? c->terminal : _("every desk"));
	char *count = xasprintf(P_("%lld payment", "%lld payments", (unsigned long)c->payments),
				c->payments);
	slip_text(s, count);
	free(count);
	slip_money(s, _("Cash"), c->cash_cents);
	slip_money(s, _("Pin"), c->pin_cents);
	slip_money(s, _("Total"), c->payments_cents);
	slip_rule(s);
	for (size_t i = 0; i < c->n_kinds; i++)
		slip_money(s, account_kind_text(c->kinds[i]), c->kind_cents[i]);
	slip_rule(s);
	slip_money(s, _("Refunds paid out"), c->refunds_cents);
	slip_money(s, _("Waived"), c->waivers_cents);
	slip_money(s, _("Net"), c->net_cents);
	return s;
}
