/* The login screen in English and Dutch, a refused password, a successful
 * login, and what the desk writes to the terminal for them. */
#include "desk.h"
#include "ref.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static struct ref_training ref;

/* Waits until the login screen has settled (the branches have arrived from
 * the service: the preselected one is shown), then checks every word on it
 * as it is, so that a screen in the wrong language fails at once. */
static bool login_screen_settled(struct desk *d, const char *what)
{
	/* "beheer" is the last of the training accounts, drawn last. */
	return ok(vt_wait_text(d->vt, "oefenen", DESK_START_MS) &&
			  vt_wait_text(d->vt, ref.branch_name, DESK_STEP_MS) &&
			  vt_wait_text(d->vt, "beheer", DESK_STEP_MS),
		  "%s comes up with the branches", what);
}

static void expect_words(struct desk *d, const char *const *words, const char *screen)
{
	bool all = true;
	for (size_t i = 0; words[i]; i++)
		all = ok(vt_find(d->vt, words[i], NULL, NULL), "%s shows \"%s\"", screen,
			 words[i]) && all;
	if (!all)
		vt_dump(d->vt, stdout);
}

/* Types text one key at a time into the field under the cursor and prints
 * what each keystroke cost on the wire. The echo of a key is complete when
 * the cursor has moved on past it. */
static void measure_keystrokes(struct desk *d, const char *text, const char *field)
{
	int row, col;
	vt_cursor(d->vt, &row, &col);
	size_t total = 0, most = 0;
	for (size_t i = 0; text[i]; i++) {
		size_t before = vt_bytes(d->vt);
		char key[2] = {text[i], '\0'};
		vt_send(d->vt, key);
		if (!ok(vt_wait_cursor(d->vt, row, col + (int)i + 1, DESK_STEP_MS),
			"key %zu in the %s field moves the cursor on", i + 1, field))
			return;
		size_t cost = vt_bytes(d->vt) - before;
		diag("bytes written for key %zu ('%c') in the %s field: %zu", i + 1, text[i], field,
		     cost);
		total += cost;
		most = cost > most ? cost : most;
	}
	diag("bytes per keystroke in the %s field: %zu on average, %zu at most",
	     field, total / strlen(text), most);
	/* DESIGN.md section 7: at most 400 bytes for a whole scan; one key
	 * must cost far less than that, or the desk repaints too much. */
	ok(most <= 100, "a keystroke costs at most 100 bytes (most %zu)", most);
}

static void test_english(void)
{
	struct desk *d = desk_start(&(struct desk_opts){.lang = "C.UTF-8"});
	if (!ok(d != NULL, "balie starts under C.UTF-8"))
		return;
	if (login_screen_settled(d, "the login screen")) {
		static const char *const words[] = {"User name", "Password", "Branch", "balie",
						    "ido", "beheer", "oefenen", "TRAINING", NULL};
		expect_words(d, words, "the English login screen");
		ok(!vt_find(d->vt, "Wachtwoord", NULL, NULL), "no Dutch on it");
		vt_wait_quiet(d->vt, 300, DESK_STEP_MS);
		diag("bytes written up to the settled login screen: %zu", vt_bytes(d->vt));
		measure_keystrokes(d, "balie", "user name");
		/* Tab takes the cursor to the start of the password field, below
		 * the start of the user name. */
		int urow = -1, ucol, prow = -1;
		vt_find(d->vt, "User name", &urow, NULL);
		char *uline = vt_row_dup(d->vt, urow);
		const char *typed = strstr(uline, "balie");
		vt_find(d->vt, "Password", &prow, NULL);
		ucol = typed ? (int)(typed - uline) : -1; /* ASCII row: bytes are cells */
		free(uline);
		vt_key(d->vt, "Tab");
		if (ok(prow >= 0 && ucol >= 0 && vt_wait_cursor(d->vt, prow, ucol, DESK_STEP_MS),
		       "Tab goes to the password field"))
			measure_keystrokes(d, "oefenen", "password");
		ok(vt_key(d->vt, "F10"), "F10 sent");
		int status = -1;
		ok(vt_wait_exit(d->vt, DESK_STEP_MS, &status), "F10 leaves balie from the login screen");
	}
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
}

static void test_dutch_wrong_password(void)
{
	if (!ok(desk_need_locale("nl_NL.UTF-8"), "the locale nl_NL.UTF-8 exists"))
		return;
	struct desk *d = desk_start(&(struct desk_opts){.lang = "nl_NL.UTF-8"});
	if (!ok(d != NULL, "balie starts under nl_NL.UTF-8"))
		return;
	if (login_screen_settled(d, "the Dutch login screen")) {
		static const char *const words[] = {"Gebruikersnaam", "Wachtwoord", "Vestiging",
						    "oefenen", "OEFENOMGEVING", NULL};
		expect_words(d, words, "the Dutch login screen");
		ok(!vt_find(d->vt, "Password", NULL, NULL), "no English on it");
		desk_type_login(d, "balie", "xyzzy42");
		ok(vt_wait_text(d->vt, "Verkeerde gebruikersnaam of wachtwoord.", DESK_STEP_MS),
		   "a wrong password is refused in Dutch");
		ok(!vt_find(d->vt, "sessie", NULL, NULL),
		   "and the refusal does not mention an ended session");
		ok(vt_find(d->vt, "beheerder", NULL, NULL),
		   "the training account beheer is named beheerder");
		ok(!vt_find(d->vt, "xyzzy42", NULL, NULL), "the typed password is not shown");
		ok(vt_wait_row(d->vt, 23, "F1 Hulp", DESK_STEP_MS) &&
			   vt_wait_row(d->vt, 23, "F10 Stoppen", DESK_STEP_MS),
		   "the function keys are in Dutch");
		vt_send(d->vt, "\x1b" "1");
		ok(vt_wait_text(d->vt, "Sneltoetsen", DESK_STEP_MS) &&
			   vt_wait_text(d->vt, "Toon de sneltoetsen van dit scherm", DESK_STEP_MS),
		   "Esc then 1 opens the help screen, in Dutch");
		ok(vt_wait_text(d->vt, "Omhoog", DESK_STEP_MS) &&
			   vt_wait_text(d->vt, "Omlaag", DESK_STEP_MS) &&
			   vt_wait_text(d->vt, "Volgende pagina", DESK_STEP_MS),
		   "the help names the keys in Dutch: Omhoog, Omlaag, Volgende pagina");
		ok(!vt_find(d->vt, "Up", NULL, NULL) && !vt_find(d->vt, "Down", NULL, NULL) &&
			   !vt_find(d->vt, "PgDn", NULL, NULL),
		   "not Up, Down or PgDn");
		vt_key(d->vt, "Esc");
		ok(vt_wait_gone(d->vt, "Sneltoetsen", DESK_STEP_MS), "Esc closes the help");
		vt_send(d->vt, "\x15");
		vt_key(d->vt, "Up");
		vt_send(d->vt, "\x15");
		desk_type_login(d, "beheer", "oefenen");
		ok(vt_wait_text(d->vt, "Je bent aangemeld als beheer (beheerder)", DESK_STEP_MS),
		   "beheer logs in: the role reads beheerder");
	}
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
}

static void test_successful_login(const char *lang)
{
	/* The branch is preselected from balie.conf, so that the top line's
	 * branch does not depend on the order of the list. */
	char *conf = xasprintf("branch = %s\n", ref.branch_code);
	const struct desk_file files[] = {{".config/balie/balie.conf", conf}, {NULL, NULL}};
	struct desk *d = desk_start(&(struct desk_opts){.lang = lang, .files = files});
	free(conf);
	if (!ok(d != NULL, "balie starts under %s", lang))
		return;
	if (login_screen_settled(d, "the login screen")) {
		desk_type_login(d, "balie", "oefenen");
		ok(vt_wait_row(d->vt, 0, ref.staff_name, DESK_STEP_MS),
		   "the top line names the staff member %s", ref.staff_name);
		ok(vt_wait_row(d->vt, 0, ref.branch_name, DESK_STEP_MS),
		   "the top line names the branch %s", ref.branch_name);
		const char *state = strncmp(lang, "nl", 2) == 0 ? "OEFENOMGEVING" : "TRAINING";
		ok(vt_wait_row(d->vt, 0, state, DESK_STEP_MS), "the top line says %s", state);
		ok(vt_wait_gone(d->vt, "oefenen", DESK_STEP_MS), "the login screen is gone");
		char *top = vt_row_dup(d->vt, 0);
		diag("top line: %s", top);
		free(top);
		/* F10 logs out (back to the login screen), and there F10 quits. */
		vt_key(d->vt, "F10");
		ok(vt_wait_text(d->vt, "beheer", DESK_STEP_MS) &&
			   vt_wait_gone(d->vt, ref.staff_name, DESK_STEP_MS),
		   "F10 logs out: the login screen is back, the name is gone");
		vt_key(d->vt, "F10");
		ok(vt_wait_exit(d->vt, DESK_STEP_MS, NULL), "F10 there leaves balie");
	}
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
}

int main(void)
{
	if (ok(ref_training_ask("balie", "oefenen", &ref),
	       "the training service, asked directly, lets balie/oefenen log in")) {
		diag("the training service says: branch %s (%s), staff %s", ref.branch_code,
		     ref.branch_name, ref.staff_name);
		is_str(ref.staff_branch, ref.branch_code, "the reference session is at that branch");
		test_english();
		test_dutch_wrong_password();
		test_successful_login("C.UTF-8");
		if (ok(desk_need_locale("nl_NL.UTF-8"), "the locale nl_NL.UTF-8 exists"))
			test_successful_login("nl_NL.UTF-8");
	}
	ref_training_free(&ref);
	return tap_done();
}
