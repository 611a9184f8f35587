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
	struct db_stmt *st = store_stmt(store, "SELECT charset FROM sip2_kiosks WHERE staff_id = ?");
	db_bind_int64(st, 1, staff_id);
	int rc = db_step(st);
	const char *t = rc == DB_ROW ? db_column_text(st, 0) : NULL;
	snprintf(out, KIOSK_CHARSET_LEN, "%s", t ? t : "UTF-8");
	store_done(st);
	return rc == DB_ROW || rc == DB_DONE || store_failed(store, "reading a kiosk's charset");
}

bool kiosk_set_charset(struct store *store, long long staff_id, const char *charset)
{
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO sip2_kiosks (staff_id, charset) VALUES (?, ?)"
		" ON CONFLICT (staff_id) DO UPDATE SET charset = excluded.charset");
	db_bind_int64(st, 1, staff_id);
	db_bind_text(st, 2, charset, -1);
	return store_run(store, st, "setting a kiosk's charset");
}

enum kiosk_found kiosk_item_find(struct store *store, const char *barcode,
				 struct kiosk_item *out)
{
	memset(out, 0, sizeof *out);
	struct db_stmt *st = store_stmt(store,
		"SELECT i.barcode, t.title, t.author, i.status, i.home_branch, i.current_branch,"
		" (SELECT l.due_on FROM loans l WHERE l.item_id = i.id AND l.returned_at IS NULL),"
		" (SELECT count(*) FROM holds h WHERE (h.item_id = i.id OR"
		"   (h.item_id IS NULL AND h.title_id = i.title_id))"
		"   AND h.status IN ('waiting', 'in_transit', 'ready')), i.title_id"
		" FROM items i JOIN titles t ON t.id = i.title_id WHERE i.barcode = ?");
	db_bind_text(st, 1, barcode, -1);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		db_column_copy(st, 0, out->barcode, sizeof out->barcode);
		db_column_copy(st, 1, out->title, sizeof out->title);
		db_column_copy(st, 2, out->author, sizeof out->author);
		db_column_copy(st, 3, out->status, sizeof out->status);
		db_column_copy(st, 4, out->home_branch, sizeof out->home_branch);
		db_column_copy(st, 5, out->current_branch, sizeof out->current_branch);
		db_column_copy(st, 6, out->due_on, sizeof out->due_on);
		out->holds = (unsigned)db_column_int(st, 7);
		out->title_id = db_column_int64(st, 8);
	}
	store_done(st);
	if (rc == DB_ROW)
		return KIOSK_FOUND;
	if (rc == DB_DONE)
		return KIOSK_NOT_FOUND;
	store_failed(store, "reading an item");
	return KIOSK_STORE_FAILED;
}

bool kiosk_block_patron(struct store *store, long long patron_id, const char *reason)
{
	struct db_stmt *st = store_stmt(store,
		"UPDATE patrons SET manual_block = ? WHERE id = ? AND manual_block IS NULL");
	db_bind_text(st, 1, reason, -1);
	db_bind_int64(st, 2, patron_id);
	return store_run(store, st, "blocking a patron");
}
