/* The client side of the patron's account: the decoders of the account,
 * of a payment's answer and of the cash-up, and the receipt and cash-up
 * slips' text. */
#include "client/account.h"
#include "client/slip.h"
#include "core/jsonx.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static cJSON *parse(const char *text)
{
	return jsonx_parse(text, strlen(text), NULL);
}

static void test_account(void)
{
	char *err = NULL;
	cJSON *j = parse("{\"card\":\"21000000000120\",\"balance_cents\":950,"
			 "\"accruing_fines_cents\":500,\"accruing\":[{\"item_barcode\":\"3\","
			 "\"title\":\"Boek\",\"due_on\":\"2026-11-13\",\"fine_cents\":500}],"
			 "\"charges\":[{\"id\":\"7\",\"kind\":\"hold_fee\",\"amount_cents\":100,"
			 "\"open_cents\":0,\"created_at\":\"2026-11-20T10:00:00Z\"},"
			 "{\"id\":\"5\",\"kind\":\"overdue_fine\",\"amount_cents\":500,"
			 "\"open_cents\":450,\"title\":\"Caf\xc3\xa9\",\"created_at\":"
			 "\"2026-11-15T10:00:00Z\"}]}");
	struct account *a = account_decode(j, &err);
	ok(a && a->balance_cents == 950 && a->accruing_cents == 500 && a->n_accruing == 1,
	   "the account decodes with its balance and what accrues");
	ok(a && a->n_charges == 1 && strcmp(a->charges[0].id, "5") == 0 &&
		   a->charges[0].open_cents == 450 && strcmp(a->charges[0].what, "Café") == 0 &&
		   strcmp(a->charges[0].created_on, "2026-11-15") == 0,
	   "only the open charges are kept, with the item's title and the day");
	account_free(a);
	cJSON_Delete(j);
	j = parse("{\"card\":\"21000000000120\",\"balance_cents\":0}");
	ok(!account_decode(j, &err) && err && strstr(err, "charges"),
	   "an account without charges is refused: %s", err ? err : "");
	free(err);
	cJSON_Delete(j);
	is_str(account_kind_text("lost_item"), "Lost item", "a kind in the desk's words");
	is_str(account_kind_text("something_new"), "Other", "a kind this desk does not know");
}

static struct account_credit *credit(void)
{
	char *err = NULL;
	cJSON *j = parse("{\"payment\":{\"id\":\"9\",\"amount_cents\":300,\"method\":\"pin\","
			 "\"covered\":[{\"charge_id\":\"1\",\"kind\":\"overdue_fine\","
			 "\"amount_cents\":250,\"open_cents\":0},{\"charge_id\":\"2\","
			 "\"kind\":\"hold_fee\",\"amount_cents\":50,\"open_cents\":50}]},"
			 "\"balance_cents\":950,\"blocks\":[\"card_expired\"]}");
	struct account_credit *c = account_credit_decode(j, &err);
	cJSON_Delete(j);
	free(err);
	return c;
}

static void test_credit_and_receipt(void)
{
	struct account_credit *c = credit();
	ok(c && c->amount_cents == 300 && c->balance_cents == 950 && c->n_covered == 2 &&
		   strcmp(c->method, "pin") == 0 && !c->fines_block,
	   "a payment's answer decodes: amount, method, what it covered, no fines block");
	struct civil_date today = { 2026, 12, 6 };
	struct slip *s = c ? slip_receipt_new(32, "Centrale Bibliotheek", "21000000000120", c, today)
			   : NULL;
	char *text = s ? slip_text_dup(s) : NULL;
	ok(text && strstr(text, "RECEIPT") && strstr(text, "****0120") &&
		   !strstr(text, "21000000000120"),
	   "the receipt names the card by its last four digits only");
	ok(text && strstr(text, "Overdue fine") && strstr(text, "Hold fee") &&
		   strstr(text, "Paid by pin") && strstr(text, "€3.00") && strstr(text, "€9.50"),
	   "with what it covered by kind, the amount by pin and what is still open");
	free(text);
	slip_free(s);
	account_credit_free(c);
	char *err = NULL;
	cJSON *j = parse("{\"payment\":{\"id\":\"9\"},\"balance_cents\":0}");
	ok(!account_credit_decode(j, &err) && err, "an answer without the amount is refused");
	free(err);
	cJSON_Delete(j);
}

static void test_cashup(void)
{
	char *err = NULL;
	cJSON *j = parse("{\"date\":\"2026-12-06\",\"branch\":\"CEN\",\"terminal\":\"balie-1\","
			 "\"payments\":2,\"payments_cents\":1300,\"by_method\":[{\"method\":\"cash\","
			 "\"count\":1,\"amount_cents\":1000},{\"method\":\"pin\",\"count\":1,"
			 "\"amount_cents\":300}],\"by_kind\":[{\"kind\":\"overdue_fine\","
			 "\"amount_cents\":1300},{\"kind\":\"hold_fee\",\"amount_cents\":0}],"
			 "\"refunds\":{\"count\":1,\"amount_cents\":200},\"waivers\":{\"count\":0,"
			 "\"amount_cents\":0},\"net_cents\":1100}");
	struct account_cashup *c = account_cashup_decode(j, &err);
	ok(c && c->payments == 2 && c->cash_cents == 1000 && c->pin_cents == 300 &&
		   c->n_kinds == 1 && c->refunds_cents == 200 && c->net_cents == 1100,
	   "the cash-up decodes; kinds without an amount are left out");
	struct slip *s = c ? slip_cashup_new(40, "Centrale Bibliotheek", c,
					     (struct civil_date){ 2026, 12, 6 })
			   : NULL;
	char *text = s ? slip_text_dup(s) : NULL;
	ok(text && strstr(text, "CASH-UP") && strstr(text, "balie-1") && strstr(text, "€10.00") &&
		   strstr(text, "€13.00") && strstr(text, "€11.00"),
	   "the cash-up slip: the desk, cash, the total and the net");
	free(text);
	slip_free(s);
	account_cashup_free(c);
	cJSON_Delete(j);
}

int main(void)
{
	test_account();
	test_credit_and_receipt();
	test_cashup();
	return tap_done();
}
