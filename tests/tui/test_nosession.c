/* No work without a session: at the log-in screen every function key, its
 * Esc-digit twin and its control twin, and a keys file that binds
 * circulation actions globally and on the help screen, leave the desk on the
 * log-in screen or the help of the log-in screen (F1, and back); F1 and then
 * F2..F8 opens no circulation screen; a scan at the log-in screen, on its
 * own or after F1 F3, is not journaled (the journal file holds no entry). */
#include "desk.h"
#include "offsvc.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGIN_TEXT "User name"
#define HELP_TEXT "Key bindings: the log-in screen"
#define ITEM "31000000000013"

enum { QUIET_MS = 300 };

/* Where the desk settled after the last key: 'l' the log-in screen, 'h' its
 * help, '?' anything else (the screen is dumped). */
static char settled(struct vt *vt)
{
	vt_wait_quiet(vt, QUIET_MS, DESK_STEP_MS);
	bool login = vt_find(vt, LOGIN_TEXT, NULL, NULL);
	bool help = vt_find(vt, HELP_TEXT, NULL, NULL);
	if (login != help)
		return login ? 'l' : 'h';
	vt_dump(vt, stdout);
	return '?';
}

/* Sends a key by its name (vt_key) or as bytes (an Esc twin, a control key). */
static void press(struct vt *vt, const char *key)
{
	if (!vt_key(vt, key))
		vt_send(vt, key);
}

/* The printable name of a key for the test's words. */
static const char *key_name(const char *key, char buf[16])
{
	if (key[0] == '\x1b')
		snprintf(buf, 16, "Esc-%s", key + 1);
	else if ((unsigned char)key[0] < 0x20)
		snprintf(buf, 16, "^%c", key[0] + '@');
	else
		snprintf(buf, 16, "%s", key);
	return buf;
}

/* Every key of the default bindings that does something after a log-in,
 * and the ones the keys file below binds; F10 and its twins quit here. */
static const char *const at_login[] = {
	"F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F11", "F12",
	"\x1b" "2", "\x1b" "3", "\x1b" "4", "\x1b" "5", "\x1b" "6", "\x1b" "7", "\x1b" "8",
	"\x1b" "9", "\x1b" "-", "\x1b" "=",
	"\x0f", "\x0e", "\x12", "\x10", "\x06", "\x14", "\x19", "\x0b", "\x05",
	NULL,
};

/* On the help screen F10 and its twins are the global log out. */
static const char *const at_help[] = {
	"F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12",
	"\x1b" "2", "\x1b" "3", "\x1b" "4", "\x1b" "5", "\x1b" "6", "\x1b" "7", "\x1b" "8",
	"\x1b" "9", "\x1b" "0", "\x1b" "-", "\x1b" "=",
	"\x0f", "\x0e", "\x12", "\x10", "\x06", "\x14", "\x19", "\x0b", "\x18", "\x05", "\r",
	NULL,
};

static void test_keys_at_login(struct desk *d)
{
	struct vt *vt = d->vt;
	bool all = true;
	char name[16];
	for (size_t i = 0; at_login[i]; i++) {
		press(vt, at_login[i]);
		char at = settled(vt);
		if (at != 'l')
			diag("%s at the log-in screen left it ('%c')", key_name(at_login[i], name), at);
		all = all && at == 'l';
		if (at == 'h')
			vt_send(vt, "q");
		if (at == '?')
			break;
	}
	ok(all, "at the log-in screen every function key and its twins leave the desk there");
}

static void test_keys_at_help(struct desk *d)
{
	struct vt *vt = d->vt;
	bool all = true;
	char name[16];
	for (size_t i = 0; at_help[i]; i++) {
		vt_key(vt, "F1");
		if (!ok(settled(vt) == 'h', "F1 opens the help of the log-in screen"))
			return;
		press(vt, at_help[i]);
		/* Esc then a digit the help screen does not bind is Esc (back)
		 * and the digit: the log-in screen again */
		char at = settled(vt);
		if (at == '?')
			diag("F1 then %s left for another screen", key_name(at_help[i], name));
		all = all && at != '?';
		if (at == '?')
			break;
		if (at == 'h')
			vt_send(vt, "q");
		if (!ok(settled(vt) == 'l', "back on the log-in screen"))
			return;
	}
	ok(all, "F1 then any function key, twin or bound key leaves the desk on the help of the log-in screen or on that screen");
	char *screen = vt_screen_dup(vt);
	ok(!strstr(screen, "Check out") && !strstr(screen, "Check in"),
	   "and the log-in screen offers no circulation");
	free(screen);
}

static void test_scan_at_login(struct desk *d)
{
	struct vt *vt = d->vt;
	vt_key(vt, "F1");
	vt_key(vt, "F3");
	vt_scan(vt, ITEM);
	ok(settled(vt) == 'h', "F1, F3 and a scan: still the help of the log-in screen");
	vt_send(vt, "q");
	ok(settled(vt) == 'l', "q goes back to the log-in screen");
	vt_scan(vt, ITEM);
	ok(settled(vt) != '?', "a scan at the log-in screen stays there");
	vt_send(vt, "\x15"); /* ^U */
	long long n = offsvc_journal_int(d->home, "SELECT count(*) FROM entries");
	ok(n == 0, "nothing was journaled without a staff member (%lld entries)", n);
}

int main(void)
{
	static const struct desk_file files[] = {
		{".config/balie/keys",
		 "# circulation bound around the log-in screen\n"
		 "bind global ^E checkin\n"
		 "bind help Enter checkout\n"},
		{NULL, NULL},
	};
	struct desk *d = desk_start(&(struct desk_opts){.files = files});
	if (!ok(d != NULL, "balie starts with a keys file binding circulation globally"))
		return tap_done();
	if (ok(vt_wait_text(d->vt, "beheer", DESK_START_MS), "the log-in screen comes up")) {
		test_keys_at_login(d);
		test_keys_at_help(d);
		test_scan_at_login(d);
	}
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
	return tap_done();
}
