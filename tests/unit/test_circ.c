/* The circulation bodies of the client (src/client/circ.h): decoders of the
 * shapes balied sends, what they refuse, the request bodies, the paths, the
 * barcodes a desk accepts and money as the desk writes it. */
#include "client/circ.h"
#include "core/jsonx.h"
#include "tap.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

static cJSON *parse(const char *text)
{
	return jsonx_parse(text, strlen(text), NULL);
}

static void test_patron(void)
{
	cJSON *b = parse("{\"card\":\"21000000000021\",\"name\":\"Emma Jacobs\",\"category\":\"adult\","
			 "\"home_branch\":\"NRD\",\"expires_on\":\"2028-01-12\","
			 "\"blocks\":[\"card_expired\",{\"code\":\"manual_block\"}],"
			 "\"loans\":[{\"item_barcode\":\"3100000000019\",\"title\":\"De haven\","
			 "\"due_on\":\"2026-12-01\",\"overdue\":true,\"author\":\"A\"}],"
			 "\"holds_ready\":[{\"item_barcode\":\"3100000004001\",\"title\":\"Het bos\","
			 "\"pickup_branch\":\"CEN\",\"pickup_by\":\"2026-11-29\"}],"
			 "\"holds\":[{\"item_barcode\":\"3100000005009\",\"title\":\"De zee\","
			 "\"pickup_branch\":\"ZUI\",\"status\":\"waiting\",\"pickup_by\":\"\"},"
			 "{\"item_barcode\":\"3100000004001\",\"title\":\"Het bos\","
			 "\"pickup_branch\":\"CEN\",\"status\":\"ready\",\"pickup_by\":\"2026-11-29\"}],"
			 "\"manual_block\":\"Pas als gestolen gemeld\","
			 "\"fines_cents\":1250,\"loans_count\":1}");
	char *err = NULL;
	struct circ_patron *p = circ_patron_decode(b, &err);
	ok(p != NULL, "a patron decodes (%s)", err ? err : "no error");
	if (p) {
		is_str(p->name, "Emma Jacobs", "the name");
		ok(p->n_blocks == 2 && strcmp(p->blocks[0], "card_expired") == 0 &&
			   strcmp(p->blocks[1], "manual_block") == 0,
		   "blocks as codes or as objects with a code");
		ok(p->n_loans == 1 && p->loans[0].overdue && strcmp(p->loans[0].due_on, "2026-12-01") == 0,
		   "the loan with its due date, overdue");
		ok(p->n_holds_ready == 1 && strcmp(p->holds_ready[0].branch, "CEN") == 0 &&
			   strcmp(p->holds_ready[0].pickup_by, "2026-11-29") == 0,
		   "the hold ready, its branch and date");
		ok(p->fines_cents == 1250, "the fines in cents");
		ok(p->n_holds == 2 && strcmp(p->holds[0].status, "waiting") == 0 &&
			   strcmp(p->holds[0].branch, "ZUI") == 0,
		   "every open hold, the waiting one with its state and branch");
		char *line = circ_blocks_line_dup(p);
		is_str(line, "BLOCKED: the card has expired, blocked by the library: Pas als gestolen gemeld",
		       "the blocks line names the reason of the block by hand");
		free(line);
		char *state = circ_hold_state_dup(&p->holds[1], "Zuid", "29-11-2026");
		is_str(state, "ready in Zuid (until 29-11-2026)", "a ready hold names its branch");
		free(state);
		state = circ_hold_state_dup(&p->holds[0], "Zuid", "");
		is_str(state, "waiting (pickup Zuid)", "a waiting one too");
		free(state);
		ok(circ_patron_hold_fulfilled(p, "3100000004001") && p->n_holds_ready == 0 &&
			   p->n_holds == 1 && strcmp(p->holds[0].title, "De zee") == 0,
		   "the held item lent: its hold leaves both lists");
		ok(!circ_patron_hold_fulfilled(p, "3100000004001"), "and is gone");
	}
	circ_patron_free(p);
	cJSON_Delete(b);
	free(err);
	err = NULL;

	b = parse("{\"card\":\"1\",\"name\":\"X\",\"category\":\"adult\",\"expires_on\":\"2028-01-12\"}");
	p = circ_patron_decode(b, &err);
	ok(!p && err && strstr(err, "loans"), "a patron without loans is refused: %s",
	   err ? err : "(none)");
	free(err);
	err = NULL;
	cJSON_Delete(b);
	b = parse("{\"card\":1,\"name\":\"X\"}");
	p = circ_patron_decode(b, &err);
	ok(!p && err && strstr(err, "card"), "a numeric card is refused: %s", err ? err : "(none)");
	free(err);
	cJSON_Delete(b);
}

static void test_checkin(void)
{
	static const struct {
		const char *route;
		enum circ_route want;
	} cases[] = {
		{"{\"action\":\"shelve\"}", CIRC_SHELVE},
		{"{\"action\":\"hold_shelf\",\"branch\":\"CEN\",\"hold_for\":\"E.J.\"}", CIRC_HOLD_SHELF},
		{"{\"action\":\"transit\",\"branch\":\"NRD\"}", CIRC_TRANSIT},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[512];
		snprintf(text, sizeof text,
			 "{\"item\":{\"barcode\":\"3100000000019\",\"title\":\"De haven\"},"
			 "\"fine_cents\":75,\"route\":%s}", cases[i].route);
		cJSON *b = parse(text);
		char *err = NULL;
		struct circ_checkin *c = circ_checkin_decode(b, &err);
		ok(c && c->route == cases[i].want && c->fine_cents == 75,
		   "route %s decodes", cases[i].route);
		if (c && c->route == CIRC_HOLD_SHELF)
			ok(strcmp(c->hold_for, "E.J.") == 0 && strcmp(c->branch, "CEN") == 0,
			   "with the initials and the branch");
		circ_checkin_free(c);
		free(err);
		cJSON_Delete(b);
	}
	cJSON *b = parse("{\"item\":{\"barcode\":\"1\",\"title\":\"t\"},\"route\":{\"action\":\"fly\"}}");
	char *err = NULL;
	struct circ_checkin *c = circ_checkin_decode(b, &err);
	ok(!c && err && strstr(err, "fly"), "an unknown route is refused: %s", err ? err : "(none)");
	free(err);
	cJSON_Delete(b);
}

static void test_bodies(void)
{
	const char *blocks[] = {"manual_block", "card_expired"};
	cJSON *b = circ_checkout_body_new("2100", "3100", blocks, 2, "ID seen");
	char *text = jsonx_print_dup(b);
	is_str(text,
	       "{\"patron_card\":\"2100\",\"item_barcode\":\"3100\",\"override\":{\"blocks\":"
	       "[\"manual_block\",\"card_expired\"],\"reason\":\"ID seen\"}}",
	       "a checkout with an override");
	free(text);
	cJSON_Delete(b);
	b = circ_checkout_body_new("2100", "3100", NULL, 0, NULL);
	text = jsonx_print_dup(b);
	is_str(text, "{\"patron_card\":\"2100\",\"item_barcode\":\"3100\"}", "and without");
	free(text);
	cJSON_Delete(b);

	cJSON *details = parse("{\"blocks\":[\"fines_over_limit\"]}");
	size_t n = 0;
	char **codes = circ_refusal_blocks_dup(details, &n);
	ok(n == 1 && strcmp(codes[0], "fines_over_limit") == 0, "the blocks of a refusal");
	for (size_t i = 0; i < n; i++)
		free(codes[i]);
	free(codes);
	cJSON_Delete(details);

	char *path = circ_search_path_dup("de Vries", "2001-02-03");
	is_str(path, "/patrons?q=de%20Vries&birth_date=2001-02-03", "a search path is escaped");
	free(path);
	path = circ_patron_path_dup("21/../x");
	is_str(path, "/patrons/21%2F..%2Fx", "a card cannot leave its path");
	free(path);
}

static void test_plausible(void)
{
	ok(circ_barcode_plausible("31000000000190"), "digits are a barcode");
	ok(circ_barcode_plausible("A-12.5/B+$%"), "Code 39 characters are");
	ok(!circ_barcode_plausible(""), "empty is not");
	ok(circ_barcode_plausible("12345678901234567890123456789012"), "32 characters are");
	ok(!circ_barcode_plausible("123456789012345678901234567890123"), "33 are not");
	ok(!circ_barcode_plausible("3100\xc3\xa9"), "an accented letter is not");
	ok(!circ_barcode_plausible("31\t00") && !circ_barcode_plausible("31\x1b" "00"),
	   "control characters are not");
	ok(circ_barcode_problem("31000000000190") == NULL, "a barcode has no problem");
	is_str(circ_barcode_problem("abc!"),
	       "This cannot be a barcode: it holds a character a scanner does not send.",
	       "abc! is refused for its character, not for its length");
	is_str(circ_barcode_problem("123456789012345678901234567890123"),
	       "This cannot be a barcode: it is too long.", "33 characters: too long");
	is_str(circ_barcode_problem("3100 "), "This cannot be a barcode: it begins or ends with a space.",
	       "a space at the end is named");
	ok(!circ_barcode_plausible(" 3100") && !circ_barcode_plausible("3100 "),
	   "a space at either end is not");
	char money[32];
	circ_money(1250, money);
	is_str(money, "€12.50", "money in English");
	circ_money(-5, money);
	is_str(money, "-€0.05", "a negative amount");
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	test_patron();
	test_checkin();
	test_bodies();
	test_plausible();
	return tap_done();
}
