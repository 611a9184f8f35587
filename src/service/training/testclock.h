/* A test aid: BALIED_TEST_TODAY=YYYY-MM-DD makes a training balied believe
 * that today is that date (the time of day stays real), so that tests of due
 * dates, closed days and fines do not depend on the day they run. A
 * production balied never reads it. */
#ifndef BALIED_TESTCLOCK_H
#define BALIED_TESTCLOCK_H

#include <stdbool.h>
#include <time.h>

/*
 * The seconds to add to the real clock: 0 when not training or when the
 * variable is unset. False (and *err allocated) when it is set but not a
 * date, or set for a balied that is not training.
 */
bool testclock_offset(bool training, time_t *offset, char **err);

#endif
