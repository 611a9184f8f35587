#include "service/store/store_driver.h"

#include "core/xalloc.h"

static struct store *pg_open(const char *where, char **err)
{
	(void)where;
	*err = xstrdup("this balied cannot use PostgreSQL yet");
	return NULL;
}

const struct store_driver store_pg_driver = {
	.kind = STORE_POSTGRESQL,
	.open = pg_open,
};
