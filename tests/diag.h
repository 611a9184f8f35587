/* A TAP diagnostic line ("# ..."), for the helpers the test programs link:
 * each test program numbers its own results (tap.h keeps its counters per
 * program file), the helpers only explain. */
#ifndef BALIE_TEST_DIAG_H
#define BALIE_TEST_DIAG_H

/* Prints "# ", the formatted text and a newline on standard output, and
 * flushes it so that it stands in order with the results. */
void test_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
