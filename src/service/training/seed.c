#include "service/training/seed.h"

#include "service/domain/auth.h"
#include "service/training/ido_seed.h"
#include "service/store/seed_sql.h"
#include "core/log.h"
#include "core/luhn.h"
#include "service/timefmt.h"
#include "core/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const given_names[] = {
	"Daan", "Emma", "Sem", "Julia", "Lucas", "Mila", "Noah", "Tess", "Finn", "Sophie",
	"Levi", "Zoë", "Milan", "Sara", "Bram", "Anouk", "Thijs", "Fleur", "Ruben", "Lotte",
	"Mohamed", "Yara", "Jan", "Ingrid", "Kees", "Marieke", "Pieter", "Annelies", "Wim", "Nadia",
};
static const char *const family_names[] = {
	"de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
	"Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
	"Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Yılmaz",
	"El Idrissi", "van der Meer", "Kok", "Jacobs", "de Haan", "Vermeulen", "Postma",
};
static const char *const nouns_de[] = {
	"haven", "vuurtoren", "brief", "zomer", "winter", "reis", "tuin", "molen", "storm",
	"dijk", "rivier", "schaduw", "stad", "zee", "belofte", "herinnering", "kat", "boot",
};
static const char *const nouns_het[] = {
	"huis", "eiland", "geheim", "meisje", "paard", "water", "licht", "bos", "kanaal", "dorp",
};
static const char *const adjectives[] = {
	"stille", "verloren", "laatste", "rode", "oude", "verborgen", "koude", "lange",
	"gouden", "kleine", "wilde", "donkere",
};
static const char *const places[] = {
	"Terschelling", "Zeeland", "Groningen", "Delft", "Amsterdam", "Utrecht", "Maastricht",
	"Zwolle", "de Veluwe", "Texel", "Dordrecht", "Leeuwarden",
};

struct rng {
	uint32_t s;
};

static unsigned rnd(struct rng *r, unsigned n)
{
	/* xorshift32: the same data on every machine, no libc rand() differences. */
	r->s ^= r->s << 13;
	r->s ^= r->s >> 17;
	r->s ^= r->s << 5;
	return r->s % n;
}

static bool seed_branches(struct store *store, time_t now)
{
	static const char *const rows[][3] = {
		{ "CEN", "Centrale Bibliotheek", "123456" },
		{ "NRD", "Bibliotheek Noord", "23456" },
		{ "ZUI", "Bibliotheek Zuid", "1245" },
	};
	char year[12];
	struct tm tm;
	localtime_r(&now, &tm);
	bool ok = true;
	for (size_t i = 0; ok && i < N(rows); i++) {
		ok = seed_sql_branch(store, rows[i][0], rows[i][1], rows[i][2]);
		/* New Year, King's Day and Christmas, this year and next. */
		static const char *const holidays[] = { "01-01", "04-27", "12-25", "12-26" };
		for (int y = 0; ok && y < 2; y++) {
			snprintf(year, sizeof year, "%04d", tm.tm_year + 1900 + y);
			for (size_t h = 0; ok && h < N(holidays); h++) {
				char *date = xasprintf("%s-%s", year, holidays[h]);
				ok = seed_sql_closed_date(store, rows[i][0], date);
				free(date);
			}
		}
	}
	/* Noord closes for a day of maintenance soon, so that a due date moves. */
	char closed[TIMEFMT_DATE_LEN];
	timefmt_date_add(now, 12, closed);
	return ok && seed_sql_closed_date(store, "NRD", closed);
}

static bool seed_staff(struct store *store, time_t now)
{
	static const char *const rows[][4] = {
		{ "balie", "Sanne de Vries", "balie", "CEN" },
		{ "ido", "Henk Jansen", "ido", "NRD" },
		{ "beheer", "Fatima el Amrani", "beheer", "CEN" },
	};
	/* One hash for the three: the password is public in a training
	 * database anyway, and each hash costs a tenth of a second. */
	char hash[AUTH_HASH_LEN];
	if (!auth_password_hash(SEED_TRAINING_PASSWORD, hash))
		return false;
	bool ok = true;
	for (size_t i = 0; ok && i < N(rows); i++)
		ok = seed_sql_staff(store, rows[i][0], rows[i][1], hash, rows[i][3], rows[i][2], now);
	return ok;
}

void seed_card(unsigned n, char out[15])
{
	snprintf(out, 14, "21000%08u", n % 100000000u);
	out[13] = luhn_digit(out);
	out[14] = '\0';
}

static void item_barcode(unsigned n, char out[15])
{
	snprintf(out, 14, "3100000%06u", n % 1000000u);
	out[13] = luhn_digit(out);
	out[14] = '\0';
}

static const char *const branch_codes[] = { "CEN", "NRD", "ZUI" };

static void postcode(struct rng *r, char out[8])
{
	/* Never SA, SD or SS, which Dutch postcodes do not use. */
	static const char letters[] = "ABCEGHJKLMNPRTVWXZ";
	snprintf(out, 8, "%u%03u %c%c", 1 + rnd(r, 9), rnd(r, 1000), letters[rnd(r, 18)],
		 letters[rnd(r, 18)]);
}

/* The special patrons the training needs to meet. */
enum { PATRON_EXPIRED = 7, PATRON_FINES = 12, PATRON_BLOCKED = 21 };

static bool seed_patron(struct store *store, struct rng *r, unsigned n, time_t now)
{
	bool youth = n % 3 == 1; /* about a third */
	int age = youth ? 4 + (int)rnd(r, 14) : 18 + (int)rnd(r, 62);
	char birth[TIMEFMT_DATE_LEN], enrolled[TIMEFMT_DATE_LEN], expires[TIMEFMT_DATE_LEN];
	char card[15], pc[8];
	int born_days_ago = age * 365 + (int)rnd(r, 300) + age / 4;
	timefmt_date_add(now, -born_days_ago, birth);
	timefmt_date_add(now, -(int)rnd(r, 1500) - 30, enrolled);
	if (n == PATRON_EXPIRED)
		timefmt_date_add(now, -20, expires);
	else if (youth)
		timefmt_date_add(now, 18 * 365 + 4 - born_days_ago, expires);
	else
		timefmt_date_add(now, 30 + (int)rnd(r, 700), expires);
	seed_card(n, card);
	postcode(r, pc);
	const char *given = given_names[rnd(r, N(given_names))];
	const char *family = family_names[rnd(r, N(family_names))];
	char *email = NULL, *phone = NULL;
	if (!youth && rnd(r, 3) != 0) {
		email = xasprintf("%c.%s%u@example.org", given[0] | 0x20,
				  strrchr(family, ' ') ? strrchr(family, ' ') + 1 : family, n);
		for (char *c = email; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c | 0x20);
	}
	if (rnd(r, 2))
		phone = xasprintf("06-%08u", 10000000 + rnd(r, 89999999));
	struct seed_sql_patron row = {
		.card = card, .given_name = given, .family_name = family, .birth_date = birth,
		.postcode = pc, .email = email, .phone = phone,
		.category = youth ? "youth" : "adult", .home_branch = branch_codes[n % 3],
		.enrolled_on = enrolled, .expires_on = expires,
		.manual_block = n == PATRON_BLOCKED ? "Pas als gestolen gemeld" : NULL,
		.keep_history = n % 10 == 0,
	};
	/* Drawn in this order, after the mail and phone: the same data as ever. */
	row.house_number = 1 + (int)rnd(r, 180);
	if (rnd(r, 6) == 0)
		row.house_number_suffix = rnd(r, 2) ? "A" : "bis";
	bool ok = seed_sql_patron(store, &row);
	free(email);
	free(phone);
	return ok;
}

static char *title_dup(struct rng *r)
{
	const char *adj = adjectives[rnd(r, N(adjectives))];
	const char *place = places[rnd(r, N(places))];
	bool het = rnd(r, 3) == 0;
	const char *noun = het ? nouns_het[rnd(r, N(nouns_het))] : nouns_de[rnd(r, N(nouns_de))];
	switch (rnd(r, 4)) {
	case 0:
		return xasprintf("%s %s van %s", het ? "Het" : "De", noun, place);
	case 1:
		return xasprintf("Een %s in %s", noun, place);
	default:
		return xasprintf("%s %s %s", het ? "Het" : "De", adj, noun);
	}
}

/* The ISBN-13 of the demo's title number n: 978 90 (Dutch) and the number. */
static void seed_isbn(unsigned n, char out[14])
{
	snprintf(out, 14, "97890%07u", n % 10000000u);
	unsigned sum = 0;
	for (int i = 0; i < 12; i++)
		sum += (unsigned)(out[i] - '0') * (i % 2 ? 3u : 1u);
	out[12] = (char)('0' + (10 - sum % 10) % 10);
	out[13] = '\0';
}

/* Some titles have several copies (across branches): the item after a new
 * title is often another copy of it. The random draws stay the same. */
static bool seed_is_copy(unsigned n)
{
	return n != SEED_ACCENTED_ITEM && n != SEED_ACCENTED_ITEM + 1 &&
	       (n % 7 == 2 || n % 7 == 3 || n % 7 == 5);
}

static bool seed_items(struct store *store, struct rng *r)
{
	bool ok = true;
	char *prev_title = NULL, *prev_author = NULL;
	const char *prev_type = "book";
	unsigned titles = 0;
	for (unsigned n = 1; ok && n <= SEED_ITEMS; n++) {
		unsigned kind = rnd(r, 20);
		const char *type = kind < 14 ? "book" : kind < 18 ? "audiovisual"
					       : kind < 19 ? "magazine" : "game";
		char barcode[15];
		item_barcode(n, barcode);
		char *title = title_dup(r);
		if (n == SEED_ACCENTED_ITEM) {
			/* A book with accents, for receipts in the printer's charset. */
			free(title);
			title = xstrdup("Café Zoë en de crème brûlée");
			type = "book";
		}
		char *author = xasprintf("%s %s", given_names[rnd(r, N(given_names))],
					 family_names[rnd(r, N(family_names))]);
		const char *home = branch_codes[rnd(r, 3)];
		if (seed_is_copy(n) && prev_title) {
			free(title);
			free(author);
			title = xstrdup(prev_title);
			author = xstrdup(prev_author);
			type = prev_type;
		} else if (strcmp(type, "magazine") == 0) {
			author[0] = '\0';
		}
		titles += seed_is_copy(n) ? 0u : 1u;
		char isbn[14];
		seed_isbn(titles, isbn);
		/* A few items are away from home and on their way back. */
		bool away = n % 97 == 0;
		struct seed_sql_item row = {
			.barcode = barcode, .title = title, .author = author, .item_type = type,
			.home_branch = home, .current_branch = away ? branch_codes[(n + 1) % 3] : home,
			.status = away ? "in_transit" : n % 211 == 0 ? "missing" : "available",
			.year = 1980 + (int)(titles % 45), .isbn = strcmp(type, "book") == 0 ? isbn : NULL,
		};
		ok = seed_sql_item(store, &row);
		free(prev_title);
		free(prev_author);
		prev_title = title;
		prev_author = author;
		prev_type = type;
	}
	free(prev_title);
	free(prev_author);
	return ok;
}

/* Loans of item n to patron p, loaned days_ago days ago. */
static bool seed_loan(struct store *store, unsigned item, unsigned patron, int days_ago,
		      time_t now)
{
	time_t loaned_at = now - (time_t)days_ago * 86400;
	char due[TIMEFMT_DATE_LEN];
	timefmt_date_add(loaned_at, seed_sql_item_short_loan(store, item) ? 7 : 21, due);
	return seed_sql_loan(store, item, patron, loaned_at, due);
}

static bool seed_circulation(struct store *store, struct rng *r, time_t now)
{
	bool ok = true;
	unsigned item = 1;
	/* Thirty patrons with one to four loans; every fourth has one overdue. */
	for (unsigned p = 1; ok && p <= 30; p++) {
		unsigned n = 1 + rnd(r, 4);
		for (unsigned i = 0; ok && i < n; i++, item += 3)
			ok = seed_loan(store, item, p, p % 4 == 0 && i == 0 ? 30 + (int)rnd(r, 20)
									    : (int)rnd(r, 6), now);
	}
	/* The patron over the fine limit: 12.50 in fines for late returns. */
	static const int fines[] = { 500, 500, 250 };
	for (size_t i = 0; ok && i < N(fines); i++)
		ok = seed_sql_fine(store, PATRON_FINES, fines[i], now - 86400 * (time_t)(20 + i));
	/* Holds waiting on items that are out, and holds ready on the shelf. */
	for (unsigned h = 0; ok && h < 6; h++) {
		unsigned patron = 31 + h;
		bool ready = h % 2 == 0;
		unsigned target = ready ? 400 + h : 1 + 3 * h;
		char by[TIMEFMT_DATE_LEN];
		timefmt_date_add(now, 7 - (int)h, by);
		struct seed_sql_hold hold = {
			.patron = patron, .item = target, .pickup_branch = branch_codes[h % 3],
			.ready = ready, .placed_at = now - 86400 * (time_t)(10 + h),
			.ready_since = now - 86400 * (time_t)h, .pickup_by = by,
		};
		ok = seed_sql_hold(store, &hold);
	}
	return ok;
}

/* Loans that show the rules at the desk: patron 24 at the adult loan limit
 * (25 loans: max_loans_reached), patron 8 with an item 18 days overdue (4.50
 * on return, near the 5.00 cap) and patron 5 with one 3 days overdue (0.75).
 * Items 450 and up are not used above. */
static bool seed_rule_examples(struct store *store, time_t now)
{
	enum { LIMIT_PATRON = 24, LIMIT_FIRST_ITEM = 450, LIMIT = 25 };
	bool ok = true;
	for (unsigned i = 0; ok && i < LIMIT; i++)
		ok = seed_loan(store, LIMIT_FIRST_ITEM + i, LIMIT_PATRON, 2 + (int)(i % 5), now);
	static const struct {
		unsigned item, patron;
		int days_overdue;
	} late[] = { { 480, 8, 18 }, { 481, 5, 3 } };
	for (size_t i = 0; ok && i < N(late); i++) {
		ok = seed_loan(store, late[i].item, late[i].patron, 0, now);
		/* Due that many days ago, whatever the item's type. */
		char due[TIMEFMT_DATE_LEN];
		timefmt_date_add(now, -late[i].days_overdue, due);
		ok = ok && seed_sql_loan_due(store, late[i].item, due);
	}
	return ok;
}

/* The desk and administration accounts may override a block (with a
 * reason) and waive a charge; every training account may replay its desk's
 * offline journal (ido too: its questions are journaled offline as well); a
 * new account gets no permission until it is granted. */
static bool seed_permissions(struct store *store)
{
	return seed_sql_permission(store, "balie", "override") &&
	       seed_sql_permission(store, "beheer", "override") &&
	       seed_sql_permission(store, "balie", "offline") &&
	       seed_sql_permission(store, "ido", "offline") &&
	       seed_sql_permission(store, "beheer", "offline") &&
	       seed_sql_permission(store, "balie", "waive") &&
	       seed_sql_permission(store, "beheer", "waive");
}

bool seed_training(struct store *store, time_t now)
{
	struct rng r = { 0x2022u };
	if (!store_begin(store))
		return false;
	bool ok = seed_branches(store, now) && seed_staff(store, now) && seed_permissions(store);
	for (unsigned n = 1; ok && n <= SEED_PATRONS; n++)
		ok = seed_patron(store, &r, n, now);
	ok = ok && seed_items(store, &r) && seed_circulation(store, &r, now) &&
	     seed_rule_examples(store, now) && ido_seed_training(store, now) &&
	     store_commit(store);
	if (!ok) {
		store_rollback(store);
		return false;
	}
	log_info("training database filled: 3 branches, %d patrons, %d items", SEED_PATRONS,
		 SEED_ITEMS);
	return true;
}
