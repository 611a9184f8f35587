#include "deskctx.h"

#include "circ.h"
#include "i18n.h"
#include "xalloc.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *deskctx_here(const struct deskctx *c)
{
	return *c->session ? (*c->session)->branch : "";
}

const char *deskctx_branch_name(const struct deskctx *c, const char *code)
{
	const struct session_branch *b = *c->branches ? session_branches_find(*c->branches, code)
						      : NULL;
	return b ? b->name : code;
}

void deskctx_attention(const struct deskctx *c)
{
	if (c->cfg->bell)
		beep();
}

void deskctx_touch(const struct deskctx *c)
{
	if (c->dirty)
		*c->dirty = true;
}

void deskctx_key(const struct deskctx *c, enum ui_screen s, enum action a,
		 char buf[KEYS_NAME_MAX])
{
	keycode k[2];
	buf[0] = '\0';
	if (keymap_keys_for(c->km, s, a, k, 2) > 0)
		keys_format(k[0], buf);
}

char *deskctx_print(const struct deskctx *c, struct slip *s)
{
	char *err = NULL;
	if (s && c->cfg->print_command && *c->cfg->print_command &&
	    !slip_print(s, c->cfg->print_command,
			c->cfg->print_charset ? c->cfg->print_charset : "CP858", &err)) {
		char *msg = xasprintf(_("The slip was not printed. %s"), err);
		free(err);
		err = msg;
	}
	slip_free(s);
	return err;
}

void deskctx_date(const char *iso, char out[DATE_STR_LEN + 16])
{
	struct civil_date d;
	if (iso && date_parse_iso(iso, &d))
		date_format_dutch(d, out);
	else
		snprintf(out, DATE_STR_LEN + 16, "%s", iso ? iso : "");
}

char *deskctx_refusal_dup(const struct api_reply *reply)
{
	const char *text = api_reply_text(reply);
	if (reply->outcome != API_REFUSED || reply->error != ERR_PATRON_BLOCKED)
		return xstrdup(text);
	size_t n = 0;
	char **blocks = circ_refusal_blocks_dup(reply->error_details, &n);
	/* "The patron is blocked: the card has expired, fines over the limit." */
	size_t len = strlen(text);
	char *out = xstrndup(text, len > 0 && text[len - 1] == '.' ? len - 1 : len);
	for (size_t i = 0; i < n; i++) {
		char *more = xasprintf(i == 0 ? "%s: %s" : "%s, %s", out, circ_block_text(blocks[i]));
		free(out);
		out = more;
		free(blocks[i]);
	}
	char *done = xasprintf("%s.", out);
	free(out);
	out = done;
	free(blocks);
	return out;
}
