#include "tap.h"

#include "sip2_fixture.h"

#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool sfx_kiosk(struct sfx *s, const char *user, const char *charset)
{
	char *out = NULL, *err = NULL;
	int rc = charset ? harness_run(&s->fx.h, SIP2_PASSWORD "\n", &out, &err, "user", "add",
				       user, "--role", "kiosk", "--branch", "CEN", "--charset",
				       charset, "--password-stdin", NULL)
			 : harness_run(&s->fx.h, SIP2_PASSWORD "\n", &out, &err, "user", "add",
				       user, "--role", "kiosk", "--branch", "CEN",
				       "--password-stdin", NULL);
	if (rc != 0)
		diag("user add %s: %s", user, err ? err : "");
	free(out);
	free(err);
	return rc == 0;
}

bool sfx_start(struct sfx *s, const char *extra_settings)
{
	memset(s, 0, sizeof *s);
	snprintf(s->bins, sizeof s->bins, "/tmp/balie-sip2-bins-XXXXXX");
	int fd = mkstemp(s->bins);
	if (fd < 0)
		return false;
	close(fd);
	if (!harness_write_file(s->bins, "shelve = 1\nhold_shelf = 2\ntransit = 3\n"
					 "transit_NRD = 4\n"))
		return false;
	/* The kiosks' Dutch comes from sip2_locale, not from the service's locale. */
	setenv("LC_ALL", "C.UTF-8", 1);
	char *settings = xasprintf("sip2_listen = 127.0.0.1:0\nsip2_sort_bins = %s\n%s", s->bins,
				   extra_settings ? extra_settings : "");
	bool started = fx_start_with(&s->fx, NULL, settings);
	free(settings);
	if (!started)
		return false;
	char *log = harness_log_dup(&s->fx.h);
	s->port = sip2c_port_from_log(log);
	free(log);
	if (!s->port) {
		diag("balied names no SIP2 port in its log");
		return false;
	}
	return sfx_kiosk(s, "kiosk1", NULL);
}

void sfx_finish(struct sfx *s, bool failed)
{
	unlink(s->bins);
	fx_finish(&s->fx, failed);
}

char *sfx_call(int fd, const char *msg, int seq)
{
	char *framed = sip2c_with_checksum_dup(msg, seq);
	char *answer = sip2c_call_dup(fd, framed);
	free(framed);
	if (!answer) {
		diag("no answer to %.2s", msg);
		return NULL;
	}
	char ay[8];
	snprintf(ay, sizeof ay, "AY%dAZ", seq);
	size_t n = strlen(answer);
	if (!sip2c_checksum_ok(answer) || n < 9 || strncmp(answer + n - 9, ay, 5) != 0) {
		diag("the answer %s has a wrong checksum or sequence number", answer);
		free(answer);
		return NULL;
	}
	return answer;
}
