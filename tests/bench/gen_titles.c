#include "gen_titles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const words[] = {
	"de", "het", "een", "huis", "van", "rode", "zee", "nacht", "tuin", "stad", "wind",
	"kind", "oude", "nieuwe", "brief", "vader", "moeder", "reis", "naar", "licht", "donker",
	"water", "vuur", "boek", "geheim", "kasteel", "bos", "rivier", "berg", "winter", "zomer",
	"lente", "herfst", "vogel", "vis", "paard", "hond", "kat", "koning", "koningin", "prins",
	"heks", "draak", "schip", "haven", "eiland", "woestijn", "sneeuw", "regen", "storm",
	"ster", "maan", "zon", "hemel", "aarde", "steen", "glas", "goud", "zilver", "ijzer",
	"hart", "hoofd", "hand", "oog", "stem", "lied", "dans", "spel", "oorlog", "vrede",
	"liefde", "angst", "hoop", "droom", "tijd", "dag", "jaar", "eeuw", "verhaal", "leven",
	"dood", "weg", "brug", "toren", "markt", "school", "kerk", "molen", "dijk", "polder",
	"fiets", "trein", "vlucht", "kaart", "sleutel", "deur", "raam", "muur", "vloer", "dak",
	"keuken", "zolder", "kelder", "spiegel", "schaduw", "stilte", "geluid", "kleur", "groen",
	"blauw", "zwart", "wit", "grijs", "geel", "laatste", "eerste", "verloren", "gevonden",
	"vergeten", "verborgen", "wilde", "stille", "lange", "korte", "diepe", "hoge", "lage",
	"verre", "nabije", "achter", "boven", "onder", "tussen", "zonder", "met", "over",
};
static const char *const given[] = {
	"Anna", "Bram", "Cor", "Daan", "Eva", "Fenna", "Gijs", "Hanna", "Iris", "Joep", "Kees",
	"Lotte", "Maarten", "Noor", "Otto", "Pien", "Quinten", "Roos", "Sem", "Tess", "Ula",
	"Vera", "Wim", "Xander", "Yara", "Zoë",
};
static const char *const family[] = {
	"de Vries", "Jansen", "de Jong", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
	"Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
	"Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden",
	"Kok", "Jacobs", "de Haan", "Vermeulen", "van den Berg", "van Dijk", "Willems",
};
#define N(a) (sizeof a / sizeof a[0])

/* splitmix64: small, fast, and the same everywhere. */
static unsigned long long next(unsigned long long *s)
{
	unsigned long long z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned long pick(unsigned long long *s, unsigned long n)
{
	return (unsigned long)(next(s) % n);
}

const char *gen_titles_word(unsigned long i)
{
	return words[i % N(words)];
}

void gen_titles_isbn(unsigned long n, char out[14])
{
	snprintf(out, 14, "97890%07lu", n % 10000000ul);
	int sum = 0;
	for (int i = 0; i < 12; i++)
		sum += (out[i] - '0') * (i % 2 ? 3 : 1);
	out[12] = (char)('0' + (10 - sum % 10) % 10);
	out[13] = '\0';
}

static void luhn(char *code, size_t digits)
{
	int sum = 0;
	for (size_t i = 0; i < digits; i++) {
		int d = code[digits - 1 - i] - '0';
		if (i % 2 == 0 && (d *= 2) > 9)
			d -= 9;
		sum += d;
	}
	code[digits] = (char)('0' + (10 - sum % 10) % 10);
	code[digits + 1] = '\0';
}

static bool fail(sqlite3 *db, char **err)
{
	*err = strdup(sqlite3_errmsg(db));
	return false;
}

/* The branch codes and an item type of the database. */
struct gen_setup {
	char branches[16][17];
	unsigned n_branches;
	char type[33];
};

static bool setup_read(sqlite3 *db, struct gen_setup *g, char **err)
{
	memset(g, 0, sizeof *g);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT code FROM branches ORDER BY code", -1, &st, NULL))
		return fail(db, err);
	while (sqlite3_step(st) == SQLITE_ROW && g->n_branches < 16)
		snprintf(g->branches[g->n_branches++], 17, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "SELECT code FROM item_types ORDER BY code", -1, &st, NULL))
		return fail(db, err);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(g->type, sizeof g->type, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (!g->n_branches || !g->type[0]) {
		*err = strdup("the database has no branches or no item types");
		return false;
	}
	return true;
}

struct gen_stmts {
	sqlite3_stmt *title, *item;
};

static bool title_write(sqlite3 *db, const struct gen_stmts *st, unsigned long long *s,
			unsigned long n, char **err)
{
	char title[256] = "", author[128], isbn[14];
	unsigned long nwords = 2 + pick(s, 4);
	for (unsigned long w = 0; w < nwords; w++) {
		const char *word = words[pick(s, N(words))];
		size_t len = strlen(title);
		snprintf(title + len, sizeof title - len, "%s%c%s", w ? " " : "",
			 w ? word[0] : (char)(word[0] - 'a' + 'A'), word + 1);
	}
	snprintf(author, sizeof author, "%s %s", given[pick(s, N(given))],
		 family[pick(s, N(family))]);
	gen_titles_isbn(n, isbn);
	sqlite3_reset(st->title);
	sqlite3_bind_text(st->title, 1, title, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st->title, 2, author, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st->title, 3, 1950 + (int)pick(s, 75));
	sqlite3_bind_text(st->title, 4, isbn, -1, SQLITE_TRANSIENT);
	return sqlite3_step(st->title) == SQLITE_DONE || fail(db, err);
}

static bool copies_write(sqlite3 *db, const struct gen_stmts *st, const struct gen_setup *g,
			 unsigned long long *s, unsigned max_copies, unsigned long *items,
			 char **err)
{
	long long title_id = sqlite3_last_insert_rowid(db);
	unsigned long copies = 1 + pick(s, max_copies);
	for (unsigned long c = 0; c < copies; c++) {
		char barcode[16];
		snprintf(barcode, sizeof barcode, "32%011lu", *items);
		luhn(barcode, 13);
		const char *branch = g->branches[pick(s, g->n_branches)];
		sqlite3_reset(st->item);
		sqlite3_bind_text(st->item, 1, barcode, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st->item, 2, title_id);
		sqlite3_bind_text(st->item, 3, g->type, -1, SQLITE_STATIC);
		sqlite3_bind_text(st->item, 4, branch, -1, SQLITE_STATIC);
		sqlite3_bind_text(st->item, 5, pick(s, 4) == 0 ? "on_loan" : "available", -1,
				  SQLITE_STATIC);
		if (sqlite3_step(st->item) != SQLITE_DONE)
			return fail(db, err);
		(*items)++;
	}
	return true;
}

bool gen_titles(sqlite3 *db, const struct gen_titles_opts *opts, struct gen_titles_done *done,
		char **err)
{
	memset(done, 0, sizeof *done);
	struct gen_setup g;
	if (!setup_read(db, &g, err))
		return false;
	struct gen_stmts st = { 0 };
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO titles (title, author, year, isbn)"
				   " VALUES (?, ?, ?, ?)", -1, &st.title, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO items (barcode, title_id, item_type, home_branch,"
				   " current_branch, status) VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
			       -1, &st.item, NULL))
		return fail(db, err);
	unsigned long long s = opts->seed;
	unsigned max = opts->max_copies ? opts->max_copies : 1;
	bool ok = true;
	for (unsigned long n = 0; ok && n < opts->count; n++) {
		ok = title_write(db, &st, &s, n, err);
		if (ok && n == 0)
			done->first_title_id = sqlite3_last_insert_rowid(db);
		ok = ok && copies_write(db, &st, &g, &s, max, &done->items, err);
		done->titles += ok;
	}
	sqlite3_finalize(st.title);
	sqlite3_finalize(st.item);
	if (!ok || sqlite3_exec(db, "COMMIT", NULL, NULL, NULL)) {
		if (ok)
			fail(db, err);
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return false;
	}
	return true;
}
