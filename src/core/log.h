/* Logging to stderr with a level. Never log a password, token or card number. */
#ifndef BALIE_LOG_H
#define BALIE_LOG_H

#include "core/xalloc.h"

#include <stdbool.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_set_level(enum log_level level);
/* Parses "error", "warn", "info" or "debug"; false for anything else. */
bool log_level_parse(const char *name, enum log_level *out);
void log_msg(enum log_level level, const char *fmt, ...) ATTR_FORMAT(2, 3);

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
