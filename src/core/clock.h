/* The one clock that only goes forward, for deadlines, timeouts and how long
 * something took: never for the time of day (see core/date.h for that). */
#ifndef BALIE_CLOCK_H
#define BALIE_CLOCK_H

/* Milliseconds on CLOCK_MONOTONIC. */
long long clock_now_ms(void);

#endif
