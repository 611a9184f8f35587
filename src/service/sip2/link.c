#include "service/sip2/link.h"

#include "core/i18n.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <errno.h>
#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

struct sip2_tls {
	gnutls_certificate_credentials_t cred;
};

struct sip2_link {
	int fd;
	gnutls_session_t tls; /* NULL for raw TCP */
};

struct sip2_tls *sip2_tls_new(const char *cert, const char *key, char **err)
{
	struct sip2_tls *t = xcalloc(1, sizeof *t);
	int rc = gnutls_certificate_allocate_credentials(&t->cred);
	if (rc == GNUTLS_E_SUCCESS)
		rc = gnutls_certificate_set_x509_key_file(t->cred, cert, key, GNUTLS_X509_FMT_PEM);
	if (rc != GNUTLS_E_SUCCESS) {
		*err = xasprintf(_("cannot read sip2_tls_cert %s and sip2_tls_key %s: %s"), cert, key,
				 gnutls_strerror(rc));
		sip2_tls_free(t);
		return NULL;
	}
	return t;
}

void sip2_tls_free(struct sip2_tls *tls)
{
	if (!tls)
		return;
	if (tls->cred)
		gnutls_certificate_free_credentials(tls->cred);
	free(tls);
}

static bool handshake(struct sip2_link *l, struct sip2_tls *tls, int deadline_ms)
{
	if (gnutls_init(&l->tls, GNUTLS_SERVER) != GNUTLS_E_SUCCESS)
		return false;
	if (gnutls_set_default_priority(l->tls) != GNUTLS_E_SUCCESS ||
	    gnutls_credentials_set(l->tls, GNUTLS_CRD_CERTIFICATE, tls->cred) != GNUTLS_E_SUCCESS)
		return false;
	gnutls_transport_set_int(l->tls, l->fd);
	gnutls_handshake_set_timeout(l->tls, (unsigned)deadline_ms);
	int rc;
	do
		rc = gnutls_handshake(l->tls);
	while (rc < 0 && gnutls_error_is_fatal(rc) == 0);
	return rc == GNUTLS_E_SUCCESS;
}

struct sip2_link *sip2_link_open(int fd, struct sip2_tls *tls, int deadline_ms,
				 const char *address)
{
	struct sip2_link *l = xcalloc(1, sizeof *l);
	l->fd = fd;
	if (tls) {
		/* The handshake reads with a deadline of its own. */
		struct timeval tv = { deadline_ms / 1000, (deadline_ms % 1000) * 1000 };
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		if (!handshake(l, tls, deadline_ms)) {
			log_info("sip2: TLS handshake with %s failed: closing", address);
			sip2_link_close(l);
			return NULL;
		}
	}
	return l;
}

void sip2_link_close(struct sip2_link *link)
{
	if (!link)
		return;
	if (link->tls) {
		gnutls_bye(link->tls, GNUTLS_SHUT_WR);
		gnutls_deinit(link->tls);
	}
	close(link->fd);
	free(link);
}

void sip2_link_shutdown(struct sip2_link *link)
{
	shutdown(link->fd, SHUT_RDWR);
}

ssize_t sip2_link_read(struct sip2_link *link, char *buf, size_t len, int timeout_ms)
{
	if (!link->tls || gnutls_record_check_pending(link->tls) == 0) {
		struct pollfd p = { .fd = link->fd, .events = POLLIN };
		int rc;
		do
			rc = poll(&p, 1, timeout_ms);
		while (rc < 0 && errno == EINTR);
		if (rc == 0)
			return -2;
		if (rc < 0)
			return -1;
	}
	if (!link->tls) {
		ssize_t n;
		do
			n = recv(link->fd, buf, len, 0);
		while (n < 0 && errno == EINTR);
		/* A kiosk that writes a message and its CR apart waits (Nagle) for
		 * the ACK of the first part: acknowledge at once, every time (the
		 * option does not stay set). */
		int one = 1;
		setsockopt(link->fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
		return n < 0 ? -1 : n;
	}
	ssize_t n;
	do
		n = gnutls_record_recv(link->tls, buf, len);
	while (n == GNUTLS_E_INTERRUPTED);
	/* GNUTLS_E_AGAIN: half a record, and the socket's timeout ran out. */
	return n == GNUTLS_E_AGAIN ? -2 : n < 0 ? -1 : n;
}

bool sip2_link_write(struct sip2_link *link, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = link->tls ? gnutls_record_send(link->tls, buf, len)
				      : send(link->fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && (n == GNUTLS_E_INTERRUPTED || n == GNUTLS_E_AGAIN ||
			      (!link->tls && errno == EINTR)))
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}
