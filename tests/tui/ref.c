/* Asking a private training service (see ref.h). */
#include "ref.h"

#include "client/api.h"
#include "desk.h"
#include "client/session.h"
#include "core/xalloc.h"
#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Logs in over api at the first branch and fills ref. */
static bool ref_query(struct api *api, const char *username, const char *password,
		      struct ref_training *ref)
{
	char *err = NULL;
	struct api_reply *r = api_call(api, "GET", "/branches", NULL, NULL);
	struct session_branches *b = r->outcome == API_OK ? session_branches_decode(r->body, &err)
							  : NULL;
	if (!b || b->n == 0) {
		test_diag("GET /branches: status %ld, %s", r->status,
			 err ? err : r->failure ? r->failure : "no branches");
		api_reply_free(r);
		free(err);
		session_branches_free(b);
		return false;
	}
	api_reply_free(r);
	ref->branch_code = xstrdup(b->items[0].code);
	ref->branch_name = xstrdup(b->items[0].name);
	session_branches_free(b);

	cJSON *body = session_login_body_new(username, password, ref->branch_code, "tui-ref");
	r = api_call(api, "POST", "/session", body, NULL);
	cJSON_Delete(body);
	struct session_login *s = r->outcome == API_OK ? session_login_decode(r->body, &err) : NULL;
	if (!s)
		test_diag("POST /session as %s: status %ld, %s", username, r->status,
			 err ? err : r->failure ? r->failure : "refused");
	api_reply_free(r);
	free(err);
	if (!s)
		return false;
	ref->staff_name = xstrdup(s->name);
	ref->staff_branch = xstrdup(s->branch);
	session_login_free(s);
	return true;
}

bool ref_training_ask(const char *username, const char *password, struct ref_training *ref)
{
	memset(ref, 0, sizeof *ref);
	if (!tuienv_balied()) {
		test_diag("BALIED is not set: balied is not built yet");
		return false;
	}
	char *err = NULL;
	char *home = tuienv_home_new(&err);
	if (!home) {
		test_diag("%s", err);
		free(err);
		return false;
	}
	char *sock = xasprintf("%s/run/ref.sock", home);
	char *db = xasprintf("%s/ref.db", home);
	const char *argv[] = {tuienv_balied(), "--training", "--socket", sock, "--db", db, NULL};
	char **envp = tuienv_envp_new(&(struct tuienv_opts){.home = home, .lang = "C.UTF-8"});
	bool good = false;
	struct vt *vt = vt_spawn(&(struct vt_spawn){.argv = argv, .envp = envp}, &err);
	/* balied's ready line is on the pty: it is a terminal like any other. */
	if (!vt) {
		test_diag("cannot start balied: %s", err);
	} else if (vt_wait_text(vt, "listening on unix:", DESK_START_MS)) {
		char *url = xasprintf("unix:%s", sock);
		struct api *api = api_new(url, NULL, &err);
		if (api) {
			good = ref_query(api, username, password, ref);
			api_free(api);
		} else {
			test_diag("api_new %s: %s", url, err);
		}
		free(url);
	}
	free(err);
	if (vt)
		vt_close(vt);
	if (tuienv_strays(home, DESK_STEP_MS) > 0)
		good = false;
	tuienv_envp_free(envp);
	tuienv_home_remove(home);
	free(home);
	free(sock);
	free(db);
	return good;
}

void ref_training_free(struct ref_training *ref)
{
	free(ref->branch_code);
	free(ref->branch_name);
	free(ref->staff_name);
	free(ref->staff_branch);
	memset(ref, 0, sizeof *ref);
}
