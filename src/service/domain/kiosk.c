#include "service/domain/kiosk.h"

#include "core/log.h"

#include <stdio.h>
#include <string.h>

static const char *const charsets[] = { "ASCII", "ISO-8859-1", "UTF-8" };

bool kiosk_charset_ok(const char *charset)
{
	for (size_t i = 0; i < sizeof charsets / sizeof charsets[0]; i++)
		if (strcmp(charset, charsets[i]) == 0)
			return true;
	return false;
}

bool kiosk_charset(struct store *store, long long staff_id, char out[KIOSK_CHARSET_LEN])
{
	sqlite3_stmt *st = store_stmt(store, "SELECT charset FROM sip2_kiosks WHERE staff_id = ?");
	sqlite3_bind_int64(st, 1, staff_id);
	int rc = sqlite3_step(st);
	const unsigned char *t = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
	snprintf(out, KIOSK_CHARSET_LEN, "%s", t ? (const char *)t : "UTF-8");
	store_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE || store_failed(store, "reading a kiosk's charset");
}

bool kiosk_set_charset(struct store *store, long long staff_id, const char *charset)
{
	sqlite3_stmt *st = store_stmt(store,
		"INSERT INTO sip2_kiosks (staff_id, charset) VALUES (?, ?)"
		" ON CONFLICT (staff_id) DO UPDATE SET charset = excluded.charset");
	sqlite3_bind_int64(st, 1, staff_id);
	sqlite3_bind_text(st, 2, charset, -1, SQLITE_STATIC);
	return store_run(store, st, "setting a kiosk's charset");
}

static void col_copy(sqlite3_stmt *st, int col, char *out, size_t len)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	snprintf(out, len, "%s", t ? (const char *)t : "");
}

enum kiosk_found kiosk_item_find(struct store *store, const char *barcode,
				 struct kiosk_item *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = store_stmt(store,
		"SELECT i.barcode, t.title, t.author, i.status, i.home_branch, i.current_branch,"
		" (SELECT l.due_on FROM loans l WHERE l.item_id = i.id AND l.returned_at IS NULL),"
		" (SELECT count(*) FROM holds h WHERE (h.item_id = i.id OR"
		"   (h.item_id IS NULL AND h.title_id = i.title_id))"
		"   AND h.status IN ('waiting', 'in_transit', 'ready')), i.title_id"
		" FROM items i JOIN titles t ON t.id = i.title_id WHERE i.barcode = ?");
	sqlite3_bind_text(st, 1, barcode, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		col_copy(st, 0, out->barcode, sizeof out->barcode);
		col_copy(st, 1, out->title, sizeof out->title);
		col_copy(st, 2, out->author, sizeof out->author);
		col_copy(st, 3, out->status, sizeof out->status);
		col_copy(st, 4, out->home_branch, sizeof out->home_branch);
		col_copy(st, 5, out->current_branch, sizeof out->current_branch);
		col_copy(st, 6, out->due_on, sizeof out->due_on);
		out->holds = (unsigned)sqlite3_column_int(st, 7);
		out->title_id = sqlite3_column_int64(st, 8);
	}
	store_done(st);
	if (rc == SQLITE_ROW)
		return KIOSK_FOUND;
	if (rc == SQLITE_DONE)
		return KIOSK_NOT_FOUND;
	store_failed(store, "reading an item");
	return KIOSK_STORE_FAILED;
}

bool kiosk_block_patron(struct store *store, long long patron_id, const char *reason)
{
	sqlite3_stmt *st = store_stmt(store,
		"UPDATE patrons SET manual_block = ? WHERE id = ? AND manual_block IS NULL");
	sqlite3_bind_text(st, 1, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, patron_id);
	return store_run(store, st, "blocking a patron");
}
