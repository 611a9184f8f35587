/* The real desk against a balied that serves HTTPS itself with a
 * certificate from a test CA made by openssl at test time: with ca_file in
 * balie.conf it shows the branches, logs in and names the staff member;
 * without it, or by a name the certificate does not hold, it says it has no
 * connection and never shows the service's data. */
#include "desk.h"
#include "harness.h"
#include "tap.h"
#include "testca.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char tmpdir[] = "/tmp/balie-test-tls-desk-XXXXXX";

static struct desk *start_desk(const char *url, bool with_ca)
{
	char *conf = xasprintf("server = %s\n%s%s%sbranch = CEN\nterminal = balie-tls\n", url,
			       with_ca ? "ca_file = " : "", with_ca ? tmpdir : "",
			       with_ca ? "/ca.pem\n" : "");
	struct desk_file files[] = { { ".config/balie/balie.conf", conf }, { NULL, NULL } };
	struct desk *d = desk_start(&(struct desk_opts){ .lang = "C.UTF-8", .files = files });
	free(conf);
	return d;
}

static void test_trusted(unsigned port)
{
	char *url = xasprintf("https://localhost:%u", port);
	struct desk *d = start_desk(url, true);
	if (ok(d != NULL, "balie starts with server %s and ca_file", url)) {
		bool up = ok(vt_wait_text(d->vt, "Centrale Bibliotheek", DESK_START_MS),
			     "the login screen shows the branches it got over HTTPS");
		if (up && desk_type_login(d, "balie", "oefenen"))
			ok(vt_wait_text(d->vt, "Sanne de Vries", DESK_STEP_MS),
			   "logged in over HTTPS, the top line names the staff member");
		else
			vt_dump(d->vt, stdout);
		desk_stop(d);
	}
	free(url);
}

static void test_refused(const char *url, bool with_ca, const char *what, const char *words)
{
	struct desk *d = start_desk(url, with_ca);
	if (!ok(d != NULL, "balie starts (%s)", what))
		return;
	ok(vt_wait_text(d->vt, "no connection", DESK_START_MS), "%s: the desk says no connection",
	   what);
	ok(!vt_find(d->vt, "Centrale Bibliotheek", NULL, NULL),
	   "%s: nothing of the service is shown", what);
	if (!ok(vt_wait_text(d->vt, words, DESK_STEP_MS), "%s: the login screen says \"%s\"", what,
		words))
		vt_dump(d->vt, stdout);
	desk_stop(d);
}

int main(void)
{
	const char *openssl = getenv("OPENSSL");
	if (!openssl || !mkdtemp(tmpdir) || !ok(testca_make(openssl, tmpdir), "a test CA and a certificate for localhost"))
		return tap_done();
	char *conf = xasprintf("tls_cert = %s/server.pem\ntls_key = %s/server.key\n", tmpdir, tmpdir);
	struct harness h;
	struct harness_opts opts = { .training = true, .config_text = conf };
	unsigned port = 0;
	if (ok(harness_start(&h, &opts) && sscanf(h.url, "https://127.0.0.1:%u", &port) == 1,
	       "balied serves HTTPS (%s)", h.url)) {
		test_trusted(port);
		char *url = xasprintf("https://localhost:%u", port);
		test_refused(url, false, "a CA the system does not trust", "not trusted");
		free(url);
		url = xasprintf("https://127.0.0.1:%u", port);
		test_refused(url, true, "a name the certificate does not hold", "name than the server");
		free(url);
		ok(harness_stop(&h) == 0, "balied stops cleanly");
	}
	harness_cleanup(&h);
	free(conf);
	if (!testca_remove(tmpdir))
		diag("could not remove %s", tmpdir);
	return tap_done();
}
