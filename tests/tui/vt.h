/* A program in a pseudo-terminal, its output rendered by libvterm: the tui
 * tests start the real desk with vt_spawn, send it keys as a terminal would,
 * and read the screen back. Every wait has a deadline and pumps the
 * program's output meanwhile; nothing sleeps for a fixed time. A wait that
 * fails prints the whole screen as TAP diagnostics, so the test log shows
 * what the user would have seen. */
#ifndef BALIE_TUI_VT_H
#define BALIE_TUI_VT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct vt;

struct vt_spawn {
	const char *const *argv; /* argv[0] is a path; execve, no PATH search */
	char *const *envp;       /* the complete environment (tuienv_envp_new) */
	int rows, cols;          /* 0: 24 rows, 80 columns */
	/* > 0: the program's RLIMIT_FSIZE in bytes, with SIGXFSZ ignored (both
	 * survive execve), so that a write past it fails with EFBIG: a real
	 * full file for the tests of a journal that cannot be written. */
	long long fsize_limit;
};

/* Starts the program in a new pty. Returns NULL and sets *err (allocated)
 * when the pty or the fork fails; a failing execve shows as exit status 127. */
struct vt *vt_spawn(const struct vt_spawn *spawn, char **err);

/* Ends the program: SIGTERM, up to 5 s for it to exit (its output is pumped
 * meanwhile), then SIGKILL. Returns the waitpid status, and frees vt. */
int vt_close(struct vt *vt);

pid_t vt_pid(const struct vt *vt);

/* Writes bytes to the program as typed: "\r" Enter, "\t" Tab, "\x1b" "1"
 * Esc then 1. Returns false when the pty refused them. */
bool vt_send(struct vt *vt, const char *bytes);
/* Types text one byte every ms milliseconds, as a person types (a scanner
 * sends a key every few ms), reading the program's output meanwhile. */
bool vt_type(struct vt *vt, const char *text, int ms);
/* A scan: code and Enter, as a barcode scanner types them. */
bool vt_scan(struct vt *vt, const char *code);
/* Sends a named key the way the emulated terminal encodes it in its current
 * mode (cursor keys follow DECCKM): "F1".."F12", "Enter", "Tab", "BackTab",
 * "Esc", "Up", "Down", "Left", "Right", "PgUp", "PgDn", "Home", "End",
 * "Insert", "Delete", "Backspace", "^X" (control). False for an unknown name. */
bool vt_key(struct vt *vt, const char *name);

/* Reads what the program wrote, waiting at most timeout_ms for the first
 * byte (0: only what is there). Returns the number of bytes read. */
size_t vt_pump(struct vt *vt, int timeout_ms);

/* Waits until text is somewhere on the screen (within one row). On timeout
 * dumps the screen (as "# " lines on stdout) and returns false. */
bool vt_wait_text(struct vt *vt, const char *text, int deadline_ms);
/* Waits until text is nowhere on the screen; dumps on timeout. */
bool vt_wait_gone(struct vt *vt, const char *text, int deadline_ms);
/* Waits until row (0-based) holds text; dumps on timeout. */
bool vt_wait_row(struct vt *vt, int row, const char *text, int deadline_ms);
/* Waits until the cursor is at row, col (0-based); dumps on timeout. */
bool vt_wait_cursor(struct vt *vt, int row, int col, int deadline_ms);
/* Waits until the program has written nothing for quiet_ms (a condition on
 * the output, used to measure it; not a substitute for vt_wait_text). */
bool vt_wait_quiet(struct vt *vt, int quiet_ms, int deadline_ms);
/* Waits until the program has exited; *status gets its waitpid status.
 * Dumps the screen on timeout. */
bool vt_wait_exit(struct vt *vt, int deadline_ms, int *status);
bool vt_exited(struct vt *vt);

/* Row n (0-based) as UTF-8 without trailing blanks; allocated. */
char *vt_row_dup(const struct vt *vt, int row);
/* The whole screen, rows joined by "\n"; allocated. */
char *vt_screen_dup(const struct vt *vt);
/* True when text is on the screen now; *row and *col (cells) may be NULL. */
bool vt_find(const struct vt *vt, const char *text, int *row, int *col);
/* Prints the screen, framed, each line prefixed with "# ". */
void vt_dump(const struct vt *vt, FILE *out);

void vt_size(const struct vt *vt, int *rows, int *cols);
/* Resizes the pty (the program gets SIGWINCH) and the emulator. */
bool vt_resize(struct vt *vt, int rows, int cols);
void vt_cursor(const struct vt *vt, int *row, int *col);

struct vt_attr {
	bool bold, reverse, underline;
	int fg, bg; /* -1 the default colour, 0..255 a palette index, else 0x1000000 | rgb */
};
/* The attributes of the cell at row, col; false outside the screen. */
bool vt_attr_at(const struct vt *vt, int row, int col, struct vt_attr *attr);

/* The alternate screen's text (rows joined by "\n") as it was just before
 * the program left it the last time, allocated; NULL when it has not left
 * it. What the user last saw of a desk that stopped by itself. */
char *vt_altscreen_last_dup(const struct vt *vt);

/* True while the program has the alternate screen (full-screen mode). */
bool vt_altscreen(const struct vt *vt);
/* False while the program has hidden the cursor. */
bool vt_cursor_visible(const struct vt *vt);

/* How many times the program rang the bell. */
unsigned vt_bells(const struct vt *vt);
/* Waits until the bell has rung count times in all; dumps on timeout. */
bool vt_wait_bells(struct vt *vt, unsigned count, int deadline_ms);
/* Bytes the program wrote so far; the difference of two is what it wrote
 * between them. */
size_t vt_bytes(const struct vt *vt);
/* Of those, the bytes >= 0x80 (an ASCII terminal must get none). */
size_t vt_high_bytes(const struct vt *vt);

#endif
