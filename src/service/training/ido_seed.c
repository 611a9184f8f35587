#include "service/training/ido_seed.h"

#include "core/date.h"
#include "service/domain/ido.h"
#include "core/uuid.h"

#include <stdint.h>
#include <string.h>

/* A topic and the organisation that usually goes with it (NULL: none). */
static const struct {
	const char *topic, *organisation;
	unsigned weight;
} ido_seed_topics[] = {
	{ "digid_apply", NULL, 9 },          { "digid_app", NULL, 6 },
	{ "tax_return", "belastingdienst", 8 }, { "allowances", "toeslagen", 7 },
	{ "health_care", "cak", 3 },          { "benefits_work", "uwv", 4 },
	{ "student_finance", "duo", 2 },      { "driving", "cbr", 2 },
	{ "travel_documents", "municipality", 3 }, { "housing", "huurcommissie", 2 },
	{ "legal_help", "rvr", 1 },           { "device_use", NULL, 5 },
	{ "municipal", "municipality", 3 },   { "other", NULL, 1 },
};

static uint32_t ido_seed_next(uint32_t *s)
{
	/* xorshift32, as seed.c: the same questions on every machine. */
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static size_t ido_seed_topic(uint32_t *s)
{
	unsigned total = 0;
	for (size_t i = 0; i < sizeof ido_seed_topics / sizeof ido_seed_topics[0]; i++)
		total += ido_seed_topics[i].weight;
	unsigned pick = ido_seed_next(s) % total;
	size_t i = 0;
	while (pick >= ido_seed_topics[i].weight)
		pick -= ido_seed_topics[i++].weight;
	return i;
}

bool ido_seed_training(struct store *store, time_t now)
{
	static const char *const branches[] = { "CEN", "NRD", "ZUI" };
	static const char *const partners[] = { "municipality", "social_counsel", "juridisch_loket" };
	uint32_t s = 0x1d0u;
	struct civil_date today = date_of_time(now);
	bool ok = true;
	for (unsigned n = 0; ok && n < IDO_SEED_QUESTIONS; n++) {
		/* One, two or three months back, on days 1..28. */
		int back = 1 + (int)(n % 3);
		int month = today.month - back, year = today.year;
		if (month < 1)
			month += 12, year--;
		struct civil_date day = { year, month, 1 + (int)(ido_seed_next(&s) % 28) };
		char iso[DATE_STR_LEN];
		date_format_iso(day, iso);
		size_t t = ido_seed_topic(&s);
		const char *topics[1] = { ido_seed_topics[t].topic };
		const char *orgs[1] = { ido_seed_topics[t].organisation };
		unsigned r = ido_seed_next(&s) % 10;
		const char *help[1] = { r < 7 ? "digital_service" : r < 9 ? "skills_course"
								  : "provider_info" };
		unsigned o = ido_seed_next(&s) % 10;
		unsigned c = ido_seed_next(&s) % 10;
		char visit[UUID_STR_LEN];
		uuid_v4(visit);
		struct ido_question q = {
			.visit_id = visit,
			.class_code = orgs[0] || t + 1 < sizeof ido_seed_topics / sizeof ido_seed_topics[0]
					      ? "digital_government" : "other",
			.topics = topics,
			.n_topics = 1,
			.organisations = orgs,
			.n_organisations = orgs[0] ? 1 : 0,
			.help = help,
			.n_help = 1,
			.outcome = o < 7 ? "answered" : o < 9 ? "referred" : "follow_up",
			.referred_to = o >= 7 && o < 9 ? partners[ido_seed_next(&s) % 3] : NULL,
			.minutes = 5 + (long)(ido_seed_next(&s) % 9) * 5,
			.channel = c < 6 ? "walk_in" : c < 9 ? "appointment" : "phone",
		};
		struct ido_asked a = {
			.branch = branches[ido_seed_next(&s) % 3],
			.at = now - (time_t)(date_to_days(today) - date_to_days(day)) * 86400,
			.day = iso,
		};
		long long id;
		ok = ido_question_add(store, &q, &a, &id);
	}
	return ok;
}
