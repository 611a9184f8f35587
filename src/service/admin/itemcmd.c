#include "service/admin/itemcmd.h"

#include "core/i18n.h"
#include "service/domain/item.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static int note(struct store *store, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "alert", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool alert = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "ah", opts, NULL)) != -1) {
		if (c == 'a') {
			alert = true;
		} else {
			admin_usage(&itemcmd_entry, c == 'h' ? stdout : stderr);
			return c == 'h' ? 0 : 2;
		}
	}
	if (argc - optind < 1 || argc - optind > 2) {
		admin_usage(&itemcmd_entry, stderr);
		return 2;
	}
	const char *barcode = argv[optind];
	const char *text = argc - optind == 2 ? argv[optind + 1] : NULL;
	if (text && strlen(text) > ITEM_NOTE_MAX) {
		fprintf(stderr, _("balied: the note is longer than %d bytes\n"), ITEM_NOTE_MAX);
		return 2;
	}
	enum circ_status s = item_note_set(store, barcode, text, alert);
	if (s == CIRC_ITEM_NOT_FOUND) {
		fprintf(stderr, _("balied: no item with barcode %s\n"), barcode);
		return 1;
	}
	if (s != CIRC_OK) {
		fprintf(stderr, "%s\n", _("balied: the note could not be stored"));
		return 1;
	}
	if (!text || !text[0])
		printf(_("%s: note removed\n"), barcode);
	else
		printf(alert ? _("%s: note set, shown as an alert at check-in and check-out\n")
			     : _("%s: note set\n"), barcode);
	return 0;
}

static int itemcmd_run(const struct admin_ctx *ctx, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "note") == 0)
		return note(ctx->store, argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)) {
		admin_usage(&itemcmd_entry, stdout);
		return 0;
	}
	admin_usage(&itemcmd_entry, stderr);
	return 2;
}

const struct admin_cmd itemcmd_entry = {
	.name = "items",
	.usage = N_("Usage: balied [--db PATH | --config FILE] items note [--alert] BARCODE [TEXT]\n"
		   "Sets the note of an item; with --alert the desk shows it at check-in and\n"
		   "check-out, in colour and with the bell, until it is acknowledged.\n"
		   "Without TEXT the note is removed.\n"),
	.run = itemcmd_run,
};
