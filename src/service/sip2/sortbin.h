/* The sort bins of a return machine's sorter (CL of a check-in answer):
 * a file of "key = bin" lines (balied-sip2(7)): shelve, hold_shelf,
 * transit, and transit_BRANCH for items in transit to one branch. A route
 * with no bin in the file gets no CL. */
#ifndef BALIED_SIP2_SORTBIN_H
#define BALIED_SIP2_SORTBIN_H

#include "service/domain/circulation.h"

struct sip2_sortbins;

/* Reads the file at path; NULL path: an empty table. NULL and *err
 * (allocated, translated, "FILE:LINE: reason") on a bad file. */
struct sip2_sortbins *sip2_sortbins_read(const char *path, char **err);
void sip2_sortbins_free(struct sip2_sortbins *bins);

/* The bin for a route (branch: the destination of a transit), or NULL. */
const char *sip2_sortbin_for(const struct sip2_sortbins *bins, enum circ_route_action route,
			     const char *branch);

#endif
