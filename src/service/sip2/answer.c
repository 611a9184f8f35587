#include "service/sip2/answer.h"

#include "core/i18n.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The positions of the patron status field (SIP2 2.00, 24 and 64). */
enum {
	PS_CHARGE_DENIED = 0,
	PS_RENEWAL_DENIED = 1,
	PS_HOLD_DENIED = 3,
	PS_TOO_MANY_CHARGED = 5,
	PS_EXCESSIVE_FINES = 10,
};

void sip2_patron_status(unsigned blocks, char out[15])
{
	memset(out, ' ', 14);
	out[14] = '\0';
	if (blocks)
		out[PS_CHARGE_DENIED] = 'Y';
	if (blocks & CIRC_RENEWAL_BLOCKS)
		out[PS_RENEWAL_DENIED] = 'Y';
	if (blocks & CIRC_RENEWAL_BLOCKS)
		out[PS_HOLD_DENIED] = 'Y';
	if (blocks & CIRC_BLOCK_MAX_LOANS)
		out[PS_TOO_MANY_CHARGED] = 'Y';
	if (blocks & CIRC_BLOCK_FINES_OVER_LIMIT)
		out[PS_EXCESSIVE_FINES] = 'Y';
}

const char *sip2_block_text(unsigned blocks)
{
	if (blocks & CIRC_BLOCK_MANUAL)
		return _("Your card is blocked. Please ask at the desk.");
	if (blocks & CIRC_BLOCK_CARD_EXPIRED)
		return _("Your card has expired. Please ask at the desk.");
	if (blocks & CIRC_BLOCK_FINES_OVER_LIMIT)
		return _("Your fines are over the limit. Please ask at the desk.");
	if (blocks & CIRC_BLOCK_MAX_LOANS)
		return _("You have as many loans as allowed.");
	return "";
}

const char *sip2_refusal_text(enum circ_status st)
{
	switch (st) {
	case CIRC_OK:
		return NULL;
	case CIRC_PATRON_NOT_FOUND:
		return _("This card is not known. Please ask at the desk.");
	case CIRC_ITEM_NOT_FOUND:
		return _("This item is not known. Please ask at the desk.");
	case CIRC_ITEM_NOT_LOANABLE:
	case CIRC_LOAN_STARTED_LATER:
		return _("This item cannot be borrowed.");
	case CIRC_ITEM_ON_HOLD_FOR_OTHER:
		return _("This item is reserved for someone else.");
	case CIRC_ALREADY_ON_LOAN:
		return _("You have borrowed this item already.");
	case CIRC_PATRON_BLOCKED:
		return _("Your card is blocked. Please ask at the desk.");
	case CIRC_RENEWAL_LIMIT:
		return _("This item cannot be renewed again.");
	case CIRC_RENEWAL_BLOCKED_BY_HOLD:
		return _("This item cannot be renewed: someone else has reserved it.");
	case CIRC_NOT_ON_LOAN:
		return _("This item was not on loan.");
	case CIRC_STORE_FAILED:
		break;
	}
	return _("This cannot be done now. Please try again.");
}

void sip2_amount(long long cents, char out[24])
{
	snprintf(out, 24, "%s%lld.%02lld", cents < 0 ? "-" : "", llabs(cents) / 100,
		 llabs(cents) % 100);
}

void sip2_amount_shown(long long cents, char out[24])
{
	sip2_amount(cents, out);
	char *dot = strchr(out, '.');
	if (dot)
		*dot = ',';
}

void sip2_day_shown(const char *day, char out[16])
{
	if (strlen(day) != 10)
		snprintf(out, 16, "%s", day);
	else
		snprintf(out, 16, "%.2s-%.2s-%.4s", day + 8, day + 5, day);
}

void sip2_out_now(struct sip2_out *o, const struct sip2_session *s)
{
	char now[SIP2_DATE_LEN];
	sip2_date(sip2_now(s), now);
	sip2_out_fixed(o, now);
}

enum circ_status sip2_patron_of(struct sip2_session *s, const struct sip2_msg *m,
				struct circ_patron_rec *p)
{
	char *card = sip2_arg_dup(s, m, "AA");
	enum circ_status st = *card ? circ_patron_find(s->store, card, p) : CIRC_PATRON_NOT_FOUND;
	if (st != CIRC_OK)
		memset(p, 0, sizeof *p);
	free(card);
	return st;
}

char *sip2_plain_answer_dup(struct sip2_session *s, const struct sip2_msg *m, const char *code,
			    bool flag, const char *text)
{
	char *ao = sip2_arg_dup(s, m, "AO");
	char *aa = sip2_arg_dup(s, m, "AA");
	struct sip2_out o;
	sip2_out_init(&o, code);
	sip2_out_flag(&o, flag);
	sip2_out_now(&o, s);
	sip2_out_field(&o, "AO", ao);
	sip2_out_field(&o, "AA", aa);
	sip2_out_field(&o, "AF", text);
	free(ao);
	free(aa);
	return sip2_out_take(&o);
}
