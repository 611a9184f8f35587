/*
 * The desk's journal (DESIGN.md section 4, Offline): every mutating
 * request (check-out, check-in, IDO question, and a retry with an override)
 * is written here, and committed, before it is sent or shown as saved, so
 * that a crash or a dead line can neither lose it nor make it happen twice.
 *
 * The file is SQLite in WAL mode with synchronous=FULL, mode 0600. One row a
 * transaction: its Idempotency-Key, the desk (terminal) and staff member,
 * a sequence number unique in the file and growing, occurred_at (RFC 3339
 * UTC), method, path, the request body exactly as it is sent, its state, the
 * service's HTTP status and answer, and a note.
 *
 * The body of an entry never changes once appended: the service compares a
 * repeated key's body byte for byte (DESIGN.md section 2), so each send of
 * an entry sends the same bytes. Every entry gets "occurred_at", the moment
 * it happened at the desk, in its body at append time, online ones too: an
 * online entry that got no answer is sent again later, and must then apply
 * as of its moment and in its order, not at the time of the resend. An
 * entry appended offline also gets "offline": true.
 *
 * Every entry names the staff member who made it, and is only sent in that
 * member's session (journal_claim_for): another user at the same desk never
 * sends it.
 *
 * States:
 *   pending       waiting to be sent by the replay (replay.h)
 *   sent          in flight from a live balie process (its owner); an entry
 *                 left "sent" by a process that died is sent again
 *   acknowledged  the service answered 2xx for its key: done
 *   refused       the service answered 4xx on replay: waits on the queue
 *                 screen (F8) with its answer
 *   handled       a refusal resolved at the desk (shown online, marked with
 *                 a note on the queue screen, or retried with an override)
 *
 * Several balie processes on one host may share one file: every write is a
 * BEGIN IMMEDIATE transaction with a busy timeout, the sequence comes from
 * SQLite (unique per file), and an entry is claimed for sending atomically.
 *
 * Every function that writes returns only after the commit returned. An
 * append, a retry, and marking an entry handled are synced to disk before
 * that; the replay's marks (claimed, acknowledged, refused, back to pending)
 * are synced with the next of those, since losing one only sends an entry
 * again under its own key, which the service answers from its store. A
 * failure (a full disk, a failed fsync, the file taken away) is returned as
 * false with *err set (allocated, translated, for the desk to show): the desk
 * must then stop taking transactions, never pretend one was saved.
 */
#ifndef BALIE_JOURNAL_H
#define BALIE_JOURNAL_H

#include "core/uuid.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct journal;

enum journal_state {
	JOURNAL_PENDING,
	JOURNAL_SENT,
	JOURNAL_ACKNOWLEDGED,
	JOURNAL_REFUSED,
	JOURNAL_HANDLED,
};

/* What a transaction is, stored with its entry, so that the desk can say
 * so without reading its path or body. A journal written before entries had
 * a kind gets theirs from the path when it is opened. */
enum journal_kind {
	JOURNAL_KIND_OTHER,        /* a request this desk has no word for */
	JOURNAL_KIND_CHECKOUT,     /* POST /checkouts */
	JOURNAL_KIND_CHECKIN,      /* POST /checkins */
	JOURNAL_KIND_RENEWAL,      /* POST /renewals */
	JOURNAL_KIND_IDO_QUESTION, /* POST /ido/questions */
};

/* The stored name of a kind ("checkout", ...), and back; false when unknown. */
const char *journal_kind_name(enum journal_kind kind);
bool journal_kind_parse(const char *name, enum journal_kind *out);
/* The kind of a request to path (below /api/v1). */
enum journal_kind journal_kind_of_path(const char *path);

/* Bits for journal_list_dup's state_mask. */
#define JOURNAL_MASK(state) (1u << (state))

/* The wire name of a state ("pending", ...), and back; false when unknown. */
const char *journal_state_name(enum journal_state state);
bool journal_state_parse(const char *name, enum journal_state *out);
/* The desk's word for a state, translated ("waiting", "refused", ...). */
const char *journal_state_text(enum journal_state state);

struct journal_entry {
	long long seq;            /* unique in the file, growing */
	char key[UUID_STR_LEN];   /* the Idempotency-Key */
	char *desk;               /* the terminal that appended it */
	char *staff;              /* who made it (user name); "" only in a journal
				   * written before every entry named one */
	char *occurred_at;        /* RFC 3339 UTC, "YYYY-MM-DDTHH:MM:SSZ" */
	char *method;             /* "POST" */
	char *path;               /* below /api/v1: "/checkouts", "/checkins", "/ido/questions" */
	char *body;               /* JSON text, exactly as sent */
	enum journal_kind kind;   /* what it is, from its path at append time */
	bool offline;             /* appended offline: body holds occurred_at and offline */
	enum journal_state state;
	long status;              /* the last HTTP status; 0 when none came yet */
	char *answer;             /* the service's answer (JSON text, sanitised), or NULL */
	char *note;               /* the desk's note, or NULL */
	long long retry_of;       /* the refused entry this one retries, or 0 */
	long long retried_by;     /* the entry that retries this one, or 0 */
	unsigned attempts;        /* how many times it was claimed for sending */
	pid_t owner;              /* the process that has it in flight (state sent), or 0 */
};

void journal_entry_free(struct journal_entry *e);
/* Frees a list from journal_list_dup. */
void journal_entries_free(struct journal_entry **list, size_t n);

/*
 * Opens the journal at path, creating it (and its directory, mode 0700) with
 * mode 0600 when missing; an existing file with group or other permissions
 * is made 0600. desk is this desk's terminal name, written into each entry.
 * Returns NULL and sets *err (allocated, translated) on failure.
 */
struct journal *journal_open(const char *path, const char *desk, char **err);
void journal_close(struct journal *j);

/*
 * Removes the acknowledged and handled entries last changed more than days
 * days ago; returns how many, or -1 (and *err). Entries that wait or are
 * refused are never removed. journal_open does this with
 * JOURNAL_KEEP_DAYS, so that the file does not grow without end.
 */
enum { JOURNAL_KEEP_DAYS = 30 };
long journal_prune(struct journal *j, unsigned days, char **err);

/* The path it was opened with. */
const char *journal_path(const struct journal *j);

enum journal_mode {
	/* The caller sends it now: state sent, owned by this process; the
	 * body is stored as given. The caller must settle it when the answer
	 * comes, or when none comes (replay_settle does either): while it is
	 * sent by a live process the replay waits for it. */
	JOURNAL_ONLINE,
	/* Offline: state pending, for the replay; "occurred_at" and
	 * "offline": true are added to the body. */
	JOURNAL_OFFLINE,
};

/*
 * Appends a transaction with a new Idempotency-Key and commits it. body is
 * not taken (it is copied, with occurred_at, and with "offline" for
 * JOURNAL_OFFLINE). staff is the user name of who made it: NULL or "" is
 * refused (false, *err), nothing is written. occurred_at (RFC 3339 UTC) may be NULL for now; tests pass
 * their own. On success *out is the new entry (free with
 * journal_entry_free): show the transaction as saved only now.
 */
bool journal_append(struct journal *j, enum journal_mode mode, const char *staff,
		    const char *method, const char *path, const cJSON *body,
		    const char *occurred_at, struct journal_entry **out, char **err);

/* Back to pending after a send that got no answer (no connection, timeout,
 * 5xx): the replay sends it again with the same key and body. */
bool journal_mark_pending(struct journal *j, long long seq, char **err);

/* A refused entry resolved at the queue screen without a retry, or a
 * pending one an administrator resolved for another staff member (it is
 * then never sent): handled, with the desk's note (required, non-empty). */
bool journal_mark_handled(struct journal *j, long long seq, const char *note, char **err);

/*
 * Retries refused entry seq with an override: appends a new entry (a new
 * key, state pending, the same method, path, occurred_at and offline flag)
 * whose body is the refused one's with "override": {"blocks": [the n_blocks
 * codes], "reason": reason}, links the two (retry_of, retried_by) and marks
 * the refused one handled, all in one transaction. staff may be NULL.
 * *out is the new entry; start the replay to send it.
 */
bool journal_retry_override(struct journal *j, long long seq, const char *const *blocks,
			    size_t n_blocks, const char *reason, const char *staff,
			    struct journal_entry **out, char **err);

/* Entry seq into *out (free with journal_entry_free); *out NULL when there
 * is none. */
bool journal_get(struct journal *j, long long seq, struct journal_entry **out, char **err);

/* How many entries wait to be answered (pending or sent): "OFFLINE (n
 * waiting)". -1 on failure (and *err). */
long journal_count_waiting(struct journal *j, char **err);
/* How many entries in a state of state_mask there are of staff member staff
 * (NULL: anyone's) with path (NULL: any). -1 on failure (and *err). */
long journal_count_for(struct journal *j, unsigned state_mask, const char *staff,
		       const char *path, char **err);

/* Waiting entries (pending or sent) per staff member, the one with the
 * oldest first: a new array of *n (free with journal_staff_counts_free). */
struct journal_staff_count {
	char *staff; /* the user name; "" for entries of an old journal without one */
	long n;
};
bool journal_waiting_by_staff_dup(struct journal *j, struct journal_staff_count **out,
				  size_t *n, char **err);
void journal_staff_counts_free(struct journal_staff_count *list, size_t n);

/* From now on this opening claims (journal_claim_next, journal_claim_batch)
 * only the entries of staff member staff (a user name), none when staff is
 * NULL or "": an entry is sent only in the session of who made it. Until
 * the first call, every entry is claimed (a tool sending a desk's file). */
void journal_claim_for(struct journal *j, const char *staff);

/* The highest sequence in the file, 0 when empty; -1 on failure (and *err). */
long long journal_last_seq(struct journal *j, char **err);
/* How many entries are in state. -1 on failure (and *err). */
long journal_count(struct journal *j, enum journal_state state, char **err);

/*
 * The entries whose state is in state_mask (JOURNAL_MASK(JOURNAL_REFUSED)
 * for the queue screen), in sequence order, at most max (0: all), as a new
 * array of *n entries (free with journal_entries_free).
 */
bool journal_list_dup(struct journal *j, unsigned state_mask, size_t max,
		      struct journal_entry ***out, size_t *n, char **err);

#endif
