#include "service/mail/sender.h"

#include "core/conffile.h"
#include "core/i18n.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct mail_credentials {
	char *user, *password;
};

static bool mail_credentials_line(void *ctx, const char *key, const char *value, char **reason)
{
	struct mail_credentials *c = ctx;
	if (strcmp(key, "user") != 0 && strcmp(key, "password") != 0) {
		*reason = xasprintf(_("unknown key \"%s\" (user or password)"), key);
		return false;
	}
	if (*value == '\0') {
		*reason = xasprintf(_("\"%s\" needs a value"), key);
		return false;
	}
	xstrset(key[0] == 'u' ? &c->user : &c->password, value);
	return true;
}

bool mail_credentials_read(const char *path, char **user, char **password, char **err)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		*err = xasprintf(_("%s: cannot be read"), path);
		return false;
	}
	/* A password others may read is no longer the library's alone. */
	if ((st.st_mode & 077) != 0) {
		*err = xasprintf(_("%s: mode %03o lets others read the password; it must be 0600"),
				 path, (unsigned)(st.st_mode & 0777));
		return false;
	}
	struct mail_credentials c = { 0 };
	bool ok = conffile_parse(path, mail_credentials_line, &c, err);
	if (ok && (!c.user || !c.password)) {
		*err = xasprintf(_("%s: needs both user and password"), path);
		ok = false;
	}
	if (!ok) {
		free(c.user);
		free(c.password);
		return false;
	}
	*user = c.user;
	*password = c.password;
	return true;
}
