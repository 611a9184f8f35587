#include "ui/screen.h"

#include "ui/app_enrol.h"
#include "ui/app_ido.h"
#include "ui/app_session.h"
#include "ui/screens/account.h"
#include "ui/screens/cashup.h"
#include "ui/screens/checkin.h"
#include "ui/screens/checkout.h"
#include "ui/screens/help.h"
#include "ui/screens/holdshelf.h"
#include "ui/screens/home.h"
#include "ui/screens/patron.h"
#include "ui/screens/queue.h"
#include "ui/screens/renew.h"
#include "ui/screens/titles.h"

static const struct screen_ops *const screen_table[SCREEN_COUNT] = {
	[SCREEN_LOGIN] = &app_session_login_ops,
	[SCREEN_LOCK] = &app_session_lock_ops,
	[SCREEN_HELP] = &help_ops,
	[SCREEN_HOME] = &home_ops,
	[SCREEN_CHECKOUT] = &checkout_ops,
	[SCREEN_CHECKIN] = &checkin_ops,
	[SCREEN_RENEW] = &renew_ops,
	[SCREEN_PATRON] = &patron_ops,
	[SCREEN_IDO] = &app_ido_form_ops,
	[SCREEN_IDO_STATS] = &app_ido_stats_ops,
	[SCREEN_ENROL] = &app_enrol_ops,
	[SCREEN_QUEUE] = &queue_ops,
	[SCREEN_TITLES] = &titles_ops,
	[SCREEN_HOLDSHELF] = &holdshelf_ops,
	[SCREEN_ACCOUNT] = &account_screen_ops,
	[SCREEN_CASHUP] = &cashup_screen_ops,
};

const struct screen_ops *screen_ops_of(enum ui_screen s)
{
	return s < SCREEN_COUNT ? screen_table[s] : NULL;
}
