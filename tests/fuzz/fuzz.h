/* The two entry points of a libFuzzer target (tests/fuzz/README.md). Every
 * target defines both; replay.c calls them when libFuzzer is not linked. */
#ifndef BALIE_FUZZ_H
#define BALIE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
