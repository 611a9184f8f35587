/* core/log.h and core/redact.h: balied's lines in logfmt and JSON (quoted
 * and escaped so that one event stays one line, JSON that parses), the
 * desk's plain lines, and card numbers shown by their last 4 digits. */
#include "core/log.h"
#include "core/redact.h"
#include "tap.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What one log call wrote to standard error (allocated). */
static char *line_of(enum log_format format, const char *msg, const struct log_field *f,
		     size_t n)
{
	fflush(stderr);
	int saved = dup(2);
	FILE *tmp = tmpfile();
	dup2(fileno(tmp), 2);
	log_set_format(format);
	log_fields(LOG_INFO, msg, f, n);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	long len = ftell(tmp);
	char *text = calloc(1, (size_t)(len > 0 ? len : 0) + 1);
	rewind(tmp);
	if (len > 0 && fread(text, 1, (size_t)len, tmp) != (size_t)len)
		text[0] = '\0';
	fclose(tmp);
	return text;
}

static void test_redact(void)
{
	char out[REDACT_CARD_LEN];
	redact_card("21000000000017", out);
	is_str(out, "****0017", "a card shows its last 4 digits");
	redact_card("123", out);
	is_str(out, "****", "a value of 4 characters or fewer shows none");
	redact_card(NULL, out);
	is_str(out, "****", "and so does no value");
	char text[64];
	redact_digits("login 21000000000017 at desk 12, pass 3100000000456", text, sizeof text);
	is_str(text, "login ****0017 at desk 12, pass ****0456",
	       "runs of 5 or more digits in text are cut to their last 4; shorter ones stay");
	redact_digits("balie", text, sizeof text);
	is_str(text, "balie", "text without digits is unchanged");
	redact_digits("abc 21000000000017", text, 8);
	is_str(text, "abc ", "a cut line never shows a part of a number");
}

static void test_logfmt(void)
{
	const struct log_field f[] = {
		LOG_TEXT("id", "abc-123"), LOG_TEXT("route", "/patrons/{card}"),
		LOG_NUMBER("status", 404), LOG_NUMBER("duration_ms", 1.5),
		LOG_TEXT("why", "two words \"quoted\"\nand a line end"), LOG_TEXT("empty", ""),
	};
	char *l = line_of(LOG_FORMAT_LOGFMT, "request", f, sizeof f / sizeof *f);
	ok(strncmp(l, "time=", 5) == 0 && strstr(l, "Z level=info msg=request id=abc-123 "),
	   "logfmt: time, level, msg, then the fields: %s", l);
	ok(strstr(l, " route=/patrons/{card} status=404 duration_ms=1.5 ") != NULL,
	   "plain values and numbers go unquoted");
	ok(strstr(l, " why=\"two words \\\"quoted\\\"\\nand a line end\" empty=\"\"\n") != NULL,
	   "a value with a space, quote or line end is quoted and escaped; an empty one is \"\"");
	ok(strchr(l, '\n') == l + strlen(l) - 1, "and the event is one line");
	free(l);
}

static void test_json(void)
{
	const struct log_field f[] = {
		LOG_TEXT("id", "abc"), LOG_NUMBER("status", 201),
		LOG_TEXT("why", "a \"quote\", a tab\t, a bell \a and Zo\xc3\xab"),
	};
	char *l = line_of(LOG_FORMAT_JSON, "request", f, sizeof f / sizeof *f);
	cJSON *j = cJSON_Parse(l);
	const cJSON *why = cJSON_GetObjectItem(j, "why");
	ok(j && strcmp(cJSON_GetObjectItem(j, "level")->valuestring, "info") == 0 &&
		   strcmp(cJSON_GetObjectItem(j, "msg")->valuestring, "request") == 0 &&
		   cJSON_GetObjectItem(j, "time") && cJSON_GetObjectItem(j, "status")->valuedouble == 201,
	   "json: one object with time, level, msg and the fields, numbers as numbers: %s", l);
	ok(cJSON_IsString(why) &&
		   strcmp(why->valuestring, "a \"quote\", a tab\t, a bell \a and Zo\xc3\xab") == 0,
	   "escaped text reads back as it was");
	cJSON_Delete(j);
	free(l);
	l = line_of(LOG_FORMAT_PLAIN, "rules read", NULL, 0);
	ok(strstr(l, "Z info rules read\n") != NULL, "the desk's plain line: time, level, text: %s",
	   l);
	free(l);
	enum log_format fmt;
	ok(log_format_parse("logfmt", &fmt) && fmt == LOG_FORMAT_LOGFMT &&
		   log_format_parse("json", &fmt) && fmt == LOG_FORMAT_JSON &&
		   !log_format_parse("plain", &fmt) && !log_format_parse("JSON", &fmt),
	   "log_format takes logfmt and json only");
}

int main(void)
{
	test_redact();
	test_logfmt();
	test_json();
	return tap_done();
}
