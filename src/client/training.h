/* The training environment: with no service configured, balie starts its own
 * private balied in training mode on a Unix socket (DESIGN.md, the
 * introduction) and stops it when the desk closes. */
#ifndef BALIE_TRAINING_H
#define BALIE_TRAINING_H

#include <stdbool.h>
#include <sys/types.h>

struct training;

/*
 * Starts "balied --training --socket <dir>/balied.sock --db
 * $XDG_DATA_HOME/balie/training.db", where <dir> is a fresh private directory
 * under $XDG_RUNTIME_DIR (or /tmp), and waits up to ten seconds for its ready
 * line. balied's own messages go to $XDG_STATE_HOME/balie/training.log.
 * balied_path is the program to run, or NULL to search: $BALIED, then balied
 * next to the running program, then the installed one. Returns NULL and sets
 * *err (allocated, translated) on failure; the error names the log file.
 * Free with training_stop.
 */
struct training *training_start(const char *balied_path, char **err);

/* The server URL to give api_new: "unix:/path/to/balied.sock". */
const char *training_url(const struct training *t);
/* The file that holds balied's messages. */
const char *training_log_path(const struct training *t);
/* The process id of the running balied. */
pid_t training_pid(const struct training *t);

/* Stops balied (SIGTERM; SIGKILL when it has not ended within five seconds),
 * removes the socket directory and frees t. Returns false when balied had to
 * be killed or ended with an error. */
bool training_stop(struct training *t);

/* The balied that training_start would run for balied_path, newly allocated. */
char *training_find_balied(const char *balied_path);

#endif
