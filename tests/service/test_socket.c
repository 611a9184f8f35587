/* balied on a Unix socket: made with mode 0600, spoken to by the client
 * library over "unix:PATH", a stale socket file replaced at start, and the
 * file removed at exit. */
#include "tap.h"

#include "harness.h"
#include "core/jsonx.h"

#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* Leaves a socket file nobody listens on, as a killed balied would. */
static bool make_stale_socket(const char *path)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
	bool ok = fd >= 0 && bind(fd, (struct sockaddr *)&sun, sizeof sun) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

int main(void)
{
	struct harness h = { 0 };
	struct harness_opts opts = { .training = true, .unix_socket = true };
	if (!ok(harness_init(&h, &opts), "a temporary directory") ||
	    !ok(make_stale_socket(h.socket), "a stale socket file is in the way") ||
	    !ok(harness_launch(&h, &opts), "balied starts on the socket all the same")) {
		harness_cleanup(&h);
		return tap_done();
	}
	char want[300];
	snprintf(want, sizeof want, "unix:%s", h.socket);
	is_str(h.url, want, "the ready line names the socket");
	struct stat st;
	ok(stat(h.socket, &st) == 0 && S_ISSOCK(st.st_mode) && (st.st_mode & 0777) == 0600,
	   "the socket has mode 0600");

	struct api *api = harness_api(&h);
	struct api_reply *r = api_call(api, "GET", "/health", NULL, NULL);
	ok(r->status == 200, "health over the socket");
	api_reply_free(r);
	r = harness_login(api, "balie", "oefenen", "CEN");
	ok(r->status == 201, "balie logs in over the socket");
	api_reply_free(r);
	api_free(api);

	ok(harness_stop(&h) == 0, "balied stops cleanly");
	ok(access(h.socket, F_OK) != 0, "and removes its socket file");
	if (tap_failed)
		harness_dump_log(&h);
	harness_cleanup(&h);
	return tap_done();
}
