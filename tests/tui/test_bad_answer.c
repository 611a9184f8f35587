/* The desk against a service whose answers are JSON but not the protocol
 * (the client tests' tiny server: a health answer without its "version",
 * no branches at all): the desk stays up, says on the log-in screen that
 * the branches could not be loaded, and quits cleanly. A desk that read
 * such a health answer without room for the decoder's reason used to end
 * by a signal. */
#include "desk.h"
#include "fakeserver.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdlib.h>

int main(void)
{
	struct fakeserver fs;
	if (!ok(fakeserver_start(&fs, NULL), "the tiny server starts"))
		return tap_done();
	char *conf = xasprintf("server = %s\nbranch = CEN\nterminal = balie-bad\n", fs.url);
	struct desk_file files[] = { { ".config/balie/balie.conf", conf }, { NULL, NULL } };
	struct desk *d = desk_start(&(struct desk_opts){ .lang = "C.UTF-8", .files = files });
	if (ok(d != NULL, "balie starts with server %s", fs.url)) {
		if (!ok(vt_wait_text(d->vt, "The branches could not be loaded.", DESK_START_MS),
			"the log-in screen says the branches could not be loaded"))
			vt_dump(d->vt, stdout);
		/* The health answer has come by now: the desk still takes keys. */
		ok(vt_key(d->vt, "Enter") &&
			   vt_wait_text(d->vt, "The branches could not be loaded.", DESK_STEP_MS),
		   "Enter asks again, and the desk says so again");
		ok(!vt_exited(d->vt), "the desk is still running");
		ok(desk_stop(d), "and it ends cleanly, by no signal");
	}
	free(conf);
	fakeserver_stop(&fs);
	return tap_done();
}
