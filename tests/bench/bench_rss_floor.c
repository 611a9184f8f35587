/* The memory floor of the desk: a program that loads the shared
 * libraries balie is linked with (libcurl with everything Debian builds it
 * with, ncursesw, SQLite, cJSON) and starts each the way any program using
 * them must, and does nothing else. Its resident memory is what balie
 * cannot go below without other libraries; bench-desk reports balie's own
 * memory above it. Prints "VmRSS RssAnon" in kB of itself. */
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <curses.h>
#include <locale.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long status_kb(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	size_t len = strlen(field);
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, field, len) == 0 && line[len] == ':' &&
		    sscanf(line + len + 1, "%ld", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

int main(void)
{
	setlocale(LC_ALL, "");
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return 1;
	CURLM *multi = curl_multi_init();
	CURL *easy = curl_easy_init();
	sqlite3 *db = NULL;
	if (!multi || !easy || sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    sqlite3_exec(db, "CREATE TABLE t (x); INSERT INTO t VALUES (1)", NULL, NULL, NULL) !=
		    SQLITE_OK)
		return 1;
	cJSON *json = cJSON_Parse("{\"a\": 1}");
	/* curses on a terminal description, drawing into nowhere */
	FILE *out = fopen("/dev/null", "w");
	SCREEN *scr = out ? newterm(getenv("TERM") ? NULL : "xterm", out, stdin) : NULL;
	if (scr) {
		mvaddstr(0, 0, "balie");
		refresh();
	}
	long rss = status_kb("VmRSS"), anon = status_kb("RssAnon");
	if (scr) {
		endwin();
		delscreen(scr);
	}
	if (out)
		fclose(out);
	cJSON_Delete(json);
	sqlite3_close(db);
	curl_easy_cleanup(easy);
	curl_multi_cleanup(multi);
	curl_global_cleanup();
	printf("%ld %ld\n", rss, anon);
	return rss > 0 ? 0 : 1;
}
