/* "balied ido-catalog ...": a library changes the pick lists of the IDO
 * question log from the administrator's terminal. A retired entry stays in
 * the old questions and the statistics but cannot be chosen any more. */
#ifndef BALIED_IDOCMD_H
#define BALIED_IDOCMD_H

#include "service/admin/admin.h"

/* "ido-catalog list [LIST] | add LIST CODE LABEL | retire LIST CODE |
 * restore LIST CODE", a row of admin_commands (admin.h). */
extern const struct admin_cmd idocmd_entry;

#endif
