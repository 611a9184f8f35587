/* The typed save of an IDO question (ido_question_start, client/idolog.h)
 * against a real training balied: stored, refused for personal data in the
 * note (with the kinds found), and, through the outbox of a desk whose
 * service is a socket nobody listens on, kept in the journal as an IDO
 * question and answered from the dispatch, never inside the call. */
#include "core/clock.h"
#include "tap.h"

#include "circ_fixture.h"
#include "client/config.h"
#include "client/idolog.h"
#include "client/journal.h"
#include "client/outbox.h"
#include "core/pdguard.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct seen {
	int n;
	bool stored, failed;
	enum errcode error;
	unsigned note_kinds;
	struct ido_catalog *cat;
};

static void on_catalog(void *ctx, struct ido_catalog *c, const struct call_failure *f)
{
	struct seen *s = ctx;
	(void)f;
	s->cat = c;
	s->n++;
}

static void on_saved(void *ctx, const struct ido_saved *done, const struct ido_save_failure *f)
{
	struct seen *s = ctx;
	s->n++;
	s->stored = done && done->stored;
	s->failed = f != NULL;
	s->error = f ? f->call.error : ERR_UNKNOWN;
	s->note_kinds = f ? f->note_kinds : 0;
}

static bool wait_for(struct api *api, struct outbox *o, const struct seen *s, int n)
{
	long long deadline = clock_now_ms() + 20000;
	while (s->n < n && clock_now_ms() < deadline) {
		api_wait(api, NULL, 0, 100);
		api_dispatch(api);
		if (o)
			outbox_dispatch(o);
	}
	return s->n >= n;
}

/* The first code of list l that is not "referred" (which needs a partner). */
static const char *first_code(const struct ido_catalog *c, enum ido_list_id l)
{
	const struct ido_entries *e = &c->lists[l];
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->items[i].code, "referred") != 0)
			return e->items[i].code;
	return "";
}

static void test_online(struct fx *fx, struct ido_question *q)
{
	long long before = fx_num(fx, "SELECT count(*) FROM ido_questions");
	struct seen s = { 0 };
	unsigned id = ido_question_start(fx->api, NULL, q, "7c9e6679-7425-40de-944b-e07fc1f90ae7",
					 on_saved, &s);
	ok(id != 0 && s.n == 0, "a save has an id and no answer inside the call");
	ok(wait_for(fx->api, NULL, &s, 1) && s.stored && !s.failed, "the question is stored");
	ok(fx_num(fx, "SELECT count(*) FROM ido_questions") == before + 1, "the service holds it");

	s = (struct seen){ 0 };
	q->note = "mail jan.jansen@example.nl";
	ido_question_start(fx->api, NULL, q, "1b4e28ba-2fa1-41d2-883f-0016d3cca427", on_saved, &s);
	ok(wait_for(fx->api, NULL, &s, 1) && s.failed && s.error == ERR_PERSONAL_DATA_IN_NOTE,
	   "a note with an e-mail address is refused: personal_data_in_note");
	ok(s.note_kinds & PDGUARD_BIT(PDGUARD_EMAIL), "the failure names the kind found: e-mail");
	ok(fx_num(fx, "SELECT count(*) FROM ido_questions") == before + 1, "nothing more is stored");
	q->note = NULL;
}

static void test_journaled(struct fx *fx, struct ido_question *q)
{
	char journal[128], url[128];
	snprintf(journal, sizeof journal, "%s/desk-journal.db", fx->h.dir);
	snprintf(url, sizeof url, "unix:%s/nobody.sock", fx->h.dir);
	struct config cfg = { .journal = journal, .terminal = (char[]){ "ido-01" } };
	char *err = NULL;
	struct api *api = api_new(url, NULL, &err);
	char *roles[] = { (char[]){ "ido" } };
	struct session_login me = { .username = (char[]){ "ido" }, .roles = roles,
				    .n_roles = 1, .branch = (char[]){ "CEN" } };
	struct session_login *session = &me;
	bool dirty = false;
	struct outbox *o = api ? outbox_new(&cfg, api, &session, &dirty, NULL, NULL, &err) : NULL;
	ok(o != NULL, "a desk's outbox with a service nobody answers (%s)", err ? err : "");
	free(err);
	if (!o) {
		api_free(api);
		return;
	}
	outbox_logged_in(o);
	struct seen s = { 0 };
	ido_question_start(api, o, q, NULL, on_saved, &s);
	ok(wait_for(api, o, &s, 1) && !s.failed && !s.stored,
	   "the first save finds no service: kept in the journal");
	ok(outbox_down(o), "the desk is offline");
	s = (struct seen){ 0 };
	ido_question_start(api, o, q, NULL, on_saved, &s);
	ok(s.n == 0, "offline, no answer inside the call");
	outbox_dispatch(o);
	ok(s.n == 1 && !s.failed && !s.stored, "the dispatch says it is kept for later");
	struct journal_entry **list = NULL;
	size_t n = 0;
	bool listed = journal_list_dup(outbox_journal(o), JOURNAL_MASK(JOURNAL_PENDING), 0, &list,
				       &n, NULL);
	ok(listed && n == 2 && list[0]->kind == JOURNAL_KIND_IDO_QUESTION &&
		   list[1]->kind == JOURNAL_KIND_IDO_QUESTION,
	   "both wait in the journal as IDO questions (%zu)", n);
	journal_entries_free(list, n);
	s = (struct seen){ 0 };
	unsigned id = ido_question_start(api, o, q, NULL, on_saved, &s);
	ido_question_cancel(api, o, id);
	outbox_dispatch(o);
	ok(s.n == 0, "a cancelled save gets no answer");
	outbox_free(o);
	api_free(api);
}

int main(void)
{
	struct fx fx;
	if (!fx_start(&fx, NULL))
		return tap_done();
	struct seen s = { 0 };
	ido_catalog_start(fx.api, on_catalog, &s);
	ok(wait_for(fx.api, NULL, &s, 1) && s.cat, "the IDO catalogue");
	if (s.cat) {
		char visit[UUID_STR_LEN];
		uuid_v4(visit);
		const char *topic = first_code(s.cat, IDO_L_TOPIC);
		const char *org = first_code(s.cat, IDO_L_ORGANISATION);
		const char *help = first_code(s.cat, IDO_L_HELP_KIND);
		struct ido_question q = {
			.visit_id = visit,
			.class_code = first_code(s.cat, IDO_L_CLASS),
			.topics = &topic, .n_topics = 1,
			.organisations = &org, .n_organisations = 1,
			.help = &help, .n_help = 1,
			.outcome = first_code(s.cat, IDO_L_OUTCOME),
			.minutes = 10,
			.channel = first_code(s.cat, IDO_L_CHANNEL),
		};
		test_online(&fx, &q);
		test_journaled(&fx, &q);
		ido_catalog_free(s.cat);
	}
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
