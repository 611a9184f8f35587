/* The IDO statistics screen: a period (dd-mm-jjjj, this month so far by
 * default), then the totals and the counts per topic and per organisation
 * as horizontal bar charts; beheer exports the period as CSV to a file it
 * names. This module holds and draws the screen; app_ido.c does the calls. */
#ifndef BALIE_IDO_STATS_H
#define BALIE_IDO_STATS_H

#include "ui/actions.h"
#include "core/date.h"
#include "ui/widgets/field.h"
#include "client/idolog.h"

#include <curses.h>
#include <stdbool.h>

struct ido_stats_screen {
	struct field from, to, file;
	int focus;               /* 0 from, 1 to, 2 the file name while exporting */
	bool exporting;
	bool asking_overwrite;   /* the file exists: y or n */
	bool overwrite_ok;       /* the desk said yes for the name typed */
	struct ido_stats *stats; /* NULL until shown */
	char shown_from[DATE_STR_LEN], shown_to[DATE_STR_LEN]; /* ISO, of stats */
	char *scope;             /* "Centrale Bibliotheek" or "all branches" */
	char *message;
	bool message_error;
	bool busy;
};

enum ido_stats_do { IDO_STATS_NOTHING, IDO_STATS_FETCH, IDO_STATS_EXPORT, IDO_STATS_LEAVE };

void ido_stats_init(struct ido_stats_screen *s);
void ido_stats_free_screen(struct ido_stats_screen *s);
/* Opens the screen with this month so far; scope names what is counted. */
void ido_stats_open(struct ido_stats_screen *s, const char *scope);

bool ido_stats_takes_text(const struct ido_stats_screen *s, keycode k);
/* A typed key; IDO_STATS_EXPORT when it answered yes to overwriting. */
enum ido_stats_do ido_stats_key(struct ido_stats_screen *s, keycode k);
enum ido_stats_do ido_stats_action(struct ido_stats_screen *s, enum action a);

/* The period typed, as ISO dates; false after setting a message. */
bool ido_stats_period(struct ido_stats_screen *s, char from[DATE_STR_LEN], char to[DATE_STR_LEN]);
/* Takes the statistics of the period over. */
void ido_stats_set(struct ido_stats_screen *s, struct ido_stats *st, const char *from,
		   const char *to);
/* The file name typed, with a leading ~/ made the home directory and a
 * relative name put in the download directory (paths_download_dir_dup);
 * allocated. */
char *ido_stats_file_dup(const struct ido_stats_screen *s);
/* True when path exists and the desk has not yet said to overwrite it:
 * then the screen asks (y/n) and the export waits for the answer. */
bool ido_stats_ask_overwrite(struct ido_stats_screen *s, const char *path);
void ido_stats_set_message(struct ido_stats_screen *s, const char *msg, bool error);

void ido_stats_draw(struct ido_stats_screen *s, WINDOW *w, int top, int bottom, int cols,
		    int *cy, int *cx);

#endif
