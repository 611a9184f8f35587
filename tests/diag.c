/* A TAP diagnostic line (see diag.h). */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

void test_diag(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
}
