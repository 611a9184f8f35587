/* The demo data of a training database (balied --training): branches, the
 * three training accounts, patrons, items, loans, fines and holds, made
 * deterministically from small word lists, with dates relative to today. */
#ifndef BALIED_SEED_H
#define BALIED_SEED_H

#include "service/store/store.h"

#include <stdbool.h>
#include <time.h>

#define SEED_TRAINING_PASSWORD "oefenen"

enum { SEED_PATRONS = 50, SEED_ITEMS = 500 };
/* The demo item whose title has accents (a book, free to lend), so that the
 * desk's receipts can be checked in the printer's charset. */
enum { SEED_ACCENTED_ITEM = 8 };
/* The item whose note is an alert (shown at check-in and check-out). */
enum { SEED_ALERT_ITEM = 440 };

/* Fills an empty database in one transaction; false (logged) on failure. */
bool seed_training(struct store *store, time_t now);

/* The card number of the n-th demo patron (1-based), for documentation and
 * tests: 14 digits with a Luhn check digit. */
void seed_card(unsigned n, char out[15]);

#endif
