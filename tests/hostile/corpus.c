#include "corpus.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A message for *err, or NULL when there is no memory for it. */
__attribute__((format(printf, 1, 2)))
static char *fmt_dup(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s;
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* Decodes the escapes of text into buf; returns the length, or -1. */
static long decode(const char *text, char *buf)
{
	size_t n = 0;
	for (const char *p = text; *p; p++) {
		if (*p != '\\') {
			buf[n++] = *p;
			continue;
		}
		p++;
		switch (*p) {
		case 'n': buf[n++] = '\n'; break;
		case 'r': buf[n++] = '\r'; break;
		case 't': buf[n++] = '\t'; break;
		case 'b': buf[n++] = '\b'; break;
		case 'a': buf[n++] = '\a'; break;
		case 'e': buf[n++] = '\x1b'; break;
		case '0': buf[n++] = '\0'; break;
		case '\\': buf[n++] = '\\'; break;
		case '"': buf[n++] = '"'; break;
		case 'x':
			if (hex(p[1]) < 0 || hex(p[2]) < 0)
				return -1;
			buf[n++] = (char)(hex(p[1]) * 16 + hex(p[2]));
			p += 2;
			break;
		default:
			return -1;
		}
	}
	return (long)n;
}

/* One line "name<TAB>[@N ]escaped"; false when it is bad. */
static bool parse_line(char *line, struct hostile *h)
{
	char *tab = strchr(line, '\t');
	if (!tab || tab == line || (size_t)(tab - line) >= sizeof h->name)
		return false;
	memcpy(h->name, line, (size_t)(tab - line));
	h->name[tab - line] = '\0';
	char *text = tab + 1;
	unsigned long repeat = 1;
	if (*text == '@') {
		char *end;
		repeat = strtoul(text + 1, &end, 10);
		if (*end != ' ' || repeat == 0 || repeat > 100000)
			return false;
		text = end + 1;
	}
	char *one = malloc(strlen(text) + 1);
	long len = one ? decode(text, one) : -1;
	if (len <= 0) {
		free(one);
		return false;
	}
	h->len = (size_t)len * repeat;
	h->bytes = malloc(h->len + 1);
	for (unsigned long i = 0; i < repeat; i++)
		memcpy(h->bytes + i * (size_t)len, one, (size_t)len);
	h->bytes[h->len] = '\0';
	free(one);
	return true;
}

size_t hostile_corpus_load(const char *path, struct hostile **out, char **err)
{
	*out = NULL;
	FILE *f = fopen(path, "r");
	if (!f) {
		*err = fmt_dup("%s cannot be read (line %u)", path, 0);
		return 0;
	}
	struct hostile *c = NULL;
	size_t n = 0, cap = 0;
	char *line = NULL;
	size_t size = 0;
	ssize_t got;
	unsigned lineno = 0;
	while ((got = getline(&line, &size, f)) >= 0) {
		lineno++;
		if (got > 0 && line[got - 1] == '\n')
			line[--got] = '\0';
		if (got == 0 || line[0] == '#')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			c = realloc(c, cap * sizeof *c);
		}
		if (!parse_line(line, &c[n])) {
			*err = fmt_dup("%s:%u: not name<TAB>[@N ]escaped text", path, lineno);
			hostile_corpus_free(c, n);
			free(line);
			fclose(f);
			return 0;
		}
		n++;
	}
	free(line);
	fclose(f);
	*out = c;
	return n;
}

size_t hostile_corpus_load_default(struct hostile **out, char **err)
{
	const char *root = getenv("BALIE_SOURCE_ROOT");
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/hostile/corpus.txt", root ? root : ".");
	return hostile_corpus_load(path, out, err);
}

void hostile_corpus_free(struct hostile *corpus, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(corpus[i].bytes);
	free(corpus);
}
