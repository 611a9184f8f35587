/* What main() hands the desk: the configuration, the key map and the
 * client of the service. Its own header, so that the desk's modules can take
 * it without depending on the event loop (app.h). */
#ifndef BALIE_APP_SETUP_H
#define BALIE_APP_SETUP_H

#include "client/api.h"
#include "client/config.h"
#include "ui/keys/keymap.h"

#include <stdbool.h>

struct app_setup {
	const struct config *cfg;
	const struct keymap *km;
	struct api *api;
	bool training;   /* balie started its own training service */
	bool colour;     /* false: no colour (config or NO_COLOR) */
};

#endif
