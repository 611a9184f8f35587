/* gettext in one place: _() for strings used where they stand, N_() for tables. */
#ifndef BALIE_I18N_H
#define BALIE_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)
#define P_(singular, plural, n) ngettext(singular, plural, n)

#endif
