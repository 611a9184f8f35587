/* The desk's figures (DESIGN.md section 7), measured on the real
 * balie in a pseudo-terminal at 80x24 through the tui harness (tests/tui):
 *
 * - start-up: from starting balie with --server (the service already
 *   running) to the last byte of the login screen;
 * - a burst of 50 scans at 8 ms a character behind 10 queued ones: none
 *   lost, the order kept, all answered within 1 s after the last key;
 * - scan-to-screen time of a checkout: from the last byte of the scan (its
 *   Enter) to the last byte of the screen update that shows its due date;
 * - bytes written to the terminal per scan;
 * - balie's resident memory (VmRSS) after 1,000 scans.
 *
 * Needs BALIE, BALIED and BALIE_LOCALEDIR as the tui tests do. Prints "# "
 * details and figure lines (bench_stats.h). */
#include "bench_stats.h"
#include "circref.h"
#include "harness.h"

#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define BRANCH "CEN"
#define BURST 50
#define PRELOAD 10
#define PER_ROUND 20
#define SCANS 1000
#define STARTS 20

/* Reads the desk's output until it has been quiet for quiet_ms; returns
 * the time the last byte came (or since when nothing came). */
static double last_byte_ms(struct vt *vt, int quiet_ms)
{
	double last = bench_now_ms();
	while (vt_pump(vt, quiet_ms) > 0)
		last = bench_now_ms();
	return last;
}

/* Waits until the row of code shows its answer: a word of want, or a
 * refusal ("NOT "). */
static bool wait_answer(struct vt *vt, const char *code, const char *const *want, int deadline_ms)
{
	double until = bench_now_ms() + deadline_ms;
	int rows, cols;
	vt_size(vt, &rows, &cols);
	while (bench_now_ms() < until) {
		for (int r = 0; r < rows; r++) {
			char *row = vt_row_dup(vt, r);
			bool hit = strstr(row, code) != NULL;
			bool done = false;
			for (const char *const *w = want; hit && *w && !done; w++)
				done = strstr(row, *w) != NULL;
			done = done || (hit && strstr(row, "NOT ") != NULL);
			free(row);
			if (done)
				return true;
		}
		vt_pump(vt, 5);
	}
	printf("# no answer on the screen for %s\n", code);
	vt_dump(vt, stdout);
	return false;
}

static void paced(struct vt *vt, double until)
{
	for (double left; (left = until - bench_now_ms()) > 0;)
		vt_pump(vt, (int)left + 1);
}

/* Sends text one byte every ms milliseconds; returns when its last byte went. */
static double type_paced(struct vt *vt, const char *text, double ms)
{
	double last = bench_now_ms();
	for (const char *p = text; *p; p++) {
		last = bench_now_ms();
		char one[2] = {*p, '\0'};
		vt_send(vt, one);
		if (p[1])
			paced(vt, last + ms);
	}
	return last;
}

static void bench_burst(struct desk *d, char **items)
{
	static const char *const answered[] = {"SHELF", "TRANSIT", NULL};
	vt_key(d->vt, "F3");
	if (!vt_wait_text(d->vt, "Checked in: 0", DESK_STEP_MS)) {
		bench_figure_missing("50-scan burst", "check in did not open", "none lost, <= 1 s");
		return;
	}
	for (size_t i = 0; i < PRELOAD; i++) {
		vt_send(d->vt, items[i]);
		vt_send(d->vt, "\r");
	}
	vt_pump(d->vt, 0);
	double start = bench_now_ms(), sent = start;
	for (size_t i = PRELOAD; i < PRELOAD + BURST; i++) {
		char *scan = xasprintf("%s\r", items[i]);
		sent = type_paced(d->vt, scan, 8.0);
		free(scan);
		if (i + 1 < PRELOAD + BURST)
			paced(d->vt, bench_now_ms() + 8.0);
	}
	char want[64];
	snprintf(want, sizeof want, "Checked in: %d ", PRELOAD + BURST);
	bool all = vt_wait_text(d->vt, want, DESK_STEP_MS) &&
		   wait_answer(d->vt, items[PRELOAD + BURST - 1], answered, DESK_STEP_MS);
	double after = bench_now_ms() - sent;
	size_t seen = 0;
	bool ordered = circref_scans_in_order(d->vt, items, PRELOAD + BURST, &seen);
	bool none_refused = !vt_find(d->vt, "NOT ", NULL, NULL);
	printf("# burst: %d scans typed in %.0f ms behind %d queued; the last answered %.1f ms "
	       "after the last key; %zu lines on the screen in order: %s\n",
	       BURST, sent - start, PRELOAD, after, seen, ordered ? "yes" : "NO");
	char value[128];
	snprintf(value, sizeof value, "%s, order %s, last answer %.0f ms after the last key",
		 all ? "none lost" : "SOME LOST", ordered ? "kept" : "BROKEN", after);
	bench_figure("50-scan burst at 8 ms a character", value, "none lost, order kept, <= 1 s",
		     all && ordered && none_refused && after <= 1000.0);
}

/* A field of /proc/PID/status in kB ("VmRSS", "RssAnon"), or -1. */
static long status_kb(pid_t pid, const char *field)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long kb = -1;
	size_t len = strlen(field);
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, field, len) == 0 && line[len] == ':' &&
		    sscanf(line + len + 1, "%ld", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

static char rss_floor_path[4096];

/* VmRSS (kB) of bench-rss-floor, beside this program, in balie's
 * environment; -1 when it cannot be run. */
static long rss_floor_kb(void)
{
	if (!rss_floor_path[0])
		return -1;
	char *cmd = xasprintf("TERM=xterm-256color LC_ALL=C.UTF-8 '%s' </dev/null", rss_floor_path);
	FILE *p = popen(cmd, "r");
	free(cmd);
	long kb = -1, anon = -1;
	if (p) {
		if (fscanf(p, "%ld %ld", &kb, &anon) != 2)
			kb = -1;
		pclose(p);
	}
	printf("# the libraries' floor (bench-rss-floor): VmRSS %ld kB, RssAnon %ld kB\n", kb,
	       anon);
	return kb;
}

struct scan_stats {
	struct bench_samples checkout_ms;
	size_t scans, bytes, most;
};

static bool scan_one(struct vt *vt, const char *code, const char *const *want,
		     struct scan_stats *st, bool timed)
{
	size_t before = vt_bytes(vt);
	vt_send(vt, code);
	vt_pump(vt, 0);
	double t0 = bench_now_ms();
	vt_send(vt, "\r"); /* the last byte of the scan */
	if (!wait_answer(vt, code, want, DESK_STEP_MS))
		return false;
	double end = last_byte_ms(vt, 15);
	if (timed)
		bench_samples_add(&st->checkout_ms, end - t0);
	size_t cost = vt_bytes(vt) - before;
	st->bytes += cost;
	st->most = cost > st->most ? cost : st->most;
	st->scans++;
	return true;
}

/* Rounds of PER_ROUND checkouts to a patron and their check-ins, until
 * SCANS scans. */
static bool bench_scans(struct desk *d, struct circ_patron *pat[2], char codes[PER_ROUND][15],
			struct scan_stats *st)
{
	static const char *const due[] = {"due ", NULL};
	static const char *const back[] = {"SHELF", "TRANSIT", NULL};
	bool good = true;
	for (int r = 0; good && st->scans < SCANS; r++) {
		vt_key(d->vt, "F2");
		good = vt_wait_text(d->vt, "Scan the patron's card.", DESK_STEP_MS);
		char *card = xasprintf("%s\r", pat[r % 2]->card);
		vt_send(d->vt, card);
		free(card);
		good = good && vt_wait_text(d->vt, pat[r % 2]->name, DESK_STEP_MS);
		last_byte_ms(d->vt, 30);
		for (int i = 0; good && i < PER_ROUND; i++)
			good = scan_one(d->vt, codes[i], due, st, true);
		vt_key(d->vt, "F12");
		good = good && vt_wait_text(d->vt, "Done. Scan the next", DESK_STEP_MS);
		vt_key(d->vt, "F3");
		good = good && vt_wait_text(d->vt, "Checked in:", DESK_STEP_MS);
		last_byte_ms(d->vt, 30);
		for (int i = 0; good && i < PER_ROUND; i++)
			good = scan_one(d->vt, codes[i], back, st, false);
	}
	return good;
}

static void scan_figures(struct desk *d, struct scan_stats *st, double floor_ms, bool good)
{
	char value[256];
	struct bench_samples *s = &st->checkout_ms;
	if (!good || s->n < 200) {
		bench_figure_missing("scan-to-screen checkout p99", "the scans did not all complete",
				     "<= 10 ms");
		return;
	}
	bench_samples_print(s, "scan to screen, checkout");
	double p50 = bench_samples_quantile(s, 0.5), p99 = bench_samples_quantile(s, 0.99);
	snprintf(value, sizeof value, "%.2f ms (p50 %.2f, p90 %.2f, max %.2f, n %zu)", p99, p50,
		 bench_samples_quantile(s, 0.9), bench_samples_max(s), s->n);
	bench_figure("scan-to-screen checkout p99", value, "<= 10 ms", p99 <= 10.0);
	if (floor_ms > 0) {
		snprintf(value, sizeof value, "%.2fx (p50 %.2f ms / floor %.2f ms)", p50 / floor_ms,
			 p50, floor_ms);
		bench_figure("scan-to-screen checkout p50 / floor", value, "<= 2x",
			     p50 <= 2.0 * floor_ms);
	}
	snprintf(value, sizeof value, "%zu average, %zu most (%zu scans)", st->bytes / st->scans,
		 st->most, st->scans);
	bench_figure("bytes to the terminal per scan, 80x24", value, "<= 400", st->most <= 400);
	long kb = status_kb(vt_pid(d->vt), "VmRSS");
	long anon = status_kb(vt_pid(d->vt), "RssAnon");
	long floor_kb = rss_floor_kb();
	/* The rest is pages of shared libraries, shared with every other
	 * program that maps them; the floor is what those libraries take in a
	 * program that only starts them. */
	char floor_text[96] = "";
	if (floor_kb > 0)
		snprintf(floor_text, sizeof floor_text,
			 "; its libraries alone: %.1f MB, balie above them: %.1f MB",
			 (double)floor_kb / 1024.0, (double)(kb - floor_kb) / 1024.0);
	snprintf(value, sizeof value, "%.1f MB after %zu scans (RssAnon %.1f MB%s)",
		 (double)kb / 1024.0, st->scans + PRELOAD + BURST, (double)anon / 1024.0,
		 floor_text);
	bench_figure("balie resident memory (VmRSS)", value, "<= 8 MB",
		     kb > 0 && kb <= 8 * 1024);
}

/* The time (ms) pid has run on a CPU and waited for one, from the
 * scheduler's statistics: on a machine shared with other work the wall
 * time of a start says little without them. */
static bool sched_ms(pid_t pid, double *on_cpu, double *waiting)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
	FILE *f = fopen(path, "r");
	unsigned long long run = 0, wait = 0;
	bool got = f && fscanf(f, "%llu %llu", &run, &wait) == 2;
	if (f)
		fclose(f);
	*on_cpu = (double)run / 1e6;
	*waiting = (double)wait / 1e6;
	return got;
}

static struct bench_samples start_cpu, start_wait;

/* Starts balie once with --server and returns the time to the last byte of
 * its login screen, or -1. */
static double start_once(const char *home, const char *url)
{
	char *err = NULL;
	char **envp = tuienv_envp_new(&(struct tuienv_opts){ .home = home, .lang = "C.UTF-8" });
	const char *argv[] = { tuienv_balie(), "--server", url, NULL };
	double t0 = bench_now_ms();
	struct vt *vt = vt_spawn(&(struct vt_spawn){ .argv = argv, .envp = envp }, &err);
	/* The login screen is whole when the service's branches are on it
	 * (the training hint comes with them). */
	bool shown = vt && vt_wait_text(vt, "Log in to balie", DESK_START_MS) &&
		     vt_wait_text(vt, "oefenen", DESK_STEP_MS);
	double ms = shown ? last_byte_ms(vt, 50) - t0 : -1.0;
	double cpu, wait;
	if (shown && sched_ms(vt_pid(vt), &cpu, &wait)) {
		bench_samples_add(&start_cpu, cpu);
		bench_samples_add(&start_wait, wait);
	}
	if (vt)
		vt_close(vt);
	else
		printf("# %s\n", err);
	free(err);
	tuienv_envp_free(envp);
	return ms;
}

/* Start-up to the login screen, STARTS times, with the service running and
 * the desk's home (its journal) kept from one start to the next, as at a
 * desk that has been used before; the very first start (which creates the
 * journal) is shown apart. */
static void bench_start(void)
{
	struct harness h;
	char *err = NULL;
	char *home = tuienv_home_new(&err);
	if (!home || !harness_start(&h, &(struct harness_opts){ .training = true,
								.unix_socket = true })) {
		bench_figure_missing("start to the login screen", "balied did not start",
				     "<= 50 ms");
		free(err);
		free(home);
		return;
	}
	struct bench_samples ms = {0};
	double first = start_once(home, h.url);
	bench_samples_free(&start_cpu);
	bench_samples_free(&start_wait);
	for (int i = 0; first >= 0 && i < STARTS; i++) {
		double one = start_once(home, h.url);
		if (one < 0)
			break;
		bench_samples_add(&ms, one);
	}
	tuienv_strays(home, 2000);
	tuienv_home_remove(home);
	free(home);
	harness_cleanup(&h);
	if (ms.n < STARTS) {
		bench_figure_missing("start to the login screen", "balie did not show the login screen",
				     "<= 50 ms");
	} else {
		printf("# the first start (a new journal): %.1f ms\n", first);
		bench_samples_print(&ms, "start to login screen");
		bench_samples_print(&start_cpu, "  of it balie on a CPU");
		bench_samples_print(&start_wait, "  balie waiting for one");
		double p50 = bench_samples_quantile(&ms, 0.5);
		char value[160];
		snprintf(value, sizeof value, "%.1f ms median (max %.1f, %zu starts; on a CPU %.1f, "
			 "waiting for a CPU %.1f)", p50, bench_samples_max(&ms), ms.n,
			 bench_samples_quantile(&start_cpu, 0.5),
			 bench_samples_quantile(&start_wait, 0.5));
		bench_figure("start to the login screen (--server)", value, "<= 50 ms", p50 <= 50.0);
	}
	bench_samples_free(&ms);
	bench_samples_free(&start_cpu);
	bench_samples_free(&start_wait);
}

int main(int argc, char **argv)
{
	double floor_ms = 0.0;
	bool start_only = argc == 2 && strcmp(argv[1], "--start-only") == 0;
	if (argc == 3 && strcmp(argv[1], "--floor") == 0)
		floor_ms = strtod(argv[2], NULL);
	else if (argc != 1 && !start_only) {
		fprintf(stderr, "usage: bench-desk [--floor MS | --start-only]\n");
		return 2;
	}
	if (!tuienv_balie() || !tuienv_balied()) {
		printf("# BALIE and BALIED must name the built programs\n");
		return 1;
	}
	const char *slash = strrchr(argv[0], '/');
	snprintf(rss_floor_path, sizeof rss_floor_path, "%.*sbench-rss-floor",
		 slash ? (int)(slash - argv[0] + 1) : 0, argv[0]);
	bench_start();
	if (start_only)
		return 0;
	struct circref *cr = circref_start(BRANCH);
	if (!cr)
		return 1;
	char **loaned = NULL;
	size_t n_loaned = circref_loaned_items(cr, 1, 40, &loaned);
	struct circ_patron *pat[2] = {NULL, NULL};
	char codes[PER_ROUND][15];
	int status = 1;
	if (n_loaned < PRELOAD + BURST || circref_pick_patrons(cr, PER_ROUND, pat, 2) != 2 ||
	    circref_pick_items(cr, codes, PER_ROUND) != PER_ROUND) {
		printf("# the demo data has not the loans, patrons or items the bench needs\n");
		goto out;
	}
	struct desk *d = circref_desk(BRANCH, "C.UTF-8", NULL, NULL);
	if (!d)
		goto out;
	bench_burst(d, loaned);
	struct scan_stats st = {0};
	bool good = bench_scans(d, pat, codes, &st);
	scan_figures(d, &st, floor_ms, good);
	bench_samples_free(&st.checkout_ms);
	status = desk_stop(d) && good ? 0 : 1;
out:
	for (size_t i = 0; i < n_loaned; i++)
		free(loaned[i]);
	free(loaned);
	circ_patron_free(pat[0]);
	circ_patron_free(pat[1]);
	if (!circref_stop(cr))
		status = 1;
	return status;
}
