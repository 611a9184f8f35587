/* Every message the desk can show, in English (the msgid) and in Dutch (its
 * msgstr in po/nl.po, read at test time), laid out by the real widgets at
 * 80 columns: as the detail of a scan line (after its code and outcome
 * columns) and in a message area (80 columns less the margins). Read back
 * from the curses window, the words must be the message's words, in order,
 * none cut or missing, and an amount never apart from its euro sign. */
#include "ui/widgets/barchart.h"
#include "ui/widgets/frame.h"
#include "ui/widgets/scanlist.h"
#include "tap.h"
#include "ui/widgets/term.h"
#include "core/xalloc.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

enum { ROWS = 24, WIDTH = 80, LAYOUT_TEXT_MAX = 4096 };

struct po_text {
	char *text;
	char *where; /* the #: references */
};

static struct po_text *texts;
static size_t n_texts, cap_texts;

static void texts_add(const char *text, const char *where)
{
	if (!*text)
		return;
	if (n_texts == cap_texts) {
		cap_texts = cap_texts ? cap_texts * 2 : 256;
		texts = xrealloc(texts, cap_texts * sizeof *texts);
	}
	texts[n_texts++] = (struct po_text){ xstrdup(text), xstrdup(where) };
}

/* The C string literal that starts at p (at its opening quote), appended
 * to out. */
static void po_unquote(const char *p, char *out, size_t size)
{
	size_t n = strlen(out);
	for (p = strchr(p, '"') + 1; *p && *p != '"' && n + 1 < size; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			out[n++] = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
}

/* The messages of po/nl.po shown by the desk (ui/, src/client/): msgid,
 * msgid_plural and every msgstr. */
static bool po_read(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	char line[LAYOUT_TEXT_MAX], where[LAYOUT_TEXT_MAX] = "", cur[LAYOUT_TEXT_MAX] = "";
	bool in_text = false;
	while (fgets(line, sizeof line, f)) {
		bool cont = line[0] == '"';
		if (!cont && in_text) {
			if (strstr(where, "ui/") || strstr(where, "src/client/"))
				texts_add(cur, where);
			in_text = false;
			cur[0] = '\0';
		}
		if (strncmp(line, "#:", 2) == 0) {
			snprintf(where, sizeof where, "%s", line + 2);
			where[strcspn(where, "\n")] = '\0';
		} else if (strncmp(line, "msgid", 5) == 0 || strncmp(line, "msgstr", 6) == 0) {
			in_text = strchr(line, '"') != NULL;
			if (in_text)
				po_unquote(line, cur, sizeof cur);
		} else if (cont && in_text) {
			po_unquote(line, cur, sizeof cur);
		} else if (line[0] == '\n') {
			where[0] = '\0';
		}
	}
	if (in_text && (strstr(where, "ui/") || strstr(where, "src/client/")))
		texts_add(cur, where);
	fclose(f);
	return n_texts > 0;
}

/* The text as the desk would show it: every conversion given a value
 * (a word for %s, a number for the others), %% a percent sign. */
static char *layout_fill_dup(const char *fmt)
{
	char *out = xmalloc(strlen(fmt) * 8 + 16);
	size_t n = 0;
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			out[n++] = *p;
			continue;
		}
		p++;
		if (*p == '%') {
			out[n++] = '%';
			continue;
		}
		while (*p && strchr("0123456789$-+ #.hlzjt", *p))
			p++;
		const char *v = *p == 's' ? "Voorbeeld" : "12";
		memcpy(out + n, v, strlen(v));
		n += strlen(v);
		if (!*p)
			break;
	}
	out[n] = '\0';
	return out;
}

/* The words of text in order, separated by one space; a currency sign and
 * the amount after it are one word ("€ 12,50"). */
static char *layout_words_dup(const char *text)
{
	char *out = xmalloc(strlen(text) + 2);
	size_t n = 0;
	bool space = false;
	for (const char *p = text; *p; p++) {
		bool blank = *p == ' ' || *p == '\n' || *p == '\t';
		if (blank) {
			space = n > 0;
			continue;
		}
		/* a space right after a euro sign is not between words */
		bool after_euro = n >= 3 && memcmp(out + n - 3, "\xe2\x82\xac", 3) == 0;
		if (space && !after_euro)
			out[n++] = ' ';
		space = false;
		out[n++] = *p;
	}
	out[n] = '\0';
	return out;
}

/* Columns x.. of rows 0..rows-1 of w, as UTF-8, a row a line. */
static char *layout_read_dup(WINDOW *w, int rows, int x)
{
	size_t cap = (size_t)rows * WIDTH * 4 + 1, n = 0;
	char *out = xmalloc(cap);
	for (int y = 0; y < rows; y++) {
		wchar_t row[WIDTH + 1];
		int got = mvwinnwstr(w, y, x, row, WIDTH - x);
		for (int i = 0; i < got && row[i]; i++) {
			char mb[MB_LEN_MAX];
			size_t len = wcrtomb(mb, row[i], &(mbstate_t){ 0 });
			if (len != (size_t)-1 && n + len + 2 < cap) {
				memcpy(out + n, mb, len);
				n += len;
			}
		}
		while (n > 0 && out[n - 1] == ' ')
			n--;
		out[n++] = '\n';
	}
	out[n] = '\0';
	return out;
}

/* Whether the words laid out are the words of the text. */
static bool layout_same(const char *text, const char *shown, const char *where, const char *place)
{
	char *want = layout_words_dup(text);
	char *got = layout_words_dup(shown);
	bool same = strcmp(want, got) == 0;
	if (!same) {
		diag("%s, %s:", place, where);
		diag("  the message: %s", want);
		diag("  on screen:   %s", got);
	}
	free(want);
	free(got);
	return same;
}

/* As the detail of a refused scan, the only line of the list. */
static bool layout_scanline(WINDOW *pad, const char *text, const char *where)
{
	werase(pad);
	struct scanlist l;
	scanlist_init(&l);
	scanlist_add_done(&l, "3000000000001", SCANLINE_ATTENTION, "X", text);
	scanlist_draw(&l, pad, 0, ROWS - 3, WIDTH);
	scanlist_free(&l);
	/* the detail column: 1, the code's 15 columns, the outcome's 18 */
	char *shown = layout_read_dup(pad, ROWS - 2, 1 + 15 + 18);
	bool same = layout_same(text, shown, where, "a scan line's detail");
	free(shown);
	return same;
}

/* In a message area of the screen's body, from column 2 to the margin. */
static bool layout_message(WINDOW *pad, const char *text, const char *where)
{
	werase(pad);
	term_text_wrap(pad, 0, 2, WIDTH - 4, ROWS - 2, text, TERM_NORMAL);
	char *shown = layout_read_dup(pad, ROWS - 2, 2);
	bool same = layout_same(text, shown, where, "the message area");
	free(shown);
	return same;
}

/* The topic chart of the IDO statistics in fewer rows than it has topics:
 * every label is on the screen whole, the ones without a bar named after
 * "... and N more". */
static void test_chart_names_all(WINDOW *pad)
{
	static const char *const labels[] = {
		"DigiD aanvragen of activeren", "DigiD-app", "Belastingaangifte", "Toeslagen",
		"Zorgverzekering en zorg", "Uitkering en werk", "Studiefinanciering",
		"Rijbewijs en voertuigen", "Reisdocumenten", "Wonen en huur", "Juridische hulp",
		"Computer, tablet of telefoon gebruiken", "Gemeentelijke diensten", "Overig",
	};
	enum { N = sizeof labels / sizeof labels[0], CHART_ROWS = 8 };
	struct ido_entry items[N];
	for (size_t i = 0; i < N; i++)
		items[i] = (struct ido_entry){ .code = (char *)"c", .label = (char *)labels[i],
					       .count = (long)(N - i) };
	struct ido_entries e = { items, N };
	werase(pad);
	int used = barchart_draw(pad, 0, 4, WIDTH - 6, CHART_ROWS, &e);
	char *shown = layout_read_dup(pad, CHART_ROWS, 0);
	char *words = layout_words_dup(shown);
	size_t missing = 0;
	for (size_t i = 0; i < N; i++) {
		if (!strstr(words, labels[i])) {
			diag("not on the chart: %s", labels[i]);
			missing++;
		}
	}
	ok(used <= CHART_ROWS && missing == 0 && strstr(words, "more:"),
	   "a chart of %d topics in %d rows names every topic (%zu missing): %s", (int)N,
	   (int)CHART_ROWS, missing, words);
	free(words);
	free(shown);
}

/* The top line at 80 columns with a long branch name and a long staff
 * name: the staff name is whole, the branch shortened before it. */
static void test_top_line(WINDOW *pad)
{
	const char *staff = "Maria Magdalena van den Heuvel-Oppenheimer";
	const char *branch = "Openbare Bibliotheek Zuidoost-Brabant, vestiging Geldrop-Mierlo";
	struct frame_status st = { .branch = branch, .terminal = "balie-12", .staff = staff,
				   .training = true, .now = 0 };
	werase(pad);
	frame_draw_top(pad, WIDTH, &st);
	char *shown = layout_read_dup(pad, 1, 0);
	ok(strstr(shown, staff) != NULL, "the top line shows the whole staff name: %s",
	   shown ? shown : "");
	ok(strstr(shown, "Openb") && !strstr(shown, branch) &&
		   strstr(shown, "balie-12") && strstr(shown, "TRAINING"),
	   "and shortens the branch, keeping the terminal and the state");
	free(shown);
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	const char *root = getenv("BALIE_SOURCE_ROOT");
	char *po = xasprintf("%s/po/nl.po", root ? root : "../..");
	if (!ok(po_read(po), "%s holds the desk's messages", po))
		return tap_done();
	FILE *in = fopen("/dev/null", "r"), *out = fopen("/dev/null", "w");
	SCREEN *scr = in && out ? newterm("xterm-256color", out, in) : NULL;
	if (!ok(scr != NULL, "curses starts on /dev/null"))
		return tap_done();
	WINDOW *pad = newpad(ROWS, WIDTH);
	size_t line_bad = 0, area_bad = 0;
	for (size_t i = 0; i < n_texts; i++) {
		char *shown = layout_fill_dup(texts[i].text);
		line_bad += !layout_scanline(pad, shown, texts[i].where);
		area_bad += !layout_message(pad, shown, texts[i].where);
		free(shown);
	}
	ok(line_bad == 0, "%zu messages (English and Dutch): every word whole on a scan line (%zu cut)",
	   n_texts, line_bad);
	ok(area_bad == 0, "%zu messages: every word whole in the message area (%zu cut)", n_texts,
	   area_bad);
	/* the widths the desk lays out by */
	const char *amount = "Boete € 12,50 en € 3,00 te betalen bij de balie vandaag nog graag";
	werase(pad);
	term_text_wrap(pad, 0, 0, 11, 10, amount, TERM_NORMAL);
	char *shown = layout_read_dup(pad, 10, 0);
	ok(layout_same(amount, shown, "a narrow area", "an amount"),
	   "an amount stays with its euro sign at any width: %s", shown);
	free(shown);
	const char *path = "/tmp/een/heel/lange/map/die/niet/bestaat/en/nog/verder/export.csv kan "
			   "niet worden geschreven: Bestand of map bestaat niet";
	werase(pad);
	int used = term_text_wrap(pad, 0, 2, 40, 10, path, TERM_NORMAL);
	shown = layout_read_dup(pad, 10, 2);
	char *flat = xstrdup(shown);
	size_t k = 0;
	for (char *c = shown; *c; c++)
		if (*c != '\n' && *c != ' ')
			flat[k++] = *c;
	flat[k] = '\0';
	ok(used == term_wrap_rows(40, path) && strstr(flat, "bestaatniet") &&
		   strstr(flat, "export.csvkanniet"),
	   "a word wider than the area goes on in the next row, and nothing after it is lost");
	free(flat);
	free(shown);
	test_chart_names_all(pad);
	test_top_line(pad);
	delwin(pad);
	endwin();
	delscreen(scr);
	fclose(in);
	fclose(out);
	for (size_t i = 0; i < n_texts; i++) {
		free(texts[i].text);
		free(texts[i].where);
	}
	free(texts);
	free(po);
	return tap_done();
}
