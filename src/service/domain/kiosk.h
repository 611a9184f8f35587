/* What the SIP2 interface (src/service/sip2/, balied-sip2(7)) needs of the
 * store beyond circulation.h, holds.h and patron.h: the character set of a
 * kiosk account, an item as a kiosk asks about it, and a block put on a
 * patron by a kiosk (a card it kept). */
#ifndef BALIED_KIOSK_H
#define BALIED_KIOSK_H

#include "service/domain/circulation.h"
#include "service/store/store.h"

#include <stdbool.h>

enum { KIOSK_CHARSET_LEN = 16, KIOSK_TEXT_LEN = 256 };

/* "ASCII", "ISO-8859-1", "UTF-8" (exactly as written). */
bool kiosk_charset_ok(const char *charset);
/* The charset of the kiosk account staff_id ("UTF-8" when none was set).
 * False (logged) when the store fails. */
bool kiosk_charset(struct store *store, long long staff_id, char out[KIOSK_CHARSET_LEN]);
/* Sets it, inside the caller's transaction if any. */
bool kiosk_set_charset(struct store *store, long long staff_id, const char *charset);

/* An item as item information (17/18) shows it. */
struct kiosk_item {
	char barcode[KIOSK_TEXT_LEN], title[KIOSK_TEXT_LEN], author[KIOSK_TEXT_LEN];
	char status[16];                 /* items.status */
	char home_branch[CIRC_CODE_LEN], current_branch[CIRC_CODE_LEN];
	char due_on[CIRC_DATE_LEN];      /* of its open loan, or "" */
	unsigned holds;                  /* open holds on it or on its title */
	long long title_id;
};

enum kiosk_found { KIOSK_FOUND, KIOSK_NOT_FOUND, KIOSK_STORE_FAILED };
enum kiosk_found kiosk_item_find(struct store *store, const char *barcode,
				 struct kiosk_item *out);

/* Puts a manual block with reason on patron_id unless one is there (then
 * nothing changes), inside the caller's transaction. False (logged) when
 * the store fails. */
bool kiosk_block_patron(struct store *store, long long patron_id, const char *reason);

#endif
