/* The handlers of the SIP2 messages (balied-sip2(7)), one per request, each
 * returning its answer in UTF-8 without AY and AZ (allocated), or NULL to
 * ask the kiosk to send the request again (96). session.c has the table. */
#ifndef BALIED_SIP2_MESSAGES_H
#define BALIED_SIP2_MESSAGES_H

#include "service/sip2/session.h"

/* msg_login.c: 93 login, 99 SC status. */
char *sip2_msg_login(struct sip2_session *s, const struct sip2_msg *m);
char *sip2_msg_status(struct sip2_session *s, const struct sip2_msg *m);

/* msg_patron.c: 23 patron status, 63 patron information, 35 end session,
 * 01 block patron, 25 patron enable (not supported). */
char *sip2_msg_patron_status(struct sip2_session *s, const struct sip2_msg *m);
char *sip2_msg_patron_info(struct sip2_session *s, const struct sip2_msg *m);
char *sip2_msg_end_session(struct sip2_session *s, const struct sip2_msg *m);
char *sip2_msg_block_patron(struct sip2_session *s, const struct sip2_msg *m);
char *sip2_msg_patron_enable(struct sip2_session *s, const struct sip2_msg *m);

/* msg_circ.c: 11 checkout, 09 checkin, 29 renew, 65 renew all. */
char *sip2_msg_checkout(struct sip2_session *s, const struct sip2_msg *m);
char *sip2_msg_checkin(struct sip2_session *s, const struct sip2_msg *m);
char *sip2_msg_renew(struct sip2_session *s, const struct sip2_msg *m);
char *sip2_msg_renew_all(struct sip2_session *s, const struct sip2_msg *m);

/* msg_item.c: 17 item information, 15 hold, 19 item status update (not
 * supported). */
char *sip2_msg_item_info(struct sip2_session *s, const struct sip2_msg *m);
char *sip2_msg_hold(struct sip2_session *s, const struct sip2_msg *m);
char *sip2_msg_item_update(struct sip2_session *s, const struct sip2_msg *m);

/* msg_fee.c: 37 fee paid, and the fine items (AV) of 64. */
char *sip2_msg_fee_paid(struct sip2_session *s, const struct sip2_msg *m);
/* Appends an AV for each open charge of the patron from the from-th to the
 * to-th (1 first) and sets *count to how many are open; false when the
 * store fails. */
bool sip2_fine_items(struct sip2_session *s, long long patron_id, unsigned from, unsigned to,
		     bool list, struct sip2_out *o, unsigned *count);

/* The supported-messages field (BX) of 98: true to the table in session.c. */
void sip2_supported_messages(char out[17]);

#endif
