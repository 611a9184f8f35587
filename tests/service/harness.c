#include "harness.h"

#include "core/clock.h"
#include "core/jsonx.h"
#include "core/luhn.h"
#include "core/uuid.h"
#include "core/xalloc.h"
#include "diag.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { START_DEADLINE_MS = 15000, STOP_DEADLINE_MS = 10000, RUN_DEADLINE_MS = 30000 };

static const char *balied_path(void)
{
	const char *p = getenv("BALIED");
	return p && *p ? p : "balied";
}

bool harness_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return false;
	bool ok = fputs(text, f) >= 0;
	return fclose(f) == 0 && ok;
}

bool harness_init(struct harness *h, const struct harness_opts *opts)
{
	memset(h, 0, sizeof *h);
	const char *tmp = getenv("TMPDIR");
	snprintf(h->dir, sizeof h->dir, "%s/balied-test-XXXXXX",
		 tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
	if (!mkdtemp(h->dir)) {
		h->dir[0] = '\0';
		return false;
	}
	h->db = xasprintf("%s/balied.db", h->dir);
	h->log = xasprintf("%s/balied.log", h->dir);
	h->socket = xasprintf("%s/balied.sock", h->dir);
	if (opts && opts->config_text) {
		h->config = xasprintf("%s/balied.conf", h->dir);
		if (!harness_write_file(h->config, opts->config_text))
			return false;
	}
	return true;
}

/* Reads the ready line from fd within the deadline. */
static bool read_ready_line(int fd, char *url, size_t len)
{
	char line[240];
	size_t have = 0;
	long long deadline = clock_now_ms() + START_DEADLINE_MS;
	while (have < sizeof line - 1) {
		long long left = deadline - clock_now_ms();
		struct pollfd p = { fd, POLLIN, 0 };
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return false;
		ssize_t n = read(fd, line + have, 1);
		if (n <= 0)
			return false;
		if (line[have] == '\n')
			break;
		have++;
	}
	line[have] = '\0';
	static const char prefix[] = "listening on ";
	if (strncmp(line, prefix, sizeof prefix - 1) != 0) {
		test_diag("balied's first line: %s", line);
		return false;
	}
	snprintf(url, len, "%s", line + sizeof prefix - 1);
	return true;
}

bool harness_start(struct harness *h, const struct harness_opts *opts)
{
	return harness_init(h, opts) && harness_launch(h, opts);
}

bool harness_launch(struct harness *h, const struct harness_opts *opts)
{
	int out[2];
	if (pipe2(out, O_CLOEXEC) != 0)
		return false;
	const char *argv[16];
	int n = 0;
	argv[n++] = balied_path();
	argv[n++] = "--db";
	argv[n++] = h->db;
	if (h->config) {
		argv[n++] = "--config";
		argv[n++] = h->config;
	}
	if (opts && opts->unix_socket) {
		argv[n++] = "--socket";
		argv[n++] = h->socket;
	} else {
		argv[n++] = "--listen";
		argv[n++] = "127.0.0.1:0";
	}
	if (opts && opts->training)
		argv[n++] = "--training";
	argv[n++] = "--log-level";
	argv[n++] = "debug";
	argv[n] = NULL;
	pid_t parent = getpid();
	h->pid = fork();
	if (h->pid == 0) {
		/* A test that dies (a crash, an abort) takes its balied with it. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(127);
		int log = open(h->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		dup2(out[1], STDOUT_FILENO);
		if (log >= 0)
			dup2(log, STDERR_FILENO);
		execv(argv[0], (char **)argv);
		_exit(127);
	}
	close(out[1]);
	bool ok = h->pid > 0 && read_ready_line(out[0], h->url, sizeof h->url);
	close(out[0]);
	if (!ok) {
		test_diag("balied did not get ready");
		harness_dump_log(h);
	}
	return ok;
}

static int wait_with_deadline(pid_t pid, long long ms)
{
	long long deadline = clock_now_ms() + ms;
	int status;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		if (r < 0 || clock_now_ms() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		nanosleep(&(struct timespec){ 0, 5 * 1000 * 1000 }, NULL);
	}
}

int harness_stop(struct harness *h)
{
	if (h->pid <= 0)
		return -1;
	kill(h->pid, SIGTERM);
	int status = wait_with_deadline(h->pid, STOP_DEADLINE_MS);
	h->pid = 0;
	return status;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

void harness_cleanup(struct harness *h)
{
	if (h->pid > 0)
		harness_stop(h);
	if (h->dir[0])
		nftw(h->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(h->db);
	free(h->config);
	free(h->log);
	free(h->socket);
	memset(h, 0, sizeof *h);
}

struct api *harness_api(const struct harness *h)
{
	char *err = NULL;
	struct api *api = api_new(h->url, NULL, &err);
	if (!api) {
		test_diag("api_new(%s): %s", h->url, err);
		abort();
	}
	return api;
}

/* Reads all of fd into an allocated string. */
static char *slurp_dup(int fd)
{
	size_t len = 0, cap = 1024;
	char *buf = xmalloc(cap);
	ssize_t n;
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (cap - len < 2)
			buf = xrealloc(buf, cap *= 2);
	}
	buf[len] = '\0';
	return buf;
}

char *harness_log_dup(const struct harness *h)
{
	int fd = open(h->log, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return xstrdup("");
	char *log = slurp_dup(fd);
	close(fd);
	return log;
}

int harness_run(const struct harness *h, const char *stdin_text, char **out, char **err, ...)
{
	const char *argv[32];
	int n = 0;
	argv[n++] = balied_path();
	argv[n++] = "--db";
	argv[n++] = h->db;
	if (h->config) {
		argv[n++] = "--config";
		argv[n++] = h->config;
	}
	va_list ap;
	va_start(ap, err);
	const char *a;
	while (n < 31 && (a = va_arg(ap, const char *)))
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;

	char *in_path = xasprintf("%s/stdin", h->dir);
	char *out_path = xasprintf("%s/stdout", h->dir);
	char *err_path = xasprintf("%s/stderr", h->dir);
	harness_write_file(in_path, stdin_text ? stdin_text : "");
	pid_t pid = fork();
	if (pid == 0) {
		int i = open(in_path, O_RDONLY);
		int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(i, STDIN_FILENO);
		dup2(o, STDOUT_FILENO);
		dup2(e, STDERR_FILENO);
		/* No terminal: the password must come from --password-stdin. */
		setsid();
		execv(argv[0], (char **)argv);
		_exit(127);
	}
	int status = pid > 0 ? wait_with_deadline(pid, RUN_DEADLINE_MS) : -1;
	int fd = open(out_path, O_RDONLY);
	*out = slurp_dup(fd);
	close(fd);
	fd = open(err_path, O_RDONLY);
	*err = slurp_dup(fd);
	close(fd);
	free(in_path);
	free(out_path);
	free(err_path);
	return status;
}

int harness_raw(const struct harness *h, const char *source, const char *request, size_t len,
		char **answer_out)
{
	unsigned port = 0;
	if (sscanf(h->url, "http://127.0.0.1:%u", &port) != 1)
		return 0;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct sockaddr_in from = { .sin_family = AF_INET };
	bool bound = !source || (inet_pton(AF_INET, source, &from.sin_addr) == 1 && fd >= 0 &&
				 bind(fd, (struct sockaddr *)&from, sizeof from) == 0);
	if (fd < 0 || !bound || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	struct timeval tv = { 10, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	/* The server may answer and close before it has read everything. */
	for (size_t sent = 0; sent < len;) {
		ssize_t n = send(fd, request + sent, len - sent, MSG_NOSIGNAL);
		if (n <= 0)
			break;
		sent += (size_t)n;
	}
	char *answer = slurp_dup(fd);
	close(fd);
	int status = 0;
	sscanf(answer, "HTTP/1.%*d %d", &status);
	if (answer_out)
		*answer_out = answer;
	else
		free(answer);
	return status;
}

void harness_dump_log(const struct harness *h)
{
	FILE *f = h->log ? fopen(h->log, "r") : NULL;
	char line[1024];
	while (f && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		test_diag("balied: %s", line);
	}
	if (f)
		fclose(f);
}

struct api_reply *harness_login(struct api *api, const char *user, const char *password,
				const char *branch)
{
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "username", user);
	cJSON_AddStringToObject(body, "password", password);
	cJSON_AddStringToObject(body, "branch", branch);
	cJSON_AddStringToObject(body, "terminal", "test-1");
	struct api_reply *r = api_call(api, "POST", "/session", body, NULL);
	cJSON_Delete(body);
	return r;
}

struct api *harness_desk_api(const struct harness *h)
{
	struct api *api = harness_api(h);
	struct api_reply *r = harness_login(api, "balie", "oefenen", "CEN");
	const char *token = jsonx_string(r->body, "token");
	if (token)
		api_set_token(api, token);
	api_reply_free(r);
	if (!token) {
		api_free(api);
		return NULL;
	}
	return api;
}

long long harness_file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

void harness_demo_code(const char *prefix, unsigned n, char out[15])
{
	char body[14];
	if (strlen(prefix) == 5)
		snprintf(body, sizeof body, "%s%08u", prefix, n);
	else
		snprintf(body, sizeof body, "%s%06u", prefix, n);
	snprintf(out, 15, "%s%c", body, luhn_digit(body));
}

size_t harness_demo_patrons(struct api *api, char (*cards)[15], size_t want)
{
	size_t n = 0;
	for (unsigned p = 1; p <= 50 && n < want; p++) {
		char card[15];
		harness_demo_code("21000", p, card);
		char *path = xasprintf("/patrons/%s", card);
		struct api_reply *r = api_call(api, "GET", path, NULL, NULL);
		free(path);
		if (r->outcome == API_OK && cJSON_GetArraySize(jsonx_array(r->body, "blocks")) == 0 &&
		    cJSON_GetArraySize(jsonx_array(r->body, "loans")) <= 5 &&
		    cJSON_GetArraySize(jsonx_array(r->body, "holds_ready")) == 0)
			memcpy(cards[n++], card, 15);
		api_reply_free(r);
	}
	return n;
}

struct api_reply *harness_post_item(struct api *api, const char *path, const char *card,
				    const char *barcode)
{
	cJSON *b = cJSON_CreateObject();
	if (card)
		cJSON_AddStringToObject(b, "patron_card", card);
	cJSON_AddStringToObject(b, "item_barcode", barcode);
	char key[UUID_STR_LEN];
	uuid_v4(key);
	struct api_reply *r = api_call(api, "POST", path, b, key);
	cJSON_Delete(b);
	return r;
}

char *harness_login_request_dup(const char *user, const char *password, const char *terminal)
{
	char *body = xasprintf("{\"username\":\"%s\",\"password\":\"%s\",\"branch\":\"CEN\","
			       "\"terminal\":\"%s\"}", user, password, terminal);
	char *req = xasprintf("POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
			      "Content-Type: application/json\r\nContent-Length: %zu\r\n"
			      "Connection: close\r\n\r\n%s", strlen(body), body);
	free(body);
	return req;
}

int harness_login_send(const struct harness *h, const char *source, const char *user,
		       const char *password)
{
	unsigned port = 0;
	if (sscanf(h->url, "http://127.0.0.1:%u", &port) != 1)
		return -1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in from = { .sin_family = AF_INET };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bool bound = !source || (inet_pton(AF_INET, source, &from.sin_addr) == 1 &&
				 bind(fd, (struct sockaddr *)&from, sizeof from) == 0);
	if (fd < 0 || !bound || connect(fd, (struct sockaddr *)&to, sizeof to) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	char *req = harness_login_request_dup(user, password, "t");
	size_t rlen = strlen(req);
	bool sent = write(fd, req, rlen) == (ssize_t)rlen;
	free(req);
	if (!sent) {
		close(fd);
		return -1;
	}
	return fd;
}
