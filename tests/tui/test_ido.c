/* The IDO question log at the desk: a volunteer (role ido only) lands on the
 * IDO form, sees no circulation keys, logs three questions of one visit in
 * under 30 keystrokes each after the first, has a note with a BSN refused as
 * it is typed and corrected, and sees bars for the questions just logged;
 * administration exports the period to a file it names. */
#include "desk.h"
#include "ref.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct ref_training ref;
static int keystrokes;

/* Types text one key at a time; each character is one keystroke. */
static void type(struct desk *d, const char *text)
{
	for (size_t i = 0; text[i]; i++) {
		char key[2] = { text[i], '\0' };
		vt_send(d->vt, key);
		keystrokes++;
	}
}

static void key(struct desk *d, const char *name)
{
	vt_key(d->vt, name);
	keystrokes++;
}

static bool bottom_has(struct desk *d, const char *text)
{
	char *line = vt_row_dup(d->vt, 23);
	bool has = strstr(line, text) != NULL;
	free(line);
	return has;
}

static struct desk *start_logged_in_as(const char *user, const char *lang)
{
	char *conf = xasprintf("branch = %s\n", ref.branch_code);
	const struct desk_file files[] = { { ".config/balie/balie.conf", conf }, { NULL, NULL } };
	struct desk *d = desk_start(&(struct desk_opts){ .lang = lang, .files = files });
	free(conf);
	if (!d)
		return NULL;
	if (!vt_wait_text(d->vt, "beheer", DESK_START_MS) ||
	    !vt_wait_text(d->vt, ref.branch_name, DESK_STEP_MS)) {
		desk_stop(d);
		return NULL;
	}
	desk_type_login(d, user, "oefenen");
	return d;
}

static struct desk *start_logged_in(const char *user)
{
	return start_logged_in_as(user, "C.UTF-8");
}

static void test_ido_only_keys(struct desk *d)
{
	ok(vt_wait_text(d->vt, "IDO question log", DESK_STEP_MS),
	   "an ido login goes straight to the IDO form");
	ok(vt_wait_text(d->vt, "Bibliotheekdiensten", DESK_STEP_MS),
	   "the pick lists came from the service");
	ok(vt_wait_row(d->vt, 23, "F9 Next question", DESK_STEP_MS),
	   "the function-key line offers F9 Next question");
	ok(!bottom_has(d, "Check out") && !bottom_has(d, "Check in") && !bottom_has(d, "Renew") &&
		   !bottom_has(d, "Patron") && !bottom_has(d, "F2"),
	   "and no circulation key");
	ok(!bottom_has(d, "Export"), "and no export");
	ok(vt_wait_row(d->vt, 1, "^W Statistics", DESK_STEP_MS),
	   "the title row names the key of the statistics");
	key(d, "F2");
	key(d, "F5");
	vt_key(d->vt, "F1");
	ok(vt_wait_text(d->vt, "Key bindings", DESK_STEP_MS), "F1 opens help on the IDO form");
	if (!ok(vt_wait_text(d->vt, "Save the question and start", DESK_STEP_MS) &&
		   !vt_find(d->vt, "Check items out", NULL, NULL) &&
		   !vt_find(d->vt, "Find a patron", NULL, NULL),
		"help lists the IDO keys, no circulation (F2 and F5 did nothing)"))
		vt_dump(d->vt, stdout);
	vt_key(d->vt, "F1");
	ok(vt_wait_text(d->vt, "IDO question log", DESK_STEP_MS), "and F1 goes back to the form");
	keystrokes = 0;
}

/* The saved message, or a dump of the screen. */
static bool saved(struct desk *d, int n)
{
	char *want = xasprintf("Question %d saved", n);
	bool got = vt_wait_text(d->vt, want, DESK_STEP_MS);
	free(want);
	return got;
}

static void test_three_questions(struct desk *d)
{
	/* The first question: every field but the kind of question, whose
	 * default (digital government) stays. */
	keystrokes = 0;
	key(d, "Tab");
	type(d, "bel");
	type(d, " ");
	key(d, "Tab");
	type(d, "bel");
	type(d, " ");
	key(d, "Tab");
	type(d, "dig");
	type(d, " ");
	key(d, "Tab");
	key(d, "Tab");
	key(d, "Tab");
	type(d, "15");
	key(d, "F9");
	ok(saved(d, 1), "the first question is saved (%d keystrokes)", keystrokes);

	/* The second: the topics come first, the rest is remembered. */
	keystrokes = 0;
	type(d, "toe");
	type(d, " ");
	key(d, "Tab");
	type(d, "toe");
	type(d, " ");
	key(d, "F9");
	int second = keystrokes;

	/* The third, typed at once, while the second may still be on its
	 * way: the form went on to it without waiting. Referred to the
	 * municipality. */
	keystrokes = 0;
	type(d, "digid");
	type(d, " ");
	key(d, "Tab");
	key(d, "Tab");
	key(d, "Tab");
	type(d, "doo");
	key(d, "Tab");
	type(d, "gem");
	ok(saved(d, 2), "the second question is saved");
	ok(second < 30, "in %d keystrokes (under 30)", second);
	key(d, "F9");
	ok(saved(d, 3), "the third question is saved");
	ok(keystrokes < 30, "in %d keystrokes (under 30)", keystrokes);
	ok(vt_find(d->vt, "question 4 of this visit", NULL, NULL),
	   "the form is ready for question 4 of the same visit");
}

static void test_bsn_note(struct desk *d)
{
	type(d, "app");
	type(d, " ");
	for (int i = 0; i < 7; i++)
		key(d, "Tab");
	type(d, "BSN 111222333");
	ok(vt_wait_text(d->vt, "looks like a citizen service number", DESK_STEP_MS),
	   "a BSN in the note is flagged as it is typed");
	ok(vt_resize(d->vt, 30, 100) && vt_wait_text(d->vt, "BSN 111222333", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "looks like a citizen service number", DESK_STEP_MS) &&
		   vt_wait_row(d->vt, 29, "F9 Next question", DESK_STEP_MS),
	   "a resize to 100x30 keeps the question as typed");
	ok(vt_resize(d->vt, 24, 80) && vt_wait_row(d->vt, 23, "F9 Next question", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "BSN 111222333", DESK_STEP_MS),
	   "and back to 80x24");
	unsigned bells = vt_bells(d->vt);
	key(d, "F9");
	ok(vt_wait_bells(d->vt, bells + 1, DESK_STEP_MS), "saving it rings the bell");
	ok(!vt_find(d->vt, "Question 4 saved", NULL, NULL) &&
		   vt_find(d->vt, "looks like a citizen service number", NULL, NULL),
	   "and is refused, saying why");
	for (int i = 0; i < 9; i++)
		key(d, "Backspace");
	ok(vt_wait_gone(d->vt, "looks like a citizen service number", DESK_STEP_MS),
	   "without the number the warning goes");
	key(d, "F9");
	ok(saved(d, 4), "and the corrected question is saved");
	key(d, "F12");
	ok(vt_wait_text(d->vt, "Visit ended", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "question 1 of this visit", DESK_STEP_MS),
	   "F12 ends the visit: the next one starts at question 1");
}

/* A refusal the desk could not foresee (the library retired a topic while
 * the form was open) puts the question back in the form, saying why. */
static void test_refused_question_kept(struct desk *d)
{
	char *db = xasprintf("%s/.local/share/balie/training.db", d->home);
	const char *argv[] = { tuienv_balied(), "--db", db, "--training", "ido-catalog",
			       "retire", "topic", "housing", NULL };
	struct tuienv_run run;
	ok(tuienv_run(argv, d->envp, DESK_STEP_MS, &run) && run.status == 0,
	   "the library retires the topic housing meanwhile");
	tuienv_run_free(&run);
	free(db);
	key(d, "Tab");
	type(d, "huur \t\t\t\t\t10");
	key(d, "F9");
	ok(vt_wait_text(d->vt, "topics: retired", DESK_STEP_MS),
	   "the service refuses the retired topic and the desk says which field");
	ok(vt_wait_text(d->vt, "question 1 of this visit", DESK_STEP_MS) &&
		   vt_wait_row(d->vt, 3, "Wonen en huur", DESK_STEP_MS),
	   "the question is back in the form, as it was");
	type(d, "huur \x15toe ");
	key(d, "F9");
	ok(saved(d, 1), "with another topic it is saved");
	key(d, "F12");
	ok(vt_wait_text(d->vt, "Visit ended. A new visit begins.", DESK_STEP_MS),
	   "and F12 on the empty form ends the visit");
}

static void test_stats(struct desk *d)
{
	vt_send(d->vt, "\x17"); /* ^W */
	ok(vt_wait_text(d->vt, "IDO statistics", DESK_STEP_MS), "^W opens the statistics");
	ok(vt_wait_text(d->vt, ref.branch_name, DESK_STEP_MS), "of the volunteer's own branch");
	ok(vt_wait_row(d->vt, 2, "through", DESK_STEP_MS),
	   "the period runs from one date through the other (it includes the last day)");
	ok(vt_wait_text(d->vt, "5 questions, 70 minutes in all", DESK_STEP_MS),
	   "the totals count the questions just logged");
	static const struct {
		const char *label, *count;
	} bars[] = { { "Toeslagen", " 2" }, { "Belastingaangifte", " 1" }, { "DigiD-app", " 1" },
		     { "DigiD aanvragen", " 1" }, { "Belastingdienst", " 1" },
		     { "Dienst Toeslagen", " 1" }, { NULL, NULL } };
	/* The organisations are drawn last: then the whole chart is there. */
	int cells[2] = { 0, 0 };
	ok(vt_wait_text(d->vt, "Per topic", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Per organisation", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Dienst Toeslagen", DESK_STEP_MS),
	   "per topic and per organisation");
	for (size_t i = 0; bars[i].label; i++) {
		int row = -1;
		vt_wait_text(d->vt, bars[i].label, DESK_STEP_MS);
		if (vt_find(d->vt, bars[i].label, &row, NULL))
			vt_wait_row(d->vt, row, bars[i].count, DESK_STEP_MS);
		char *line = row >= 0 ? vt_row_dup(d->vt, row) : xstrdup("");
		size_t len = strlen(line), clen = strlen(bars[i].count);
		ok(strstr(line, "\u2588") && len > clen && strcmp(line + len - clen, bars[i].count) == 0,
		   "a bar for %s ending in%s: %s", bars[i].label, bars[i].count, line);
		for (const char *c = line; i < 2 && (c = strstr(c, "\u2588")); c += 3)
			cells[i]++;
		free(line);
	}
	ok(cells[1] > 0 && cells[0] >= 2 * cells[1] - 1 && cells[0] <= 2 * cells[1] + 1,
	   "the bar of 2 is twice as long as the bar of 1 (%d and %d cells)", cells[0], cells[1]);
	ok(!bottom_has(d, "Export"), "a volunteer is offered no export");
	vt_key(d->vt, "F9");
	ok(!vt_find(d->vt, "Save as", NULL, NULL), "and F9 does not start one");
}

/* beheer opens the IDO form with F7 and logs one question of 20 minutes on
 * the topic picked with what; F12 ends the visit, which says ended. */
static void log_one_question(struct desk *d, const char *what, const char *ended)
{
	ok(vt_wait_row(d->vt, 23, "F7 IDO", DESK_STEP_MS), "beheer is offered F7 IDO");
	vt_key(d->vt, "F7");
	ok(vt_wait_text(d->vt, "Digitale overheid", DESK_STEP_MS), "F7 opens the IDO form");
	type(d, "\t");
	type(d, what);
	type(d, "\t\t\t\t\t");
	type(d, "20");
	vt_key(d->vt, "F12");
	ok(vt_wait_text(d->vt, ended, DESK_STEP_MS), "F12 saves the question and ends the visit");
}

/* The whole of a small file in buf ("" when it cannot be read). */
static void read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, size - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
}

/* An export onto an existing file asks first; n leaves the file as it was,
 * y writes over it. */
static void test_export_overwrite(struct desk *d, const char *path)
{
	static const char mine[] = "my own notes, not an export\n";
	FILE *f = fopen(path, "w");
	if (!ok(f && fputs(mine, f) >= 0 && fclose(f) == 0, "a file of the user's own is there"))
		return;
	vt_key(d->vt, "F9");
	ok(vt_wait_text(d->vt, "Save as", DESK_STEP_MS), "F9 asks for a file name again");
	vt_send(d->vt, "\x15" "~/ido-export.csv\r");
	ok(vt_wait_text(d->vt, "ido-export.csv exists. Overwrite it? (y/n)", DESK_STEP_MS),
	   "the same name again: the desk asks before overwriting it");
	vt_send(d->vt, "n");
	ok(vt_wait_text(d->vt, "Not overwritten", DESK_STEP_MS), "n: not overwritten");
	char buf[4096];
	read_file(path, buf, sizeof buf);
	ok(strcmp(buf, mine) == 0, "and the file holds what it held (%.30s)", buf);
	vt_key(d->vt, "Enter");
	ok(vt_wait_text(d->vt, "Overwrite it? (y/n)", DESK_STEP_MS), "Enter asks again");
	vt_send(d->vt, "y");
	ok(vt_wait_text(d->vt, "Exported", DESK_STEP_MS), "y: the export is written");
	read_file(path, buf, sizeof buf);
	ok(strncmp(buf, "\xef\xbb\xbfmaand;", 8) == 0, "over the old file");
}

/* Exports go to the user's download directory or home, never to the
 * directory the desk was started from. */
static void test_export_where(struct desk *d)
{
	char cwd[1024] = "";
	char *rel = xasprintf("ido-rel-%ld.csv", (long)getpid());
	char *in_cwd = xasprintf("%s/%s", getcwd(cwd, sizeof cwd) ? cwd : "?", rel);
	char *full = xasprintf("%s/%s.", d->home, rel);
	vt_key(d->vt, "F9");
	ok(vt_wait_text(d->vt, "Save as", DESK_STEP_MS) && vt_wait_text(d->vt, "~/ido-", DESK_STEP_MS),
	   "F9 offers a name in the home directory (~/)");
	char *typed = xasprintf("\x15%s\r", rel);
	vt_send(d->vt, typed);
	ok(vt_wait_text(d->vt, full, DESK_STEP_MS), "a name alone goes in the home directory: %s",
	   full);
	full[strlen(full) - 1] = '\0';
	ok(unlink(full) == 0, "and the file is there");
	ok(access(in_cwd, F_OK) != 0, "not in the directory the desk was started from");
	if (access(in_cwd, F_OK) == 0)
		unlink(in_cwd);
	/* With a download directory in user-dirs.dirs, that is where it goes. */
	char *downloads = xasprintf("%s/Downloads", d->home);
	char *dirs = xasprintf("%s/.config/user-dirs.dirs", d->home);
	FILE *f = mkdir(downloads, 0700) == 0 ? fopen(dirs, "w") : NULL;
	bool made = f && fputs("# xdg-user-dirs\nXDG_DOWNLOAD_DIR=\"$HOME/Downloads\"\n", f) >= 0;
	if (f)
		made = fclose(f) == 0 && made;
	if (ok(made, "the user has a download directory in user-dirs.dirs")) {
		vt_key(d->vt, "F9");
		ok(vt_wait_text(d->vt, "~/Downloads/ido-", DESK_STEP_MS),
		   "F9 offers a name in ~/Downloads");
		free(full);
		full = xasprintf("%s/%s.", downloads, rel);
		vt_send(d->vt, typed);
		ok(vt_wait_text(d->vt, full, DESK_STEP_MS), "a name alone goes there: %s", full);
		full[strlen(full) - 1] = '\0';
		ok(unlink(full) == 0, "and the file is there");
	}
	free(downloads);
	free(dirs);
	free(typed);
	free(full);
	free(in_cwd);
	free(rel);
}

static void test_export(void)
{
	struct desk *d = start_logged_in("beheer");
	if (!ok(d != NULL, "beheer logs in"))
		return;
	log_one_question(d, "huur ", "Visit ended: 1 question saved");
	vt_send(d->vt, "\x1b" "s");
	ok(vt_wait_text(d->vt, "IDO statistics: all branches", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "1 question, 20 minutes in all", DESK_STEP_MS),
	   "Esc s opens the statistics of all branches");
	ok(vt_wait_row(d->vt, 23, "F9 Export", DESK_STEP_MS), "beheer is offered F9 Export");
	vt_key(d->vt, "F9");
	ok(vt_wait_text(d->vt, "Save as", DESK_STEP_MS), "F9 asks for a file name");
	vt_send(d->vt, "\x15" "~/ido-export.csv\r");
	ok(vt_wait_text(d->vt, "Exported", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "/ido-export.csv.", DESK_STEP_MS),
	   "Enter writes the file and says where");
	char *path = xasprintf("%s/ido-export.csv", d->home);
	char buf[4096];
	read_file(path, buf, sizeof buf);
	ok(strncmp(buf, "\xef\xbb\xbfmaand;vestiging;lijst;lijstnaam;code;omschrijving;aantal\r\n",
		   61) == 0,
	   "the file is the CSV export with its header");
	ok(strstr(buf, ";topic;onderwerp;housing;Wonen en huur;1\r\n") != NULL,
	   "holding the question just logged");
	test_export_overwrite(d, path);
	free(path);
	test_export_where(d);
	vt_key(d->vt, "F7");
	ok(vt_wait_text(d->vt, "IDO question log", DESK_STEP_MS), "F7 goes back to the form");
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
}

/* The volunteer's desk in Dutch: the form, its keys, the note's refusal
 * and the statistics. */
static void test_dutch(void)
{
	if (!ok(desk_need_locale("nl_NL.UTF-8"), "the locale nl_NL.UTF-8 exists"))
		return;
	struct desk *d = start_logged_in_as("ido", "nl_NL.UTF-8");
	if (!ok(d != NULL, "the volunteer logs in at a Dutch desk"))
		return;
	ok(vt_wait_text(d->vt, "IDO-vragen: vraag 1 van dit bezoek", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Soort vraag", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Onderwerpen", DESK_STEP_MS),
	   "the IDO form is in Dutch");
	ok(vt_wait_row(d->vt, 23, "F9 Volgende vraag", DESK_STEP_MS) &&
		   vt_wait_row(d->vt, 23, "F12 Bezoek klaar", DESK_STEP_MS),
	   "and so are its keys");
	type(d, "\tbel \t\t\t\t\t10\tBSN 123.456.782");
	ok(vt_wait_text(d->vt, "lijkt op een burgerservicenummer", DESK_STEP_MS),
	   "a BSN in the note is explained in Dutch");
	for (int i = 0; i < 12; i++)
		key(d, "Backspace");
	/* En dashes, as a word processor makes them, and a postcode: the desk
	 * names both kinds. One write, as a terminal sends each character. */
	vt_send(d->vt, "BSN 111\u2013222\u2013333, 3511 LX");
	if (!ok(vt_wait_text(d->vt, "staan een burgerservicenummer (BSN), een postcode",
			     DESK_STEP_MS),
		"a BSN written with en dashes and a postcode are both named, in Dutch"))
		vt_dump(d->vt, stdout);
	vt_send(d->vt, "\x15");
	ok(vt_wait_gone(d->vt, "staan een burgerservicenummer", DESK_STEP_MS),
	   "^U empties the note and the warning goes");
	vt_key(d->vt, "F9");
	ok(vt_wait_text(d->vt, "Vraag 1 opgeslagen", DESK_STEP_MS), "saved, in Dutch");
	vt_send(d->vt, "\x17");
	ok(vt_wait_text(d->vt, "IDO-statistiek", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "1 vraag, 10 minuten in totaal", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Per onderwerp", DESK_STEP_MS) &&
		   vt_wait_row(d->vt, 2, "Van 01-", DESK_STEP_MS),
	   "the statistics in Dutch, from the first of the month as dd-mm-jjjj");
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
}

/* The screen without its spaces and row ends: text wrapped over rows reads
 * as one. */
static char *screen_squeezed_dup(struct desk *d)
{
	char *screen = vt_screen_dup(d->vt);
	size_t n = 0;
	for (const char *c = screen; *c; c++)
		if (*c != ' ' && *c != '\n')
			screen[n++] = *c;
	screen[n] = '\0';
	return screen;
}

static bool screen_holds_squeezed(struct desk *d, const char *text)
{
	char *want = xstrdup(text);
	size_t n = 0;
	for (const char *c = text; *c; c++)
		if (*c != ' ')
			want[n++] = *c;
	want[n] = '\0';
	char *screen = screen_squeezed_dup(d);
	bool has = strstr(screen, want) != NULL;
	free(screen);
	free(want);
	return has;
}

/* At 80x24 in Dutch nothing is cut off: a long topic label in the chart,
 * and an export refused because its directory does not exist, with the
 * reason to its last word. */
static void test_dutch_nothing_cut(void)
{
	static const char *const labels[] = { "Computer, tablet of telefoon gebruiken", NULL };
	struct desk *d = start_logged_in_as("beheer", "nl_NL.UTF-8");
	if (!ok(d != NULL, "beheer logs in at a Dutch desk"))
		return;
	log_one_question(d, "comp ", "Bezoek afgesloten");
	vt_send(d->vt, "\x1b" "s");
	ok(vt_wait_text(d->vt, "1 vraag, 20 minuten in totaal", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Per organisatie", DESK_STEP_MS),
	   "the statistics of the question");
	vt_wait_quiet(d->vt, 200, DESK_STEP_MS);
	for (size_t i = 0; labels[i]; i++)
		ok(screen_holds_squeezed(d, labels[i]), "\"%s\" is on the screen, whole", labels[i]);
	vt_key(d->vt, "F9");
	ok(vt_wait_text(d->vt, "Opslaan als", DESK_STEP_MS), "F9 asks for a file name");
	vt_send(d->vt, "\x15" "~/een/map/die/er/niet/is/met/een/lange/naam/ido-export-van-deze-maand.csv\r");
	ok(vt_wait_text(d->vt, "kan niet", DESK_STEP_MS), "the export is refused");
	vt_wait_quiet(d->vt, 200, DESK_STEP_MS);
	ok(screen_holds_squeezed(d, "ido-export-van-deze-maand.csv kan niet worden geschreven: "
				    "Bestand of map bestaat niet"),
	   "with the path and the whole reason, \"niet\" included");
	for (size_t i = 0; labels[i]; i++)
		ok(screen_holds_squeezed(d, labels[i]), "and \"%s\" is still on the screen", labels[i]);
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
}

/* On an ASCII terminal the bars are '#' and no byte above 0x7f is written,
 * not even for the accents of the catalogue's labels. */
static void test_ascii_bars(void)
{
	struct desk *d = start_logged_in_as("ido", "C");
	if (!ok(d != NULL, "the volunteer logs in on an ASCII terminal"))
		return;
	ok(vt_wait_text(d->vt, "Bibliotheekdiensten", DESK_STEP_MS), "the IDO form comes up");
	type(d, "\tbel \t\t");
	type(d, "dig \t\t\t10");
	vt_key(d->vt, "F9");
	ok(saved(d, 1), "a question is saved");
	vt_send(d->vt, "\x17");
	ok(vt_wait_text(d->vt, "Per organisation", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Belastingaangifte ####", DESK_STEP_MS),
	   "the bars are drawn with #");
	ok(vt_high_bytes(d->vt) == 0, "no byte above 0x7f was written (%zu were)",
	   vt_high_bytes(d->vt));
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
}

int main(void)
{
	if (ok(ref_training_ask("ido", "oefenen", &ref),
	       "the training service lets ido/oefenen log in")) {
		struct desk *d = start_logged_in("ido");
		if (ok(d != NULL, "the volunteer logs in")) {
			test_ido_only_keys(d);
			test_three_questions(d);
			test_bsn_note(d);
			test_refused_question_kept(d);
			test_stats(d);
			ok(desk_stop(d), "balie ended cleanly and left nothing running");
		}
		test_export();
		test_ascii_bars();
		test_dutch();
		test_dutch_nothing_cut();
	}
	ref_training_free(&ref);
	return tap_done();
}
