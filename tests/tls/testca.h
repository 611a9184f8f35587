/* The test CA of the TLS tests: certificates made with openssl ($OPENSSL)
 * at test time, so that no key is kept in the tree and none outlives the
 * test (they are valid for 2 days). */
#ifndef BALIE_TEST_TESTCA_H
#define BALIE_TEST_TESTCA_H

#include "client/api.h"

#include <stdbool.h>

/*
 * Makes in dir (which exists):
 *   ca.pem, ca.key          a CA (CN balie-test-CA);
 *   server.pem, server.key  a certificate it signed for the name localhost
 *                           only (subjectAltName DNS:localhost);
 *   san.ext                 that extension, a file that is no certificate;
 *   other.pem, other.key    a self-signed certificate for localhost that no
 *                           CA signed (a key that does not match server.pem).
 * False when openssl failed (its messages are not shown).
 */
bool testca_make(const char *openssl, const char *dir);

/* GET /health of the service at url through a new api trusting ca_file
 * (NULL: the system's CAs); the reply (free with api_reply_free), or NULL
 * after a diagnostic when the api could not be made. */
struct api_reply *testca_health(const char *url, const char *ca_file);

/* Removes dir and everything in it; false when that failed. */
bool testca_remove(const char *dir);

#endif
