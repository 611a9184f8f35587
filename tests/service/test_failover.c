/* The desk's client with several nodes of one service (balie.conf(5),
 * server): two real balied processes on one database, the client given
 * both. A node that refuses the connection is passed over within the same
 * call; a node that gives no answer in time costs that call, and the next
 * goes to the other node; the session and the Idempotency-Keys live in the
 * database, so a key sent to one node and again to the other is answered
 * once, from the store, and lends once. */
#include "tap.h"

#include "harness.h"
#include "core/jsonx.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A second balied on the database of first. */
static bool start_second(struct harness *second, const struct harness *first,
			 const struct harness_opts *opts)
{
	if (!harness_init(second, opts))
		return false;
	free(second->db);
	second->db = xstrdup(first->db);
	return harness_launch(second, opts);
}

/* A Unix socket that takes connections and never answers; its address
 * ("unix:PATH") in out. Returns the socket, or -1. */
static int silent_listener(char *out, size_t len)
{
	char path[] = "/tmp/balie-silent-XXXXXX";
	int tmp = mkstemp(path);
	if (tmp < 0)
		return -1;
	close(tmp);
	unlink(path);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 8) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	snprintf(out, len, "unix:%s", path);
	return fd;
}

static cJSON *checkout_body(const char *card, const char *barcode)
{
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "patron_card", card);
	cJSON_AddStringToObject(body, "item_barcode", barcode);
	return body;
}

static long status_of(struct api_reply *r)
{
	long status = r ? r->status : -1;
	api_reply_free(r);
	return status;
}

/* How many open loans of the item the store has, read through a node. */
static long long open_loans(struct api *api, const char *card, const char *barcode)
{
	char *path = xasprintf("/patrons/%s", card);
	struct api_reply *r = api_call(api, "GET", path, NULL, NULL);
	free(path);
	long long n = -1;
	const cJSON *loans = r && r->outcome == API_OK ? jsonx_array(r->body, "loans") : NULL;
	if (loans) {
		n = 0;
		const cJSON *loan;
		cJSON_ArrayForEach(loan, loans) {
			const char *b = jsonx_string(loan, "item_barcode");
			n += b && strcmp(b, barcode) == 0;
		}
	}
	api_reply_free(r);
	return n;
}

static void test_nodes(struct harness *a, struct harness *b)
{
	char *list = xasprintf("%s, %s", a->url, b->url);
	char *err = NULL;
	struct api *api = api_new(list, NULL, &err);
	ok(api != NULL, "the client takes both nodes as one server list (%s)", err ? err : list);
	if (!api) {
		free(err);
		free(list);
		return;
	}
	api_set_timeout_ms(api, 1500);
	struct api_reply *r = harness_login(api, "balie", "oefenen", "CEN");
	bool in = r && r->status == 201;
	const char *t = in ? jsonx_string(r->body, "token") : NULL;
	char *token = xstrdup(t ? t : "");
	api_set_token(api, token);
	api_reply_free(r);
	ok(in, "logged in through the first node");
	char cards[1][15];
	bool have = harness_demo_patrons(api, cards, 1) == 1;
	ok(have, "a training patron without a block");
	char item1[15], item2[15];
	harness_demo_code("3100000", 440, item1);
	harness_demo_code("3100000", 441, item2);

	ok(harness_stop(a) == 0, "the first node is stopped");
	char key[UUID_STR_LEN];
	uuid_v4(key);
	cJSON *body = checkout_body(cards[0], item1);
	r = api_call(api, "POST", "/checkouts", body, key);
	ok(r && r->status == 201,
	   "a check-out in the same session goes to the second node within the call: %ld %s",
	   r ? r->status : 0, r && r->failure ? r->failure : "");
	api_reply_free(r);

	ok(harness_launch(a, &(struct harness_opts){ .training = true, .unix_socket = true }),
	   "the first node is started again");
	struct api *only_a = api_new(a->url, NULL, &err);
	api_set_token(only_a, token);
	r = api_call(only_a, "POST", "/checkouts", body, key);
	ok(r && r->status == 201 && jsonx_object(r->body, "loan"),
	   "the same key sent to the first node: the stored answer, 201 (%ld)", r ? r->status : 0);
	api_reply_free(r);
	ok(open_loans(only_a, cards[0], item1) == 1, "and one loan, not two");
	cJSON_Delete(body);

	/* A node that hangs: the call in flight fails with its deadline, the
	 * next goes to the other node. The hanging node is a listener that never
	 * answers: a frozen balied may hold the SQLite file's write lock, and then
	 * every node answers 503 until it runs again. */
	char silent[64];
	int fd = silent_listener(silent, sizeof silent);
	char *hang_list = xasprintf("%s %s", silent, a->url);
	struct api *hang = api_new(hang_list, NULL, &err);
	ok(fd >= 0 && hang, "a server list of a node that never answers, then the first node");
	if (hang) {
		api_set_timeout_ms(hang, 1000);
		api_set_token(hang, token);
		uuid_v4(key);
		body = checkout_body(cards[0], item2);
		r = api_call(hang, "POST", "/checkouts", body, key);
		ok(r && r->outcome == API_UNREACHABLE,
		   "a check-out to the hanging node: no answer in time");
		api_reply_free(r);
		r = api_call(hang, "POST", "/checkouts", body, key);
		ok(r && r->status == 201,
		   "sent again with its key, it goes to the first node: 201 (%ld)",
		   r ? r->status : 0);
		api_reply_free(r);
		ok(open_loans(only_a, cards[0], item2) == 1, "one loan");
		ok(status_of(api_call(hang, "GET", "/health", NULL, NULL)) == 200,
		   "the desk goes on with the first node");
		api_free(hang);
	}
	free(hang_list);
	if (fd >= 0)
		close(fd);
	unlink(silent + strlen("unix:"));
	cJSON_Delete(body);
	api_free(only_a);
	api_free(api);
	free(token);
	free(list);
}

int main(void)
{
	struct harness a, b;
	/* Unix sockets: a node started again has the same address. */
	struct harness_opts opts = { .training = true, .unix_socket = true };
	bool up = harness_start(&a, &opts);
	ok(up, "the first balied starts, on a training database");
	bool up2 = up && start_second(&b, &a, &opts);
	ok(up2, "a second balied starts on the same database");
	if (up && up2)
		test_nodes(&a, &b);
	if (tap_failed) {
		harness_dump_log(&a);
		if (up2)
			harness_dump_log(&b);
	}
	if (up2)
		harness_cleanup(&b);
	harness_cleanup(&a);
	return tap_done();
}
