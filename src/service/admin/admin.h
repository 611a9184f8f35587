/* The "balied <command>" subcommands as one table (the model is tmux's
 * cmd_table): each command file exports its entry, with its name, its usage
 * text and the function that runs it; main looks the name up and runs it
 * on the opened store. Adding a command is one file and one row. */
#ifndef BALIED_ADMIN_H
#define BALIED_ADMIN_H

#include "core/date.h"
#include "service/domain/rules.h"
#include "service/store/store.h"

#include <stdbool.h>
#include <stdio.h>

/* What a command runs with. */
struct admin_ctx {
	struct store *store;
	const struct rules *rules; /* the rules file, for an entry with needs_rules; else NULL */
	const char *db_path;       /* the database's path, for an entry with opens_db */
};

struct admin_cmd {
	const char *name;  /* the word after balied's options: "user" */
	const char *usage; /* untranslated (N_), shown by admin_usage */
	bool needs_rules;  /* the rules file is read before the command runs */
	/* The command opens the database itself (from ctx->db_path), or
	 * refuses: main opens none, creates none and migrates none for it. */
	bool opens_db;
	/* Runs the command with argv[0] == name; messages go to stdout and
	 * stderr in the administrator's language. Returns the exit status:
	 * 0 done, 1 failed, 2 bad usage. */
	int (*run)(const struct admin_ctx *ctx, int argc, char **argv);
};

/* Every command, ending with NULL. */
extern const struct admin_cmd *const admin_commands[];

/* The command called name, or NULL. */
const struct admin_cmd *admin_find(const char *name);
/* Writes the command's usage text, translated, to out. */
void admin_usage(const struct admin_cmd *cmd, FILE *out);
/* The options of a daily command, "[--date YYYY-MM-DD] [--help]", after
 * argv[0]: *day is the date (default today). -1 to go on, else the exit
 * status to return (0 after --help, 2 after bad usage, told on stderr). */
int admin_date_option(const struct admin_cmd *cmd, int argc, char **argv, struct civil_date *day);

#endif
