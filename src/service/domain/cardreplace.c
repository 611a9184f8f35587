/* Replacement cards in the store (cardreplace.h). The patron row takes the
 * new number; replaced_cards keeps the old one, pointing at the patron, so
 * that a card replaced twice still names the card in use. */
#include "service/domain/cardreplace.h"

#include "service/domain/audit.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const reason_names[] = { "lost", "stolen" };

const char *cardreplace_reason_name(enum cardreplace_reason reason)
{
	return reason_names[reason];
}

bool cardreplace_reason_from_name(const char *name, enum cardreplace_reason *reason)
{
	for (size_t i = 0; name && i < sizeof reason_names / sizeof reason_names[0]; i++) {
		if (strcmp(name, reason_names[i]) == 0) {
			*reason = (enum cardreplace_reason)i;
			return true;
		}
	}
	return false;
}

int cardreplace_find_old(struct store *store, const char *card, struct cardreplace_old *old)
{
	struct db_stmt *st = store_stmt(store, "SELECT p.card, r.reason FROM replaced_cards r"
					     " JOIN patrons p ON p.id = r.patron_id"
					     " WHERE r.card = ?");
	db_bind_text(st, 1, card, -1);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		char now_card[MEMBERSHIP_CARD_LEN], reason[8];
		db_column_copy(st, 0, now_card, sizeof now_card);
		db_column_copy(st, 1, reason, sizeof reason);
		size_t len = strlen(now_card);
		snprintf(old->new_last, sizeof old->new_last, "%s",
			 now_card + (len > CARDREPLACE_LAST_DIGITS ? len - CARDREPLACE_LAST_DIGITS : 0));
		if (!cardreplace_reason_from_name(reason, &old->reason))
			old->reason = CARDREPLACE_LOST;
	}
	store_done(st);
	if (rc != DB_ROW && rc != DB_DONE) {
		store_failed(store, "reading a replaced card");
		return -1;
	}
	return rc == DB_ROW;
}

/* 1 found, 0 no patron with this card, -1 the store failed. */
static int patron_find(struct store *store, const char *card, long long *id,
		       struct cardreplace_result *out)
{
	struct db_stmt *st = store_stmt(store, "SELECT id, given_name, family_name, category,"
					     " expires_on FROM patrons WHERE card = ?");
	db_bind_text(st, 1, card, -1);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_column_int64(st, 0);
		db_column_copy(st, 1, out->given_name, sizeof out->given_name);
		db_column_copy(st, 2, out->family_name, sizeof out->family_name);
		db_column_copy(st, 3, out->category, sizeof out->category);
		db_column_copy(st, 4, out->expires_on, sizeof out->expires_on);
	}
	store_done(st);
	if (rc != DB_ROW && rc != DB_DONE) {
		store_failed(store, "reading a patron");
		return -1;
	}
	return rc == DB_ROW;
}

static bool swap_cards(struct store *store, long long patron_id, const char *old_card,
		       const char *new_card, enum cardreplace_reason reason, time_t now)
{
	struct db_stmt *st = store_stmt(store, "INSERT INTO replaced_cards (card, patron_id, reason,"
					     " replaced_at) VALUES (?, ?, ?, ?)");
	db_bind_text(st, 1, old_card, -1);
	db_bind_int64(st, 2, patron_id);
	db_bind_text(st, 3, cardreplace_reason_name(reason), -1);
	db_bind_int64(st, 4, (long long)now);
	if (!store_run(store, st, "keeping a replaced card"))
		return false;
	st = store_stmt(store, "UPDATE patrons SET card = ? WHERE id = ?");
	db_bind_text(st, 1, new_card, -1);
	db_bind_int64(st, 2, patron_id);
	return store_run(store, st, "giving a new card");
}

static bool audit_replacement(struct store *store, const struct session *who, time_t now,
			      const char *old_card, enum cardreplace_reason reason,
			      const struct cardreplace_result *out)
{
	char *details = xasprintf("{\"old_card\":\"%s\",\"fee_cents\":%u}", old_card,
				  out->fee_cents);
	bool ok = audit_add(store, who, now, "card_replaced", out->card,
			    cardreplace_reason_name(reason), details);
	free(details);
	return ok;
}

enum cardreplace_outcome cardreplace_replace(struct store *store, const struct rules *rules,
					     const char *card, enum cardreplace_reason reason,
					     const struct session *who, time_t now,
					     struct cardreplace_result *out)
{
	*out = (struct cardreplace_result){ 0 };
	long long id = 0;
	int found = patron_find(store, card, &id, out);
	if (found <= 0)
		return found < 0 ? CARDREPLACE_STORE_FAILED : CARDREPLACE_NO_PATRON;
	int made = membership_next_card(store, rules->card_prefix, out->card);
	if (made <= 0)
		return made < 0 ? CARDREPLACE_STORE_FAILED : CARDREPLACE_CARDS_EXHAUSTED;
	out->fee_cents = rules_replacement_card_fee(rules, out->category);
	if (!swap_cards(store, id, card, out->card, reason, now) ||
	    !membership_charge(store, id, true, out->fee_cents, NULL, who, now,
				   &out->charge_id) ||
	    !audit_replacement(store, who, now, card, reason, out))
		return CARDREPLACE_STORE_FAILED;
	return CARDREPLACE_DONE;
}
