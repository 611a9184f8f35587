/* The IDO question form (DESIGN.md section 3): built for speed
 * between two citizens. Pick lists filter as you type; Space picks (several
 * topics, organisations and kinds of help); Enter or Tab takes the
 * highlighted entry and goes on; a saved question leaves its answers as the
 * defaults of the next question of the same visit (but the topics,
 * organisations and note, which are the question itself). The note is
 * checked as it is typed by the same guard the service uses. This module
 * only holds and draws the form; the traffic is in app_ido.c. */
#ifndef BALIE_IDO_H
#define BALIE_IDO_H

#include "ui/actions.h"
#include "ui/widgets/field.h"
#include "client/idolog.h"
#include "ui/keys/keys.h"
#include "core/pdguard.h"
#include "core/uuid.h"

#include <curses.h>
#include <stdbool.h>

enum ido_field {
	IDO_F_CLASS,
	IDO_F_TOPIC,
	IDO_F_ORGANISATION,
	IDO_F_HELP,
	IDO_F_OUTCOME,
	IDO_F_REFERRAL,
	IDO_F_CHANNEL,
	IDO_F_MINUTES,
	IDO_F_NOTE,
	IDO_F_COUNT
};

struct ido_pick {
	bool *chosen;      /* one per catalogue entry */
	size_t highlight;  /* index among the entries the filter lets through */
	struct field filter;
};

/* A question on its way to the service: what the form held, put back when
 * the service does not take it. */
struct ido_sent {
	bool *chosen[IDO_L_COUNT];
	char *minutes, *note;
	char visit_id[UUID_STR_LEN];
	int question;
	bool end_visit;
};

struct ido_form {
	struct ido_catalog *cat; /* NULL until the catalogue has come */
	struct ido_pick picks[IDO_L_COUNT];
	struct field minutes, note;
	enum ido_field focus;
	unsigned note_kinds;     /* what the note looks like, as typed (pdguard_scan) */
	char *note_problem;      /* the words for note_kinds, NULL when it has none */
	char visit_id[UUID_STR_LEN];
	int question;            /* of the visit, from 1 */
	char *message;
	bool message_error;
	bool busy;               /* a save is under way: sent holds it */
	struct ido_sent *sent;
	bool end_after_save;
	struct call_retry retry; /* the Idempotency-Key of the question sent */
	/* What the last ido_form_question holds for its question. */
	const char **held_codes[IDO_L_COUNT];
	char *held_note;
};

enum ido_form_do { IDO_DO_NOTHING, IDO_DO_SAVE, IDO_DO_END_VISIT };

void ido_form_init(struct ido_form *f);
void ido_form_free(struct ido_form *f);
/* Takes the catalogue over and sets the first defaults. */
void ido_form_set_catalog(struct ido_form *f, struct ido_catalog *cat);
/* A new visit: a new id, question 1, the first defaults. */
void ido_form_new_visit(struct ido_form *f);

/* True when key k is typing in the focused field (not an action). */
bool ido_form_takes_text(const struct ido_form *f, keycode k);
/* An editing key for the focused field. */
void ido_form_key(struct ido_form *f, keycode k);
/* An action of the IDO screen; says whether to save or end the visit. */
enum ido_form_do ido_form_action(struct ido_form *f, enum action a);

/* The question to send for the form in *q, or false after setting a
 * message that says what is missing. q's codes point into the catalogue,
 * its lists and note are held by the form, until the next call or
 * ido_form_free. *key gets the Idempotency-Key: the same as the last try
 * for the same question, so a retry is never stored twice. */
bool ido_form_question(struct ido_form *f, struct ido_question *q, const char **key);
/* The question was stored: the next one of the visit, with defaults. */
void ido_form_saved(struct ido_form *f);
/* The body of the form is on its way: the form goes on at once to the next
 * question (or visit), so that typing never waits for the service, and
 * keeps what was sent. */
void ido_form_begin_save(struct ido_form *f);
/* The answer came: taken, or not, and then the question sent is back in the
 * form (what was typed meanwhile gives way to it). */
void ido_form_end_save(struct ido_form *f, bool taken);
/* The plain words, translated, for a note that holds the kinds (a set of
 * PDGUARD_BIT) of personal data, each named; NULL for none. Free it. */
char *ido_note_problem_dup(unsigned kinds);
/* Checks the note as it now is (NULL for none) and sets note_kinds and
 * note_problem. */
void ido_form_note_checked(struct ido_form *f, const char *note);

void ido_form_set_message(struct ido_form *f, const char *msg, bool error);
void ido_form_draw(struct ido_form *f, WINDOW *w, int top, int bottom, int cols, int *cy,
		   int *cx);

#endif
