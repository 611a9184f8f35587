/* SIP2 messages (3M Standard Interchange Protocol 2.00, balied-sip2(7)):
 * parsing what a kiosk sends and formatting the answers, with the sequence
 * number (AY) and the checksum (AZ) of error detection. Pure functions: no
 * I/O, no store, no locale; the bytes are the kiosk's, not converted. */
#ifndef BALIED_SIP2_CODEC_H
#define BALIED_SIP2_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

enum {
	SIP2_MAX_FIELDS = 64,
	SIP2_DATE_LEN = 19, /* YYYYMMDDZZZZHHMMSS and the NUL */
	SIP2_NO_SEQ = -1,
};

/* One variable-length field: a two-letter id and its value (not NUL-ended:
 * it points into the parsed message). */
struct sip2_field {
	char id[3];
	const char *value;
	size_t len;
};

/* A parsed request. fixed and the fields point into the caller's bytes. */
struct sip2_msg {
	char code[3];          /* "93", "11", ... */
	const char *fixed;     /* the fixed-length part after the code */
	size_t fixed_len;
	struct sip2_field fields[SIP2_MAX_FIELDS];
	size_t n_fields;
	int seq;               /* AY, 0-9, or SIP2_NO_SEQ */
	bool has_checksum;     /* AZ was sent (and was right: else SIP2_BAD_CHECKSUM) */
	size_t body_len;       /* the bytes before "AY" or "AZ": what the message says */
};

enum sip2_parse {
	SIP2_PARSE_OK,
	SIP2_BAD_CHECKSUM,     /* AZ does not match the bytes: ask for a resend (96) */
	SIP2_MALFORMED,        /* too short a fixed part, a bad field id, a NUL, too many fields */
	SIP2_UNKNOWN_CODE,     /* a message this codec does not know */
};

/*
 * Parses one message of len bytes, its CR (or CR LF) already cut off. The
 * fixed part's length comes from the message code. A last field without its
 * '|' is taken; AY and AZ are read from the end ("...AYnAZxxxx"); fields
 * after them are malformed. On SIP2_PARSE_OK, out points into buf.
 */
enum sip2_parse sip2_parse(const char *buf, size_t len, struct sip2_msg *out);

/* The first field with id, or NULL. */
const struct sip2_field *sip2_field_find(const struct sip2_msg *m, const char *id);
/* The value of field id, newly allocated ("" when absent). */
char *sip2_field_dup(const struct sip2_msg *m, const char *id);
/* The fixed part from at, n bytes, newly allocated ("" when it is shorter). */
char *sip2_fixed_dup(const struct sip2_msg *m, size_t at, size_t n);

/* The checksum of AZ over len bytes (which end in "AZ"): the two's
 * complement of their sum, four upper-case hex digits and a NUL. */
void sip2_checksum(const char *buf, size_t len, char out[5]);

/* A SIP2 date of t in local time: YYYYMMDD, four blanks for the zone
 * (local time, as the standard allows), HHMMSS. */
void sip2_date(time_t t, char out[SIP2_DATE_LEN]);
/* A SIP2 date of a day (YYYY-MM-DD) at 23:59:59, local time. */
void sip2_date_of_day(const char *day, char out[SIP2_DATE_LEN]);

/* An answer being built: the code, the fixed part, then fields. */
struct sip2_out {
	char *buf;
	size_t len, cap;
};

void sip2_out_init(struct sip2_out *o, const char *code);
/* Appends text as it is, to the fixed part (which comes before any field). */
void sip2_out_fixed(struct sip2_out *o, const char *text);
/* Appends a flag of the fixed part: "Y" or "N". */
void sip2_out_flag(struct sip2_out *o, bool yes);
/* Appends n as width digits, zero-padded (and capped at the largest it fits). */
void sip2_out_count(struct sip2_out *o, unsigned long n, unsigned width);
/* Appends field id with value and its '|'; a '|', CR or LF in value becomes
 * a blank, so that a title cannot end the field or the message. */
void sip2_out_field(struct sip2_out *o, const char *id, const char *value);
/* The text built, handed over (free it); o is empty afterwards. */
char *sip2_out_take(struct sip2_out *o);

/*
 * The message as it goes on the wire, newly allocated: body, then with
 * checksum "AY<seq>AZ<checksum>" ("AZ<checksum>" alone when seq is
 * SIP2_NO_SEQ), then CR. *len is its length.
 */
char *sip2_frame_dup(const char *body, size_t body_len, bool checksum, int seq, size_t *len);

#endif
