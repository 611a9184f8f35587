#include "core/conffile.h"

#include "core/i18n.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CONFFILE_MAX_BYTES = 1 << 20 };

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
			return true;
	return false;
}

static bool parse_line(char *line, conffile_fn fn, void *ctx, char **reason)
{
	char *s = trim(line);
	if (*s == '\0' || *s == '#')
		return true;
	char *eq = strchr(s, '=');
	if (!eq) {
		*reason = xstrdup(_("expected \"key = value\""));
		return false;
	}
	*eq = '\0';
	char *key = trim(s);
	char *value = trim(eq + 1);
	if (*key == '\0') {
		*reason = xstrdup(_("a setting has no name before \"=\""));
		return false;
	}
	for (const char *k = key; *k; k++) {
		if (!isalnum((unsigned char)*k) && *k != '_') {
			*reason = xasprintf(_("\"%s\" is not a setting name"), key);
			return false;
		}
	}
	size_t vlen = strlen(value);
	if (vlen >= 1 && value[0] == '"') {
		if (vlen < 2 || value[vlen - 1] != '"') {
			*reason = xstrdup(_("a quoted value has no closing quote"));
			return false;
		}
		value[vlen - 1] = '\0';
		value++;
	}
	return fn(ctx, key, value, reason);
}

bool conffile_parse_text(const char *name, const char *text, conffile_fn fn, void *ctx, char **err)
{
	char *copy = xstrdup(text);
	char *next = copy;
	unsigned lineno = 0;
	bool ok = true;
	while (ok && next) {
		char *line = next;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		char *reason = NULL;
		size_t len = strlen(line);
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0'; /* a file written on Windows */
		if (has_control(line)) {
			reason = xstrdup(_("the line holds a control character"));
			ok = false;
		} else {
			ok = parse_line(line, fn, ctx, &reason);
		}
		if (!ok) {
			*err = xasprintf("%s:%u: %s", name, lineno,
					 reason ? reason : _("invalid setting"));
			free(reason);
		}
	}
	free(copy);
	return ok;
}

bool conffile_parse(const char *path, conffile_fn fn, void *ctx, char **err)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return false;
	}
	char *text = xmalloc(CONFFILE_MAX_BYTES + 1);
	size_t len = fread(text, 1, CONFFILE_MAX_BYTES + 1, f);
	bool read_error = ferror(f);
	fclose(f);
	if (read_error || len > CONFFILE_MAX_BYTES || memchr(text, '\0', len)) {
		*err = xasprintf("%s: %s", path,
				 read_error ? _("cannot be read")
				 : len > CONFFILE_MAX_BYTES ? _("the file is too large")
							    : _("the file holds a NUL byte"));
		free(text);
		return false;
	}
	text[len] = '\0';
	bool ok = conffile_parse_text(path, text, fn, ctx, err);
	free(text);
	return ok;
}

bool conffile_bool(const char *value, bool *out, char **reason)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(value, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(value, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	*reason = xasprintf(_("\"%s\" is not yes or no"), value);
	return false;
}

bool conffile_uint(const char *value, unsigned long min, unsigned long max,
		   unsigned long *out, char **reason)
{
	char *end;
	errno = 0;
	unsigned long n = strtoul(value, &end, 10);
	if (!isdigit((unsigned char)value[0]) || *end != '\0' || errno == ERANGE) {
		*reason = xasprintf(_("\"%s\" is not a whole number"), value);
		return false;
	}
	if (n < min || n > max) {
		*reason = xasprintf(_("%lu is outside %lu to %lu"), n, min, max);
		return false;
	}
	*out = n;
	return true;
}
