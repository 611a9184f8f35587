/* What the training service itself says, asked directly through the client
 * library: the tests compare the desk's screen with it instead of copying
 * demo names into the tests. */
#ifndef BALIE_TUI_REF_H
#define BALIE_TUI_REF_H

#include <stdbool.h>

struct ref_training {
	char *branch_code;  /* the first branch of GET /branches */
	char *branch_name;
	char *staff_name;   /* of the account username, from POST /session */
	char *staff_branch;
};

/* Starts a private balied --training (BALIED) in a fresh temporary
 * directory, logs in as username/password at the first branch, stops it.
 * False, after a diagnostic saying why, when that fails. */
bool ref_training_ask(const char *username, const char *password, struct ref_training *ref);
void ref_training_free(struct ref_training *ref);

#endif
