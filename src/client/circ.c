#include "client/circ.h"

#include "core/i18n.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool take_string(const cJSON *obj, const char *key, char **out, char **err)
{
	const char *s = jsonx_string(obj, key);
	if (!s) {
		*err = xasprintf("\"%s\" is missing or not a string", key);
		return false;
	}
	*out = xstrdup(s);
	return true;
}

/* An optional string: "" when missing or null. */
static char *opt_string(const cJSON *obj, const char *key)
{
	const char *s = jsonx_string(obj, key);
	return xstrdup(s ? s : "");
}

static void free_strings(char **list, size_t n)
{
	for (size_t i = 0; list && i < n; i++)
		free(list[i]);
	free(list);
}

static bool loan_fill(const cJSON *obj, struct circ_loan *l, char **err)
{
	if (!cJSON_IsObject(obj)) {
		*err = xstrdup("a loan is not an object");
		return false;
	}
	if (!take_string(obj, "item_barcode", &l->item_barcode, err) ||
	    !take_string(obj, "title", &l->title, err) ||
	    !take_string(obj, "due_on", &l->due_on, err))
		return false;
	l->author = opt_string(obj, "author");
	bool overdue = false;
	l->overdue = jsonx_bool(obj, "overdue", &overdue) && overdue;
	return true;
}

static void loan_clear(struct circ_loan *l)
{
	free(l->item_barcode);
	free(l->title);
	free(l->author);
	free(l->due_on);
}

/* A hold ready for pickup: an object (fields optional) or a bare title. */
static void hold_fill(const cJSON *item, struct circ_hold *h)
{
	if (cJSON_IsString(item)) {
		h->title = xstrdup(item->valuestring);
		h->item_barcode = xstrdup("");
		h->pickup_by = xstrdup("");
		h->branch = xstrdup("");
		h->status = xstrdup("ready");
		h->id = xstrdup("");
		return;
	}
	h->item_barcode = opt_string(item, "item_barcode");
	h->title = opt_string(item, "title");
	h->pickup_by = opt_string(item, "pickup_by");
	h->branch = opt_string(item, "pickup_branch");
	h->status = opt_string(item, "status");
	h->id = opt_string(item, "id");
	if (!jsonx_int(item, "place", &h->place))
		h->place = 0;
	if (!h->branch[0]) {
		free(h->branch);
		h->branch = opt_string(item, "branch");
	}
}

/* Blocks are codes, or objects with a "code". */
static char **blocks_dup(const cJSON *arr, size_t *n)
{
	*n = 0;
	if (!cJSON_IsArray(arr))
		return NULL;
	char **out = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *out);
	const cJSON *b;
	cJSON_ArrayForEach(b, arr) {
		const char *code = cJSON_IsString(b) ? b->valuestring : jsonx_string(b, "code");
		if (code)
			out[(*n)++] = xstrdup(code);
	}
	return out;
}

static void hold_clear(struct circ_hold *h)
{
	free(h->item_barcode);
	free(h->title);
	free(h->pickup_by);
	free(h->branch);
	free(h->status);
	free(h->id);
}

static void holds_free(struct circ_hold *h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hold_clear(&h[i]);
	free(h);
}

/* Drops the hold on item_barcode from a list; true when there was one. */
static bool holds_drop(struct circ_hold *h, size_t *n, const char *item_barcode)
{
	for (size_t i = 0; i < *n; i++) {
		if (!h[i].item_barcode || strcmp(h[i].item_barcode, item_barcode) != 0)
			continue;
		hold_clear(&h[i]);
		memmove(&h[i], &h[i + 1], (*n - i - 1) * sizeof *h);
		(*n)--;
		return true;
	}
	return false;
}

bool circ_patron_hold_fulfilled(struct circ_patron *p, const char *item_barcode)
{
	bool ready = holds_drop(p->holds_ready, &p->n_holds_ready, item_barcode);
	bool any = holds_drop(p->holds, &p->n_holds, item_barcode);
	return ready || any;
}

static bool patron_lists(const cJSON *body, struct circ_patron *p, char **err)
{
	const cJSON *loans = jsonx_array(body, "loans");
	if (!loans) {
		*err = xstrdup("\"loans\" is missing or not a list");
		return false;
	}
	p->loans = xcalloc((size_t)cJSON_GetArraySize(loans) + 1, sizeof *p->loans);
	const cJSON *item;
	cJSON_ArrayForEach(item, loans) {
		if (!loan_fill(item, &p->loans[p->n_loans], err)) {
			loan_clear(&p->loans[p->n_loans]); /* what it took before it failed */
			return false;
		}
		p->n_loans++;
	}
	const cJSON *holds = jsonx_array(body, "holds_ready");
	p->holds_ready = xcalloc((size_t)(holds ? cJSON_GetArraySize(holds) : 0) + 1,
				 sizeof *p->holds_ready);
	cJSON_ArrayForEach(item, holds)
		hold_fill(item, &p->holds_ready[p->n_holds_ready++]);
	const cJSON *all = jsonx_array(body, "holds");
	const cJSON *expired = jsonx_array(body, "holds_expired");
	p->holds = xcalloc((size_t)(all ? cJSON_GetArraySize(all) : 0) +
				   (size_t)(expired ? cJSON_GetArraySize(expired) : 0) + 1,
			   sizeof *p->holds);
	cJSON_ArrayForEach(item, all)
		hold_fill(item, &p->holds[p->n_holds++]);
	cJSON_ArrayForEach(item, expired)
		hold_fill(item, &p->holds[p->n_holds++]);
	const char *reason = jsonx_string(body, "manual_block");
	p->manual_block = reason && *reason ? xstrdup(reason) : NULL;
	p->blocks = blocks_dup(jsonx_array(body, "blocks"), &p->n_blocks);
	return true;
}

struct circ_patron *circ_patron_decode(const cJSON *body, char **err)
{
	struct circ_patron *p = xcalloc(1, sizeof *p);
	const cJSON *inner = jsonx_object(body, "patron");
	if (inner) /* the patron may come wrapped */
		body = inner;
	if (!cJSON_IsObject(body)) {
		*err = xstrdup("the patron is not an object");
	} else if (take_string(body, "card", &p->card, err) &&
		   take_string(body, "name", &p->name, err) &&
		   take_string(body, "category", &p->category, err) &&
		   take_string(body, "expires_on", &p->expires_on, err) &&
		   patron_lists(body, p, err)) {
		p->home_branch = opt_string(body, "home_branch");
		if (!jsonx_int(body, "fines_cents", &p->fines_cents))
			p->fines_cents = 0;
		if (!jsonx_int(body, "accruing_fines_cents", &p->accruing_fines_cents))
			p->accruing_fines_cents = 0;
		return p;
	}
	circ_patron_free(p);
	return NULL;
}

void circ_patron_free(struct circ_patron *p)
{
	if (!p)
		return;
	free(p->card);
	free(p->name);
	free(p->category);
	free(p->home_branch);
	free(p->expires_on);
	free_strings(p->blocks, p->n_blocks);
	for (size_t i = 0; i < p->n_loans; i++)
		loan_clear(&p->loans[i]);
	free(p->loans);
	holds_free(p->holds_ready, p->n_holds_ready);
	holds_free(p->holds, p->n_holds);
	free(p->manual_block);
	free(p);
}

struct circ_search *circ_search_decode(const cJSON *body, char **err)
{
	const cJSON *arr = cJSON_IsArray(body) ? body : jsonx_array(body, "patrons");
	if (!arr) {
		*err = xstrdup("\"patrons\" is missing or not a list");
		return NULL;
	}
	struct circ_search *s = xcalloc(1, sizeof *s);
	s->items = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *s->items);
	const cJSON *item;
	cJSON_ArrayForEach(item, arr) {
		struct circ_found *f = &s->items[s->n];
		if (!take_string(item, "card", &f->card, err) ||
		    !take_string(item, "name", &f->name, err)) {
			s->n++;
			circ_search_free(s);
			return NULL;
		}
		f->birth_date = opt_string(item, "birth_date");
		f->category = opt_string(item, "category");
		s->n++;
	}
	return s;
}

void circ_search_free(struct circ_search *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->items[i].card);
		free(s->items[i].name);
		free(s->items[i].birth_date);
		free(s->items[i].category);
	}
	free(s->items);
	free(s);
}

struct circ_loan *circ_loan_decode(const cJSON *body, char **err)
{
	const cJSON *loan = jsonx_object(body, "loan");
	if (!loan) {
		*err = xstrdup("\"loan\" is missing or not an object");
		return NULL;
	}
	struct circ_loan *l = xcalloc(1, sizeof *l);
	if (loan_fill(loan, l, err)) {
		bool b = false;
		l->returned_first = jsonx_bool(body, "returned_first", &b) && b;
		l->unchanged = jsonx_bool(body, "unchanged", &b) && b;
		if (!jsonx_int(body, "returned_fine_cents", &l->returned_fine_cents))
			l->returned_fine_cents = 0;
		if (!jsonx_int(body, "fine_cents", &l->fine_cents))
			l->fine_cents = 0;
		return l;
	}
	circ_loan_free(l);
	return NULL;
}

void circ_loan_free(struct circ_loan *l)
{
	if (!l)
		return;
	loan_clear(l);
	free(l);
}

static bool route_fill(const cJSON *route, struct circ_checkin *c, char **err)
{
	const char *action = jsonx_string(route, "action");
	if (!action) {
		*err = xstrdup("\"route\" has no \"action\"");
		return false;
	}
	if (strcmp(action, "shelve") == 0) {
		c->route = CIRC_SHELVE;
	} else if (strcmp(action, "hold_shelf") == 0) {
		c->route = CIRC_HOLD_SHELF;
	} else if (strcmp(action, "transit") == 0) {
		c->route = CIRC_TRANSIT;
	} else {
		*err = xasprintf("unknown route \"%s\"", action);
		return false;
	}
	c->branch = opt_string(route, "branch");
	c->hold_for = opt_string(route, "hold_for");
	c->pickup_by = opt_string(route, "pickup_by");
	return true;
}

struct circ_checkin *circ_checkin_decode(const cJSON *body, char **err)
{
	struct circ_checkin *c = xcalloc(1, sizeof *c);
	const cJSON *item = jsonx_object(body, "item");
	const cJSON *route = jsonx_object(body, "route");
	if (!item || !route) {
		*err = xstrdup("\"item\" or \"route\" is missing or not an object");
	} else if (take_string(item, "barcode", &c->barcode, err) &&
		   take_string(item, "title", &c->title, err) && route_fill(route, c, err)) {
		if (!jsonx_int(body, "fine_cents", &c->fine_cents))
			c->fine_cents = 0;
		bool b = false;
		c->found = jsonx_bool(body, "found", &b) && b;
		c->again = jsonx_bool(body, "already_checked_in", &b) && b;
		return c;
	}
	circ_checkin_free(c);
	return NULL;
}

void circ_checkin_free(struct circ_checkin *c)
{
	if (!c)
		return;
	free(c->barcode);
	free(c->title);
	free(c->branch);
	free(c->hold_for);
	free(c->pickup_by);
	free(c);
}

static void add_string(cJSON *obj, const char *key, const char *value)
{
	if (!cJSON_AddStringToObject(obj, key, value))
		abort(); /* cJSON fails only when out of memory */
}

/* "override":{"blocks":[...],"reason"} of a check-out or renewal. */
static void add_override(cJSON *body, const char *const *blocks, size_t n_blocks,
			 const char *reason)
{
	cJSON *ov = cJSON_AddObjectToObject(body, "override");
	cJSON *list = ov ? cJSON_AddArrayToObject(ov, "blocks") : NULL;
	if (!list)
		abort();
	for (size_t i = 0; i < n_blocks; i++) {
		cJSON *s = cJSON_CreateString(blocks[i]);
		if (!s || !cJSON_AddItemToArray(list, s))
			abort();
	}
	add_string(ov, "reason", reason ? reason : "");
}

cJSON *circ_checkout_body_new(const char *card, const char *barcode, const char *const *blocks,
			      size_t n_blocks, const char *reason)
{
	cJSON *body = cJSON_CreateObject();
	if (!body)
		abort();
	add_string(body, "patron_card", card);
	add_string(body, "item_barcode", barcode);
	if (blocks)
		add_override(body, blocks, n_blocks, reason);
	return body;
}

cJSON *circ_renewal_body_new(const char *barcode, const char *const *blocks, size_t n_blocks,
			     const char *reason)
{
	cJSON *body = circ_item_body_new(barcode);
	if (blocks)
		add_override(body, blocks, n_blocks, reason);
	return body;
}

cJSON *circ_item_body_new(const char *barcode)
{
	cJSON *body = cJSON_CreateObject();
	if (!body)
		abort();
	add_string(body, "item_barcode", barcode);
	return body;
}

char *circ_escape_dup(const char *s)
{
	char *e = curl_easy_escape(NULL, s, 0);
	if (!e)
		abort();
	char *out = xstrdup(e);
	curl_free(e);
	return out;
}

char *circ_patron_path_dup(const char *card)
{
	char *e = circ_escape_dup(card);
	char *path = xasprintf("/patrons/%s", e);
	free(e);
	return path;
}

char *circ_search_path_dup(const char *q, const char *birth_date)
{
	char *e = circ_escape_dup(q);
	char *path;
	if (birth_date && *birth_date) {
		char *b = circ_escape_dup(birth_date);
		path = xasprintf("/patrons?q=%s&birth_date=%s", e, b);
		free(b);
	} else {
		path = xasprintf("/patrons?q=%s", e);
	}
	free(e);
	return path;
}

char **circ_refusal_blocks_dup(const cJSON *details, size_t *n)
{
	return blocks_dup(jsonx_array(details, "blocks"), n);
}

const char *circ_block_text(const char *code)
{
	if (strcmp(code, "card_expired") == 0)
		return _("the card has expired");
	if (strcmp(code, "fines_over_limit") == 0)
		return _("fines over the limit");
	if (strcmp(code, "manual_block") == 0)
		return _("blocked by the library");
	if (strcmp(code, "max_loans_reached") == 0)
		return _("the most loans allowed");
	return code;
}

bool circ_barcode_plausible(const char *s)
{
	size_t len = strlen(s);
	if (len == 0 || len > CIRC_BARCODE_MAX || s[0] == ' ' || s[len - 1] == ' ')
		return false;
	for (const char *c = s; *c; c++) {
		bool alnum = (*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') ||
			     (*c >= 'a' && *c <= 'z');
		if (!alnum && !strchr("-./+$% ", *c))
			return false;
	}
	return true;
}

const char *circ_barcode_problem(const char *s)
{
	if (circ_barcode_plausible(s))
		return NULL;
	size_t len = strlen(s);
	if (len > CIRC_BARCODE_MAX)
		return _("This cannot be a barcode: it is too long.");
	if (len > 0 && (s[0] == ' ' || s[len - 1] == ' '))
		return _("This cannot be a barcode: it begins or ends with a space.");
	return _("This cannot be a barcode: it holds a character a scanner does not send.");
}

char *circ_blocks_line_dup(const struct circ_patron *p)
{
	if (p->n_blocks == 0)
		return NULL;
	char *line = xstrdup(_("BLOCKED:"));
	for (size_t i = 0; i < p->n_blocks; i++) {
		const char *words = circ_block_text(p->blocks[i]);
		bool why = strcmp(p->blocks[i], "manual_block") == 0 && p->manual_block;
		char *more = why ? xasprintf("%s%s %s: %s", line, i ? "," : "", words, p->manual_block)
				 : xasprintf("%s%s %s", line, i ? "," : "", words);
		free(line);
		line = more;
	}
	return line;
}

char *circ_hold_state_dup(const struct circ_hold *h, const char *branch_name,
			  const char *pickup_by_shown)
{
	if (h->status && strcmp(h->status, "in_transit") == 0)
		return xasprintf(_("on its way to %s"), branch_name);
	if (h->status && strcmp(h->status, "waiting") == 0 && h->place > 0)
		/* TRANSLATORS: a hold waiting in the queue of its title */
		return xasprintf(_("waiting (pickup %s), number %lld in the queue"), branch_name,
				 h->place);
	if (h->status && strcmp(h->status, "waiting") == 0)
		return xasprintf(_("waiting (pickup %s)"), branch_name);
	if (h->status && strcmp(h->status, "expired") == 0)
		/* TRANSLATORS: a hold not fetched in time, taken off the hold shelf */
		return xasprintf(_("expired in %s (was until %s)"), branch_name,
				 pickup_by_shown ? pickup_by_shown : "");
	if (pickup_by_shown && *pickup_by_shown)
		return xasprintf(_("ready in %s (until %s)"), branch_name, pickup_by_shown);
	return xasprintf(_("ready in %s"), branch_name);
}

void circ_money(long long cents, char out[32])
{
	const char *sign = cents < 0 ? "-" : "";
	long long a = cents < 0 ? -cents : cents;
	/* TRANSLATORS: an amount of money: sign, euros, cents; Dutch writes € 12,50 */
	snprintf(out, 32, _("%s€%lld.%02lld"), sign, a / 100, a % 100);
}
