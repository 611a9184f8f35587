#include "service/admin/backupcmd.h"

#include "core/i18n.h"
#include "service/store/backup.h"
#include "service/store/store.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

/* Reads "--to FILE" / "--from FILE" (name) and, when force is given,
 * "--force"; -1 to go on, else the exit status. */
static int parse_args(const struct admin_cmd *cmd, int argc, char **argv, const char *name,
		      const char **file, bool *force)
{
	const struct option opts[] = {
		{ name, required_argument, NULL, 'f' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': *file = optarg; break;
		case 'F':
			if (!force) {
				admin_usage(cmd, stderr);
				return 2;
			}
			*force = true;
			break;
		case 'h': admin_usage(cmd, stdout); return 0;
		default: admin_usage(cmd, stderr); return 2;
		}
	}
	if (!*file || optind != argc) {
		admin_usage(cmd, stderr);
		return 2;
	}
	return -1;
}

/* A PostgreSQL database is backed up by PostgreSQL's own tools, which
 * take a consistent copy of a database in use; the file copy here is
 * SQLite's. */
static bool refused_on_postgresql(const struct admin_ctx *ctx)
{
	if (!store_where_is_postgresql(ctx->db_path))
		return false;
	fprintf(stderr, _("balied: the database is PostgreSQL: back it up with pg_dump and"
			  " restore it with pg_restore (balied(8), A NETWORK)\n"));
	return true;
}

/* The exit status of a command that did its work (ok) or failed with err. */
static int report(bool ok, char *err)
{
	if (ok)
		return 0;
	fprintf(stderr, "balied: %s\n", err ? err : "");
	free(err);
	return 1;
}

static int backupcmd_run(const struct admin_ctx *ctx, int argc, char **argv)
{
	const char *to = NULL;
	int status = parse_args(&backupcmd_entry, argc, argv, "to", &to, NULL);
	if (status >= 0)
		return status;
	if (refused_on_postgresql(ctx))
		return 1;
	char *err = NULL;
	bool done = backup_to_file(ctx->db_path, to, &err);
	status = report(done, err);
	if (status == 0)
		printf(_("backup written to %s\n"), to);
	return status;
}

static int restorecmd_run(const struct admin_ctx *ctx, int argc, char **argv)
{
	const char *from = NULL;
	bool force = false;
	int status = parse_args(&restorecmd_entry, argc, argv, "from", &from, &force);
	if (status >= 0)
		return status;
	if (refused_on_postgresql(ctx))
		return 1;
	char *err = NULL;
	bool done = backup_restore(from, ctx->db_path, force, &err);
	status = report(done, err);
	if (status == 0)
		printf(_("database restored from %s\n"), from);
	return status;
}

const struct admin_cmd backupcmd_entry = {
	.name = "backup",
	.usage = N_("Usage: balied [--db PATH | --config FILE] backup --to FILE\n"
		   "Copies the database to FILE (created 0600; an existing FILE is refused)\n"
		   "while balied serves: one consistent snapshot, taken without stopping the desks.\n"),
	.opens_db = true,
	.run = backupcmd_run,
};

const struct admin_cmd restorecmd_entry = {
	.name = "restore",
	.usage = N_("Usage: balied [--db PATH | --config FILE] restore --from FILE [--force]\n"
		   "Checks the backup FILE (integrity, a balie database of a known schema version)\n"
		   "and puts a copy in place of the database. A database a running balied serves\n"
		   "is refused unless --force; stop balied first.\n"),
	.opens_db = true,
	.run = restorecmd_run,
};
