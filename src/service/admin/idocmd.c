#include "service/admin/idocmd.h"

#include "service/domain/audit.h"
#include "core/i18n.h"
#include "service/domain/ido.h"
#include "core/sanitize.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { IDOCMD_CODE_MAX = 32, IDOCMD_LABEL_MAX = 100 };

static bool code_ok(const char *code)
{
	size_t len = strlen(code);
	if (len < 1 || len > IDOCMD_CODE_MAX)
		return false;
	for (; *code; code++)
		if (!((*code >= 'a' && *code <= 'z') || (*code >= '0' && *code <= '9') || *code == '_'))
			return false;
	return true;
}

static bool read_list(const char *name, enum ido_list *l)
{
	if (ido_list_from_name(name, l))
		return true;
	fprintf(stderr, _("balied: there is no IDO list \"%s\"\n"), name);
	admin_usage(&idocmd_entry, stderr);
	return false;
}

/* Ends the transaction of a change that went ok, with its audit entry. */
static bool in_transaction(struct store *store, bool ok, const char *action, const char *subject)
{
	ok = ok && audit_add(store, NULL, time(NULL), action, subject, NULL, NULL) &&
	     store_commit(store);
	store_rollback(store);
	if (!ok)
		fprintf(stderr, "%s\n", _("balied: the database could not be changed"));
	return ok;
}

static int ido_add(struct store *store, enum ido_list l, const char *code, const char *label)
{
	if (!code_ok(code)) {
		fprintf(stderr, _("balied: a code is 1 to 32 of a-z, 0-9 and _, not \"%s\"\n"), code);
		return 1;
	}
	if (!*label || strlen(label) > IDOCMD_LABEL_MAX || !sanitize_is_clean(label)) {
		fprintf(stderr, "%s\n", _("balied: a label is 1 to 100 bytes of text"));
		return 1;
	}
	bool added = false;
	char *subject = xasprintf("%s/%s", ido_list_name(l), code);
	bool ok = store_begin(store);
	ok = in_transaction(store, ok && ido_catalog_put(store, l, code, label, &added),
				 "ido_catalog_put", subject);
	free(subject);
	if (!ok)
		return 1;
	printf(added ? _("Added %s to the list %s.\n") : _("Changed %s in the list %s.\n"), code,
	       ido_list_name(l));
	return 0;
}

static int ido_set_active(struct store *store, enum ido_list l, const char *code, bool active)
{
	bool found = false;
	char *subject = xasprintf("%s/%s", ido_list_name(l), code);
	bool ok = store_begin(store);
	ok = in_transaction(store, ok && ido_catalog_set_active(store, l, code, active, &found),
				 active ? "ido_catalog_restore" : "ido_catalog_retire", subject);
	free(subject);
	if (!ok)
		return 1;
	if (!found) {
		fprintf(stderr, _("balied: the list %s has no code \"%s\"\n"), ido_list_name(l), code);
		return 1;
	}
	printf(active ? _("%s can be chosen again in the list %s.\n")
		      : _("%s is retired from the list %s; old questions keep it.\n"),
	       code, ido_list_name(l));
	return 0;
}

static int ido_list_print(struct store *store, const char *only)
{
	cJSON *cat = ido_catalog_json(store, true);
	if (!cat) {
		fprintf(stderr, "%s\n", _("balied: the database could not be read"));
		return 1;
	}
	printf("%-18s %-20s %-8s %s\n", _("LIST"), _("CODE"), _("STATE"), _("LABEL"));
	for (unsigned l = 0; l < IDO_LIST_COUNT; l++) {
		const char *name = ido_list_name((enum ido_list)l);
		if (only && strcmp(only, name) != 0)
			continue;
		const cJSON *e;
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(cat, ido_list_member((enum ido_list)l))) {
			bool active = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "active"));
			printf("%-18s %-20s %-8s %s\n", name,
			       cJSON_GetObjectItemCaseSensitive(e, "code")->valuestring,
			       active ? _("active") : _("retired"),
			       cJSON_GetObjectItemCaseSensitive(e, "label")->valuestring);
		}
	}
	cJSON_Delete(cat);
	return 0;
}

static int idocmd_run(const struct admin_ctx *ctx, int argc, char **argv)
{
	struct store *store = ctx->store;
	enum ido_list l;
	if ((argc == 2 || argc == 3) && strcmp(argv[1], "list") == 0) {
		if (argc == 3 && !read_list(argv[2], &l))
			return 2;
		return ido_list_print(store, argc == 3 ? argv[2] : NULL);
	}
	if (argc == 5 && strcmp(argv[1], "add") == 0)
		return read_list(argv[2], &l) ? ido_add(store, l, argv[3], argv[4]) : 2;
	if (argc == 4 && (strcmp(argv[1], "retire") == 0 || strcmp(argv[1], "restore") == 0))
		return read_list(argv[2], &l)
			       ? ido_set_active(store, l, argv[3], strcmp(argv[1], "restore") == 0)
			       : 2;
	admin_usage(&idocmd_entry, stderr);
	return 2;
}

const struct admin_cmd idocmd_entry = {
	.name = "ido-catalog",
	.usage = N_("Usage: balied [--db PATH | --config FILE] ido-catalog list [LIST]\n"
		   "       balied [--db PATH | --config FILE] ido-catalog add LIST CODE LABEL\n"
		   "       balied [--db PATH | --config FILE] ido-catalog retire|restore LIST CODE\n"
		   "LIST is class, topic, organisation, help_kind, outcome, referral_partner or channel.\n"),
	.run = idocmd_run,
};
