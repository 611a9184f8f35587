/* Receipts: the layout at a width, the bytes in CP858 (what a receipt
 * printer reads), transliteration, and the print command: its input
 * checked byte for byte, and its failures named. */
#include "client/slip.h"
#include "tap.h"
#include "core/xalloc.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool contains(const char *hay, const char *needle)
{
	return hay && needle && strstr(hay, needle) != NULL;
}

/* Every line of text is at most width characters (code points). */
static bool lines_fit(const char *text, unsigned width, unsigned *widest)
{
	unsigned col = 0;
	*widest = 0;
	for (const char *p = text; *p; p++) {
		if (*p == '\n') {
			col = 0;
			continue;
		}
		if (((unsigned char)*p & 0xC0) != 0x80 && ++col > *widest)
			*widest = col;
	}
	return *widest <= width;
}

static void test_layout(void)
{
	struct slip *s = slip_new(20);
	slip_text(s, "De stille haven van Terschelling en verder");
	slip_center(s, "UITLEENBON");
	slip_pair(s, "3100000000027", "13-12-2026");
	slip_pair(s, "Centrale Bibliotheek", "inleverdatum 13-12-2026");
	slip_rule(s);
	slip_text(s, "Eenwoordzonderspatiesdatlangerisdanderegel");
	char *text = slip_text_dup(s);
	is_str(text,
	       "De stille haven van\n"
	       "Terschelling en\n"
	       "verder\n"
	       "     UITLEENBON\n"
	       "3100000000027\n"
	       "          13-12-2026\n"
	       "Centrale Bibliotheek\n"
	       "inleverdatum\n"
	       "13-12-2026\n"
	       "--------------------\n"
	       "Eenwoordzonderspatie\n"
	       "sdatlangerisdandereg\n"
	       "el\n",
	       "text breaks at spaces, pairs go right, a long word is cut");
	free(text);
	slip_free(s);

	s = slip_new(20);
	slip_pair(s, "Boete", "€ 2,50");
	slip_text(s, "Één café, één crème brûlée voor Zoë");
	text = slip_text_dup(s);
	unsigned widest = 0;
	bool fit = lines_fit(text, 20, &widest);
	ok(fit, "accented text fits 20 characters (widest %u)", widest);
	ok(contains(text, "Boete         € 2,50\n"),
	   "the euro sign counts as one column when flushing right");
	free(text);
	slip_free(s);
}

static void test_cp858(void)
{
	size_t len = 0;
	char *err = NULL;
	char *b = slip_encode_dup("é ë € ü", "CP858", &len, &err);
	static const unsigned char want[] = { 0x82, ' ', 0x89, ' ', 0xD5, ' ', 0x81 };
	ok(b && len == sizeof want && memcmp(b, want, len) == 0,
	   "é, ë, € and ü are 0x82, 0x89, 0xD5 and 0x81 in CP858");
	free(b);

	b = slip_encode_dup("Łódź – “Ĳssel”", "CP858", &len, &err);
	ok(b != NULL, "text with characters CP858 lacks converts");
	if (b) {
		ok(b[0] == 'L' && (unsigned char)b[1] == 0xA2 && b[2] == 'd' && b[3] == 'z',
		   "Ł and ź are transliterated, ó kept (0xA2)");
		bool high_ok = true;
		for (size_t i = 0; i < len; i++)
			if (b[i] == '\0')
				high_ok = false;
		ok(high_ok && len >= 12, "nothing is lost or truncated (%zu bytes)", len);
	}
	free(b);

	b = slip_encode_dup("plain", "NO-SUCH-CHARSET-42", &len, &err);
	bool refused = b == NULL;
	ok(refused && contains(err, "NO-SUCH-CHARSET-42"), "an unknown charset is named: %s",
	   err ? err : "(none)");
	free(err);
}

static char *read_file_dup(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = xmalloc(65536);
	*len = fread(buf, 1, 65535, f);
	fclose(f);
	return buf;
}

static void test_print(void)
{
	char dir[] = "/tmp/balie-slip-XXXXXX";
	if (!ok(mkdtemp(dir) != NULL, "a temporary directory"))
		return;
	char *out = xasprintf("%s/slip.bin", dir);
	char *cmd = xasprintf("cat > '%s'", out);

	struct circ_loan l1 = { .item_barcode = (char[]){ "3100000000027" }, .title = (char[]){ "Café de Zeeuwse Kust" },
				.author = (char[]){ "" }, .due_on = (char[]){ "2026-12-13" } };
	struct circ_loan l2 = { .item_barcode = (char[]){ "3100000000035" }, .title = (char[]){ "Het geheim" },
				.author = (char[]){ "" }, .due_on = (char[]){ "2026-12-06" } };
	const struct circ_loan *loans[] = { &l1, &l2 };
	struct slip *s = slip_loan_new(32, "Centrale Bibliotheek", "21000000000059", loans, 2, 250,
				       (struct civil_date){ 2026, 11, 22 });
	char *err = NULL;
	ok(slip_print(s, cmd, "CP858", &err), "the loan slip prints through cat (%s)",
	   err ? err : "no error");
	free(err);
	err = NULL;
	char *text = slip_text_dup(s);
	size_t want_len = 0, got_len = 0;
	char *want = slip_encode_dup(text, "CP858", &want_len, &err);
	char *got = read_file_dup(out, &got_len);
	ok(got && want && got_len == want_len && memcmp(got, want, got_len) == 0,
	   "the command got the slip in CP858, byte for byte (%zu bytes)", got_len);
	ok(got && memmem(got, got_len, "Caf\x82 de Zeeuwse Kust", 20) != NULL,
	   "the accented title is there as CP858");
	ok(got && memmem(got, got_len, "\xD5" "2.50", 5) != NULL,
	   "the fine has the euro sign as 0xD5");
	ok(contains(text, "****0059") && !contains(text, "21000000000059"),
	   "the card shows only its last four digits");
	ok(contains(text, "13-12-2026") && contains(text, "06-12-2026"),
	   "due dates are dd-mm-jjjj");
	unsigned widest = 0;
	bool fit = lines_fit(text, 32, &widest);
	ok(fit, "every line fits 32 characters (widest %u)", widest);
	free(text);
	free(want);
	free(got);

	bool printed = slip_print(s, "echo 'printer out of paper' >&2; exit 3", "CP858", &err);
	ok(!printed && contains(err, "3") && contains(err, "printer out of paper"),
	   "a failing command is named with its status and what it said: %s",
	   err ? err : "(none)");
	free(err);
	err = NULL;
	printed = slip_print(s, "kill -9 $$", "CP858", &err);
	ok(!printed && contains(err, "9"),
	   "a command killed by a signal says so: %s", err ? err : "(none)");
	free(err);
	err = NULL;
	printed = slip_print(s, "/nonexistent/lpr", "CP858", &err);
	ok(!printed && contains(err, "127"),
	   "a command that does not exist fails with 127: %s", err ? err : "(none)");
	free(err);
	err = NULL;
	ok(slip_print(s, "true", "CP858", &err), "a command that reads nothing is no error");
	free(err);
	slip_free(s);

	struct circ_checkin c = { .barcode = (char[]){ "3100000000043" }, .title = (char[]){ "De stille haven" },
				  .route = CIRC_HOLD_SHELF, .branch = (char[]){ "NRD" }, .hold_for = (char[]){ "J.d.V." },
				  .card_last4 = (char[]){ "0123" }, .pickup_by = (char[]){ "2026-12-01" } };
	s = slip_checkin_new(32, &c, "Bibliotheek Noord", "Centrale Bibliotheek",
			     (struct civil_date){ 2026, 11, 22 });
	text = s ? slip_text_dup(s) : NULL;
	ok(contains(text, "J.d.V.") && contains(text, "Bibliotheek Noord") &&
		   contains(text, "3100000000043"),
	   "the hold slip names the initials, the pickup branch and the item");
	ok(contains(text, "J.d.V. 0123") && contains(text, "01-12-2026"),
	   "and the card's last four digits and the last day to fetch it");
	free(text);
	slip_free(s);
	c.route = CIRC_SHELVE;
	ok(slip_checkin_new(32, &c, "x", "y", (struct civil_date){ 2026, 11, 22 }) == NULL,
	   "a shelved item has no slip");

	unlink(out);
	rmdir(dir);
	free(out);
	free(cmd);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	test_layout();
	test_cp858();
	test_print();
	return tap_done();
}
