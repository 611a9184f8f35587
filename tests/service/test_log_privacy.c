/* No personal data in balied's log (balied(8), RUNNING BALIED, Logs): a
 * training balied at the level debug gets a call of every route of the
 * route table, the desk's own traffic with the demo data (look-ups by card
 * and by name, check-outs with an override, check-ins, renewals, holds, an
 * enrolment with a guardian, IDO questions with notes, the export, failed
 * logins with a card scanned into the user name) and the daily commands;
 * then its log, and what the commands wrote to standard error, must hold no
 * card number, given or family name, e-mail address, phone number,
 * postcode or birth date of any patron, guardian or staff member in its
 * database. */
#include "core/jsonx.h"
#include "core/uuid.h"
#include "core/xalloc.h"
#include "service/api/router.h"
#include "tap.h"

#include "harness.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The demo patron whose data the traffic carries: one with an e-mail address. */
struct victim {
	char card[15], given[64], family[64], email[96], postcode[16];
};

static struct api_reply *send_json(struct api *api, const char *method, const char *path,
				   const char *json, bool keyed)
{
	cJSON *body = json ? cJSON_Parse(json) : NULL;
	char key[UUID_STR_LEN];
	uuid_v4(key);
	struct api_reply *r = api_call(api, method, path, body, keyed ? key : NULL);
	cJSON_Delete(body);
	return r;
}

/* Sends and forgets the answer; returns its status. */
static long call(struct api *api, const char *method, const char *path, const char *json,
		 bool keyed)
{
	struct api_reply *r = send_json(api, method, path, json, keyed);
	long status = r->status;
	api_reply_free(r);
	return status;
}

static struct api *logged_in(const struct harness *h, const char *user)
{
	struct api *api = harness_api(h);
	struct api_reply *r = harness_login(api, user, "oefenen", "CEN");
	const char *token = r->body ? jsonx_string(r->body, "token") : NULL;
	if (token)
		api_set_token(api, token);
	api_reply_free(r);
	return api;
}

static bool text_col(sqlite3_stmt *st, int col, char *out, size_t len)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	snprintf(out, len, "%s", t ? (const char *)t : "");
	return t != NULL;
}

static bool victim_read(const char *db_path, struct victim *v)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	bool found = false;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db,
			       "SELECT card, given_name, family_name, email, postcode FROM patrons"
			       " WHERE email IS NOT NULL AND manual_block IS NULL ORDER BY id LIMIT 1",
			       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		text_col(st, 0, v->card, sizeof v->card);
		text_col(st, 1, v->given, sizeof v->given);
		text_col(st, 2, v->family, sizeof v->family);
		text_col(st, 3, v->email, sizeof v->email);
		text_col(st, 4, v->postcode, sizeof v->postcode);
		found = true;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return found;
}

/* The pattern with each {...} segment replaced by fill (allocated). */
static char *path_of(const char *pattern, const char *fill)
{
	char *out = xstrdup("");
	for (const char *p = pattern; *p;) {
		const char *open = strchr(p, '{');
		size_t plain = open ? (size_t)(open - p) : strlen(p);
		char *next = xasprintf("%s%.*s%s", out, (int)plain, p, open ? fill : "");
		free(out);
		out = next;
		if (!open)
			break;
		const char *close = strchr(open, '}');
		p = close ? close + 1 : open + strlen(open);
	}
	return out;
}

/* Every route of the table, called with the victim's data in its path and
 * body, by the desk and by administration: most are refused for their
 * content, which is the point (a refusal's line must not quote it). */
static void every_route(struct api *desk, struct api *admin, const struct victim *v)
{
	char *body = xasprintf("{\"patron_card\":\"%s\",\"item_barcode\":\"%s\",\"given_name\":"
			       "\"%s\",\"family_name\":\"%s\",\"email\":\"%s\",\"postcode\":\"%s\","
			       "\"note\":\"%s %s belde\",\"name\":\"%s %s\",\"username\":\"%s\"}",
			       v->card, v->card, v->given, v->family, v->email, v->postcode,
			       v->given, v->family, v->given, v->family, v->card);
	for (const struct route *r = router_routes; r->method; r++) {
		if (strcmp(r->method, "DELETE") == 0 && strcmp(r->pattern, "/session") == 0)
			continue; /* the end of the run logs out */
		char *path = path_of(r->pattern, v->card);
		bool has_body = strcmp(r->method, "GET") != 0 && strcmp(r->method, "DELETE") != 0;
		call(desk, r->method, path, has_body ? body : NULL, r->idempotent);
		call(admin, r->method, path, has_body ? body : NULL, r->idempotent);
		free(path);
	}
	free(body);
}

/* The desk's own work with the demo data, as a day at the desk has it. */
static void circulation(struct api *desk, const struct victim *v)
{
	char path[160], card[15], blocked[15], barcode[15], json[512];
	snprintf(path, sizeof path, "/patrons/%s", v->card);
	call(desk, "GET", path, NULL, false);
	snprintf(path, sizeof path, "/patrons?q=%s", v->family);
	for (char *c = path; *c; c++)
		*c = *c == ' ' ? '+' : *c;
	call(desk, "GET", path, NULL, false);
	snprintf(path, sizeof path, "/patrons?q=%s", v->card);
	call(desk, "GET", path, NULL, false);
	harness_demo_code("21000", 9999, card);
	snprintf(path, sizeof path, "/patrons/%s", card);
	call(desk, "GET", path, NULL, false);
	/* Out, renewed, in; and out to the blocked patron with an override. */
	harness_demo_code("3100000", 300, barcode);
	api_reply_free(harness_post_item(desk, "/checkouts", v->card, barcode));
	api_reply_free(harness_post_item(desk, "/renewals", NULL, barcode));
	api_reply_free(harness_post_item(desk, "/checkins", NULL, barcode));
	harness_demo_code("21000", 21, blocked);
	harness_demo_code("3100000", 301, barcode);
	api_reply_free(harness_post_item(desk, "/checkouts", blocked, barcode));
	snprintf(json, sizeof json,
		 "{\"patron_card\":\"%s\",\"item_barcode\":\"%s\",\"override\":{\"blocks\":"
		 "[\"manual_block\"],\"reason\":\"%s %s liet %s zien\"}}",
		 blocked, barcode, v->given, v->family, v->email);
	call(desk, "POST", "/checkouts", json, true);
	api_reply_free(harness_post_item(desk, "/checkins", NULL, barcode));
	/* Items on loan in the demo data come back. */
	for (unsigned n = 450; n < 455; n++) {
		harness_demo_code("3100000", n, barcode);
		api_reply_free(harness_post_item(desk, "/checkins", NULL, barcode));
	}
}

static void holds(struct api *desk, const struct victim *v)
{
	struct api_reply *r = send_json(desk, "GET", "/titles?q=De", NULL, false);
	const cJSON *first = cJSON_GetArrayItem(r->body ? jsonx_array(r->body, "titles") : NULL, 0);
	char title[24] = "1";
	if (first && jsonx_string(first, "id"))
		snprintf(title, sizeof title, "%s", jsonx_string(first, "id"));
	api_reply_free(r);
	char json[256];
	snprintf(json, sizeof json,
		 "{\"patron_card\":\"%s\",\"title_id\":\"%s\",\"pickup_branch\":\"NRD\"}", v->card,
		 title);
	r = send_json(desk, "POST", "/holds", json, true);
	const char *id = r->body ? jsonx_string(jsonx_object(r->body, "hold"), "id") : NULL;
	char path[64];
	snprintf(path, sizeof path, "/holds/%s", id ? id : "0");
	api_reply_free(r);
	call(desk, "DELETE", path, NULL, true);
}

/* A youth enrolment with a guardian, and the same child again (refused as a
 * duplicate, then enrolled with the override). */
static void enrolment(struct api *desk, const struct victim *v)
{
	char birth[16], json[768];
	time_t now = time(NULL) - 10 * 366 * 86400L;
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(birth, sizeof birth, "%Y-%m-%d", &tm);
	snprintf(json, sizeof json,
		 "{\"kind\":\"youth\",\"given_name\":\"%s\",\"family_name\":\"%s\","
		 "\"birth_date\":\"%s\",\"postcode\":\"%s\",\"house_number\":\"7\","
		 "\"email\":\"%s\",\"phone\":\"06-87654321\",\"branch\":\"CEN\","
		 "\"guardian\":{\"name\":\"Ingrid %s\",\"relation\":\"parent\","
		 "\"phone\":\"06-11223344\",\"email\":\"ouder.%s\",\"consent\":true}%s}",
		 v->given, v->family, birth, v->postcode, v->email, v->family, v->email, "");
	call(desk, "POST", "/memberships", json, true);
	call(desk, "POST", "/memberships", json, true);
	json[strlen(json) - 1] = '\0';
	strcat(json, ",\"override\":{\"blocks\":[\"duplicate_member\"],\"reason\":\"legitimatiebewijs\"}}");
	call(desk, "POST", "/memberships", json, true);
	call(desk, "GET", "/memberships/rules", NULL, false);
}

/* The first code of a catalogue list, or "x". */
static const char *first_code(const cJSON *catalog, const char *list)
{
	const cJSON *item = cJSON_GetArrayItem(catalog ? jsonx_array(catalog, list) : NULL, 0);
	const char *code = item ? jsonx_string(item, "code") : NULL;
	return code ? code : "x";
}

static void ido(struct api *volunteer, struct api *admin, const struct victim *v)
{
	struct api_reply *cat = send_json(volunteer, "GET", "/ido/catalog", NULL, false);
	const char *notes[3][2] = { { v->given, "vroeg naar DigiD" },
				    { v->email, "mailde" },
				    { v->family, "kwam terug" } };
	for (size_t i = 0; i < 3; i++) {
		char json[768];
		snprintf(json, sizeof json,
			 "{\"visit_id\":\"visit-%zu\",\"class\":\"%s\",\"topics\":[\"%s\"],"
			 "\"organisations\":[\"%s\"],\"help\":[\"%s\"],\"outcome\":\"%s\","
			 "\"minutes\":10,\"channel\":\"%s\",\"note\":\"%s %s\"}",
			 i, first_code(cat->body, "classes"), first_code(cat->body, "topics"),
			 first_code(cat->body, "organisations"), first_code(cat->body, "help_kinds"),
			 first_code(cat->body, "outcomes"), first_code(cat->body, "channels"),
			 notes[i][0], notes[i][1]);
		call(volunteer, "POST", "/ido/questions", json, true);
	}
	api_reply_free(cat);
	call(volunteer, "GET", "/ido/stats?from=2020-01-01&to=2040-12-31", NULL, false);
	call(admin, "GET", "/ido/export.csv?from=2020-01-01&to=2040-12-31", NULL, false);
}

/* Logins that fail: a card scanned into the user name, a name, an address;
 * and raw requests whose framing the HTTP library refuses, on a card's path. */
static void hostile(const struct harness *h, const struct victim *v)
{
	const char *names[] = { v->card, v->family, v->email };
	for (size_t i = 0; i < 3; i++) {
		struct api *api = harness_api(h);
		api_reply_free(harness_login(api, names[i], "oefenen", "CEN"));
		api_free(api);
	}
	char req[512];
	int n = snprintf(req, sizeof req,
			 "GET /api/v1/patrons/%s HTTP/1.1\r\nHost: x\r\nContent-Length: +0\r\n\r\n",
			 v->card);
	harness_raw(h, NULL, req, (size_t)n, NULL);
	n = snprintf(req, sizeof req,
		     "GET /api/v1/patrons/%s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n"
		     "Connection: close\r\n\r\n", v->card);
	harness_raw(h, NULL, req, (size_t)n, NULL);
	n = snprintf(req, sizeof req, "GET /%s/%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
		     v->card, v->email);
	harness_raw(h, NULL, req, (size_t)n, NULL);
}

/* What must not be in the log, from the database after the traffic. */
struct forbidden {
	char **values;
	bool *whole_word;
	size_t n;
};

static void forbid(struct forbidden *f, const char *value, bool whole_word)
{
	if (!value || strlen(value) < 3)
		return;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->values[i], value) == 0)
			return;
	f->values = xrealloc(f->values, (f->n + 1) * sizeof *f->values);
	f->whole_word = xrealloc(f->whole_word, (f->n + 1) * sizeof *f->whole_word);
	f->values[f->n] = xstrdup(value);
	f->whole_word[f->n++] = whole_word;
}

/* Each column of sql's rows; names (whole words) first, codes after. */
static bool forbid_rows(struct forbidden *f, sqlite3 *db, const char *sql, int n_words)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return false;
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(st); c++) {
			const unsigned char *t = sqlite3_column_text(st, c);
			if (!t)
				continue;
			forbid(f, (const char *)t, c < n_words);
			/* A name of several words: each word too ("de Vries": "Vries"). */
			if (c < n_words && strchr((const char *)t, ' ')) {
				char *copy = xstrdup((const char *)t), *save = NULL;
				for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
					if (isupper((unsigned char)w[0]) || (unsigned char)w[0] >= 0x80)
						forbid(f, w, true);
				free(copy);
			}
		}
	}
	sqlite3_finalize(st);
	return true;
}

static bool forbidden_read(const char *db_path, struct forbidden *f)
{
	sqlite3 *db = NULL;
	bool ok = sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
		  forbid_rows(f, db, "SELECT given_name, family_name, card, email, phone, postcode,"
				     " replace(postcode, ' ', ''), birth_date FROM patrons", 2) &&
		  forbid_rows(f, db, "SELECT name, phone, email FROM guardians", 1) &&
		  forbid_rows(f, db, "SELECT name FROM staff", 1);
	sqlite3_close(db);
	return ok;
}

static bool word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/* Where value is in text (as a whole word when asked), or NULL. */
static const char *find(const char *text, const char *value, bool whole_word)
{
	size_t len = strlen(value);
	for (const char *at = text; (at = strstr(at, value)); at++) {
		if (!whole_word)
			return at;
		bool starts = at == text || !word_byte((unsigned char)at[-1]);
		if (starts && !word_byte((unsigned char)at[len]))
			return at;
	}
	return NULL;
}

/* Fails with the line of each value found in text. */
static size_t hits(const char *what, const char *text, const struct forbidden *f)
{
	size_t found = 0;
	for (size_t i = 0; i < f->n; i++) {
		const char *at = find(text, f->values[i], f->whole_word[i]);
		if (!at)
			continue;
		const char *line = at;
		while (line > text && line[-1] != '\n')
			line--;
		if (found++ < 10)
			diag("%s holds \"%s\": %.*s", what, f->values[i], (int)strcspn(line, "\n"),
			     line);
	}
	return found;
}

/* The routes of the table that have no request line in log. */
static size_t routes_missing(const char *log)
{
	size_t missing = 0;
	for (const struct route *r = router_routes; r->method; r++) {
		char *field = xasprintf("method=%s route=%s ", r->method, r->pattern);
		if (!strstr(log, field) && missing++ < 10)
			diag("no request line for %s %s", r->method, r->pattern);
		free(field);
	}
	return missing;
}

/* The daily commands; their standard error goes with the log. */
static char *commands_stderr_dup(const struct harness *h)
{
	char *all = xstrdup("");
	const char *cmds[][3] = { { "holds", "expire", NULL }, { "memberships", "age-out", NULL } };
	for (size_t i = 0; i < 2; i++) {
		char *out = NULL, *err = NULL;
		harness_run(h, NULL, &out, &err, cmds[i][0], cmds[i][1], NULL);
		char *next = xasprintf("%s%s", all, err ? err : "");
		free(all);
		all = next;
		free(out);
		free(err);
	}
	return all;
}

int main(void)
{
	struct harness h;
	struct harness_opts opts = { .training = true };
	bool up = harness_start(&h, &opts);
	ok(up, "a training balied starts, logging at the level debug");
	if (!up)
		return tap_done();
	struct victim v;
	ok(victim_read(h.db, &v), "a demo patron with an e-mail address is read");
	struct api *desk = logged_in(&h, "balie");
	struct api *admin = logged_in(&h, "beheer");
	struct api *volunteer = logged_in(&h, "ido");
	circulation(desk, &v);
	holds(desk, &v);
	enrolment(desk, &v);
	ido(volunteer, admin, &v);
	hostile(&h, &v);
	every_route(desk, admin, &v);
	call(desk, "DELETE", "/session", NULL, false);
	call(admin, "DELETE", "/session", NULL, false);
	api_free(desk);
	api_free(admin);
	api_free(volunteer);
	char *commands = commands_stderr_dup(&h);
	ok(harness_stop(&h) == 0, "balied stops cleanly");

	char *log = harness_log_dup(&h);
	size_t lines = 0;
	for (const char *c = strstr(log, "msg=request "); c; c = strstr(c + 1, "msg=request "))
		lines++;
	ok(lines > 50, "balied logged a line for each request (%zu)", lines);
	ok(routes_missing(log) == 0, "every route of the route table was called");
	struct forbidden f = { 0 };
	bool read = forbidden_read(h.db, &f);
	ok(read && f.n > 300,
	   "the cards, names, e-mail addresses, phone numbers, postcodes and birth dates of "
	   "the database are read (%zu values)", f.n);
	ok(hits("the log", log, &f) == 0, "balied's log holds none of them (%zu lines)",
	   (size_t)lines);
	ok(hits("the commands' standard error", commands, &f) == 0,
	   "nor what holds expire and memberships age-out wrote to standard error");
	char redacted[16];
	snprintf(redacted, sizeof redacted, "****%.4s", v.card + 10);
	ok(strstr(log, redacted) != NULL,
	   "a card scanned into the user name of a login shows by its last 4 digits (%s)",
	   redacted);
	for (size_t i = 0; i < f.n; i++)
		free(f.values[i]);
	free(f.values);
	free(f.whole_word);
	free(commands);
	free(log);
	if (tap_failed)
		harness_dump_log(&h);
	harness_cleanup(&h);
	return tap_done();
}
