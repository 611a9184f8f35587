/* The pty and libvterm side of the tui harness (see vt.h). */
#include "vt.h"
#include "core/clock.h"

#include "core/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vterm.h>

struct vt {
	VTerm *term;
	VTermScreen *screen;
	int master;
	int pidfd; /* -1 when the kernel has no pidfd_open: then we poll in steps */
	pid_t pid;
	bool exited;
	int status;
	bool eof;
	size_t bytes;
	size_t high_bytes; /* of them, bytes >= 0x80: none on an ASCII terminal */
	unsigned bells;
	bool altscreen, cursor_hidden; /* as the program set them last */
	char *alt_last; /* the alternate screen just before it was left, or NULL */
	FILE *trace; /* VT_TRACE=FILE: every byte in and out, for debugging */
};

/* Appends a record to the trace file, bytes escaped, one record a line. */
static void vt_trace(struct vt *vt, const char *what, const char *buf, size_t len)
{
	if (!vt->trace)
		return;
	fprintf(vt->trace, "%lld %s %zu: ", clock_now_ms(), what, len);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			fputc(c, vt->trace);
		else
			fprintf(vt->trace, "\\x%02x", c);
	}
	fputc('\n', vt->trace);
	fflush(vt->trace);
}

static int vt_bell_cb(void *user)
{
	struct vt *vt = user;
	vt->bells++;
	return 1;
}

static int vt_termprop_cb(VTermProp prop, VTermValue *val, void *user)
{
	struct vt *vt = user;
	if (prop == VTERM_PROP_ALTSCREEN)
		vt->altscreen = val->boolean;
	else if (prop == VTERM_PROP_CURSORVISIBLE)
		vt->cursor_hidden = !val->boolean;
	return 1;
}

static const VTermScreenCallbacks vt_screen_cbs = {
	.bell = vt_bell_cb,
	.settermprop = vt_termprop_cb,
};

/* Writes all of buf to the master, waiting for room (the program may be
 * slow to read) at most 5 s. */
static bool vt_write_all(struct vt *vt, const char *buf, size_t len)
{
	vt_trace(vt, "in", buf, len);
	long long deadline = clock_now_ms() + 5000;
	while (len > 0) {
		ssize_t n = write(vt->master, buf, len);
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return false;
		long long left = deadline - clock_now_ms();
		if (left <= 0)
			return false;
		struct pollfd p = {.fd = vt->master, .events = POLLOUT};
		poll(&p, 1, (int)left);
	}
	return true;
}

/* libvterm's answers to the program's queries (cursor position, device
 * attributes) and the keys it encodes go back to the program, as a real
 * terminal's would. */
static void vt_output_cb(const char *s, size_t len, void *user)
{
	vt_write_all(user, s, len);
}

static void vt_reap(struct vt *vt)
{
	if (vt->exited)
		return;
	int status;
	pid_t r = waitpid(vt->pid, &status, WNOHANG);
	if (r == vt->pid) {
		vt->exited = true;
		vt->status = status;
	}
}

struct vt *vt_spawn(const struct vt_spawn *spawn, char **err)
{
	int rows = spawn->rows > 0 ? spawn->rows : 24;
	int cols = spawn->cols > 0 ? spawn->cols : 80;
	struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
	int master;
	pid_t pid = forkpty(&master, NULL, NULL, &ws);
	if (pid < 0) {
		*err = xasprintf("forkpty: %s", strerror(errno));
		return NULL;
	}
	if (pid == 0) {
		/* The child: only async-signal-safe calls from here. */
		signal(SIGPIPE, SIG_DFL);
		if (spawn->fsize_limit > 0) {
			struct rlimit rl = {.rlim_cur = (rlim_t)spawn->fsize_limit,
					    .rlim_max = (rlim_t)spawn->fsize_limit};
			signal(SIGXFSZ, SIG_IGN);
			if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
				_exit(126);
		}
		execve(spawn->argv[0], (char *const *)spawn->argv, spawn->envp);
		static const char msg[] = "vt_spawn: execve failed\n";
		ssize_t ignored = write(2, msg, sizeof msg - 1);
		(void)ignored;
		_exit(127);
	}
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	fcntl(master, F_SETFD, FD_CLOEXEC);

	struct vt *vt = xcalloc(1, sizeof *vt);
	vt->master = master;
	vt->pid = pid;
	vt->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	const char *trace = getenv("VT_TRACE");
	vt->trace = trace && *trace ? fopen(trace, "ae") : NULL;
	vt->term = vterm_new(rows, cols);
	vterm_set_utf8(vt->term, 1);
	vterm_output_set_callback(vt->term, vt_output_cb, vt);
	vt->screen = vterm_obtain_screen(vt->term);
	vterm_screen_set_callbacks(vt->screen, &vt_screen_cbs, vt);
	vterm_screen_enable_altscreen(vt->screen, 1);
	vterm_screen_reset(vt->screen, 1);
	return vt;
}

pid_t vt_pid(const struct vt *vt)
{
	return vt->pid;
}

/* Feeds bytes to the emulator; the alternate screen is copied just before
 * the sequence that leaves it (ncurses' rmcup on xterm), which libvterm
 * would otherwise forget. A sequence split across two reads is missed. */
static void vt_feed(struct vt *vt, const char *buf, size_t n)
{
	static const char leave[] = "\x1b[?1049l";
	const char *at = vt->altscreen ? memmem(buf, n, leave, sizeof leave - 1) : NULL;
	if (at) {
		size_t before = (size_t)(at - buf);
		vterm_input_write(vt->term, buf, before);
		vterm_screen_flush_damage(vt->screen);
		free(vt->alt_last);
		vt->alt_last = vt_screen_dup(vt);
		/* libvterm restores the cursor saved on entering as DECRC does,
		 * visibility too, and a DECSC the program sent since (ncurses
		 * scrolling a region with the cursor hidden) is what it then
		 * restores; xterm keeps the visibility the program set last. */
		bool hidden = vt->cursor_hidden;
		vterm_input_write(vt->term, leave, sizeof leave - 1);
		vt->cursor_hidden = hidden;
		buf += before + sizeof leave - 1;
		n -= before + sizeof leave - 1;
	}
	vterm_input_write(vt->term, buf, n);
}

/* Reads everything the program has written so far. */
static size_t vt_drain(struct vt *vt)
{
	size_t got = 0;
	char buf[8192];
	while (!vt->eof) {
		ssize_t n = read(vt->master, buf, sizeof buf);
		if (n > 0) {
			vt_feed(vt, buf, (size_t)n);
			vt->bytes += (size_t)n;
			for (ssize_t i = 0; i < n; i++)
				vt->high_bytes += (unsigned char)buf[i] >= 0x80;
			vt_trace(vt, "out", buf, (size_t)n);
			got += (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else {
			/* EIO: every slave descriptor is closed, the program is gone. */
			if (n == 0 || errno != EAGAIN)
				vt->eof = true;
			break;
		}
	}
	return got;
}

size_t vt_pump(struct vt *vt, int timeout_ms)
{
	long long deadline = clock_now_ms() + timeout_ms;
	size_t got = 0;
	for (;;) {
		got += vt_drain(vt);
		vt_reap(vt);
		long long left = deadline - clock_now_ms();
		if (got > 0 || left <= 0)
			break;
		struct pollfd p[2] = {
			{.fd = vt->eof ? -1 : vt->master, .events = POLLIN},
			{.fd = vt->exited ? -1 : vt->pidfd, .events = POLLIN},
		};
		if (p[0].fd < 0 && vt->exited)
			break; /* nothing more can happen */
		/* Without a pidfd an exit is noticed by looking every 50 ms. */
		int step = !vt->exited && vt->pidfd < 0 && left > 50 ? 50 : (int)left;
		if (poll(p, 2, step) < 0 && errno != EINTR)
			break;
	}
	vterm_screen_flush_damage(vt->screen);
	return got;
}

bool vt_send(struct vt *vt, const char *bytes)
{
	return vt_write_all(vt, bytes, strlen(bytes));
}

static const struct {
	const char *name;
	VTermKey key;
	VTermModifier mod;
} vt_keys[] = {
	{"Enter", VTERM_KEY_ENTER, VTERM_MOD_NONE},
	{"Tab", VTERM_KEY_TAB, VTERM_MOD_NONE},
	{"BackTab", VTERM_KEY_TAB, VTERM_MOD_SHIFT},
	{"Esc", VTERM_KEY_ESCAPE, VTERM_MOD_NONE},
	{"Backspace", VTERM_KEY_BACKSPACE, VTERM_MOD_NONE},
	{"Up", VTERM_KEY_UP, VTERM_MOD_NONE},
	{"Down", VTERM_KEY_DOWN, VTERM_MOD_NONE},
	{"Left", VTERM_KEY_LEFT, VTERM_MOD_NONE},
	{"Right", VTERM_KEY_RIGHT, VTERM_MOD_NONE},
	{"Insert", VTERM_KEY_INS, VTERM_MOD_NONE},
	{"Delete", VTERM_KEY_DEL, VTERM_MOD_NONE},
	{"Home", VTERM_KEY_HOME, VTERM_MOD_NONE},
	{"End", VTERM_KEY_END, VTERM_MOD_NONE},
	{"PgUp", VTERM_KEY_PAGEUP, VTERM_MOD_NONE},
	{"PgDn", VTERM_KEY_PAGEDOWN, VTERM_MOD_NONE},
};

bool vt_scan(struct vt *vt, const char *code)
{
	return vt_send(vt, code) && vt_send(vt, "\r");
}

bool vt_type(struct vt *vt, const char *text, int ms)
{
	for (const char *p = text; *p; p++) {
		char one[2] = {*p, '\0'};
		if (!vt_send(vt, one))
			return false;
		if (!p[1])
			break;
		/* the pace of the keys, not a wait for the program */
		for (long long until = clock_now_ms() + ms, left; (left = until - clock_now_ms()) > 0;)
			vt_pump(vt, (int)left);
	}
	return true;
}

bool vt_key(struct vt *vt, const char *name)
{
	if (name[0] == '^' && name[1] != '\0' && name[2] == '\0') {
		char c[2] = {(char)(name[1] & 0x1f), '\0'};
		return vt_send(vt, c);
	}
	if (name[0] == 'F' && name[1] >= '1' && name[1] <= '9') {
		char *end;
		long n = strtol(name + 1, &end, 10);
		if (*end != '\0' || n < 1 || n > 12)
			return false;
		vterm_keyboard_key(vt->term, VTERM_KEY_FUNCTION((int)n), VTERM_MOD_NONE);
		return true;
	}
	for (size_t i = 0; i < sizeof vt_keys / sizeof vt_keys[0]; i++) {
		if (strcmp(vt_keys[i].name, name) == 0) {
			vterm_keyboard_key(vt->term, vt_keys[i].key, vt_keys[i].mod);
			return true;
		}
	}
	return false;
}

static size_t vt_utf8_put(char *out, uint32_t c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* Row as UTF-8, trailing blanks cut; colmap (may be NULL, as long as the
 * text) gets the cell column of each byte. Returns allocated text. */
static char *vt_row_text(const struct vt *vt, int row, int **colmap)
{
	int rows, cols;
	vterm_get_size(vt->term, &rows, &cols);
	size_t cap = (size_t)cols * VTERM_MAX_CHARS_PER_CELL * 4 + 1;
	char *text = xmalloc(cap);
	int *map = xmalloc(cap * sizeof *map);
	size_t len = 0, keep = 0;
	for (int col = 0; row >= 0 && row < rows && col < cols; col++) {
		VTermScreenCell cell;
		vterm_screen_get_cell(vt->screen, (VTermPos){.row = row, .col = col}, &cell);
		if (cell.chars[0] == (uint32_t)-1)
			continue; /* the right half of a wide character */
		size_t start = len;
		if (cell.chars[0] == 0) {
			text[len++] = ' ';
		} else {
			for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && cell.chars[i]; i++)
				len += vt_utf8_put(text + len, cell.chars[i]);
		}
		for (size_t i = start; i < len; i++)
			map[i] = col;
		if (cell.chars[0] != 0 && cell.chars[0] != ' ')
			keep = len;
	}
	text[keep] = '\0';
	if (colmap)
		*colmap = map;
	else
		free(map);
	return text;
}

char *vt_row_dup(const struct vt *vt, int row)
{
	return vt_row_text(vt, row, NULL);
}

char *vt_screen_dup(const struct vt *vt)
{
	int rows, cols;
	vterm_get_size(vt->term, &rows, &cols);
	size_t cap = 1, len = 0;
	char *all = xstrdup("");
	for (int row = 0; row < rows; row++) {
		char *line = vt_row_text(vt, row, NULL);
		size_t n = strlen(line);
		cap = len + n + 2;
		all = xrealloc(all, cap);
		memcpy(all + len, line, n);
		len += n;
		if (row + 1 < rows)
			all[len++] = '\n';
		all[len] = '\0';
		free(line);
	}
	return all;
}

char *vt_altscreen_last_dup(const struct vt *vt)
{
	return vt->alt_last ? xstrdup(vt->alt_last) : NULL;
}

bool vt_find(const struct vt *vt, const char *text, int *row, int *col)
{
	int rows, cols;
	vterm_get_size(vt->term, &rows, &cols);
	for (int r = 0; r < rows; r++) {
		int *map;
		char *line = vt_row_text(vt, r, &map);
		const char *hit = strstr(line, text);
		if (hit) {
			if (row)
				*row = r;
			if (col)
				*col = map[hit - line];
		}
		free(line);
		free(map);
		if (hit)
			return true;
	}
	return false;
}

void vt_dump(const struct vt *vt, FILE *out)
{
	int rows, cols, crow, ccol;
	vterm_get_size(vt->term, &rows, &cols);
	vt_cursor(vt, &crow, &ccol);
	fprintf(out, "# screen %dx%d, cursor at row %d col %d, %zu bytes read, %u bells:\n",
		cols, rows, crow, ccol, vt->bytes, vt->bells);
	for (int r = 0; r < rows; r++) {
		char *line = vt_row_text(vt, r, NULL);
		fprintf(out, "# %2d|%s\n", r, line);
		free(line);
	}
	fflush(out);
}

/* Pumps until done(vt, arg) holds or deadline_ms passes; dumps on failure. */
static bool vt_wait_for(struct vt *vt, bool (*done)(struct vt *, const void *), const void *arg,
			int deadline_ms, const char *what)
{
	long long deadline = clock_now_ms() + deadline_ms;
	vt_pump(vt, 0);
	for (;;) {
		if (done(vt, arg))
			return true;
		long long left = deadline - clock_now_ms();
		if (left <= 0 || (vt->exited && vt->eof))
			break;
		vt_pump(vt, (int)left);
	}
	if (done(vt, arg))
		return true;
	if (vt->exited)
		printf("# in vain waited for %s: the program has exited (status %d)\n", what,
		       vt->status);
	else
		printf("# waited %d ms in vain for %s\n", deadline_ms, what);
	vt_dump(vt, stdout);
	return false;
}

static bool vt_has_text(struct vt *vt, const void *text)
{
	return vt_find(vt, text, NULL, NULL);
}

static bool vt_lacks_text(struct vt *vt, const void *text)
{
	return !vt_find(vt, text, NULL, NULL);
}

bool vt_wait_text(struct vt *vt, const char *text, int deadline_ms)
{
	char *what = xasprintf("\"%s\" on the screen", text);
	bool r = vt_wait_for(vt, vt_has_text, text, deadline_ms, what);
	free(what);
	return r;
}

bool vt_wait_gone(struct vt *vt, const char *text, int deadline_ms)
{
	char *what = xasprintf("\"%s\" to leave the screen", text);
	bool r = vt_wait_for(vt, vt_lacks_text, text, deadline_ms, what);
	free(what);
	return r;
}

struct vt_row_want {
	int row;
	const char *text;
};

static bool vt_row_has(struct vt *vt, const void *arg)
{
	const struct vt_row_want *want = arg;
	char *line = vt_row_text(vt, want->row, NULL);
	bool r = strstr(line, want->text) != NULL;
	free(line);
	return r;
}

bool vt_wait_row(struct vt *vt, int row, const char *text, int deadline_ms)
{
	struct vt_row_want want = {row, text};
	char *what = xasprintf("\"%s\" on row %d", text, row);
	bool r = vt_wait_for(vt, vt_row_has, &want, deadline_ms, what);
	free(what);
	return r;
}

struct vt_cursor_want {
	int row, col;
};

static bool vt_cursor_is(struct vt *vt, const void *arg)
{
	const struct vt_cursor_want *want = arg;
	int row, col;
	vt_cursor(vt, &row, &col);
	return row == want->row && col == want->col;
}

bool vt_wait_cursor(struct vt *vt, int row, int col, int deadline_ms)
{
	struct vt_cursor_want want = {row, col};
	char *what = xasprintf("the cursor at row %d col %d", row, col);
	bool r = vt_wait_for(vt, vt_cursor_is, &want, deadline_ms, what);
	free(what);
	return r;
}

static bool vt_bells_reached(struct vt *vt, const void *arg)
{
	return vt->bells >= *(const unsigned *)arg;
}

bool vt_wait_bells(struct vt *vt, unsigned count, int deadline_ms)
{
	char *what = xasprintf("bell number %u", count);
	bool r = vt_wait_for(vt, vt_bells_reached, &count, deadline_ms, what);
	free(what);
	return r;
}

bool vt_wait_quiet(struct vt *vt, int quiet_ms, int deadline_ms)
{
	long long deadline = clock_now_ms() + deadline_ms;
	for (;;) {
		long long left = deadline - clock_now_ms();
		if (left < quiet_ms)
			return false;
		if (vt_pump(vt, quiet_ms) == 0)
			return true; /* quiet_ms passed without a byte (or the program is gone) */
	}
}

bool vt_exited(struct vt *vt)
{
	vt_reap(vt);
	return vt->exited;
}

static bool vt_has_exited(struct vt *vt, const void *arg)
{
	(void)arg;
	return vt->exited;
}

bool vt_wait_exit(struct vt *vt, int deadline_ms, int *status)
{
	bool r = vt_wait_for(vt, vt_has_exited, NULL, deadline_ms, "the program to exit");
	if (r) {
		vt_pump(vt, 0); /* its last words */
		if (status)
			*status = vt->status;
	}
	return r;
}

int vt_close(struct vt *vt)
{
	vt_reap(vt);
	if (!vt->exited) {
		kill(vt->pid, SIGTERM);
		long long deadline = clock_now_ms() + 5000;
		while (!vt->exited && clock_now_ms() < deadline)
			vt_pump(vt, (int)(deadline - clock_now_ms()));
		if (!vt->exited) {
			printf("# the program ignored SIGTERM for 5 s: SIGKILL\n");
			kill(vt->pid, SIGKILL);
			if (waitpid(vt->pid, &vt->status, 0) == vt->pid)
				vt->exited = true;
		}
	}
	int status = vt->status;
	close(vt->master);
	if (vt->pidfd >= 0)
		close(vt->pidfd);
	vterm_free(vt->term);
	free(vt->alt_last);
	if (vt->trace)
		fclose(vt->trace);
	free(vt);
	return status;
}

void vt_size(const struct vt *vt, int *rows, int *cols)
{
	vterm_get_size(vt->term, rows, cols);
}

bool vt_resize(struct vt *vt, int rows, int cols)
{
	struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
	char what[32];
	snprintf(what, sizeof what, "resize %dx%d", cols, rows);
	vt_trace(vt, what, "", 0);
	vterm_set_size(vt->term, rows, cols);
	return ioctl(vt->master, TIOCSWINSZ, &ws) == 0;
}

void vt_cursor(const struct vt *vt, int *row, int *col)
{
	VTermPos pos;
	vterm_state_get_cursorpos(vterm_obtain_state(vt->term), &pos);
	*row = pos.row;
	*col = pos.col;
}

static int vt_colour(const VTermColor *c, bool fg)
{
	if (fg ? VTERM_COLOR_IS_DEFAULT_FG(c) : VTERM_COLOR_IS_DEFAULT_BG(c))
		return -1;
	if (VTERM_COLOR_IS_INDEXED(c))
		return c->indexed.idx;
	return 0x1000000 | c->rgb.red << 16 | c->rgb.green << 8 | c->rgb.blue;
}

bool vt_attr_at(const struct vt *vt, int row, int col, struct vt_attr *attr)
{
	int rows, cols;
	vterm_get_size(vt->term, &rows, &cols);
	if (row < 0 || row >= rows || col < 0 || col >= cols)
		return false;
	VTermScreenCell cell;
	vterm_screen_get_cell(vt->screen, (VTermPos){.row = row, .col = col}, &cell);
	attr->bold = cell.attrs.bold;
	attr->reverse = cell.attrs.reverse;
	attr->underline = cell.attrs.underline != 0;
	attr->fg = vt_colour(&cell.fg, true);
	attr->bg = vt_colour(&cell.bg, false);
	return true;
}

bool vt_altscreen(const struct vt *vt)
{
	return vt->altscreen;
}

bool vt_cursor_visible(const struct vt *vt)
{
	return !vt->cursor_hidden;
}

unsigned vt_bells(const struct vt *vt)
{
	return vt->bells;
}

size_t vt_bytes(const struct vt *vt)
{
	return vt->bytes;
}

size_t vt_high_bytes(const struct vt *vt)
{
	return vt->high_bytes;
}
