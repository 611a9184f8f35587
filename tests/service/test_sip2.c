/* SIP2 against a real training balied and its SQLite file, driven by a
 * client written from the standard (sip2_client.c): login of a kiosk
 * account, SC status with the supported messages, patron status and
 * information with the lists, checkout, checkin with the sort bins of the
 * hold shelf, transit per branch and the shelf, renew, renew all, item
 * information, hold and its cancel, block patron, the fine items and fee
 * paid (cash, pin, the charge named, once, refusals), end session, the
 * answer "not supported" of item status update, and the Dutch screen
 * messages. What the kiosk is told is checked against what the store holds. */
#include "tap.h"

#include "sip2_fixture.h"

#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned next_n = 1;
static char now[19];

/* The messages of this test are formats of its own, each with three %s. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static char *msg_dup(const char *fmt, const char *a, const char *b)
{
	return xasprintf(fmt, now, a ? a : "", b ? b : "");
}
#pragma GCC diagnostic pop

/* Sends a message made of fmt (the date, then a and b), with seq. */
static char *call(int fd, int seq, const char *fmt, const char *a, const char *b)
{
	char *m = msg_dup(fmt, a, b);
	char *answer = sfx_call(fd, m, seq);
	free(m);
	return answer ? answer : xstrdup("");
}

static bool field_is(const char *answer, size_t fixed, const char *id, const char *want)
{
	char *v = sip2c_field_dup(answer, fixed, id);
	bool same = v && strcmp(v, want) == 0;
	if (!same)
		diag("field %s of %s is %s, not %s", id, answer, v ? v : "(none)", want);
	free(v);
	return same;
}

static void test_login(struct sfx *s)
{
	int fd = sip2c_connect(s->port);
	char *a = sfx_call(fd, "9300CNkiosk1|COwrong-password|CPCEN|", 0);
	ok(a && strncmp(a, "940AY0AZ", 8) == 0, "93 with a wrong password is 940, with AY and AZ");
	free(a);
	a = sfx_call(fd, "9300CNbalie|COoefenen|CPCEN|", 1);
	ok(a && strncmp(a, "940", 3) == 0, "93 of a desk account (balie) is 940: kiosks only");
	free(a);
	a = sfx_call(fd, "9300CNkiosk1|CO" SIP2_PASSWORD "|CPCEN|", 2);
	ok(a && strncmp(a, "941", 3) == 0, "93 of the kiosk account is 941");
	free(a);
	a = sfx_call(fd, "9900302.00", 3);
	ok(a && strncmp(a, "98YYYYNN", 8) == 0, "98: online, check-in, check-out, renewals");
	ok(a && strncmp(a + 2 + 30, "2.00", 4) == 0, "98: protocol 2.00");
	ok(a && strncmp(a + 2 + 12, "20310303", 8) == 0 && strncmp(a + 2 + 20, "    ", 4) == 0,
	   "98: the date in local time, the zone field blank");
	ok(a && field_is(a, 34, "BX", "YYYYYYYYYYYNNYYY"),
	   "98: BX says yes to all but item status update and patron enable");
	ok(a && field_is(a, 34, "AO", "CEN"), "98: AO is the kiosk's branch");
	free(a);
	long long audits = fx_num(&s->fx, "SELECT count(*) FROM audit_log WHERE action = 'login'"
				  " AND subject = 'kiosk1'");
	ok(audits == 1, "the kiosk's login is in the audit log (%lld)", audits);
	close(fd);
}

static void test_patron(struct sfx *s, int fd)
{
	char card[15], blocked[15], item[15];
	long long p = fx_patron(&s->fx, next_n++, "Daan", "van den Berg", "adult", "2032-01-01",
				card);
	fx_patron(&s->fx, next_n++, "Eva", "Jansen", "adult", "2030-01-01", blocked);
	long long it = fx_item(&s->fx, next_n++, "book", "CEN", item);
	fx_loan(&s->fx, it, p, "2031-02-20");
	char *a = call(fd, 4, "23000%sAOCEN|AA%s|AC|%s", card, NULL);
	ok(strncmp(a, "24              000", 19) == 0, "24: no privilege denied (%s)", a);
	ok(field_is(a, 35, "AE", "Daan van den Berg") && field_is(a, 35, "BL", "Y"),
	   "24: the name, BL Y");
	free(a);
	a = call(fd, 5, "23000%sAOCEN|AA%s|AC|%s", blocked, NULL);
	ok(a[2] == 'Y' && a[3] == 'Y', "24 of an expired card: charge and renewal denied");
	ok(field_is(a, 35, "AF", "Uw pas is verlopen. Vraag het aan de balie."),
	   "24: why, in Dutch");
	free(a);
	a = call(fd, 6, "23000%sAOCEN|AA21999999999999|AC|%s", NULL, NULL);
	ok(field_is(a, 35, "BL", "N"), "24 of an unknown card: BL N");
	free(a);
	a = call(fd, 7, "63000%s  Y       AOCEN|AA%s|%s", card, NULL);
	ok(strncmp(a + 2 + 35, "000000010001000000000000", 24) == 0,
	   "64: one charged item, one overdue (%s)", a);
	ok(field_is(a, 59, "AU", item) && sip2c_field_count(a, 59, "AU") == 1,
	   "64: the charged list has the item");
	free(a);
	a = call(fd, 9, "63000%s Y        AOCEN|AA%s|%s", card, NULL);
	ok(field_is(a, 59, "AT", item) && sip2c_field_count(a, 59, "AU") == 0,
	   "64: the overdue list, and only the list asked for");
	free(a);
}

static void test_checkout_checkin(struct sfx *s, int fd)
{
	char card[15], item[15], away[15], held[15], other[15];
	long long p = fx_patron(&s->fx, next_n++, "Sem", "de Vries", "adult", "2032-01-01", card);
	long long o = fx_patron(&s->fx, next_n++, "Lotte", "Bakker", "adult", "2032-01-01", other);
	long long it = fx_item(&s->fx, next_n++, "book", "CEN", item);
	char *a = call(fd, 0, "11NN%s                  AOCEN|AA%s|AB%s|AC|", card, item);
	ok(strncmp(a, "121NUY", 6) == 0, "12: checked out, desensitize (%s)", a);
	ok(field_is(a, 22, "AH", "20310324    235959"), "12: due in 21 days, a SIP2 date");
	ok(field_is(a, 22, "AF", "Geleend. Inleverdatum: 24-03-2031."), "12: AF in Dutch");
	char *title = sip2c_field_dup(a, 22, "AJ");
	ok(title && strncmp(title, "Testboek ", 9) == 0, "12: the title (%s)", title);
	free(title);
	free(a);
	ok(fx_num(&s->fx, "SELECT count(*) FROM loans WHERE item_id = %lld AND patron_id = %lld"
		  " AND returned_at IS NULL AND due_on = '2031-03-24'", it, p) == 1,
	   "the loan is in the store");
	a = call(fd, 1, "11NN%s                  AOCEN|AA%s|AB%s|AC|BIY|", card, item);
	ok(strncmp(a, "120NUN", 6) == 0, "12 of a cancel (BI Y): not supported, refused (%s)", a);
	free(a);
	ok(fx_num(&s->fx, "SELECT count(*) FROM loans WHERE item_id = %lld AND returned_at IS"
		  " NULL", it) == 1, "and the loan stays");
	a = call(fd, 2, "17%sAOCEN|AB%s|%s", item, NULL);
	ok(strncmp(a, "1804", 4) == 0 && field_is(a, 24, "AH", "20310324    235959"),
	   "18: charged, with its due date (%s)", a);
	free(a);

	a = call(fd, 3, "09N%s%sAPCEN|AOCEN|AB%s|AC|", now, item);
	ok(strncmp(a, "101YUN", 6) == 0 && field_is(a, 22, "CL", "1"),
	   "10: checked in, to the shelf: sort bin 1 (%s)", a);
	free(a);
	long long a2 = fx_item(&s->fx, next_n++, "book", "NRD", away);
	fx_loan(&s->fx, a2, p, "2031-03-10");
	a = call(fd, 4, "09N%s%sAPCEN|AOCEN|AB%s|AC|", now, away);
	ok(strncmp(a, "101YUY", 6) == 0 && field_is(a, 22, "CL", "4") &&
		   field_is(a, 22, "CT", "NRD") && field_is(a, 22, "CV", "04"),
	   "10: an item of NRD goes in transit: bin 4 of transit_NRD, CT NRD (%s)", a);
	free(a);
	long long h = fx_item(&s->fx, next_n++, "book", "CEN", held);
	fx_loan(&s->fx, h, p, "2031-03-10");
	fx_hold(&s->fx, o, h, "CEN", "waiting", 2);
	a = call(fd, 5, "09N%s%sAPCEN|AOCEN|AB%s|AC|", now, held);
	ok(strncmp(a, "101YUY", 6) == 0 && field_is(a, 22, "CL", "2") &&
		   field_is(a, 22, "CV", "01"),
	   "10: a held item goes to the hold shelf: bin 2 (%s)", a);
	ok(field_is(a, 22, "AF",
		    "Ingeleverd. Dit exemplaar is gereserveerd: het gaat naar de afhaalkast."),
	   "10: AF in Dutch");
	free(a);
	char *status = fx_text_dup(&s->fx, "SELECT status FROM items WHERE id = %lld", h);
	is_str(status, "hold_shelf", "the store has the item on the hold shelf");
	free(status);
	a = call(fd, 6, "09N%s%sAPCEN|AOCEN|AB3199999999994|AC|%s", now, NULL);
	ok(strncmp(a, "100NUY", 6) == 0, "10 of an unknown item: not checked in, alert (%s)", a);
	free(a);
}

static void test_renew(struct sfx *s, int fd)
{
	char card[15], i1[15], i2[15], i3[15], other[15];
	long long p = fx_patron(&s->fx, next_n++, "Noor", "Visser", "adult", "2032-01-01", card);
	fx_patron(&s->fx, next_n++, "Bram", "Smit", "adult", "2032-01-01", other);
	long long l1 = fx_item(&s->fx, next_n++, "book", "CEN", i1);
	long long l2 = fx_item(&s->fx, next_n++, "book", "CEN", i2);
	long long l3 = fx_item(&s->fx, next_n++, "book", "CEN", i3);
	fx_loan(&s->fx, l1, p, "2031-03-10");
	fx_loan(&s->fx, l2, p, "2031-03-12");
	fx_loan(&s->fx, l3, p, "2031-03-12");
	fx_sql(&s->fx, "UPDATE loans SET renewals = 2 WHERE item_id = %lld", l3);
	char *a = call(fd, 7, "29NN%s                  AOCEN|AA%s|AB%s|", other, i1);
	ok(strncmp(a, "300", 3) == 0, "30: another patron's loan is not renewed (%s)", a);
	free(a);
	a = call(fd, 8, "29NN%s                  AOCEN|AA%s|AB%s|", card, i1);
	ok(strncmp(a, "301Y", 4) == 0 && field_is(a, 22, "AH", "20310324    235959"),
	   "30: renewed, the new due date (%s)", a);
	free(a);
	ok(fx_num(&s->fx, "SELECT renewals FROM loans WHERE item_id = %lld AND due_on ="
		  " '2031-03-24'", l1) == 1, "the store has the renewal");
	a = call(fd, 9, "65%sAOCEN|AA%s|%s", card, NULL);
	ok(strncmp(a, "66100020001", 11) == 0, "66: two renewed, one not (%s)", a);
	ok(sip2c_field_count(a, 27, "BM") == 2 && field_is(a, 27, "BN", i3),
	   "66: BM the renewed (the one renewed today too), BN the one at its limit");
	free(a);
}

static void test_hold_block(struct sfx *s, int fd)
{
	char card[15], item[15], lender[15];
	long long p = fx_patron(&s->fx, next_n++, "Julia", "Mulder", "adult", "2032-01-01", card);
	long long l = fx_patron(&s->fx, next_n++, "Finn", "Bos", "adult", "2032-01-01", lender);
	long long it = fx_item(&s->fx, next_n++, "book", "CEN", item);
	fx_loan(&s->fx, it, l, "2031-03-20");
	char *a = call(fd, 0, "15+%sAOCEN|AA%s|AB%s|", card, item);
	ok(strncmp(a, "161N", 4) == 0 && field_is(a, 20, "BR", "1") &&
		   field_is(a, 20, "BS", "CEN"),
	   "16: the hold is placed, first in line, at the kiosk's branch (%s)", a);
	free(a);
	ok(fx_num(&s->fx, "SELECT count(*) FROM holds WHERE patron_id = %lld AND status ="
		  " 'waiting' AND item_id IS NULL", p) == 1, "the store has a title hold");
	a = call(fd, 1, "15+%sAOCEN|AA%s|AB%s|", card, item);
	ok(strncmp(a, "160N", 4) == 0 && field_is(a, 20, "AF",
						"U heeft deze titel al gereserveerd."),
	   "16: a second hold on the title is refused, in Dutch (%s)", a);
	free(a);
	a = call(fd, 2, "15-%sAOCEN|AA%s|AB%s|", card, item);
	ok(strncmp(a, "161N", 4) == 0, "16: the hold is cancelled (%s)", a);
	free(a);
	ok(fx_num(&s->fx, "SELECT count(*) FROM holds WHERE patron_id = %lld AND status ="
		  " 'cancelled'", p) == 1, "the store has it cancelled");

	a = call(fd, 3, "01N%sAOCEN|ALkaart\x01 ingehouden\x1b[2J|AA%s|AC|", card, NULL);
	ok(strncmp(a, "24Y", 3) == 0, "24 after block patron: charge privileges denied (%s)", a);
	free(a);
	char *why = fx_text_dup(&s->fx, "SELECT manual_block FROM patrons WHERE id = %lld", p);
	is_str(why, "kaart ingehouden[2J",
	       "the store has the manual block with AL's reason, its control characters gone");
	free(why);
	a = call(fd, 4, "11NN%s                  AOCEN|AA%s|AB%s|AC|", card, item);
	ok(strncmp(a, "120NUN", 6) == 0 && field_is(a, 22, "AF",
						  "Uw pas is geblokkeerd. Vraag het aan de balie."),
	   "12: a blocked patron borrows nothing (%s)", a);
	free(a);
}

static long long charge(struct sfx *s, long long patron, long long cents, int days_ago)
{
	fx_sql(&s->fx, "INSERT INTO charges (patron_id, kind, amount_cents, created_at)"
		       " VALUES (%lld, 'overdue_fine', %lld, strftime('%%s', '" FX_TODAY
		       " 09:00:00') - %d)", patron, cents, days_ago * 86400);
	return fx_num(&s->fx, "SELECT max(id) FROM charges");
}

static void test_fees(struct sfx *s, int fd)
{
	char card[15], id[24];
	long long p = fx_patron(&s->fx, next_n++, "Sara", "Kok", "adult", "2032-01-01", card);
	long long old = charge(s, p, 150, 20), young = charge(s, p, 250, 2);
	char *a = call(fd, 0, "63000%s   Y      AOCEN|AA%s|%s", card, NULL);
	ok(strncmp(a + 2 + 35 + 12, "0002", 4) == 0 && sip2c_field_count(a, 59, "AV") == 2,
	   "64: two fine items, the AV list (%s)", a);
	ok(field_is(a, 59, "BV", "4.00"), "64: BV the open balance");
	free(a);
	char *pay = msg_dup("37%s0100EURBV1.00|AOCEN|AA%s|", card, NULL);
	a = sfx_call(fd, pay, 1);
	ok(a && strncmp(a, "38Y", 3) == 0 && field_is(a, 19, "AF",
						    "Betaald: EUR 1,00. Nog open: EUR 3,00."),
	   "38: a cash payment accepted, in Dutch (%s)", a ? a : "");
	char *again = sfx_call(fd, pay, 1);
	ok(a && again && strcmp(a, again) == 0, "38: the payment resent: the first answer again");
	free(a);
	free(again);
	free(pay);
	ok(fx_num(&s->fx, "SELECT count(*) FROM credits WHERE patron_id = %lld AND kind ="
		  " 'payment' AND method = 'cash' AND amount_cents = 100", p) == 1,
	   "the store has one payment of 1.00 in cash, not two");
	ok(fx_num(&s->fx, "SELECT paid_cents FROM charges WHERE id = %lld", old) == 100,
	   "it covers the oldest charge first");
	snprintf(id, sizeof id, "%lld", young);
	a = call(fd, 2, "37%s0102EURBV2.50|AOCEN|AA%s|CG%s|", card, id);
	ok(strncmp(a, "38Y", 3) == 0 && fx_num(&s->fx, "SELECT count(*) FROM credits WHERE"
						" patron_id = %lld AND method = 'pin'", p) == 1,
	   "38: a card payment for the charge CG names, recorded as pin (%s)", a);
	ok(fx_num(&s->fx, "SELECT paid_cents FROM charges WHERE id = %lld", young) == 250,
	   "that charge is paid");
	free(a);
	a = call(fd, 3, "37%s0100EURBV9.00|AOCEN|AA%s|%s", card, NULL);
	ok(strncmp(a, "38N", 3) == 0 && field_is(a, 19, "AF",
						"Dit is meer dan u verschuldigd bent. Vraag het aan de balie."),
	   "38: more than is open is refused (%s)", a);
	free(a);
	a = call(fd, 4, "37%s0100USDBV0.50|AOCEN|AA%s|%s", card, NULL);
	ok(strncmp(a, "38N", 3) == 0, "38: another currency is refused (%s)", a);
	free(a);
	ok(fx_num(&s->fx, "SELECT count(*) FROM audit_log WHERE action = 'payment' AND"
		  " subject = '%s'", card) == 2, "both payments are in the audit log");
}

static void test_others(struct sfx *s, int fd)
{
	char card[15];
	fx_patron(&s->fx, next_n++, "Tess", "Meijer", "adult", "2032-01-01", card);
	char *a = call(fd, 6, "19%sAOCEN|AB31999900000|CHx|%s", NULL, NULL);
	ok(strncmp(a, "200", 3) == 0, "20: item properties not changed: not supported (%s)", a);
	free(a);
	a = call(fd, 7, "35%sAOCEN|AA%s|%s", card, NULL);
	ok(strncmp(a, "36Y", 3) == 0 && field_is(a, 19, "AF", "Dank u wel en tot ziens."),
	   "36: the session ends (%s)", a);
	free(a);
}

int main(void)
{
	struct sfx s;
	if (!sfx_start(&s, NULL)) {
		ok(false, "balied with SIP2 starts");
		sfx_finish(&s, true);
		return tap_done();
	}
	sip2c_now(now);
	/* The kiosk's clock is the test's; balied's today is FX_TODAY. */
	memcpy(now, "20310303", 8);
	test_login(&s);
	int fd = sip2c_login(s.port, "kiosk1", SIP2_PASSWORD, "CEN");
	ok(fd >= 0, "the kiosk logs in");
	test_patron(&s, fd);
	test_checkout_checkin(&s, fd);
	test_renew(&s, fd);
	test_hold_block(&s, fd);
	test_fees(&s, fd);
	test_others(&s, fd);
	close(fd);
	int failed = tap_done();
	sfx_finish(&s, failed != 0);
	return failed;
}
