/* The rules file of balied (balied-rules(5)): the defaults of DESIGN.md
 * section 3, every key, and errors that name the file, the line, the key
 * and the reason. The shipped data/rules.conf documents the defaults: with
 * every rule uncommented it must give exactly the built-in values. */
#include "service/domain/rules.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *error_of(const char *text)
{
	struct rules r;
	rules_init(&r);
	char *err = NULL;
	if (rules_read_text(&r, "rules.conf", text, &err))
		return xstrdup("(accepted)");
	return err;
}

static void test_defaults(void)
{
	struct rules r;
	rules_init(&r);
	ok(rules_loan_days(&r, "book") == 21, "books: 21 days");
	ok(rules_loan_days(&r, "audiovisual") == 7, "audiovisual: 7 days");
	ok(rules_loan_days(&r, "puzzle") == 21, "a type without a rule: loan_days (21)");
	ok(rules_max_loans(&r, "adult") == 25 && rules_max_loans(&r, "youth") == 15,
	   "at most 25 loans for adults, 15 for youth");
	ok(r.max_renewals == 2, "2 renewals");
	ok(rules_fine_per_day(&r, "adult") == 25 && rules_fine_cap(&r, "adult") == 500,
	   "adults: 0.25 a day, at most 5.00 an item");
	ok(rules_fine_per_day(&r, "youth") == 0 && rules_fine_cap(&r, "youth") == 0,
	   "youth: no fines");
	ok(r.fine_block_limit == 1000, "fines above 10.00 block");
	ok(r.guardian_age == 16 && r.youth_at_18 == RULES_YOUTH_TO_ADULT, "guardian under 16; adult at 18");
	ok(r.youth_short_days == 30, "a youth membership under 30 days is short");
	ok(r.retention_months == 24, "a patron's data are kept 24 months after the membership");
	is_str(r.card_prefix, "21000", "card prefix 21000");
	ok(rules_replacement_cost(&r, "book") == 2500 && rules_replacement_cost(&r, "game") == 4000 &&
		   rules_replacement_cost(&r, "puzzle") == 2500,
	   "a lost book costs 25.00, a game 40.00, another type 25.00");
	ok(r.fines_skip_closed_days, "fines skip the days the branch is closed");
	ok(r.lost_item_refund && r.claims_returned_limit == 3,
	   "a found lost item is refunded; more than 3 claims flag a patron");
	char *why = NULL;
	ok(rules_read_text(&r, "rules.conf", "replacement_cost_book = 1800\nreplacement_cost_puzzle = 900\n"
			   "lost_item_refund = no\nclaims_returned_limit = 1\n"
			   "fines_skip_closed_days = no\n", &why) && !r.fines_skip_closed_days &&
		   rules_replacement_cost(&r, "book") == 1800 &&
		   rules_replacement_cost(&r, "puzzle") == 900 && !r.lost_item_refund &&
		   r.claims_returned_limit == 1,
	   "replacement_cost_TYPE, lost_item_refund and claims_returned_limit are read (%s)",
	   why ? why : "no error");
	free(why);
	why = error_of("replacement_cost_Book = 10\n");
	ok(strstr(why, "replacement_cost_Book") != NULL, "a bad type code is refused: %s", why);
	free(why);
	rules_init(&r);
	ok(rules_hold_limit(&r, "adult") == 15 && rules_hold_limit(&r, "youth") == 15,
	   "at most 15 holds for adults and for youth");
	ok(rules_hold_fee(&r, "adult") == 100 && rules_hold_fee(&r, "youth") == 0,
	   "a hold costs adults 1.00, youth nothing");
	char *err = NULL;
	ok(rules_read_text(&r, "rules.conf", "hold_limit_youth = 3\nhold_fee_adult_cents = 150\n",
			   &err) && rules_hold_limit(&r, "youth") == 3 &&
		   rules_hold_fee(&r, "adult") == 150,
	   "hold_limit_youth and hold_fee_adult_cents are read (%s)", err ? err : "no error");
	free(err);
}

static void test_keys(void)
{
	struct rules r;
	rules_init(&r);
	char *err = NULL;
	bool read = rules_read_text(&r, "rules.conf",
				    "loan_days_book = 28\n"
				    "loan_days_puzzle = 10\n"
				    "loan_days = 14\n"
				    "max_loans_youth = 5\n"
				    "max_renewals = 0\n"
				    "fine_per_day_adult = 0,30\n"
				    "fine_cap_adult = 6\n"
				    "fine_per_day_youth = 0.1\n"
				    "fine_block_limit = 2.50\n"
				    "guardian_age = 14\n"
				    "youth_at_18 = end\n"
				    "youth_short_days = 0\n"
				    "retention_months = 6\n"
				    "card_prefix = 2600\n",
				    &err);
	ok(read, "every key is read (%s)", err ? err : "no error");
	free(err);
	ok(rules_loan_days(&r, "book") == 28, "loan_days_book");
	ok(rules_loan_days(&r, "puzzle") == 10, "a library's own item type");
	ok(rules_loan_days(&r, "game") == 21, "a type with a default rule keeps it");
	ok(rules_loan_days(&r, "map") == 14, "loan_days for the rest");
	ok(r.max_loans_youth == 5 && r.max_renewals == 0, "limits");
	ok(r.fine_per_day_adult == 30, "0,30 with a comma is 30 cents");
	ok(r.fine_cap_adult == 600, "6 is 600 cents");
	ok(r.fine_per_day_youth == 10, "0.1 is 10 cents");
	ok(r.fine_block_limit == 250, "2.50");
	ok(r.guardian_age == 14 && r.youth_at_18 == RULES_YOUTH_END && r.youth_short_days == 0,
	   "youth rules");
	ok(r.retention_months == 6, "retention_months");
	is_str(r.card_prefix, "2600", "card_prefix");
}

static void test_errors(void)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "\n\nmax_renewals = twee\n", "rules.conf:3: max_renewals: \"twee\" is not a whole number" },
		{ "guardian_age = 17\n", "rules.conf:1: guardian_age: 17 is outside 14 to 16" },
		{ "youth_short_days = 366\n", "rules.conf:1: youth_short_days: 366 is outside 0 to 365" },
		{ "retention_months = 0\n", "rules.conf:1: retention_months: 0 is outside 1 to 1200" },
		{ "fine_cap_adult = 5.001\n", "rules.conf:1: fine_cap_adult: \"5.001\" is not an amount in euros with at most two decimals, such as 0.25" },
		{ "fine_cap_adult = -1\n", "rules.conf:1: fine_cap_adult: \"-1\" is not an amount in euros with at most two decimals, such as 0.25" },
		{ "fine_block_limit = 5000\n", "rules.conf:1: fine_block_limit: \"5000\" is more than 1000.00" },
		{ "loan_days_Boek = 3\n", "rules.conf:1: loan_days_Boek: \"Boek\" is not an item type code" },
		{ "loan_days_book = 0\n", "rules.conf:1: loan_days_book: 0 is outside 1 to 365" },
		{ "youth_at_18 = child\n", "rules.conf:1: youth_at_18: \"child\" is not adult or end" },
		{ "card_prefix = 0123\n", "rules.conf:1: card_prefix: \"0123\" is not 1 to 9 digits, not starting with 0" },
		{ "card_prefix = 1234567890\n", "rules.conf:1: card_prefix: \"1234567890\" is not 1 to 9 digits, not starting with 0" },
		{ "# fine\nmax_loans = 3\n", "rules.conf:2: unknown rule \"max_loans\"" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *err = error_of(bad[i].text);
		is_str(err, bad[i].want, "refused: %s", bad[i].want);
		free(err);
	}
	struct rules r;
	rules_init(&r);
	char *err = NULL;
	ok(!rules_read_file(&r, "/nonexistent/rules.conf", &err) && err &&
	   strncmp(err, "/nonexistent/rules.conf: ", 25) == 0,
	   "a file that cannot be read is named (%s)", err ? err : "no error");
	free(err);
}

/* data/rules.conf with "#key = value" lines uncommented. */
static char *shipped_uncommented_dup(void)
{
	const char *root = getenv("BALIE_SOURCE_ROOT");
	char *path = xasprintf("%s/data/rules.conf", root ? root : "../..");
	FILE *f = fopen(path, "r");
	free(path);
	if (!f)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	char *out = xmalloc(cap);
	char line[512];
	while (fgets(line, sizeof line, f) && len + sizeof line < cap) {
		const char *s = line;
		if (line[0] == '#' && line[1] >= 'a' && line[1] <= 'z' && strstr(line, " = "))
			s = line + 1;
		len += (size_t)snprintf(out + len, cap - len, "%s", s);
	}
	fclose(f);
	return out;
}

static void test_memberships(void)
{
	struct rules r;
	rules_init(&r);
	ok(r.n_memberships == 3 && rules_membership_find(&r, "basis") &&
		   rules_membership_find(&r, "basis")->fee_cents == 2500 &&
		   rules_membership_find(&r, "65plus")->fee_cents == 2000,
	   "default adult memberships: basis 25.00, plus 45.00, 65plus 20.00");
	ok(r.membership_renewal_days == 30, "renewable from 30 days before expiry");
	ok(rules_replacement_card_fee(&r, "adult") == 250 &&
		   rules_replacement_card_fee(&r, "youth") == 0,
	   "a replacement card: 2.50 for adults, nothing for youth");
	char *err = NULL;
	ok(rules_read_text(&r, "rules.conf",
			   "membership_fee_standaard = 30,00\nmembership_fee_student = 12.50\n"
			   "membership_renewal_days = 60\nreplacement_card_fee_youth = 1\n", &err),
	   "a library's own memberships are read");
	free(err);
	ok(r.n_memberships == 2 && !rules_membership_find(&r, "basis") &&
		   rules_membership_find(&r, "student")->fee_cents == 1250,
	   "and replace the defaults");
	ok(r.membership_renewal_days == 60 && rules_replacement_card_fee(&r, "youth") == 100,
	   "renewal days and replacement fee set");
	char *e = error_of("membership_fee_Basis = 25\n");
	ok(strstr(e, "membership_fee_Basis") != NULL, "a membership name in capitals is refused (%s)", e);
	free(e);
	e = error_of("membership_fee_basis = gratis\n");
	ok(strstr(e, "gratis") != NULL, "a fee that is no amount is refused (%s)", e);
	free(e);
}

static void test_shipped(void)
{
	char *text = shipped_uncommented_dup();
	if (!ok(text != NULL, "data/rules.conf is there"))
		return;
	struct rules r, d;
	rules_init(&r);
	rules_init(&d);
	char *err = NULL;
	ok(rules_read_text(&r, "data/rules.conf", text, &err), "data/rules.conf uncommented is read (%s)",
	   err ? err : "no error");
	free(err);
	ok(r.memberships_from_file, "its membership_fee_ lines replace the default categories");
	d.memberships_from_file = true;
	ok(memcmp(&r, &d, sizeof r) == 0, "and its values are the built-in defaults");
	ok(strstr(text, "\nhold_pickup_days = ") && strstr(text, "\nloan_days_game = ") &&
		   strstr(text, "\nhold_fee_youth_cents = ") && strstr(text, "\nhold_limit_adult = "),
	   "it documents every rule");
	free(text);
}

int main(void)
{
	test_defaults();
	test_keys();
	test_errors();
	test_memberships();
	test_shipped();
	return tap_done();
}
