/* balied serves HTTPS itself (tls_cert, tls_key in balied.conf) with a
 * certificate from a test CA made with openssl ($OPENSSL) at test time: the
 * client library reaches it with ca_file, and refuses it without (an
 * untrusted certificate) and by another name (a wrong host name), with a
 * message that says so. A missing or mismatched key stops balied with a
 * message naming the problem. */
#include "harness.h"
#include "testca.h"
#include "core/jsonx.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/balie-test-tls-service-XXXXXX";

static bool mentions_certificate(const struct api_reply *r)
{
	return r && r->failure && (strstr(r->failure, "certificate") || strstr(r->failure, "SSL"));
}

/* Starts balied with cert and key; false when it did not come up. */
static bool start(struct harness *h, const char *cert, const char *key)
{
	char *conf = xasprintf("tls_cert = %s/%s\ntls_key = %s/%s\n", tmpdir, cert, tmpdir, key);
	struct harness_opts opts = { .training = true, .config_text = conf };
	bool up = harness_start(h, &opts);
	free(conf);
	return up;
}

static void test_served(void)
{
	struct harness h;
	if (!ok(start(&h, "server.pem", "server.key"), "balied starts with tls_cert and tls_key")) {
		harness_dump_log(&h);
		harness_cleanup(&h);
		return;
	}
	unsigned port = 0;
	ok(sscanf(h.url, "https://127.0.0.1:%u", &port) == 1,
	   "its ready line names an https URL (%s)", h.url);
	char *ca = xasprintf("%s/ca.pem", tmpdir);
	char *url = xasprintf("https://localhost:%u", port);

	struct api_reply *r = testca_health(url, ca);
	ok(r && r->outcome == API_OK && r->status == 200,
	   "with ca_file the desk reaches it by its name (%s)", r && r->failure ? r->failure : "");
	api_reply_free(r);

	/* The whole way: a login and a call with the token, over TLS. */
	char *err = NULL;
	struct api *api = api_new(url, ca, &err);
	r = api ? harness_login(api, "balie", "oefenen", "CEN") : NULL;
	ok(r && r->status == 201, "a desk logs in over HTTPS");
	const char *token = r ? jsonx_string(r->body, "token") : NULL;
	if (token)
		api_set_token(api, token);
	api_reply_free(r);
	r = api ? api_call(api, "GET", "/ido/catalog", NULL, NULL) : NULL;
	ok(r && r->status == 200, "and its calls are answered with the token");
	api_reply_free(r);
	api_free(api);
	free(err);

	r = testca_health(url, NULL);
	ok(r && r->outcome == API_UNREACHABLE && r->status == 0 && mentions_certificate(r),
	   "without ca_file the test CA is not trusted, and the failure says why (%s)",
	   r && r->failure ? r->failure : "");
	is_str(r ? api_reply_text(r) : NULL,
	       "The service's certificate is not trusted by this desk (see ca_file in balie.conf).",
	       "the desk says the certificate is not trusted");
	api_reply_free(r);

	char *by_address = xasprintf("https://127.0.0.1:%u", port);
	r = testca_health(by_address, ca);
	ok(r && r->outcome == API_UNREACHABLE && r->status == 0 && r->failure &&
		   (strstr(r->failure, "127.0.0.1") || strstr(r->failure, "name")),
	   "by a name the certificate does not hold it is refused, even with ca_file (%s)",
	   r && r->failure ? r->failure : "");
	is_str(r ? api_reply_text(r) : NULL,
	       "The service's certificate is for another name than the server in balie.conf.",
	       "the desk says the certificate is for another name");
	api_reply_free(r);
	free(by_address);

	/* Plain HTTP to the HTTPS port is no answer of ours. */
	char *plain = xasprintf("http://127.0.0.1:%u", port);
	r = testca_health(plain, NULL);
	ok(r && r->outcome != API_OK, "plain HTTP to the HTTPS port gets no answer");
	api_reply_free(r);
	free(plain);

	ok(harness_stop(&h) == 0, "balied stops cleanly");
	harness_cleanup(&h);
	free(url);
	free(ca);
}

static void test_refused_at_start(const char *cert, const char *key, const char *expect,
				  const char *what)
{
	struct harness h;
	bool up = start(&h, cert, key);
	char *log = NULL;
	if (!up) {
		FILE *f = fopen(h.log, "r");
		char buf[2048] = "";
		size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
		buf[n] = '\0';
		if (f)
			fclose(f);
		log = xstrdup(buf);
	}
	ok(!up && log && strstr(log, expect), "%s: balied does not start and says \"%s\"", what,
	   expect);
	if (up || !log || !strstr(log, expect))
		harness_dump_log(&h);
	free(log);
	harness_cleanup(&h);
}

int main(void)
{
	const char *openssl = getenv("OPENSSL");
	if (!openssl || !mkdtemp(tmpdir)) {
		ok(false, "OPENSSL is set and a temporary directory can be made");
		return tap_done();
	}
	if (ok(testca_make(openssl, tmpdir), "a test CA and a certificate for localhost")) {
		test_served();
		test_refused_at_start("server.pem", "missing.key", "missing.key",
				      "a key file that is not there");
		test_refused_at_start("server.pem", "other.key", "tls_key",
				      "a key that is not the certificate's");
		test_refused_at_start("san.ext", "server.key", "not a PEM file",
				      "a certificate that is not PEM");
	}
	testca_remove(tmpdir);
	return tap_done();
}
