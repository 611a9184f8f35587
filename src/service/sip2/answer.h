/* What several SIP2 answers share: the patron status field, the Dutch
 * screen messages (AF) of blocks and refusals, amounts, the fixed start of
 * an answer. */
#ifndef BALIED_SIP2_ANSWER_H
#define BALIED_SIP2_ANSWER_H

#include "service/domain/circulation.h"
#include "service/sip2/session.h"

#include <stdbool.h>

/* The 14 flags of a patron status ('Y' or a blank) for the blocks in force. */
void sip2_patron_status(unsigned blocks, char out[15]);
/* The screen message of the first block in blocks (translated). */
const char *sip2_block_text(unsigned blocks);
/* The screen message of a refusal (translated); NULL for CIRC_OK. */
const char *sip2_refusal_text(enum circ_status st);
/* cents as "12.50" (a field's amount), and as the screen's text shows it:
 * "12,50". */
void sip2_amount(long long cents, char out[24]);
void sip2_amount_shown(long long cents, char out[24]);
/* A day YYYY-MM-DD as the desk writes it: dd-mm-jjjj. */
void sip2_day_shown(const char *day, char out[16]);
/* The date of now, appended as the fixed field of an answer. */
void sip2_out_now(struct sip2_out *o, const struct sip2_session *s);
/* An answer of code with a fixed flag, the date, AO and AA as the kiosk
 * sent them, and the screen message text (allocated). */
char *sip2_plain_answer_dup(struct sip2_session *s, const struct sip2_msg *m, const char *code,
			    bool flag, const char *text);
/* The patron of the AA field: CIRC_OK with *p set (clear it), or a refusal. */
enum circ_status sip2_patron_of(struct sip2_session *s, const struct sip2_msg *m,
				struct circ_patron_rec *p);

#endif
