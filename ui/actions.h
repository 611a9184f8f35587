/* Everything a key can do, defined once (DESIGN.md section 4): the enum, the
 * help screen, the function-key line, `balie --keys` and balie-keys(5) all
 * come from these tables. */
#ifndef BALIE_ACTIONS_H
#define BALIE_ACTIONS_H

#include "core/i18n.h"

#include <stdbool.h>

/* The screens a binding can name; "global" applies on every screen where the
 * action works, unless the screen binds the same key itself.
 * X(enum name, name in key files, what the screen is, in English) */
#define BALIE_SCREENS(X) \
	X(GLOBAL, "global", N_("every screen")) \
	X(LOGIN, "login", N_("the log-in screen")) \
	X(LOCK, "lock", N_("the locked desk")) \
	X(HELP, "help", N_("the key bindings")) \
	X(HOME, "home", N_("the desk after logging in")) \
	X(CHECKOUT, "checkout", N_("checking items out to a patron")) \
	X(CHECKIN, "checkin", N_("checking items in")) \
	X(RENEW, "renew", N_("renewing by item barcode")) \
	X(PATRON, "patron", N_("finding a patron, with the loans")) \
	X(IDO, "ido", N_("the IDO question log")) \
	X(IDO_STATS, "ido-stats", N_("the IDO statistics")) \
	X(ENROL, "enrol", N_("enrolling a youth member")) \
	X(QUEUE, "queue", N_("the offline queue: what the service refused on replay")) \
	X(TITLES, "titles", N_("finding a title, and placing a hold on it for a patron")) \
	X(HOLDSHELF, "holdshelf", N_("the hold shelf: what to take off today, what waits, whom to phone")) \
	X(ACCOUNT, "account", N_("the patron's account: paying and waiving")) \
	X(CASHUP, "cashup", N_("the cash-up of this desk for today"))

enum ui_screen {
#define SCREEN_ENUM(name, id, text) SCREEN_##name,
	BALIE_SCREENS(SCREEN_ENUM)
#undef SCREEN_ENUM
	SCREEN_COUNT
};

#define ON(s) (1u << SCREEN_##s)
#define ON_CIRC (ON(CHECKOUT) | ON(CHECKIN) | ON(RENEW) | ON(PATRON) | ON(TITLES) | ON(HOLDSHELF))
#define ON_IDO (ON(IDO) | ON(IDO_STATS))
#define ON_MONEY (ON(ACCOUNT) | ON(CASHUP))
#define ON_LOGGED_IN (ON(HOME) | ON(HELP) | ON_CIRC | ON_IDO | ON(ENROL) | ON(QUEUE) | ON_MONEY)

/* X(enum name, name in key files, short label for the function-key line,
 *   help text, the screens where it works) */
#define BALIE_ACTIONS(X) \
	X(HELP, "help", N_("Help"), N_("Show the key bindings of this screen"), \
	  ON(GLOBAL) | ON(LOGIN) | ON(HOME) | ON_CIRC | ON_IDO | ON(ENROL) | ON(QUEUE) | ON_MONEY) \
	X(REDRAW, "redraw", N_("Redraw"), N_("Repaint the whole screen"), \
	  ON(GLOBAL) | ON(LOGIN) | ON(LOCK) | ON(HELP) | ON(HOME) | ON_CIRC | ON_IDO | ON(ENROL) | \
	  ON(QUEUE) | ON_MONEY) \
	X(LOGOUT, "logout", N_("Log out"), N_("Log out and return to the log-in screen"), \
	  ON(GLOBAL) | ON(LOCK) | ON_LOGGED_IN) \
	X(LOCK, "lock", N_("Lock"), N_("Lock the desk until your password is given again"), \
	  ON(GLOBAL) | ON_LOGGED_IN) \
	X(QUIT, "quit", N_("Quit"), N_("Leave balie"), ON(GLOBAL) | ON(LOGIN)) \
	X(NEXT_FIELD, "next-field", N_("Next"), N_("Go to the next field"), \
	  ON(LOGIN) | ON(PATRON) | ON_IDO | ON(ENROL) | ON(ACCOUNT)) \
	X(PREV_FIELD, "prev-field", N_("Previous"), N_("Go to the previous field"), \
	  ON(LOGIN) | ON(PATRON) | ON_IDO | ON(ENROL) | ON(ACCOUNT)) \
	X(SUBMIT, "submit", N_("OK"), N_("Log in, or unlock the desk, with what was typed"), \
	  ON(LOGIN) | ON(LOCK) | ON(ACCOUNT)) \
	X(NEXT_BRANCH, "next-branch", N_("Branch"), N_("Choose the next branch"), \
	  ON(LOGIN) | ON(TITLES)) \
	X(PREV_BRANCH, "prev-branch", N_("Branch"), N_("Choose the previous branch"), \
	  ON(LOGIN) | ON(TITLES)) \
	X(CHECKOUT, "checkout", N_("Check out"), N_("Check items out to a patron"), \
	  ON(GLOBAL) | ON_LOGGED_IN) \
	X(CHECKIN, "checkin", N_("Check in"), N_("Check items in and see where each goes"), \
	  ON(GLOBAL) | ON_LOGGED_IN) \
	X(RENEW, "renew", N_("Renew"), N_("Renew loans by item barcode"), ON(GLOBAL) | ON_LOGGED_IN) \
	X(PATRON, "patron", N_("Patron"), N_("Find a patron by card, or by name and date of birth"), \
	  ON(GLOBAL) | ON_LOGGED_IN) \
	X(SCAN, "scan", N_("Scan"), \
	  N_("Take the card or barcode that was typed or scanned, or open the chosen patron"), \
	  ON_CIRC) \
	X(OVERRIDE, "override", N_("Override"), \
	  N_("Override the refusal with a reason, or renew an item the patron already has"), \
	  ON(CHECKOUT) | ON(RENEW) | ON(ENROL)) \
	X(END_PATRON, "end-patron", N_("Done"), \
	  N_("End this patron's visit; the next scan is a card"), ON(CHECKOUT)) \
	X(PRINT_SLIP, "print-slip", N_("Slip"), \
	  N_("Print the loan slip and end this patron's visit"), ON(CHECKOUT) | ON(ENROL) | \
	  ON(CASHUP)) \
	X(CANCEL, "cancel", N_("Cancel"), N_("Empty the field, or stop giving a reason"), \
	  ON_CIRC | ON(ENROL) | ON(ACCOUNT)) \
	X(SELECT, "select", N_("Select"), N_("Select or unselect the loan under the cursor"), \
	  ON(PATRON) | ON(ACCOUNT)) \
	X(RENEW_SELECTED, "renew-selected", N_("Renew"), \
	  N_("Renew the selected loans, or the one under the cursor"), ON(PATRON)) \
	X(ACCOUNT, "account", N_("Settle"), \
	  N_("Open the patron's account: pay or waive what is open"), ON(PATRON)) \
	X(PAY, "pay", N_("Pay"), \
	  N_("Pay, in cash or by pin: the amount is the balance unless changed"), ON(ACCOUNT)) \
	X(WAIVE, "waive", N_("Waive"), \
	  N_("Waive the selected charges, or the one under the cursor, with a reason"), \
	  ON(ACCOUNT)) \
	X(CASHUP, "cashup", N_("Cash-up"), \
	  N_("Show today's cash-up of this desk, by method and kind"), \
	  ON(GLOBAL) | ON_LOGGED_IN) \
	X(ENROL, "enrol", N_("Enrol"), \
	  N_("Enrol a child or teenager as a youth member, free under 18"), \
	  ON(GLOBAL) | ON_LOGGED_IN) \
	X(ENROL_SUBMIT, "enrol-submit", N_("Send"), \
	  N_("Check the form and send the enrolment"), ON(ENROL)) \
	X(ENROL_CLEAR, "enrol-clear", N_("Clear"), \
	  N_("Empty the whole form, after a yes or no question"), ON(ENROL)) \
	X(IDO, "ido", N_("IDO"), \
	  N_("Log the questions of the Informatiepunt Digitale Overheid"), \
	  ON(GLOBAL) | ON_LOGGED_IN) \
	X(IDO_PICK, "ido-pick", N_("Pick"), \
	  N_("Choose the highlighted entry of the list, or drop it again"), ON(IDO)) \
	X(IDO_UP, "ido-up", N_("Up"), N_("Highlight the entry above in the list"), ON(IDO)) \
	X(IDO_DOWN, "ido-down", N_("Down"), N_("Highlight the entry below in the list"), ON(IDO)) \
	X(IDO_SAVE, "ido-save", N_("Next question"), \
	  N_("Save the question and start the next question of the same visit"), ON(IDO)) \
	X(IDO_END_VISIT, "ido-end-visit", N_("Visit done"), \
	  N_("Save the question, if any, and end the visit"), ON(IDO)) \
	X(IDO_STATS, "ido-stats", N_("Statistics"), \
	  N_("Show the IDO statistics of a period as bar charts"), ON(IDO)) \
	X(IDO_SHOW, "ido-show", N_("Show"), \
	  N_("Show the statistics of the period typed, or write the export file"), \
	  ON(IDO_STATS)) \
	X(IDO_EXPORT, "ido-export", N_("Export"), \
	  N_("Export the period as a CSV file for the municipality (administration only)"), \
	  ON(IDO_STATS)) \
	X(QUEUE, "queue", N_("Queue"), \
	  N_("Show the offline queue: transactions the service refused when they were sent later"), \
	  ON(GLOBAL) | ON_LOGGED_IN) \
	X(QUEUE_RETRY, "queue-retry", N_("Override"), \
	  N_("Send the chosen transaction again with an override and a reason"), ON(QUEUE)) \
	X(QUEUE_HANDLED, "queue-handled", N_("Handled"), \
	  N_("Mark the chosen transaction as handled, with a note"), ON(QUEUE)) \
	X(QUEUE_UP, "queue-up", N_("Up"), N_("Choose the transaction above"), ON(QUEUE)) \
	X(QUEUE_DOWN, "queue-down", N_("Down"), N_("Choose the transaction below"), ON(QUEUE)) \
	X(QUEUE_CANCEL, "queue-cancel", N_("Cancel"), N_("Stop giving a reason or a note"), \
	  ON(QUEUE)) \
	X(QUEUE_SEND, "queue-send", N_("Send"), N_("Send the reason or the note that was typed"), \
	  ON(QUEUE)) \
	X(TITLES, "titles", N_("Titles"), \
	  N_("Find a title by words of its title or author, or by ISBN"), \
	  ON(GLOBAL) | ON_LOGGED_IN) \
	X(PLACE_HOLD, "place-hold", N_("Hold"), \
	  N_("Place a hold on the chosen title for the patron, to fetch at the branch shown"), \
	  ON(PATRON) | ON(TITLES)) \
	X(CANCEL_HOLD, "cancel-hold", N_("Cancel hold"), \
	  N_("Cancel the chosen hold of the patron, with a reason"), ON(PATRON)) \
	X(HOLDSHELF, "holdshelf", N_("Hold shelf"), \
	  N_("Show the hold shelf: what to take off today, what waits, whom to phone"), \
	  ON(GLOBAL) | ON_LOGGED_IN) \
	X(HOLDSHELF_REFRESH, "holdshelf-refresh", N_("Refresh"), \
	  N_("Ask the service for the hold shelf's lists again"), ON(HOLDSHELF)) \
	X(BACK, "back", N_("Back"), N_("Return to the previous screen"), \
	  ON(HELP) | ON(IDO_STATS) | ON(TITLES) | ON(CASHUP)) \
	X(SCROLL_UP, "scroll-up", N_("Up"), N_("Scroll up one line"), \
	  ON(HELP) | ON(PATRON) | ON(TITLES) | ON(HOLDSHELF) | ON(ACCOUNT)) \
	X(SCROLL_DOWN, "scroll-down", N_("Down"), N_("Scroll down one line"), \
	  ON(HELP) | ON(PATRON) | ON(TITLES) | ON(HOLDSHELF) | ON(ACCOUNT)) \
	X(PAGE_UP, "page-up", N_("Page up"), N_("Scroll up one page"), ON(HELP)) \
	X(PAGE_DOWN, "page-down", N_("Page down"), N_("Scroll down one page"), ON(HELP)) \
	X(TOP, "top", N_("Top"), N_("Go to the top"), ON(HELP)) \
	X(BOTTOM, "bottom", N_("End"), N_("Go to the end"), ON(HELP))

/* Where a shared action means something else on one screen, the help screen
 * says so: X(action, screen, help text there). */
#define BALIE_SCREEN_HELP(X) \
	X(PRINT_SLIP, ENROL, N_("Print the welcome slip of the member just enrolled")) \
	X(OVERRIDE, ENROL, \
	  N_("Enrol anyway, with a reason, a child the service took for a member it has")) \
	X(CANCEL, ENROL, N_("Stop giving the reason for enrolling anyway")) \
	X(OVERRIDE, RENEW, N_("Renew anyway, with a reason, a loan of a blocked patron")) \
	X(ENROL, ENROL, N_("Start the next enrolment, with an empty form")) \
	X(PLACE_HOLD, PATRON, N_("Find a title to place a hold on for this patron")) \
	X(SCAN, TITLES, N_("Search for the words or the ISBN that were typed")) \
	X(SCAN, HOLDSHELF, N_("Take the scanned item off the hold shelf and show where it goes")) \
	X(NEXT_BRANCH, TITLES, N_("Choose the next branch to fetch the hold at")) \
	X(PREV_BRANCH, TITLES, N_("Choose the previous branch to fetch the hold at")) \
	X(BACK, TITLES, N_("Return to the patron")) \
	X(SUBMIT, ACCOUNT, N_("Pay or waive with what was typed")) \
	X(NEXT_FIELD, ACCOUNT, N_("Choose the other method: cash or pin")) \
	X(PREV_FIELD, ACCOUNT, N_("Choose the other method: cash or pin")) \
	X(SELECT, ACCOUNT, N_("Select or unselect the charge under the cursor")) \
	X(CANCEL, ACCOUNT, N_("Stop paying or waiving, or go back to the patron")) \
	X(PRINT_SLIP, CASHUP, N_("Print the cash-up as a slip"))

enum action {
	ACTION_NONE,
#define ACTION_ENUM(name, id, label, help, screens) ACTION_##name,
	BALIE_ACTIONS(ACTION_ENUM)
#undef ACTION_ENUM
	ACTION_COUNT
};

/* The name used in key files ("help"); NULL for ACTION_NONE. */
const char *action_name(enum action a);
/* The short label and the help text, translated. */
const char *action_label(enum action a);
const char *action_help(enum action a);
/* True when the label has a translation in the present language. */
bool action_label_translated(enum action a);
/* The help text of a on screen s: its own words there (BALIE_SCREEN_HELP),
 * else action_help. */
const char *action_help_on(enum action a, enum ui_screen s);
/* ACTION_NONE when name is not an action. */
enum action action_from_name(const char *name);
/* True when the action does something on screen s (or may be bound globally,
 * for SCREEN_GLOBAL). */
bool action_works_on(enum action a, enum ui_screen s);
/* True for the actions that move through a list: line, page, top, end. */
bool action_scrolls(enum action a);
/* True for the actions a desk without a session may use: those of the
 * log-in screen, its help screen and quit. Nothing else is reachable
 * before a staff member has logged in, whatever a key file binds. */
bool action_without_session(enum action a);
/* The screen action a opens (the help, check out, the IDO form, ...), or
 * SCREEN_COUNT for an action that opens none. */
enum ui_screen action_screen(enum action a);

const char *screen_name(enum ui_screen s);
/* The English description of a screen, translated. */
const char *screen_text(enum ui_screen s);
/* False when name is not a screen. */
bool screen_from_name(const char *name, enum ui_screen *out);

#endif
