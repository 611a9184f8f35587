#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* A message is cut at LOG_TEXT_MAX bytes; the line has room for it escaped
 * (at most 6 bytes a byte) and the fields, so that a JSON line is never cut
 * in the middle of a string. */
enum { LOG_TEXT_MAX = 2048, LOG_LINE_MAX = 7 * LOG_TEXT_MAX + 2048 };

static enum log_level current_level = LOG_INFO;
static enum log_format current_format = LOG_FORMAT_PLAIN;
static const char *const level_names[] = { "error", "warn", "info", "debug" };
/* In the order of enum log_format after PLAIN. */
static const char *const format_names[] = { "logfmt", "json" };

void log_set_level(enum log_level level)
{
	current_level = level;
}

static bool name_index(const char *name, const char *const *names, size_t n, size_t *out)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(name, names[i]) == 0) {
			*out = i;
			return true;
		}
	}
	return false;
}

bool log_level_parse(const char *name, enum log_level *out)
{
	size_t i;
	if (!name_index(name, level_names, sizeof level_names / sizeof *level_names, &i))
		return false;
	*out = (enum log_level)i;
	return true;
}

void log_set_format(enum log_format format)
{
	current_format = format;
}

bool log_format_parse(const char *name, enum log_format *out)
{
	size_t i;
	if (!name_index(name, format_names, sizeof format_names / sizeof *format_names, &i))
		return false;
	*out = (enum log_format)(i + 1);
	return true;
}

/* A line under construction; what does not fit is cut (the line end always
 * fits). */
struct line {
	char text[LOG_LINE_MAX];
	size_t len;
};

static void put(struct line *l, const char *s, size_t n)
{
	size_t room = sizeof l->text - 2 - l->len; /* the line end and NUL */
	if (n > room)
		n = room;
	memcpy(l->text + l->len, s, n);
	l->len += n;
}

static void puts_(struct line *l, const char *s)
{
	put(l, s, strlen(s));
}

/* A value that needs quotes in logfmt: empty, or with a space, quote,
 * '=' or control character. */
static bool needs_quotes(const char *v)
{
	if (!*v)
		return true;
	for (const unsigned char *c = (const unsigned char *)v; *c; c++)
		if (*c <= ' ' || *c == '"' || *c == '=' || *c == '\\' || *c == 0x7f)
			return true;
	return false;
}

/* v between quotes with JSON's escapes, which logfmt readers take too. */
static void put_quoted(struct line *l, const char *v)
{
	put(l, "\"", 1);
	for (const unsigned char *c = (const unsigned char *)v; *c; c++) {
		char esc[8];
		if (*c == '"' || *c == '\\') {
			esc[0] = '\\', esc[1] = (char)*c, esc[2] = '\0';
		} else if (*c == '\n') {
			strcpy(esc, "\\n");
		} else if (*c == '\t') {
			strcpy(esc, "\\t");
		} else if (*c < ' ' || *c == 0x7f) {
			snprintf(esc, sizeof esc, "\\u%04x", *c);
		} else {
			put(l, (const char *)c, 1);
			continue;
		}
		puts_(l, esc);
	}
	put(l, "\"", 1);
}

static void put_field(struct line *l, const struct log_field *f, bool first)
{
	bool json = current_format == LOG_FORMAT_JSON;
	if (json) {
		puts_(l, first ? "{\"" : ",\"");
		puts_(l, f->key);
		puts_(l, "\":");
	} else {
		if (!first)
			put(l, " ", 1);
		puts_(l, f->key);
		put(l, "=", 1);
	}
	if (f->is_number) {
		char num[32];
		snprintf(num, sizeof num, "%g", f->number);
		puts_(l, num);
	} else if (json || needs_quotes(f->text ? f->text : "")) {
		put_quoted(l, f->text ? f->text : "");
	} else {
		puts_(l, f->text);
	}
}

static void now_rfc3339(char out[32])
{
	struct timespec now;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	char secs[24];
	strftime(secs, sizeof secs, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, 32, "%.20s.%03dZ", secs, (int)(now.tv_nsec / 1000000L) % 1000);
}

void log_fields(enum log_level level, const char *msg, const struct log_field *fields,
		size_t n)
{
	if (level > current_level)
		return;
	char stamp[32];
	now_rfc3339(stamp);
	struct line l = { .len = 0 };
	if (current_format == LOG_FORMAT_PLAIN) {
		puts_(&l, stamp);
		put(&l, " ", 1);
		puts_(&l, level_names[level]);
		put(&l, " ", 1);
		puts_(&l, msg);
	} else {
		put_field(&l, &LOG_TEXT("time", stamp), true);
		put_field(&l, &LOG_TEXT("level", level_names[level]), false);
		put_field(&l, &LOG_TEXT("msg", msg), false);
	}
	for (size_t i = 0; i < n; i++)
		put_field(&l, &fields[i], false);
	if (current_format == LOG_FORMAT_JSON)
		put(&l, "}", 1);
	/* One write per line so that lines of several threads do not interleave. */
	l.text[l.len++] = '\n';
	fwrite(l.text, 1, l.len, stderr);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	if (level > current_level)
		return;
	char text[LOG_TEXT_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	log_fields(level, text, NULL, 0);
}
