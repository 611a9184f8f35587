/* One question logged at the Informatiepunt Digitale Overheid, as the desk
 * sends it (POST /ido/questions, DESIGN.md section 2) and the service
 * checks and stores it: codes of the catalogue's lists, the minutes spent
 * and an optional note. The strings are not owned: they point into the
 * form, the request body or the demo data that filled the struct. The
 * limits are the protocol's, the same on both sides of it. */
#ifndef BALIE_CORE_IDO_QUESTION_H
#define BALIE_CORE_IDO_QUESTION_H

#include <stddef.h>

enum {
	IDO_NOTE_MAX = 280,   /* characters (not bytes) of the note */
	IDO_MINUTES_MAX = 480 /* minutes spent on one question, from 1 */
};

struct ido_question {
	const char *visit_id;    /* a UUID: the questions of one citizen's visit */
	const char *class_code;
	const char *const *topics;
	size_t n_topics;
	const char *const *organisations;
	size_t n_organisations;
	const char *const *help;
	size_t n_help;
	const char *outcome;
	const char *referred_to; /* NULL unless the outcome is "referred" */
	long minutes;            /* 1 .. IDO_MINUTES_MAX */
	const char *channel;
	const char *note;        /* NULL or "" for none; at most IDO_NOTE_MAX characters */
};

#endif
