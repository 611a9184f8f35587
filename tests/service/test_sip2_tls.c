/* SIP2 over TLS (sip2_tls_cert, sip2_tls_key) with a certificate from the
 * test CA (tests/tls/testca.h, openssl at test time): a kiosk that trusts the
 * CA logs in and is answered over TLS, verifying the host name; a kiosk
 * speaking plain TCP to the TLS port is closed; a certificate without its
 * key stops balied with a message. */
#include "tap.h"

#include "sip2_fixture.h"
#include "testca.h"

#include "core/xalloc.h"

#include <gnutls/gnutls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/balie-test-sip2-tls-XXXXXX";

struct tls_kiosk {
	int fd;
	gnutls_session_t s;
	gnutls_certificate_credentials_t cred;
};

static bool tls_connect(struct tls_kiosk *k, unsigned port)
{
	char *ca = xasprintf("%s/ca.pem", tmpdir);
	k->fd = sip2c_connect(port);
	bool ok = k->fd >= 0 && gnutls_certificate_allocate_credentials(&k->cred) == 0 &&
		  gnutls_certificate_set_x509_trust_file(k->cred, ca, GNUTLS_X509_FMT_PEM) > 0 &&
		  gnutls_init(&k->s, GNUTLS_CLIENT) == 0 &&
		  gnutls_set_default_priority(k->s) == 0 &&
		  gnutls_credentials_set(k->s, GNUTLS_CRD_CERTIFICATE, k->cred) == 0;
	free(ca);
	if (!ok)
		return false;
	gnutls_server_name_set(k->s, GNUTLS_NAME_DNS, "localhost", strlen("localhost"));
	gnutls_session_set_verify_cert(k->s, "localhost", 0);
	gnutls_transport_set_int(k->s, k->fd);
	gnutls_handshake_set_timeout(k->s, 10000);
	int rc;
	do
		rc = gnutls_handshake(k->s);
	while (rc < 0 && !gnutls_error_is_fatal(rc));
	if (rc < 0)
		diag("TLS handshake: %s", gnutls_strerror(rc));
	return rc == 0;
}

/* Sends msg and its CR; the answer to its CR (allocated) or NULL. */
static char *tls_call(struct tls_kiosk *k, const char *msg)
{
	char *line = xasprintf("%s\r", msg);
	bool sent = gnutls_record_send(k->s, line, strlen(line)) == (ssize_t)strlen(line);
	free(line);
	char buf[1024];
	size_t n = 0;
	while (sent && n + 1 < sizeof buf) {
		ssize_t r = gnutls_record_recv(k->s, buf + n, 1);
		if (r <= 0)
			return NULL;
		if (buf[n] == '\r') {
			buf[n] = '\0';
			return xstrdup(buf);
		}
		n++;
	}
	return NULL;
}

static void tls_close(struct tls_kiosk *k)
{
	if (k->s)
		gnutls_deinit(k->s);
	if (k->cred)
		gnutls_certificate_free_credentials(k->cred);
	if (k->fd >= 0)
		close(k->fd);
}

static void test_served(void)
{
	char *conf = xasprintf("sip2_tls_cert = %s/server.pem\nsip2_tls_key = %s/server.key\n",
			       tmpdir, tmpdir);
	struct sfx s;
	bool up = sfx_start(&s, conf);
	free(conf);
	if (!ok(up, "balied starts with sip2_tls_cert and sip2_tls_key")) {
		sfx_finish(&s, true);
		return;
	}
	char *log = harness_log_dup(&s.fx.h);
	ok(strstr(log, "sip2: listening on 127.0.0.1:") && strstr(log, "(TLS)"),
	   "its log says SIP2 is served over TLS");
	free(log);
	struct tls_kiosk k = { .fd = -1 };
	ok(tls_connect(&k, s.port), "a kiosk trusting the CA makes a TLS connection to localhost");
	char *a = tls_call(&k, "9300CNkiosk1|CO" SIP2_PASSWORD "|CPCEN|");
	is_str(a, "941", "it logs in over TLS");
	free(a);
	a = tls_call(&k, "9900302.00");
	ok(a && strncmp(a, "98YYYY", 6) == 0, "and is answered (%s)", a ? a : "");
	free(a);
	tls_close(&k);

	int fd = sip2c_connect(s.port);
	bool closed = false;
	ok(sip2c_send(fd, "9300CNkiosk1|CO" SIP2_PASSWORD "|CPCEN|") &&
		   !sip2c_read_dup(fd, 15000, &closed) && closed,
	   "plain TCP to the TLS port: no answer, the connection closed");
	close(fd);
	sfx_finish(&s, false);
}

static void test_refused(void)
{
	char *conf = xasprintf("sip2_tls_cert = %s/server.pem\n", tmpdir);
	struct sfx s;
	bool up = sfx_start(&s, conf);
	free(conf);
	ok(!up, "sip2_tls_cert without sip2_tls_key: balied does not start");
	char *log = harness_log_dup(&s.fx.h);
	ok(strstr(log, "sip2_tls_cert and sip2_tls_key go together") != NULL,
	   "and says why");
	free(log);
	sfx_finish(&s, false);
}

int main(void)
{
	const char *openssl = getenv("OPENSSL");
	if (!ok(mkdtemp(tmpdir) && openssl && testca_make(openssl, tmpdir),
		"a test CA and a certificate for localhost")) {
		return tap_done();
	}
	test_served();
	test_refused();
	testca_remove(tmpdir);
	return tap_done();
}
