/* What the SIP2 tests share: the circulation fixture's balied with a SIP2
 * listener, sort bins and kiosk accounts, in Dutch. Include tap.h first. */
#ifndef BALIE_TEST_SIP2_FIXTURE_H
#define BALIE_TEST_SIP2_FIXTURE_H

#include "circ_fixture.h"
#include "sip2_client.h"

#define SIP2_PASSWORD "kiosk-wachtwoord"

struct sfx {
	struct fx fx;
	unsigned port;
	char bins[96]; /* the sort bin file */
};

/* Starts the fixture with sip2_listen on a free port, the sort bins
 * shelve 1, hold_shelf 2, transit 3, transit_NRD 4, extra settings (may be
 * NULL), with balied in LC_ALL=C.UTF-8 (the Dutch is sip2_locale's); adds
 * the kiosk account kiosk1 (UTF-8) at CEN. False with a TAP comment when it cannot. */
bool sfx_start(struct sfx *s, const char *extra_settings);
/* Adds a kiosk account with SIP2_PASSWORD, its charset (NULL: none given). */
bool sfx_kiosk(struct sfx *s, const char *user, const char *charset);
void sfx_finish(struct sfx *s, bool failed);

/* Sends msg with AY seq and AZ, checks the answer's checksum and its AY;
 * returns the answer (allocated) or NULL. */
char *sfx_call(int fd, const char *msg, int seq);

#endif
