/* "balied permission ...": granting and revoking the permissions of staff
 * accounts (permission.h), such as "override", from the command line. */
#ifndef BALIED_PERMISSIONCMD_H
#define BALIED_PERMISSIONCMD_H

#include "service/store/store.h"

/* Runs "permission grant|revoke USER PERMISSION" or "permission list";
 * argv[0] is "permission". Returns an exit status. */
int permissioncmd_main(struct store *store, int argc, char **argv);

#endif
