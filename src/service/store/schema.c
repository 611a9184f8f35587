#include "service/store/schema.h"

/*
 * Conventions: instants are INTEGER seconds since the epoch (UTC); dates are
 * TEXT 'YYYY-MM-DD' in Europe/Amsterdam; money is INTEGER cents; card numbers
 * and barcodes are TEXT. No BSN and no copy of an ID document, anywhere.
 */
/* Each statement is its own string: ISO C caps a literal at 4095 bytes. */
static const char *const step1[] = {
	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL"
	") WITHOUT ROWID;",
	/* open_weekdays: the ISO weekdays (1 = Monday) as digits, e.g. '123456'. */
	"CREATE TABLE branches ("
	"  code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 16),"
	"  name TEXT NOT NULL,"
	"  open_weekdays TEXT NOT NULL DEFAULT '123456'"
	"    CHECK (open_weekdays NOT GLOB '*[^1-7]*')"
	") WITHOUT ROWID;",
	"CREATE TABLE branch_closed_dates ("
	"  branch_code TEXT NOT NULL REFERENCES branches(code) ON DELETE CASCADE,"
	"  date TEXT NOT NULL,"
	"  PRIMARY KEY (branch_code, date)"
	") WITHOUT ROWID;",
	"CREATE TABLE staff ("
	"  id INTEGER PRIMARY KEY,"
	"  username TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  password_hash TEXT NOT NULL,"
	"  branch_code TEXT REFERENCES branches(code),"
	"  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
	"  created_at INTEGER NOT NULL"
	");",
	"CREATE TABLE staff_roles ("
	"  staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,"
	"  role TEXT NOT NULL CHECK (role IN ('balie', 'ido', 'beheer')),"
	"  PRIMARY KEY (staff_id, role)"
	") WITHOUT ROWID;",
	/* What an account may do beyond its roles: 'override' lets desk staff
	 * lend despite a block, with a reason (circulation.h). */
	"CREATE TABLE staff_permissions ("
	"  staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,"
	"  permission TEXT NOT NULL CHECK (permission IN ('override', 'offline')),"
	"  PRIMARY KEY (staff_id, permission)"
	") WITHOUT ROWID;",
	/* Only a hash of the token is stored: a copy of the database logs nobody in. */
	"CREATE TABLE sessions ("
	"  token_hash BLOB PRIMARY KEY,"
	"  staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,"
	"  branch_code TEXT NOT NULL REFERENCES branches(code),"
	"  terminal TEXT NOT NULL,"
	"  address TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL"
	") WITHOUT ROWID;",
	"CREATE INDEX sessions_staff ON sessions(staff_id);",
	"CREATE TABLE login_failures ("
	"  id INTEGER PRIMARY KEY,"
	"  username TEXT NOT NULL,"
	"  address TEXT NOT NULL,"
	"  at INTEGER NOT NULL"
	");",
	"CREATE INDEX login_failures_user ON login_failures(username, at);",
	"CREATE INDEX login_failures_address ON login_failures(address, at);",
	"CREATE TABLE patrons ("
	"  id INTEGER PRIMARY KEY,"
	"  card TEXT NOT NULL UNIQUE CHECK (length(card) = 14 AND card NOT GLOB '*[^0-9]*'),"
	"  given_name TEXT NOT NULL,"
	"  family_name TEXT NOT NULL,"
	"  birth_date TEXT NOT NULL,"
	"  postcode TEXT NOT NULL,"
	"  house_number INTEGER NOT NULL CHECK (house_number > 0),"
	"  house_number_suffix TEXT,"
	"  email TEXT,"
	"  phone TEXT,"
	"  category TEXT NOT NULL CHECK (category IN ('youth', 'adult')),"
	"  home_branch TEXT NOT NULL REFERENCES branches(code),"
	"  enrolled_on TEXT NOT NULL,"
	"  expires_on TEXT NOT NULL,"
	"  manual_block TEXT,"
	"  keep_history INTEGER NOT NULL DEFAULT 0 CHECK (keep_history IN (0, 1))"
	");",
	"CREATE INDEX patrons_family ON patrons(family_name, birth_date);",
	"CREATE INDEX patrons_duplicate ON patrons(family_name, birth_date, postcode);",
	/* The parent or guardian of a young member, with when consent was given. */
	"CREATE TABLE guardians ("
	"  id INTEGER PRIMARY KEY,"
	"  patron_id INTEGER NOT NULL REFERENCES patrons(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL,"
	"  relation TEXT NOT NULL,"
	"  phone TEXT,"
	"  email TEXT,"
	"  consent_at INTEGER NOT NULL"
	");",
	"CREATE INDEX guardians_patron ON guardians(patron_id);",
	/* The next number of each card prefix: it only goes up, so a card
	 * number is never given twice, not even after its member is gone. */
	"CREATE TABLE card_sequences ("
	"  prefix TEXT PRIMARY KEY CHECK (prefix NOT GLOB '*[^0-9]*'),"
	"  next INTEGER NOT NULL CHECK (next > 0)"
	") WITHOUT ROWID;",
	/* Youth members who turned 18 and what the rules did then (balied
	 * memberships age-out); a row makes a second run pass them by. */
	"CREATE TABLE youth_age_outs ("
	"  patron_id INTEGER PRIMARY KEY REFERENCES patrons(id) ON DELETE CASCADE,"
	"  day TEXT NOT NULL,"
	"  action TEXT NOT NULL CHECK (action IN ('adult', 'end'))"
	");",
	"CREATE TABLE item_types ("
	"  code TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL"
	") WITHOUT ROWID;",
	"INSERT INTO item_types (code, name) VALUES"
	"  ('book', 'Boek'), ('audiovisual', 'Audiovisueel'),"
	"  ('magazine', 'Tijdschrift'), ('game', 'Spel');",
	"CREATE TABLE items ("
	"  id INTEGER PRIMARY KEY,"
	"  barcode TEXT NOT NULL UNIQUE,"
	"  title TEXT NOT NULL,"
	"  author TEXT NOT NULL DEFAULT '',"
	"  item_type TEXT NOT NULL REFERENCES item_types(code),"
	"  home_branch TEXT NOT NULL REFERENCES branches(code),"
	"  current_branch TEXT NOT NULL REFERENCES branches(code),"
	"  status TEXT NOT NULL DEFAULT 'available' CHECK (status IN"
	"    ('available', 'on_loan', 'in_transit', 'hold_shelf', 'missing', 'not_loanable'))"
	");",
	"CREATE INDEX items_title ON items(title);",
	/* Current loans; a returned loan stays only when the patron keeps a history. */
	"CREATE TABLE loans ("
	"  id INTEGER PRIMARY KEY,"
	"  item_id INTEGER NOT NULL REFERENCES items(id),"
	"  patron_id INTEGER NOT NULL REFERENCES patrons(id),"
	"  branch_code TEXT NOT NULL REFERENCES branches(code),"
	"  staff_id INTEGER REFERENCES staff(id),"
	"  loaned_at INTEGER NOT NULL,"
	"  due_on TEXT NOT NULL,"
	"  renewals INTEGER NOT NULL DEFAULT 0,"
	"  returned_at INTEGER"
	");",
	"CREATE UNIQUE INDEX loans_open_item ON loans(item_id) WHERE returned_at IS NULL;",
	"CREATE INDEX loans_patron ON loans(patron_id, returned_at);",
	/* What remains of a loan for statistics: counts, nobody's name. */
	"CREATE TABLE loan_stats ("
	"  day TEXT NOT NULL,"
	"  branch_code TEXT NOT NULL,"
	"  item_type TEXT NOT NULL,"
	"  patron_category TEXT NOT NULL,"
	"  action TEXT NOT NULL CHECK (action IN ('checkout', 'checkin', 'renewal')),"
	"  count INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (day, branch_code, item_type, patron_category, action)"
	") WITHOUT ROWID;",
	"CREATE TABLE fines ("
	"  id INTEGER PRIMARY KEY,"
	"  patron_id INTEGER NOT NULL REFERENCES patrons(id),"
	"  item_barcode TEXT,"
	"  reason TEXT NOT NULL,"
	"  amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),"
	"  created_at INTEGER NOT NULL,"
	"  paid_at INTEGER"
	");",
	"CREATE INDEX fines_patron ON fines(patron_id, paid_at);",
	/* A hold is on one item; 'ready' means it waits on the pickup branch's shelf. */
	"CREATE TABLE holds ("
	"  id INTEGER PRIMARY KEY,"
	"  patron_id INTEGER NOT NULL REFERENCES patrons(id),"
	"  item_id INTEGER NOT NULL REFERENCES items(id),"
	"  pickup_branch TEXT NOT NULL REFERENCES branches(code),"
	"  status TEXT NOT NULL DEFAULT 'waiting'"
	"    CHECK (status IN ('waiting', 'in_transit', 'ready', 'fulfilled', 'cancelled', 'expired')),"
	"  placed_at INTEGER NOT NULL,"
	"  ready_since INTEGER,"
	"  pickup_by TEXT"
	");",
	"CREATE INDEX holds_item ON holds(item_id, status, placed_at);",
	"CREATE INDEX holds_patron ON holds(patron_id, status);",
	/* The first answer to each Idempotency-Key, replayed for a repeat. */
	"CREATE TABLE idempotency_keys ("
	"  key TEXT PRIMARY KEY,"
	"  request_hash BLOB NOT NULL,"
	"  staff_id INTEGER,"
	"  status INTEGER NOT NULL,"
	"  body TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL"
	") WITHOUT ROWID;",
	"CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);",
	"CREATE TABLE audit_log ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  staff_id INTEGER REFERENCES staff(id),"
	"  branch_code TEXT,"
	"  terminal TEXT,"
	"  action TEXT NOT NULL,"
	"  subject TEXT,"
	"  reason TEXT,"
	"  details TEXT"
	");",
	"CREATE INDEX audit_log_at ON audit_log(at);",
	/* The IDO pick lists; a library changes the labels or adds codes here. */
	"CREATE TABLE ido_catalog ("
	"  list TEXT NOT NULL CHECK (list IN ('class', 'topic', 'organisation', 'help_kind',"
	"    'outcome', 'referral_partner', 'channel')),"
	"  code TEXT NOT NULL,"
	"  label TEXT NOT NULL,"
	"  position INTEGER NOT NULL,"
	"  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
	"  PRIMARY KEY (list, code)"
	") WITHOUT ROWID;",
	"INSERT INTO ido_catalog (list, code, label, position) VALUES"
	"  ('class', 'digital_government', 'Digitale overheid', 1),"
	"  ('class', 'library', 'Bibliotheekdiensten', 2),"
	"  ('class', 'other', 'Overig', 3),"
	"  ('topic', 'digid_apply', 'DigiD aanvragen of activeren', 1),"
	"  ('topic', 'digid_app', 'DigiD-app', 2),"
	"  ('topic', 'tax_return', 'Belastingaangifte', 3),"
	"  ('topic', 'allowances', 'Toeslagen', 4),"
	"  ('topic', 'health_care', 'Zorgverzekering en zorg', 5),"
	"  ('topic', 'benefits_work', 'Uitkering en werk', 6),"
	"  ('topic', 'student_finance', 'Studiefinanciering', 7),"
	"  ('topic', 'driving', 'Rijbewijs en voertuigen', 8),"
	"  ('topic', 'travel_documents', 'Reisdocumenten', 9),"
	"  ('topic', 'housing', 'Wonen en huur', 10),"
	"  ('topic', 'legal_help', 'Juridische hulp', 11),"
	"  ('topic', 'device_use', 'Computer, tablet of telefoon gebruiken', 12),"
	"  ('topic', 'municipal', 'Gemeentelijke diensten', 13),"
	"  ('topic', 'other', 'Overig', 14),"
	"  ('organisation', 'belastingdienst', 'Belastingdienst', 1),"
	"  ('organisation', 'toeslagen', 'Dienst Toeslagen', 2),"
	"  ('organisation', 'cak', 'CAK', 3),"
	"  ('organisation', 'cbr', 'CBR', 4),"
	"  ('organisation', 'ciz', 'CIZ', 5),"
	"  ('organisation', 'cjib', 'CJIB', 6),"
	"  ('organisation', 'duo', 'DUO', 7),"
	"  ('organisation', 'svb', 'SVB', 8),"
	"  ('organisation', 'uwv', 'UWV', 9),"
	"  ('organisation', 'huurcommissie', 'Huurcommissie', 10),"
	"  ('organisation', 'lbio', 'LBIO', 11),"
	"  ('organisation', 'rdw', 'RDW', 12),"
	"  ('organisation', 'rvr', 'Raad voor Rechtsbijstand', 13),"
	"  ('organisation', 'municipality', 'Gemeente', 14),"
	"  ('organisation', 'other', 'Overig', 15),"
	"  ('help_kind', 'digital_service', 'Geholpen met een digitale dienst', 1),"
	"  ('help_kind', 'skills_course', 'Gewezen op een cursus digitale vaardigheden', 2),"
	"  ('help_kind', 'digital_society', 'Geïnformeerd over de digitale samenleving', 3),"
	"  ('help_kind', 'provider_info', 'Geïnformeerd over een dienstverlener', 4),"
	"  ('help_kind', 'referred', 'Doorverwezen', 5),"
	"  ('outcome', 'answered', 'Beantwoord', 1),"
	"  ('outcome', 'referred', 'Doorverwezen', 2),"
	"  ('outcome', 'follow_up', 'Vervolgafspraak', 3),"
	"  ('referral_partner', 'municipality', 'Gemeente', 1),"
	"  ('referral_partner', 'social_counsel', 'Sociaal raadslieden', 2),"
	"  ('referral_partner', 'juridisch_loket', 'Het Juridisch Loket', 3),"
	"  ('referral_partner', 'belastingdienst', 'Belastingdienst', 4),"
	"  ('referral_partner', 'other', 'Overig', 5),"
	"  ('channel', 'walk_in', 'Inloop', 1),"
	"  ('channel', 'appointment', 'Afspraak', 2),"
	"  ('channel', 'phone', 'Telefoon', 3);",
	/* One logged IDO question; no name, contact details or BSN of the citizen. */
	"CREATE TABLE ido_questions ("
	"  id INTEGER PRIMARY KEY,"
	"  visit_id TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  day TEXT NOT NULL,"
	"  branch_code TEXT NOT NULL REFERENCES branches(code),"
	"  staff_id INTEGER REFERENCES staff(id),"
	"  class TEXT NOT NULL,"
	"  outcome TEXT NOT NULL,"
	"  referred_to TEXT,"
	"  minutes INTEGER NOT NULL CHECK (minutes >= 0),"
	"  channel TEXT NOT NULL,"
	"  note TEXT CHECK (note IS NULL OR length(note) <= 280)"
	");",
	"CREATE INDEX ido_questions_day ON ido_questions(day, branch_code);",
	/* The topics, organisations and kinds of help of a question (several each). */
	"CREATE TABLE ido_question_codes ("
	"  question_id INTEGER NOT NULL REFERENCES ido_questions(id) ON DELETE CASCADE,"
	"  list TEXT NOT NULL CHECK (list IN ('topic', 'organisation', 'help_kind')),"
	"  code TEXT NOT NULL,"
	"  PRIMARY KEY (question_id, list, code)"
	") WITHOUT ROWID;",
};

/*
 * Titles: the items of one title share its record. Title and author move
 * from items to titles (read through a join everywhere); the step makes one
 * title per distinct title and author of the items there are. A hold is on
 * a title (title_id set: any copy fills it, item_id the copy set aside for
 * it once there is one) or on one item (title_id NULL: the holds of the
 * first schema were all of this kind). titles_fts indexes the words of title
 * and author for the search (domain/title.c).
 */
static const char *const step2[] = {
	/* isbn: 13 digits (an ISBN-10 is stored as its ISBN-13); ppn: the
	 * national catalogue's record number. */
	"CREATE TABLE titles ("
	"  id INTEGER PRIMARY KEY,"
	"  title TEXT NOT NULL,"
	"  author TEXT NOT NULL DEFAULT '',"
	"  year INTEGER,"
	"  isbn TEXT CHECK (isbn IS NULL OR (length(isbn) = 13 AND isbn NOT GLOB '*[^0-9]*')),"
	"  ppn TEXT"
	");",
	"CREATE INDEX titles_isbn ON titles(isbn) WHERE isbn IS NOT NULL;",
	"INSERT INTO titles (title, author)"
	"  SELECT title, author FROM items GROUP BY title, author ORDER BY min(id);",
	/* For the step's own join below and the training data's lookups. */
	"CREATE INDEX titles_title ON titles(title, author);",
	"ALTER TABLE items ADD COLUMN title_id INTEGER REFERENCES titles(id);",
	"UPDATE items SET title_id = (SELECT t.id FROM titles t"
	"  WHERE t.title = items.title AND t.author = items.author);",
	"DROP INDEX items_title;",
	"ALTER TABLE items DROP COLUMN title;",
	"ALTER TABLE items DROP COLUMN author;",
	"CREATE INDEX items_title ON items(title_id, status);",
	/* Every item belongs to a title: the column cannot be NOT NULL after
	 * ALTER TABLE, so triggers refuse an item without one. */
	"/* sqlite */ CREATE TRIGGER items_title_required BEFORE INSERT ON items"
	"  WHEN NEW.title_id IS NULL OR NOT EXISTS (SELECT 1 FROM titles WHERE id = NEW.title_id)"
	"  BEGIN SELECT RAISE(ABORT, 'an item needs a title'); END;",
	"/* sqlite */ CREATE TRIGGER items_title_kept BEFORE UPDATE OF title_id ON items"
	"  WHEN NEW.title_id IS NULL"
	"  BEGIN SELECT RAISE(ABORT, 'an item needs a title'); END;",
	"/* sqlite */ CREATE VIRTUAL TABLE titles_fts USING fts5(title, author, content = 'titles',"
	"  content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');",
	"/* sqlite */ INSERT INTO titles_fts (titles_fts) VALUES ('rebuild');",
	"/* sqlite */ CREATE TRIGGER titles_fts_insert AFTER INSERT ON titles BEGIN"
	"  INSERT INTO titles_fts (rowid, title, author) VALUES (NEW.id, NEW.title, NEW.author);"
	"  END;",
	"/* sqlite */ CREATE TRIGGER titles_fts_delete AFTER DELETE ON titles BEGIN"
	"  INSERT INTO titles_fts (titles_fts, rowid, title, author)"
	"  VALUES ('delete', OLD.id, OLD.title, OLD.author); END;",
	"/* sqlite */ CREATE TRIGGER titles_fts_update AFTER UPDATE OF title, author ON titles BEGIN"
	"  INSERT INTO titles_fts (titles_fts, rowid, title, author)"
	"  VALUES ('delete', OLD.id, OLD.title, OLD.author);"
	"  INSERT INTO titles_fts (rowid, title, author) VALUES (NEW.id, NEW.title, NEW.author);"
	"  END;",
	/* On PostgreSQL the column is simply NOT NULL, and the search reads an
	 * index of the folded words of title and author (domain/title.c). */
	"/* postgresql */ ALTER TABLE items ALTER COLUMN title_id SET NOT NULL;",
	"/* postgresql */ CREATE INDEX titles_words ON titles USING gin"
	"  (to_tsvector('simple', balied_fold(title || ' ' || author)));",
	/* The holds table again, as item_id may now be NULL (a title-level
	 * hold before a copy is set aside for it). fee_cents: the hold fee,
	 * recorded here until the patron's account carries charges; ended_at and
	 * cancel_reason: when and why it closed. */
	"CREATE TABLE holds_v2 ("
	"  id INTEGER PRIMARY KEY,"
	"  patron_id INTEGER NOT NULL REFERENCES patrons(id),"
	"  title_id INTEGER REFERENCES titles(id),"
	"  item_id INTEGER REFERENCES items(id),"
	"  pickup_branch TEXT NOT NULL REFERENCES branches(code),"
	"  status TEXT NOT NULL DEFAULT 'waiting'"
	"    CHECK (status IN ('waiting', 'in_transit', 'ready', 'fulfilled', 'cancelled', 'expired')),"
	"  placed_at INTEGER NOT NULL,"
	"  ready_since INTEGER,"
	"  pickup_by TEXT,"
	"  fee_cents INTEGER NOT NULL DEFAULT 0 CHECK (fee_cents >= 0),"
	"  ended_at INTEGER,"
	"  cancel_reason TEXT CHECK (cancel_reason IS NULL OR"
	"    cancel_reason IN ('patron_request', 'staff', 'other')),"
	"  CHECK (title_id IS NOT NULL OR item_id IS NOT NULL)"
	");",
	"INSERT INTO holds_v2 (id, patron_id, item_id, pickup_branch, status, placed_at,"
	"  ready_since, pickup_by)"
	"  SELECT id, patron_id, item_id, pickup_branch, status, placed_at, ready_since, pickup_by"
	"  FROM holds;",
	"DROP TABLE holds;",
	"ALTER TABLE holds_v2 RENAME TO holds;",
	"CREATE INDEX holds_item ON holds(item_id, status, placed_at);",
	"CREATE INDEX holds_patron ON holds(patron_id, status);",
	"CREATE INDEX holds_title ON holds(title_id, status, placed_at) WHERE title_id IS NOT NULL;",
	"CREATE INDEX holds_ready ON holds(status, pickup_by) WHERE status = 'ready';",
};

/* The outbox of notices to patrons (domain/notices.h): a row is written in
 * the transaction that changes the hold it tells about, and the sender in
 * balied (mail/sender.h) sends it later; sent_at set means the mail server
 * accepted it. A step of its own, so that it stays apart from other steps. */
static const char *const step_notices[] = {
	"CREATE TABLE notices ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('hold_ready')),"
	"  patron_id INTEGER NOT NULL REFERENCES patrons(id),"
	"  hold_id INTEGER REFERENCES holds(id),"
	"  to_address TEXT NOT NULL,"
	"  subject TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  sent_at INTEGER,"
	"  last_error TEXT"
	");",
	"CREATE INDEX notices_due ON notices(next_attempt_at) WHERE sent_at IS NULL;",
	"CREATE INDEX notices_hold ON notices(hold_id);",
};

/* More permissions than step 1's CHECK allowed (domain/permission.h): the
 * account's and the items' desks need their own. SQLite cannot change a
 * CHECK in place, so the table is copied. */
static const char *const step_permissions[] = {
	"CREATE TABLE staff_permissions_new ("
	"  staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,"
	"  permission TEXT NOT NULL CHECK (permission IN ('override', 'offline',"
	"    'waive', 'block', 'due_date', 'backdate', 'amnesty')),"
	"  PRIMARY KEY (staff_id, permission)"
	") WITHOUT ROWID;",
	"INSERT INTO staff_permissions_new SELECT staff_id, permission FROM staff_permissions;",
	"DROP TABLE staff_permissions;",
	"ALTER TABLE staff_permissions_new RENAME TO staff_permissions;",
};

/* The patron's account (domain/account.h). A charge is what the patron owes;
 * paid_cents is the sum of the credits allocated to it (credit_allocations),
 * kept on the row so that a balance is one indexed sum; cancelled_at marks a
 * charge no longer owed (a lost item found), its paid part refunded. A
 * credit is money or a waiver: payment (method cash or pin, never card data),
 * waiver (with a reason) or refund (money back, for a cancelled charge).
 * The fines of step 1 become charges of kind overdue_fine, and recorded hold
 * fees charges of kind hold_fee. */
static const char *const step_account[] = {
	"CREATE TABLE charges ("
	"  id INTEGER PRIMARY KEY,"
	"  patron_id INTEGER NOT NULL REFERENCES patrons(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('overdue_fine', 'hold_fee', 'replacement_card',"
	"    'lost_item', 'damaged_item', 'membership_fee', 'other')),"
	"  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),"
	"  paid_cents INTEGER NOT NULL DEFAULT 0"
	"    CHECK (paid_cents >= 0 AND paid_cents <= amount_cents),"
	"  description TEXT,"
	"  item_barcode TEXT,"
	"  hold_id INTEGER REFERENCES holds(id),"
	"  created_at INTEGER NOT NULL,"
	"  branch_code TEXT REFERENCES branches(code),"
	"  terminal TEXT,"
	"  staff_id INTEGER REFERENCES staff(id),"
	"  cancelled_at INTEGER"
	");",
	"CREATE INDEX charges_open ON charges(patron_id, created_at)"
	"  WHERE paid_cents < amount_cents AND cancelled_at IS NULL;",
	"CREATE INDEX charges_patron ON charges(patron_id, created_at);",
	"CREATE INDEX charges_item ON charges(item_barcode) WHERE item_barcode IS NOT NULL;",
	"CREATE TABLE credits ("
	"  id INTEGER PRIMARY KEY,"
	"  patron_id INTEGER NOT NULL REFERENCES patrons(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('payment', 'waiver', 'refund')),"
	"  method TEXT CHECK (method IN ('cash', 'pin')),"
	"  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),"
	"  reason TEXT,"
	"  charge_id INTEGER REFERENCES charges(id),"
	"  created_at INTEGER NOT NULL,"
	"  branch_code TEXT REFERENCES branches(code),"
	"  terminal TEXT,"
	"  staff_id INTEGER REFERENCES staff(id)"
	");",
	"CREATE INDEX credits_patron ON credits(patron_id, created_at);",
	"CREATE INDEX credits_day ON credits(created_at, branch_code, terminal);",
	"CREATE TABLE credit_allocations ("
	"  credit_id INTEGER NOT NULL REFERENCES credits(id),"
	"  charge_id INTEGER NOT NULL REFERENCES charges(id),"
	"  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),"
	"  PRIMARY KEY (credit_id, charge_id)"
	") WITHOUT ROWID;",
	"CREATE INDEX credit_allocations_charge ON credit_allocations(charge_id);",
	"INSERT INTO charges (patron_id, kind, amount_cents, paid_cents, item_barcode, created_at)"
	"  SELECT patron_id, 'overdue_fine', amount_cents,"
	"    CASE WHEN paid_at IS NULL THEN 0 ELSE amount_cents END, item_barcode, created_at"
	"  FROM fines WHERE amount_cents > 0 ORDER BY id;",
	"INSERT INTO charges (patron_id, kind, amount_cents, hold_id, created_at)"
	"  SELECT patron_id, 'hold_fee', fee_cents, id, placed_at"
	"  FROM holds WHERE fee_cents > 0 ORDER BY id;",
	"DROP TABLE fines;",
};

/* A replayed moment is checked against the log-ins of its staff member at
 * its terminal (audit_session_covers): with only the index on "at", every
 * audit row of the last session's lifetime was read for each replay, and
 * a replay writes audit rows of its own. */
static const char *const step_audit_login[] = {
	"CREATE INDEX audit_log_login ON audit_log(staff_id, terminal, at)"
	"  WHERE action = 'login';",
};

/* The hold shelf's daily list (domain/holdshelf.h): cleared_at is when the
 * desk confirmed it took the copy of a hold that ended on the shelf (expired,
 * or cancelled while ready) off it. Holds that ended before this step are
 * taken as cleared: nobody can say now whether their copies were. The title
 * search's index gets prefix indexes of 2 to 4 characters (domain/title.c):
 * a search for "de" then reads one list instead of merging those of every
 * word that starts so; FTS5 takes its options only when a table is made, so
 * the index is made again from titles (its triggers name it, not its
 * options). */
static const char *const step_holds_desk[] = {
	"ALTER TABLE holds ADD COLUMN cleared_at INTEGER;",
	"UPDATE holds SET cleared_at = coalesce(ended_at, 0)"
	"  WHERE status IN ('expired', 'cancelled', 'fulfilled');",
	"CREATE INDEX holds_to_pull ON holds(pickup_branch, ended_at)"
	"  WHERE cleared_at IS NULL AND status IN ('expired', 'cancelled');",
	"CREATE INDEX holds_shelf ON holds(pickup_branch) WHERE status = 'ready';",
	"/* sqlite */ DROP TABLE titles_fts;",
	"/* sqlite */ CREATE VIRTUAL TABLE titles_fts USING fts5(title, author, content = 'titles',"
	"  content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');",
	"/* sqlite */ INSERT INTO titles_fts (titles_fts) VALUES ('rebuild');",
};

/* What the desk writes about a patron (domain/patron_edit.h): a note for
 * staff only, and a message for the patron, shown at the next check-out
 * (message_shown_at set then). Both at most 280 characters, guarded against
 * personal data as the IDO note is. */
static const char *const step_patron_notes[] = {
	"ALTER TABLE patrons ADD COLUMN staff_note TEXT"
	"  CHECK (staff_note IS NULL OR length(staff_note) <= 280);",
	"ALTER TABLE patrons ADD COLUMN message TEXT"
	"  CHECK (message IS NULL OR length(message) <= 280);",
	"ALTER TABLE patrons ADD COLUMN message_shown_at INTEGER;",
	/* The retention job looks for memberships that ended long ago. */
	"CREATE INDEX patrons_expires ON patrons(expires_on);",
};

/* Adult membership and replacement cards. membership: the adult
 * membership category of the rules file (NULL for youth, and for adults
 * from before categories). A replaced card stays here with its reason, so
 * a scan of it can say it was replaced; the patron row carries the new card,
 * and loans, holds and the account stay with the patron. */
static const char *const step_membership[] = {
	"ALTER TABLE patrons ADD COLUMN membership TEXT;",
	"CREATE TABLE replaced_cards ("
	"  card TEXT PRIMARY KEY CHECK (length(card) = 14 AND card NOT GLOB '*[^0-9]*'),"
	"  patron_id INTEGER NOT NULL REFERENCES patrons(id) ON DELETE CASCADE,"
	"  reason TEXT NOT NULL CHECK (reason IN ('lost', 'stolen')),"
	"  replaced_at INTEGER NOT NULL"
	") WITHOUT ROWID;",
	"CREATE INDEX replaced_cards_patron ON replaced_cards(patron_id);",
};

/* The desk's item statuses and notes (domain/item.h). items.status keeps
 * the state circulation acts on (an item lost, missing or claimed returned
 * is 'missing', a withdrawn or damaged one 'not_loanable'); item_statuses
 * holds what the desk said and why: SQLite cannot widen the CHECK of items
 * in place, and rebuilding a table that loans and holds refer to is refused
 * under foreign keys. A claimed return is counted on the patron; a note
 * with its alert flag set is shown at check-in and check-out; loan_stats
 * (no foreign keys refer to it) is rebuilt to count in-house use. */
static const char *const step_items[] = {
	"ALTER TABLE items ADD COLUMN note TEXT;",
	"ALTER TABLE items ADD COLUMN note_alert INTEGER NOT NULL DEFAULT 0"
	"  CHECK (note_alert IN (0, 1));",
	"ALTER TABLE items ADD COLUMN last_checkin_at INTEGER;",
	"CREATE TABLE item_statuses ("
	"  item_id INTEGER PRIMARY KEY REFERENCES items(id),"
	"  status TEXT NOT NULL CHECK (status IN ('lost', 'damaged', 'missing',"
	"    'claimed_returned', 'withdrawn')),"
	"  reason TEXT NOT NULL,"
	"  patron_id INTEGER REFERENCES patrons(id),"
	"  charge_id INTEGER REFERENCES charges(id),"
	"  set_at INTEGER NOT NULL,"
	"  staff_id INTEGER REFERENCES staff(id)"
	");",
	"ALTER TABLE patrons ADD COLUMN claims_returned INTEGER NOT NULL DEFAULT 0"
	"  CHECK (claims_returned >= 0);",
	"CREATE TABLE loan_stats_new ("
	"  day TEXT NOT NULL,"
	"  branch_code TEXT NOT NULL,"
	"  item_type TEXT NOT NULL,"
	"  patron_category TEXT NOT NULL,"
	"  action TEXT NOT NULL CHECK (action IN ('checkout', 'checkin', 'renewal', 'in_house')),"
	"  count INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (day, branch_code, item_type, patron_category, action)"
	") WITHOUT ROWID;",
	"INSERT INTO loan_stats_new SELECT day, branch_code, item_type, patron_category, action,"
	"  count FROM loan_stats;",
	"DROP TABLE loan_stats;",
	"ALTER TABLE loan_stats_new RENAME TO loan_stats;",
};

/* The runs of the daily jobs (domain/jobs.h), for GET /metrics: each
 * command is a process of its own, so the service reads them from here. */
static const char *const step_job_runs[] = {
	"CREATE TABLE job_runs ("
	"  job TEXT PRIMARY KEY,"
	"  successes INTEGER NOT NULL DEFAULT 0,"
	"  failures INTEGER NOT NULL DEFAULT 0,"
	"  last_run_at INTEGER NOT NULL,"
	"  last_success_at INTEGER"
	") WITHOUT ROWID;",
};

/* The role kiosk (self-service machines and sorters over SIP2,
 * balied-sip2(7)) beside step 1's roles, the table copied as for the
 * permissions; and the character set each kiosk account speaks. */
static const char *const step_sip2[] = {
	"CREATE TABLE staff_roles_new ("
	"  staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,"
	"  role TEXT NOT NULL CHECK (role IN ('balie', 'ido', 'beheer', 'kiosk')),"
	"  PRIMARY KEY (staff_id, role)"
	") WITHOUT ROWID;",
	"INSERT INTO staff_roles_new SELECT staff_id, role FROM staff_roles;",
	"DROP TABLE staff_roles;",
	"ALTER TABLE staff_roles_new RENAME TO staff_roles;",
	"CREATE TABLE sip2_kiosks ("
	"  staff_id INTEGER PRIMARY KEY REFERENCES staff(id) ON DELETE CASCADE,"
	"  charset TEXT NOT NULL CHECK (charset IN ('ASCII', 'ISO-8859-1', 'UTF-8'))"
	");",
};

#define STEP(a) { a, sizeof a / sizeof a[0] }

const struct schema_step schema_steps[] = {
	STEP(step1),
	STEP(step2),
	STEP(step_notices),
	STEP(step_permissions),
	STEP(step_account),
	STEP(step_audit_login),
	STEP(step_holds_desk),
	STEP(step_patron_notes),
	STEP(step_membership),
	STEP(step_items),
	STEP(step_job_runs),
	STEP(step_sip2),
};

const size_t schema_step_count = sizeof schema_steps / sizeof schema_steps[0];
