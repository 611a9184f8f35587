/* The schema of balied's database as a list of migration steps: step n takes
 * the database from PRAGMA user_version n-1 to n. Steps are only ever added. */
#ifndef BALIED_SCHEMA_H
#define BALIED_SCHEMA_H

#include <stddef.h>

struct schema_step {
	const char *const *sql; /* statements, run in order */
	size_t n_sql;
};

/* The steps in order; schema_steps[0] creates everything. */
extern const struct schema_step schema_steps[];
extern const size_t schema_step_count;

#endif
