/* "balied items note": an item's note and its alert flag from the command
 * line (balied(8)), as PUT /items/{barcode}/note sets them. */
#ifndef BALIED_ITEMCMD_H
#define BALIED_ITEMCMD_H

#include "service/admin/admin.h"

/* "items note [--alert] BARCODE [TEXT]", a row of admin_commands (admin.h):
 * sets the note of the item (with --alert it is shown at check-in and
 * check-out until the desk acknowledges it); without TEXT the note goes.
 * 1 for an unknown barcode, 2 for a usage error. */
extern const struct admin_cmd itemcmd_entry;

#endif
