/* The test CA (see testca.h). */
#include "testca.h"

#include "core/xalloc.h"
#include "diag.h"

#include <stdlib.h>
#include <sys/wait.h>

static bool testca_run(const char *cmd)
{
	int status = system(cmd);
	return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool testca_make(const char *openssl, const char *dir)
{
	char *cmd = xasprintf(
		"cd '%s' && '%s' req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem"
		" -subj /CN=balie-test-CA -days 2 2>/dev/null &&"
		" '%s' req -newkey rsa:2048 -nodes -keyout server.key -out server.csr"
		" -subj /CN=localhost 2>/dev/null &&"
		" printf 'subjectAltName=DNS:localhost\\n' > san.ext &&"
		" '%s' x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial"
		" -out server.pem -days 2 -extfile san.ext 2>/dev/null &&"
		" '%s' req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem"
		" -subj /CN=localhost -days 2 2>/dev/null",
		dir, openssl, openssl, openssl, openssl);
	bool made = testca_run(cmd);
	free(cmd);
	return made;
}

struct api_reply *testca_health(const char *url, const char *ca_file)
{
	char *err = NULL;
	struct api *api = api_new(url, ca_file, &err);
	if (!api) {
		test_diag("api_new(%s): %s", url, err);
		free(err);
		return NULL;
	}
	struct api_reply *r = api_call(api, "GET", "/health", NULL, NULL);
	api_free(api);
	return r;
}

bool testca_remove(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	bool removed = testca_run(cmd);
	free(cmd);
	return removed;
}
