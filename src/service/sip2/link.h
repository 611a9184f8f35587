/* The byte stream of one kiosk connection: raw TCP, or TLS (GnuTLS, with
 * the PEM certificate and key files of sip2_tls_cert and sip2_tls_key, as
 * HTTPS has tls_cert and tls_key). Every read waits at most until a
 * deadline. */
#ifndef BALIED_SIP2_LINK_H
#define BALIED_SIP2_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/* The server's certificate, shared by every connection. */
struct sip2_tls;

/* Loads cert and key (PEM files); NULL and *err (allocated, translated). */
struct sip2_tls *sip2_tls_new(const char *cert, const char *key, char **err);
void sip2_tls_free(struct sip2_tls *tls);

struct sip2_link;

/* A link over fd (which it owns from now on); with tls, the handshake is
 * done first, within deadline_ms. NULL (fd closed, logged) when it fails. */
struct sip2_link *sip2_link_open(int fd, struct sip2_tls *tls, int deadline_ms,
				 const char *address);
/* Closes the connection and frees link. */
void sip2_link_close(struct sip2_link *link);
/* Ends a blocked read from another thread (at a stop). */
void sip2_link_shutdown(struct sip2_link *link);

/* Reads up to len bytes, waiting at most timeout_ms: >0 bytes read, 0 at
 * the end of the stream, -1 on an error, -2 when the time ran out. */
ssize_t sip2_link_read(struct sip2_link *link, char *buf, size_t len, int timeout_ms);
/* Writes all of buf; false when the connection failed. */
bool sip2_link_write(struct sip2_link *link, const char *buf, size_t len);

#endif
