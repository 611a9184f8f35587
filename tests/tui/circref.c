/* The reference service of the circulation tests (see circref.h). */
#include "circref.h"

#include "desk.h"
#include "core/luhn.h"
#include "client/session.h"
#include "core/uuid.h"
#include "core/clock.h"
#include "core/xalloc.h"
#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct circref {
	char *home, *sock, *db;
	char **envp;
	struct vt *vt;
	struct api *api;
};

static bool cr_login(struct circref *cr, const char *branch)
{
	cJSON *body = session_login_body_new("balie", "oefenen", branch, "tui-ref");
	struct api_reply *r = api_call(cr->api, "POST", "/session", body, NULL);
	cJSON_Delete(body);
	char *err = NULL;
	struct session_login *s = r->outcome == API_OK ? session_login_decode(r->body, &err) : NULL;
	if (s)
		api_set_token(cr->api, s->token);
	else
		test_diag("POST /session: status %ld %s", r->status, err ? err : "");
	free(err);
	api_reply_free(r);
	session_login_free(s);
	return s != NULL;
}

struct circref *circref_start(const char *branch)
{
	if (!tuienv_balied()) {
		test_diag("BALIED is not set: balied is not built yet");
		return NULL;
	}
	char *err = NULL;
	struct circref *cr = xcalloc(1, sizeof *cr);
	cr->home = tuienv_home_new(&err);
	if (!cr->home) {
		test_diag("%s", err);
		free(err);
		free(cr);
		return NULL;
	}
	cr->sock = xasprintf("%s/run/ref.sock", cr->home);
	cr->db = xasprintf("%s/ref.db", cr->home);
	const char *argv[] = {tuienv_balied(), "--training", "--socket", cr->sock, "--db", cr->db,
			      NULL};
	cr->envp = tuienv_envp_new(&(struct tuienv_opts){.home = cr->home, .lang = "C.UTF-8"});
	cr->vt = vt_spawn(&(struct vt_spawn){.argv = argv, .envp = cr->envp}, &err);
	bool good = false;
	if (!cr->vt) {
		test_diag("cannot start balied: %s", err);
	} else if (vt_wait_text(cr->vt, "listening on unix:", DESK_START_MS)) {
		char *url = xasprintf("unix:%s", cr->sock);
		cr->api = api_new(url, NULL, &err);
		if (!cr->api)
			test_diag("api_new %s: %s", url, err);
		free(url);
		good = cr->api && cr_login(cr, branch);
	}
	free(err);
	if (!good) {
		circref_stop(cr);
		return NULL;
	}
	return cr;
}

bool circref_stop(struct circref *cr)
{
	if (!cr)
		return false;
	if (cr->api)
		api_free(cr->api);
	if (cr->vt)
		vt_close(cr->vt);
	bool clean = tuienv_strays(cr->home, DESK_STEP_MS) == 0;
	tuienv_envp_free(cr->envp);
	tuienv_home_remove(cr->home);
	free(cr->home);
	free(cr->sock);
	free(cr->db);
	free(cr);
	return clean;
}

struct api_reply *circref_call(struct circref *cr, const char *method, const char *path,
			       cJSON *body)
{
	char key[UUID_STR_LEN];
	uuid_v4(key);
	struct api_reply *r = api_call(cr->api, method, path, body,
				       strcmp(method, "GET") == 0 ? NULL : key);
	cJSON_Delete(body);
	return r;
}

struct circ_patron *circref_patron(struct circref *cr, const char *card)
{
	char *path = circ_patron_path_dup(card);
	struct api_reply *r = circref_call(cr, "GET", path, NULL);
	free(path);
	char *err = NULL;
	struct circ_patron *p = r->outcome == API_OK ? circ_patron_decode(r->body, &err) : NULL;
	if (!p)
		test_diag("GET /patrons/%s: status %ld %s %s", card, r->status,
			r->error_code ? r->error_code : "", err ? err : "");
	free(err);
	api_reply_free(r);
	return p;
}

struct circ_loan *circref_checkout(struct circref *cr, const char *card, const char *barcode)
{
	struct api_reply *r = circref_call(cr, "POST", "/checkouts",
					   circ_checkout_body_new(card, barcode, NULL, 0, NULL));
	char *err = NULL;
	struct circ_loan *l = r->outcome == API_OK ? circ_loan_decode(r->body, &err) : NULL;
	if (!l)
		test_diag("POST /checkouts %s %s: status %ld %s %s", card, barcode, r->status,
			r->error_code ? r->error_code : "", err ? err : "");
	free(err);
	api_reply_free(r);
	return l;
}

struct circ_checkin *circref_checkin(struct circref *cr, const char *barcode)
{
	struct api_reply *r = circref_call(cr, "POST", "/checkins", circ_item_body_new(barcode));
	char *err = NULL;
	struct circ_checkin *c = r->outcome == API_OK ? circ_checkin_decode(r->body, &err) : NULL;
	if (!c)
		test_diag("POST /checkins %s: status %ld %s %s", barcode, r->status,
			r->error_code ? r->error_code : "", err ? err : "");
	free(err);
	api_reply_free(r);
	return c;
}

void circref_card(unsigned n, char out[15])
{
	snprintf(out, 14, "21000%08u", n);
	out[13] = luhn_digit(out);
	out[14] = '\0';
}

void circref_item(unsigned n, char out[15])
{
	snprintf(out, 14, "3100000%06u", n);
	out[13] = luhn_digit(out);
	out[14] = '\0';
}

char *circref_conf_dup(const char *branch, const char *more)
{
	return xasprintf("branch = %s\n%s", branch, more ? more : "");
}

struct desk *circref_desk(const char *branch, const char *lang, const char *more_conf,
			  const char *const *extra_env)
{
	char *conf = circref_conf_dup(branch, more_conf);
	const struct desk_file files[] = {{".config/balie/balie.conf", conf}, {NULL, NULL}};
	struct desk *d = desk_start(&(struct desk_opts){.lang = lang, .files = files,
							 .extra_env = extra_env});
	free(conf);
	if (!d)
		return NULL;
	if (!vt_wait_text(d->vt, "beheer", DESK_START_MS) ||
	    !desk_type_login(d, "balie", "oefenen") ||
	    !vt_wait_gone(d->vt, "beheer", DESK_STEP_MS)) {
		test_diag("the desk did not log in");
		desk_stop(d);
		return NULL;
	}
	return d;
}

static bool row_has_both(const struct vt *vt, const char *a, const char *b)
{
	int rows, cols;
	vt_size(vt, &rows, &cols);
	for (int r = 0; r < rows; r++) {
		char *row = vt_row_dup(vt, r);
		const char *at = strstr(row, a);
		bool hit = at && strstr(at + strlen(a), b);
		free(row);
		if (hit)
			return true;
	}
	return false;
}

bool circref_wait_row2(struct vt *vt, const char *a, const char *b, int deadline_ms)
{
	long long t0 = clock_now_ms();
	for (;;) {
		if (row_has_both(vt, a, b))
			return true;
		long long ms = clock_now_ms() - t0;
		if (ms >= deadline_ms) {
			printf("# no row holds \"%s\" and then \"%s\"\n", a, b);
			vt_dump(vt, stdout);
			return false;
		}
		vt_pump(vt, (int)(deadline_ms - ms < 20 ? deadline_ms - ms : 20));
	}
}

size_t circref_pick_patrons(struct circref *cr, size_t room, struct circ_patron **pat, size_t n)
{
	size_t got = 0;
	for (unsigned k = 2; k <= 30 && got < n; k++) {
		char card[15];
		circref_card(k, card);
		struct circ_patron *p = circref_patron(cr, card);
		if (p && strcmp(p->category, "adult") == 0 && p->n_blocks == 0 &&
		    p->n_loans + room <= 25) {
			pat[got++] = p;
			p = NULL;
		}
		circ_patron_free(p);
	}
	return got;
}

size_t circref_pick_items(struct circref *cr, char (*codes)[15], size_t n)
{
	char helper[15];
	circref_card(5, helper);
	size_t found = 0;
	for (unsigned k = 100; k < 400 && found < n; k++) {
		if (k % 3 == 1 || k % 97 == 0)
			continue; /* the demo's loans, and its items in transit */
		circref_item(k, codes[found]);
		struct circ_loan *l = circref_checkout(cr, helper, codes[found]);
		if (l) {
			circ_checkin_free(circref_checkin(cr, codes[found]));
			found++;
		}
		circ_loan_free(l);
	}
	return found;
}

bool circref_scans_in_order(struct vt *vt, char **sent, size_t n_sent, size_t *seen)
{
	int rows, cols;
	vt_size(vt, &rows, &cols);
	size_t at = 0;
	bool first = true, good = true;
	*seen = 0;
	for (int r = 0; r < rows; r++) {
		char *row = vt_row_dup(vt, r);
		char code[15] = "";
		if (strlen(row) > 15 && row[0] == ' ' && strncmp(row + 1, "3100000", 7) == 0)
			memcpy(code, row + 1, 14);
		free(row);
		if (!code[0])
			continue;
		if (first) {
			while (at < n_sent && strcmp(sent[at], code) != 0)
				at++;
			first = false;
		}
		good = good && at < n_sent && strcmp(sent[at], code) == 0;
		at++;
		(*seen)++;
	}
	return good && at == n_sent;
}


char *circref_branch_name_dup(struct circref *cr, const char *code)
{
	struct api_reply *r = circref_call(cr, "GET", "/branches", NULL);
	char *err = NULL;
	struct session_branches *b = r->outcome == API_OK ? session_branches_decode(r->body, &err)
							   : NULL;
	const struct session_branch *one = session_branches_find(b, code);
	char *name = xstrdup(one ? one->name : code);
	free(err);
	session_branches_free(b);
	api_reply_free(r);
	return name;
}

size_t circref_loaned_items(struct circref *cr, unsigned first, unsigned last, char ***out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	for (unsigned p = first; p <= last; p++) {
		char card[15];
		circref_card(p, card);
		struct circ_patron *pat = circref_patron(cr, card);
		for (size_t i = 0; pat && i < pat->n_loans; i++) {
			if (n + 1 >= cap) {
				cap = cap ? cap * 2 : 64;
				*out = xrealloc(*out, cap * sizeof **out);
			}
			(*out)[n++] = xstrdup(pat->loans[i].item_barcode);
		}
		circ_patron_free(pat);
	}
	return n;
}

char *circref_read_file_dup(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	*len = 0;
	if (!f)
		return NULL;
	char *buf = xmalloc(65536);
	*len = fread(buf, 1, 65535, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

char *circref_wait_file_dup(struct vt *vt, const char *path, size_t min, size_t *len)
{
	for (int i = 0; i < DESK_STEP_MS / 20; i++) {
		char *buf = circref_read_file_dup(path, len);
		if (buf && *len >= min)
			return buf;
		free(buf);
		vt_pump(vt, 20);
	}
	return circref_read_file_dup(path, len);
}
