#include "service/domain/rules.h"

#include "core/conffile.h"
#include "core/i18n.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MONEY_MAX_CENTS = 100000 }; /* 1000.00: anything above is a typing error */

static void set_period(struct rules *r, const char *type, unsigned days)
{
	for (size_t i = 0; i < r->n_periods; i++) {
		if (strcmp(r->periods[i].type, type) == 0) {
			r->periods[i].days = days;
			return;
		}
	}
	struct rules_loan_period *p = &r->periods[r->n_periods++];
	snprintf(p->type, sizeof p->type, "%s", type);
	p->days = days;
}

static void set_membership(struct rules *r, const char *name, unsigned fee_cents)
{
	for (size_t i = 0; i < r->n_memberships; i++) {
		if (strcmp(r->memberships[i].name, name) == 0) {
			r->memberships[i].fee_cents = fee_cents;
			return;
		}
	}
	struct rules_membership *m = &r->memberships[r->n_memberships++];
	snprintf(m->name, sizeof m->name, "%s", name);
	m->fee_cents = fee_cents;
}

static void set_cost(struct rules *r, const char *type, unsigned cents)
{
	for (size_t i = 0; i < r->n_costs; i++) {
		if (strcmp(r->costs[i].type, type) == 0) {
			r->costs[i].cents = cents;
			return;
		}
	}
	struct rules_cost *c = &r->costs[r->n_costs++];
	snprintf(c->type, sizeof c->type, "%s", type);
	c->cents = cents;
}

void rules_init(struct rules *r)
{
	memset(r, 0, sizeof *r);
	set_period(r, "book", 21);
	set_period(r, "audiovisual", 7);
	set_period(r, "magazine", 14);
	set_period(r, "game", 21);
	r->loan_days_default = 21;
	r->max_loans_adult = 25;
	r->max_loans_youth = 15;
	r->max_renewals = 2;
	r->fine_per_day_adult = 25;
	r->fine_cap_adult = 500;
	r->fine_per_day_youth = 0;
	r->fine_cap_youth = 0;
	r->fine_block_limit = 1000;
	r->hold_pickup_days = 7;
	r->hold_limit_adult = 15;
	r->hold_limit_youth = 15;
	r->hold_fee_adult_cents = 100;
	r->hold_fee_youth_cents = 0;
	r->guardian_age = 16;
	r->youth_at_18 = RULES_YOUTH_TO_ADULT;
	r->youth_short_days = 30;
	r->retention_months = 24;
	snprintf(r->card_prefix, sizeof r->card_prefix, "21000");
	set_membership(r, "basis", 2500);
	set_membership(r, "plus", 4500);
	set_membership(r, "65plus", 2000);
	r->membership_renewal_days = 30;
	r->replacement_card_fee_adult = 250;
	r->replacement_card_fee_youth = 0;
	set_cost(r, "book", 2500);
	set_cost(r, "audiovisual", 3000);
	set_cost(r, "magazine", 500);
	set_cost(r, "game", 4000);
	r->replacement_cost_default = 2500;
	r->lost_item_refund = true;
	r->claims_returned_limit = 3;
	r->fines_skip_closed_days = true;
}

enum money_problem { MONEY_OK, MONEY_FORM, MONEY_TOO_MUCH };

/* "0.25", "5", "5.00" or "5,00" (euros) into cents. */
static enum money_problem parse_money(const char *value, unsigned *cents)
{
	const char *s = value;
	unsigned long euros = 0, frac = 0;
	int digits = 0, frac_digits = 0;
	for (; isdigit((unsigned char)*s) && digits < 7; s++, digits++)
		euros = euros * 10 + (unsigned long)(*s - '0');
	if (*s == '.' || *s == ',') {
		for (s++; isdigit((unsigned char)*s) && frac_digits < 3; s++, frac_digits++)
			frac = frac * 10 + (unsigned long)(*s - '0');
		if (frac_digits == 0 || frac_digits > 2)
			return MONEY_FORM;
		if (frac_digits == 1)
			frac *= 10;
	}
	if (digits == 0 || *s != '\0')
		return MONEY_FORM;
	unsigned long total = euros * 100 + frac;
	if (total > MONEY_MAX_CENTS)
		return MONEY_TOO_MUCH;
	*cents = (unsigned)total;
	return MONEY_OK;
}

static bool set_number(const char *key, const char *value, unsigned long min,
		       unsigned long max, unsigned *out, char **reason)
{
	unsigned long n;
	char *why = NULL;
	if (!conffile_uint(value, min, max, &n, &why)) {
		*reason = xasprintf("%s: %s", key, why);
		free(why);
		return false;
	}
	*out = (unsigned)n;
	return true;
}

static bool set_money(const char *key, const char *value, unsigned *out, char **reason)
{
	switch (parse_money(value, out)) {
	case MONEY_OK:
		return true;
	case MONEY_FORM:
		*reason = xasprintf(_("%s: \"%s\" is not an amount in euros with at most two"
				      " decimals, such as 0.25"), key, value);
		return false;
	case MONEY_TOO_MUCH:
		break;
	}
	*reason = xasprintf(_("%s: \"%s\" is more than 1000.00"), key, value);
	return false;
}

/* An item type code as the database holds them: a-z, 0-9 and '_'. */
static bool type_code_ok(const char *type)
{
	size_t len = strlen(type);
	if (len == 0 || len >= RULES_TYPE_LEN)
		return false;
	for (const char *c = type; *c; c++)
		if (!islower((unsigned char)*c) && !isdigit((unsigned char)*c) && *c != '_')
			return false;
	return true;
}

static bool set_loan_days(struct rules *r, const char *key, const char *value, char **reason)
{
	const char *type = key + strlen("loan_days_");
	unsigned days;
	if (!type_code_ok(type)) {
		*reason = xasprintf(_("%s: \"%s\" is not an item type code"), key, type);
		return false;
	}
	if (!set_number(key, value, 1, 365, &days, reason))
		return false;
	bool known = false;
	for (size_t i = 0; i < r->n_periods; i++)
		known = known || strcmp(r->periods[i].type, type) == 0;
	if (!known && r->n_periods == RULES_MAX_TYPES) {
		*reason = xasprintf(_("%s: more than %d item types"), key, RULES_MAX_TYPES);
		return false;
	}
	set_period(r, type, days);
	return true;
}

/* membership_fee_NAME = amount: the first such line replaces the default
 * categories, so that a library's file names all of its own. */
static bool set_membership_fee(struct rules *r, const char *key, const char *value,
			       char **reason)
{
	const char *name = key + strlen("membership_fee_");
	unsigned cents;
	if (!type_code_ok(name)) {
		*reason = xasprintf(_("%s: \"%s\" is not a membership name of lower case letters,"
				      " digits and _"), key, name);
		return false;
	}
	if (!set_money(key, value, &cents, reason))
		return false;
	if (!r->memberships_from_file) {
		r->n_memberships = 0;
		r->memberships_from_file = true;
	}
	if (!rules_membership_find(r, name) && r->n_memberships == RULES_MAX_MEMBERSHIPS) {
		*reason = xasprintf(_("%s: more than %d membership categories"), key,
				    RULES_MAX_MEMBERSHIPS);
		return false;
	}
	set_membership(r, name, cents);
	return true;
}

static bool set_replacement_cost(struct rules *r, const char *key, const char *value,
				 char **reason)
{
	const char *type = key + strlen("replacement_cost_");
	unsigned cents;
	if (!type_code_ok(type)) {
		*reason = xasprintf(_("%s: \"%s\" is not an item type code"), key, type);
		return false;
	}
	if (!set_number(key, value, 0, 100000, &cents, reason))
		return false;
	bool known = false;
	for (size_t i = 0; i < r->n_costs; i++)
		known = known || strcmp(r->costs[i].type, type) == 0;
	if (!known && r->n_costs == RULES_MAX_TYPES) {
		*reason = xasprintf(_("%s: more than %d item types"), key, RULES_MAX_TYPES);
		return false;
	}
	set_cost(r, type, cents);
	return true;
}

static bool set_flag(const char *key, const char *value, bool *out, char **reason)
{
	char *why = NULL;
	if (conffile_bool(value, out, &why))
		return true;
	*reason = xasprintf("%s: %s", key, why);
	free(why);
	return false;
}

static bool set_card_prefix(struct rules *r, const char *key, const char *value, char **reason)
{
	size_t len = strlen(value);
	bool digits = len > 0 && len <= RULES_PREFIX_MAX && value[0] != '0';
	for (const char *c = value; digits && *c; c++)
		digits = isdigit((unsigned char)*c);
	if (!digits) {
		*reason = xasprintf(_("%s: \"%s\" is not 1 to %d digits, not starting with 0"),
				    key, value, RULES_PREFIX_MAX);
		return false;
	}
	memcpy(r->card_prefix, value, len + 1);
	return true;
}

static bool set_youth_at_18(struct rules *r, const char *key, const char *value, char **reason)
{
	if (strcmp(value, "adult") == 0)
		r->youth_at_18 = RULES_YOUTH_TO_ADULT;
	else if (strcmp(value, "end") == 0)
		r->youth_at_18 = RULES_YOUTH_END;
	else {
		*reason = xasprintf(_("%s: \"%s\" is not adult or end"), key, value);
		return false;
	}
	return true;
}

bool rules_set(struct rules *r, const char *key, const char *value, char **reason)
{
	static const struct {
		const char *key;
		size_t offset;
		unsigned long min, max;
		bool money;
	} plain[] = {
		{ "loan_days", offsetof(struct rules, loan_days_default), 1, 365, false },
		{ "max_loans_adult", offsetof(struct rules, max_loans_adult), 0, 1000, false },
		{ "max_loans_youth", offsetof(struct rules, max_loans_youth), 0, 1000, false },
		{ "max_renewals", offsetof(struct rules, max_renewals), 0, 99, false },
		{ "hold_pickup_days", offsetof(struct rules, hold_pickup_days), 1, 90, false },
		{ "hold_limit_adult", offsetof(struct rules, hold_limit_adult), 0, 1000, false },
		{ "hold_limit_youth", offsetof(struct rules, hold_limit_youth), 0, 1000, false },
		{ "hold_fee_adult_cents", offsetof(struct rules, hold_fee_adult_cents), 0, 100000,
		  false },
		{ "hold_fee_youth_cents", offsetof(struct rules, hold_fee_youth_cents), 0, 100000,
		  false },
		{ "guardian_age", offsetof(struct rules, guardian_age), 14, 16, false },
		{ "youth_short_days", offsetof(struct rules, youth_short_days), 0, 365, false },
		{ "retention_months", offsetof(struct rules, retention_months), 1, 1200, false },
		{ "membership_renewal_days", offsetof(struct rules, membership_renewal_days), 0,
		  365, false },
		{ "replacement_card_fee_adult", offsetof(struct rules, replacement_card_fee_adult),
		  0, 0, true },
		{ "replacement_card_fee_youth", offsetof(struct rules, replacement_card_fee_youth),
		  0, 0, true },
		{ "fine_per_day_adult", offsetof(struct rules, fine_per_day_adult), 0, 0, true },
		{ "fine_cap_adult", offsetof(struct rules, fine_cap_adult), 0, 0, true },
		{ "fine_per_day_youth", offsetof(struct rules, fine_per_day_youth), 0, 0, true },
		{ "fine_cap_youth", offsetof(struct rules, fine_cap_youth), 0, 0, true },
		{ "fine_block_limit", offsetof(struct rules, fine_block_limit), 0, 0, true },
		{ "replacement_cost", offsetof(struct rules, replacement_cost_default), 0, 100000,
		  false },
		{ "claims_returned_limit", offsetof(struct rules, claims_returned_limit), 0, 99,
		  false },
	};
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		if (strcmp(key, plain[i].key) != 0)
			continue;
		unsigned *field = (unsigned *)(void *)((char *)r + plain[i].offset);
		return plain[i].money ? set_money(key, value, field, reason)
				      : set_number(key, value, plain[i].min, plain[i].max, field,
						   reason);
	}
	if (strncmp(key, "loan_days_", strlen("loan_days_")) == 0)
		return set_loan_days(r, key, value, reason);
	if (strncmp(key, "membership_fee_", strlen("membership_fee_")) == 0)
		return set_membership_fee(r, key, value, reason);
	if (strncmp(key, "replacement_cost_", strlen("replacement_cost_")) == 0)
		return set_replacement_cost(r, key, value, reason);
	if (strcmp(key, "lost_item_refund") == 0)
		return set_flag(key, value, &r->lost_item_refund, reason);
	if (strcmp(key, "fines_skip_closed_days") == 0)
		return set_flag(key, value, &r->fines_skip_closed_days, reason);
	if (strcmp(key, "youth_at_18") == 0)
		return set_youth_at_18(r, key, value, reason);
	if (strcmp(key, "card_prefix") == 0)
		return set_card_prefix(r, key, value, reason);
	*reason = xasprintf(_("unknown rule \"%s\""), key);
	return false;
}

static bool rules_line(void *ctx, const char *key, const char *value, char **reason)
{
	return rules_set(ctx, key, value, reason);
}

bool rules_read_file(struct rules *r, const char *path, char **err)
{
	return conffile_parse(path, rules_line, r, err);
}

bool rules_read_text(struct rules *r, const char *name, const char *text, char **err)
{
	return conffile_parse_text(name, text, rules_line, r, err);
}

unsigned rules_loan_days(const struct rules *r, const char *item_type)
{
	for (size_t i = 0; i < r->n_periods; i++)
		if (strcmp(r->periods[i].type, item_type) == 0)
			return r->periods[i].days;
	return r->loan_days_default;
}

unsigned rules_replacement_cost(const struct rules *r, const char *item_type)
{
	for (size_t i = 0; i < r->n_costs; i++)
		if (strcmp(r->costs[i].type, item_type) == 0)
			return r->costs[i].cents;
	return r->replacement_cost_default;
}

static bool is_youth(const char *category)
{
	return category && strcmp(category, "youth") == 0;
}

unsigned rules_fine_per_day(const struct rules *r, const char *category)
{
	return is_youth(category) ? r->fine_per_day_youth : r->fine_per_day_adult;
}

unsigned rules_fine_cap(const struct rules *r, const char *category)
{
	return is_youth(category) ? r->fine_cap_youth : r->fine_cap_adult;
}

unsigned rules_max_loans(const struct rules *r, const char *category)
{
	return is_youth(category) ? r->max_loans_youth : r->max_loans_adult;
}

unsigned rules_hold_limit(const struct rules *r, const char *category)
{
	return is_youth(category) ? r->hold_limit_youth : r->hold_limit_adult;
}

unsigned rules_hold_fee(const struct rules *r, const char *category)
{
	return is_youth(category) ? r->hold_fee_youth_cents : r->hold_fee_adult_cents;
}

unsigned rules_replacement_card_fee(const struct rules *r, const char *category)
{
	return is_youth(category) ? r->replacement_card_fee_youth : r->replacement_card_fee_adult;
}

const struct rules_membership *rules_membership_find(const struct rules *r, const char *name)
{
	for (size_t i = 0; name && i < r->n_memberships; i++)
		if (strcmp(r->memberships[i].name, name) == 0)
			return &r->memberships[i];
	return NULL;
}
