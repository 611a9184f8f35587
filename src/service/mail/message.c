#include "service/mail/message.h"

#include "core/xalloc.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

enum { MAIL_WORD_BYTES = 45, MAIL_LINE_BYTES = 57 }; /* 60 and 76 characters of base64 */

static char *mail_base64_dup(const unsigned char *bin, size_t len)
{
	size_t size = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	char *out = xmalloc(size);
	sodium_bin2base64(out, size, bin, len, sodium_base64_VARIANT_ORIGINAL);
	return out;
}

/* Appends text to *buf (reallocated). */
static void mail_append(char **buf, const char *text)
{
	char *joined = xasprintf("%s%s", *buf, text);
	free(*buf);
	*buf = joined;
}

/* The bytes of s from at, at most max, never cutting a UTF-8 sequence. */
static size_t mail_utf8_chunk(const char *s, size_t at, size_t max)
{
	size_t n = strlen(s + at);
	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[at + n] & 0xc0) == 0x80)
		n--;
	return n ? n : max;
}

/* "=?UTF-8?B?...?=" words, each on a folded line of its own. */
static char *mail_subject_dup(const char *subject)
{
	char *out = xstrdup("");
	for (size_t at = 0, n; subject[at]; at += n) {
		n = mail_utf8_chunk(subject, at, MAIL_WORD_BYTES);
		char *b64 = mail_base64_dup((const unsigned char *)subject + at, n);
		char *word = xasprintf("%s=?UTF-8?B?%s?=", at ? "\r\n " : "", b64);
		mail_append(&out, word);
		free(word);
		free(b64);
	}
	return out;
}

static char *mail_body_dup(const char *body)
{
	char *out = xstrdup("");
	size_t len = strlen(body);
	for (size_t at = 0; at < len; at += MAIL_LINE_BYTES) {
		size_t n = len - at < MAIL_LINE_BYTES ? len - at : MAIL_LINE_BYTES;
		char *b64 = mail_base64_dup((const unsigned char *)body + at, n);
		mail_append(&out, b64);
		mail_append(&out, "\r\n");
		free(b64);
	}
	return out;
}

/* RFC 5322's date in UTC, spelled in English whatever the locale. */
static void mail_date(time_t now, char out[40])
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	gmtime_r(&now, &tm);
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
		 months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

char *mail_message_dup(const char *from, const char *to, const char *subject, const char *body,
		       long long notice_id, long long created_at, time_t now)
{
	char date[40];
	mail_date(now, date);
	const char *domain = strrchr(from, '@');
	char *subj = mail_subject_dup(subject);
	char *text = mail_body_dup(body);
	char *msg = xasprintf("Date: %s\r\n"
			      "From: <%s>\r\n"
			      "To: <%s>\r\n"
			      "Subject: %s\r\n"
			      "Message-ID: <notice-%lld-%lld@%s>\r\n"
			      "MIME-Version: 1.0\r\n"
			      "Content-Type: text/plain; charset=UTF-8\r\n"
			      "Content-Transfer-Encoding: base64\r\n"
			      "\r\n"
			      "%s",
			      date, from, to, subj, notice_id, created_at,
			      domain ? domain + 1 : "balie.invalid", text);
	free(text);
	free(subj);
	return msg;
}
