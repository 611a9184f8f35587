/* bench-gen-titles DB COUNT SEED [MAX_COPIES]: writes COUNT titles with
 * their copies (gen_titles.h) into the balied database DB, the same rows for
 * the same COUNT and SEED. Prints what it wrote and how long it took. */
#include "bench_stats.h"
#include "gen_titles.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: %s DB COUNT SEED [MAX_COPIES]\n", argv[0]);
		return 2;
	}
	struct gen_titles_opts opts = {
		.count = strtoul(argv[2], NULL, 10),
		.seed = strtoull(argv[3], NULL, 10),
		.max_copies = argc == 5 ? (unsigned)strtoul(argv[4], NULL, 10) : 2,
	};
	sqlite3 *db;
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", argv[1], sqlite3_errmsg(db));
		sqlite3_close(db);
		return 1;
	}
	sqlite3_busy_timeout(db, 10000);
	/* A large cache keeps the indexes' pages in memory while they grow. */
	sqlite3_exec(db, "PRAGMA cache_size = -524288", NULL, NULL, NULL);
	double t0 = bench_now_ms();
	struct gen_titles_done done;
	char *err = NULL;
	bool ok = gen_titles(db, &opts, &done, &err);
	if (ok)
		printf("%lu titles, %lu items in %.1f s\n", done.titles, done.items,
		       (bench_now_ms() - t0) / 1000);
	else
		fprintf(stderr, "%s: %s\n", argv[1], err);
	free(err);
	sqlite3_close(db);
	return ok ? 0 : 1;
}
