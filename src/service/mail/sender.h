/* The sender of the outbox (domain/notices.h): a thread of balied with its
 * own connection to the database that takes due notices and hands them to
 * the mail server with libcurl's SMTP (smtp:// or smtps://, TLS verified as
 * the desk verifies HTTPS). A notice is marked sent once the server accepted
 * it; a failure waits for the back-off. A crash between the server's
 * acceptance and the mark sends that notice once more, never more. */
#ifndef BALIED_MAIL_SENDER_H
#define BALIED_MAIL_SENDER_H

#include <stdbool.h>

struct mail_config {
	const char *url;       /* smtp://HOST[:PORT] or smtps://HOST[:PORT] */
	const char *from;      /* the sender's address */
	const char *user;      /* NULL: no login */
	const char *password;
	const char *ca_file;   /* NULL: the system's CA certificates */
	unsigned retry_seconds;
	long long clock_offset; /* seconds added to the system's clock (the training test clock) */
};

/*
 * Reads a credentials file: "user = NAME" and "password = SECRET" lines in
 * the form of the config files. Refused unless only its owner may read it
 * (mode 0600 or 0400). On failure false and *err (allocated, translated,
 * naming the file, and the line of a bad line).
 */
bool mail_credentials_read(const char *path, char **user, char **password, char **err);

struct mail_sender;
/* Starts the thread (the config is copied); NULL (logged) when it cannot. */
struct mail_sender *mail_sender_start(const char *db_path, const struct mail_config *config);
/* Ends the thread after the send under way and frees s; NULL is ignored. */
void mail_sender_stop(struct mail_sender *s);

#endif
