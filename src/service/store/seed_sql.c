#include "service/store/seed_sql.h"

#include "core/log.h"

/* Runs st to its end and hands it back. */
static bool step(struct store *store, struct db_stmt *st)
{
	bool ok = db_step(st) == DB_DONE;
	if (!ok)
		log_error("database: seeding: %s", store_errmsg(store));
	store_done(st);
	return ok;
}

bool seed_sql_branch(struct store *store, const char *code, const char *name,
		     const char *open_weekdays)
{
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO branches (code, name, open_weekdays) VALUES (?, ?, ?)");
	db_bind_text(st, 1, code, -1);
	db_bind_text(st, 2, name, -1);
	db_bind_text(st, 3, open_weekdays, -1);
	return step(store, st);
}

bool seed_sql_closed_date(struct store *store, const char *code, const char *date)
{
	struct db_stmt *st = store_stmt(store, "INSERT INTO branch_closed_dates"
					     " (branch_code, date) VALUES (?, ?) ON CONFLICT DO NOTHING");
	db_bind_text(st, 1, code, -1);
	db_bind_text(st, 2, date, -1);
	return step(store, st);
}

bool seed_sql_staff(struct store *store, const char *username, const char *name,
		    const char *hash, const char *branch, const char *role, time_t now)
{
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO staff (username, name, password_hash, branch_code, created_at)"
		" VALUES (?, ?, ?, ?, ?)");
	db_bind_text(st, 1, username, -1);
	db_bind_text(st, 2, name, -1);
	db_bind_text(st, 3, hash, -1);
	db_bind_text(st, 4, branch, -1);
	db_bind_int64(st, 5, (long long)now);
	bool ok = step(store, st);
	st = store_stmt(store, "INSERT INTO staff_roles (staff_id, role)"
			       " VALUES (last_insert_rowid(), ?)");
	db_bind_text(st, 1, role, -1);
	return ok && step(store, st);
}

bool seed_sql_permission(struct store *store, const char *username, const char *permission)
{
	struct db_stmt *st = store_stmt(store, "INSERT INTO staff_permissions (staff_id, permission)"
					     " SELECT id, ? FROM staff WHERE username = ?");
	db_bind_text(st, 1, permission, -1);
	db_bind_text(st, 2, username, -1);
	return step(store, st);
}

bool seed_sql_patron(struct store *store, const struct seed_sql_patron *p)
{
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO patrons (card, given_name, family_name, birth_date, postcode,"
		" house_number, house_number_suffix, email, phone, category, home_branch,"
		" enrolled_on, expires_on, manual_block, keep_history)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	const char *texts[] = { p->card, p->given_name, p->family_name, p->birth_date,
				p->postcode };
	for (int i = 0; i < 5; i++)
		db_bind_text(st, i + 1, texts[i], -1);
	db_bind_int64(st, 6, p->house_number);
	const char *more[] = { p->house_number_suffix, p->email, p->phone, p->category,
			       p->home_branch, p->enrolled_on, p->expires_on, p->manual_block };
	for (int i = 0; i < 8; i++)
		if (more[i])
			db_bind_text(st, i + 7, more[i], -1);
	db_bind_int64(st, 15, p->keep_history);
	return step(store, st);
}

/* The title of item: the one with its title and author, or a new one. */
static bool item_title(struct store *store, const struct seed_sql_item *item)
{
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO titles (title, author, year, isbn) SELECT ?1, ?2, ?3, ?4"
		" WHERE NOT EXISTS (SELECT 1 FROM titles WHERE title = ?1 AND author = ?2)");
	db_bind_text(st, 1, item->title, -1);
	db_bind_text(st, 2, item->author, -1);
	if (item->year)
		db_bind_int64(st, 3, item->year);
	if (item->isbn)
		db_bind_text(st, 4, item->isbn, -1);
	return step(store, st);
}

bool seed_sql_item(struct store *store, const struct seed_sql_item *item)
{
	if (!item_title(store, item))
		return false;
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO items (barcode, title_id, item_type, home_branch, current_branch, status)"
		" SELECT ?1, t.id, ?4, ?5, ?6, ?7 FROM titles t WHERE t.title = ?2 AND t.author = ?3");
	const char *texts[] = { item->barcode, item->title, item->author, item->item_type,
				item->home_branch, item->current_branch, item->status };
	for (int i = 0; i < 7; i++)
		db_bind_text(st, i + 1, texts[i], -1);
	return step(store, st);
}

bool seed_sql_item_short_loan(struct store *store, unsigned item)
{
	struct db_stmt *st = store_stmt(store, "SELECT item_type <> 'book' FROM items WHERE id = ?");
	db_bind_int64(st, 1, item);
	bool av = db_step(st) == DB_ROW && db_column_int(st, 0) != 0;
	store_done(st);
	return av;
}

bool seed_sql_loan(struct store *store, unsigned item, unsigned patron, time_t loaned_at,
		   const char *due)
{
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO loans (item_id, patron_id, branch_code, loaned_at, due_on)"
		" SELECT ?1, ?2, home_branch, ?3, ?4 FROM items WHERE id = ?1");
	db_bind_int64(st, 1, item);
	db_bind_int64(st, 2, patron);
	db_bind_int64(st, 3, (long long)loaned_at);
	db_bind_text(st, 4, due, -1);
	if (!step(store, st))
		return false;
	st = store_stmt(store, "UPDATE items SET status = 'on_loan' WHERE id = ?");
	db_bind_int64(st, 1, item);
	return step(store, st);
}

bool seed_sql_loan_due(struct store *store, unsigned item, const char *due)
{
	struct db_stmt *st = store_stmt(store, "UPDATE loans SET due_on = ? WHERE item_id = ?");
	db_bind_text(st, 1, due, -1);
	db_bind_int64(st, 2, item);
	return step(store, st);
}

bool seed_sql_fine(struct store *store, unsigned patron, int cents, time_t at)
{
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO charges (patron_id, kind, amount_cents, created_at)"
		" VALUES (?, 'overdue_fine', ?, ?)");
	db_bind_int64(st, 1, patron);
	db_bind_int64(st, 2, cents);
	db_bind_int64(st, 3, (long long)at);
	return step(store, st);
}

bool seed_sql_hold(struct store *store, const struct seed_sql_hold *h)
{
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO holds (patron_id, title_id, item_id, pickup_branch, status, placed_at,"
		" ready_since, pickup_by) SELECT ?1, title_id, CASE WHEN ?8 <> 0 THEN id END,"
		" ?3, ?4, ?5, ?6, ?7 FROM items WHERE id = ?2");
	db_bind_int64(st, 1, h->patron);
	db_bind_int64(st, 2, h->item);
	db_bind_int64(st, 8, h->ready);
	db_bind_text(st, 3, h->pickup_branch, -1);
	db_bind_text(st, 4, h->ready ? "ready" : "waiting", -1);
	db_bind_int64(st, 5, (long long)h->placed_at);
	if (h->ready) {
		db_bind_int64(st, 6, (long long)h->ready_since);
		db_bind_text(st, 7, h->pickup_by, -1);
	}
	if (!step(store, st))
		return false;
	if (!h->ready)
		return true;
	st = store_stmt(store, "UPDATE items SET status = 'hold_shelf', current_branch = ?"
			       " WHERE id = ?");
	db_bind_text(st, 1, h->pickup_branch, -1);
	db_bind_int64(st, 2, h->item);
	return step(store, st);
}
