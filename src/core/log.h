/* Logging to standard error, one line an event: plain text ("TIME LEVEL
 * message key=value ...", the desk's), logfmt (time=... level=... msg=...
 * key=value, balied's default, for journald) or one JSON object a line.
 * Never log a password, token, name, address, note or whole card
 * number (core/redact.h shows a card by its last 4 digits). */
#ifndef BALIE_LOG_H
#define BALIE_LOG_H

#include "core/xalloc.h"

#include <stdbool.h>
#include <stddef.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };
enum log_format { LOG_FORMAT_PLAIN, LOG_FORMAT_LOGFMT, LOG_FORMAT_JSON };

void log_set_level(enum log_level level);
/* Parses "error", "warn", "info" or "debug"; false for anything else. */
bool log_level_parse(const char *name, enum log_level *out);
/* Set once, before any thread logs. */
void log_set_format(enum log_format format);
/* Parses "logfmt" or "json" (plain is the desk's alone); false for anything else. */
bool log_format_parse(const char *name, enum log_format *out);

/* A line whose message is the formatted text. */
void log_msg(enum log_level level, const char *fmt, ...) ATTR_FORMAT(2, 3);

/* One field of a structured line: text, or a number (written with %g). */
struct log_field {
	const char *key; /* letters, digits and '_' */
	const char *text;
	double number;
	bool is_number;
};
#define LOG_TEXT(k, v) ((struct log_field){ .key = (k), .text = (v) })
#define LOG_NUMBER(k, v) ((struct log_field){ .key = (k), .number = (v), .is_number = true })

/* A line with the message msg and the n fields after it, in their order. */
void log_fields(enum log_level level, const char *msg, const struct log_field *fields,
		size_t n);

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
