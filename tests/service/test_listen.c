/* balied's listen address: a port outside 0..65535 is refused instead of
 * wrapping to another port, from the command line and from the config file,
 * where the error names the file and the line, before the database is
 * opened. A time zone the system does not know is refused the same way. */
#include "tap.h"

#include "harness.h"
#include "core/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void refused(struct harness *h, const char *what, const char *want, ...)
	__attribute__((sentinel));

/* Runs balied with the arguments after want; it must exit 2 or 1 with want in
 * its error, never listen, and leave no database behind. */
static void refused(struct harness *h, const char *what, const char *want, ...)
{
	const char *args[8] = {0};
	va_list ap;
	va_start(ap, want);
	for (size_t i = 0; i < 7 && (args[i] = va_arg(ap, const char *)) != NULL; i++)
		;
	va_end(ap);
	char *out = NULL, *err = NULL;
	unlink(h->db);
	int status = harness_run(h, NULL, &out, &err, "--training", args[0], args[1], args[2],
				 args[3], args[4], args[5], args[6], (char *)NULL);
	ok(status != 0 && status != -1 && strstr(err, want) != NULL,
	   "%s: refused (exit %d) with \"%s\": %s", what, status, want, err);
	ok(!strstr(out, "listening"), "%s: never listens", what);
	ok(access(h->db, F_OK) != 0, "%s: the database is not opened", what);
	free(out);
	free(err);
}

int main(void)
{
	struct harness h;
	if (!ok(harness_init(&h, NULL), "a directory for balied"))
		return tap_done();
	refused(&h, "--listen 127.0.0.1:70000", "port 70000 is not in 0..65535", "--listen",
		"127.0.0.1:70000", (char *)NULL);
	refused(&h, "--listen [::1]:65536", "port 65536 is not in 0..65535", "--listen",
		"[::1]:65536", (char *)NULL);
	refused(&h, "--listen 127.0.0.1", "\"127.0.0.1\" is not ADDRESS:PORT", "--listen",
		"127.0.0.1", (char *)NULL);
	refused(&h, "--listen 127.0.0.1:80x", "\"127.0.0.1:80x\" is not ADDRESS:PORT", "--listen",
		"127.0.0.1:80x", (char *)NULL);

	h.config = xasprintf("%s/balied.conf", h.dir);
	ok(harness_write_file(h.config, "# the service\nlog_level = info\nlisten = 127.0.0.1:99999\n"),
	   "a config file with listen = 127.0.0.1:99999 on line 3");
	char *want = xasprintf("%s:3: port 99999 is not in 0..65535", h.config);
	refused(&h, "listen = 127.0.0.1:99999 in the file", want, (char *)NULL);
	free(want);

	ok(harness_write_file(h.config, "log_level = info\ntimezone = Pacific/Kiritimatii\n"),
	   "a config file with timezone = Pacific/Kiritimatii (no such zone) on line 2");
	want = xasprintf("%s:2: \"Pacific/Kiritimatii\" is not a time zone this system knows",
			 h.config);
	refused(&h, "timezone = Pacific/Kiritimatii", want, (char *)NULL);
	free(want);
	ok(harness_write_file(h.config, "timezone = ../../etc/passwd\n"), "timezone = ../../etc/passwd");
	want = xasprintf("%s:1: \"../../etc/passwd\" is not a time zone", h.config);
	refused(&h, "a path for a zone", want, (char *)NULL);
	free(want);

	/* The edge is accepted (the harness then listens on port 0: any free one). */
	ok(harness_write_file(h.config, "listen = 127.0.0.1:65535\ntimezone = Pacific/Kiritimati\n"),
	   "a config file with port 65535 and a real zone, Pacific/Kiritimati");
	ok(harness_launch(&h, NULL), "port 65535 in the file is a port: balied starts");
	ok(strncmp(h.url, "http://127.0.0.1:", 17) == 0 && strcmp(h.url, "http://127.0.0.1:0") != 0,
	   "--listen 127.0.0.1:0 listens on the free port it got: %s", h.url);
	ok(harness_stop(&h) == 0, "balied stops cleanly");
	harness_cleanup(&h);
	return tap_done();
}
