/* The text of one mail as the SMTP server gets it (RFC 5322 with MIME):
 * the subject as UTF-8 encoded-words and the body in base64, so that no
 * title or name can break a header line or meet a server without 8BITMIME. */
#ifndef BALIED_MAIL_MESSAGE_H
#define BALIED_MAIL_MESSAGE_H

#include <time.h>

/* The whole message with CRLF line ends (allocated). The Message-ID is made
 * of notice_id and created_at, so that a sent-once-more copy has the same one. */
char *mail_message_dup(const char *from, const char *to, const char *subject, const char *body,
		       long long notice_id, long long created_at, time_t now);

#endif
