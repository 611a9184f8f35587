/* Renew all on the patron screen (balie(1)): every loan of the patron
 * shown is renewed at once (POST /renewals/all); each loan's line then says
 * its new due date, or why it was not renewed, and the message counts both. */
#ifndef BALIE_PATRON_RENEW_ALL_H
#define BALIE_PATRON_RENEW_ALL_H

#include "ui/screens/patron.h"

/* Sends the renewal of every loan of the patron shown; says so when no
 * patron with loans is open. */
void patron_renew_all_start(struct patron *p);

#endif
