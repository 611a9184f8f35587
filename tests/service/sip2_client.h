/* A SIP2 client for the tests and the benchmark, written from the
 * standard (3M SIP2 2.00) and not from balied's codec: messages are built
 * with printf, the checksum is summed here, answers are read to their CR
 * with a deadline. */
#ifndef BALIE_TEST_SIP2_CLIENT_H
#define BALIE_TEST_SIP2_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

/* The SIP2 port of a running balied, from its log line "sip2: listening
 * on ADDR:PORT"; 0 when it has none. */
unsigned sip2c_port_from_log(const char *log);

/* A connection to 127.0.0.1:port; -1 when it cannot be made. */
int sip2c_connect(unsigned port);

/* The checksum of the standard over len bytes: the two's complement of
 * their sum, as four upper-case hex digits. */
void sip2c_checksum(const char *buf, size_t len, char out[5]);

/* msg with "AY<seq>AZ<checksum>" appended (seq 0-9), newly allocated. */
char *sip2c_with_checksum_dup(const char *msg, int seq);

/* Sends msg and a CR; false when that failed. */
bool sip2c_send(int fd, const char *msg);
/* Sends len raw bytes as they are. */
bool sip2c_send_raw(int fd, const char *bytes, size_t len);

/* The next answer without its CR, newly allocated; NULL when the
 * connection ended or nothing came within timeout_ms. *closed (may be
 * NULL) is set when the connection was closed by balied. */
char *sip2c_read_dup(int fd, int timeout_ms, bool *closed);

/* sip2c_send then sip2c_read_dup with a 10 s deadline. */
char *sip2c_call_dup(int fd, const char *msg);

/* True when the answer's AZ matches its bytes. */
bool sip2c_checksum_ok(const char *answer);

/* The value of the first field id in the variable part of an answer
 * (after fixed_len bytes of fixed fields and the 2-byte code), newly
 * allocated; NULL when absent. */
char *sip2c_field_dup(const char *answer, size_t fixed_len, const char *id);
/* How many fields id the answer has. */
unsigned sip2c_field_count(const char *answer, size_t fixed_len, const char *id);

/* A transaction date "YYYYMMDD    HHMMSS" of the test's clock. */
void sip2c_now(char out[19]);

/* Connects and logs in as user with password at location; the socket, or
 * -1 when the login was not 941. */
int sip2c_login(unsigned port, const char *user, const char *password, const char *location);

#endif
