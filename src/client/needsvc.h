/* What the desk says when something that needs the service meets a desk
 * without it (DESIGN.md section 4, Offline): offline it takes check-outs,
 * check-ins and IDO questions into its journal, but a lookup, an enrolment,
 * a renewal or the IDO statistics need the service. Each says so plainly,
 * in a sentence that names the action, and keeps what was typed. */
#ifndef BALIE_NEEDSVC_H
#define BALIE_NEEDSVC_H

#include "client/api.h"

#include <stdbool.h>

struct outbox;

/* True when the desk is known to be offline (o may be NULL: never). */
bool needsvc_down(const struct outbox *o);
/* True for a reply that found no service: offline already, no connection,
 * no answer in time, a 5xx, a certificate or handshake problem. */
bool needsvc_reply(const struct api_reply *reply);
/* sentence (translated, naming the action), and for a certificate or
 * handshake problem its own words after it, because then it is not the
 * line but the set-up that needs someone. reply may be NULL. Allocated. */
char *needsvc_text_dup(const char *sentence, const struct api_reply *reply);

#endif
