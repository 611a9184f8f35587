#include "core/errcode.h"

#include "core/i18n.h"

#include <string.h>

static const struct {
	const char *name;
	unsigned status;
	const char *text;
} errcodes[] = {
#define ERRCODE_ROW(name, code, status, text) { code, status, text },
	BALIE_ERRCODES(ERRCODE_ROW)
#undef ERRCODE_ROW
};

enum errcode errcode_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof errcodes / sizeof errcodes[0]; i++)
		if (name && strcmp(errcodes[i].name, name) == 0)
			return (enum errcode)i;
	return ERR_UNKNOWN;
}

const char *errcode_name(enum errcode code)
{
	return code < ERR_UNKNOWN ? errcodes[code].name : "unknown";
}

unsigned errcode_http_status(enum errcode code)
{
	return code < ERR_UNKNOWN ? errcodes[code].status : 500;
}

const char *errcode_text(enum errcode code)
{
	if (code < ERR_UNKNOWN)
		return _(errcodes[code].text);
	return _("The service refused the request for a reason this desk does not know.");
}
