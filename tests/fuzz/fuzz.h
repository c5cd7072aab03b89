/* What the fuzz targets share: an oracle that aborts (libFuzzer then saves the
 * input as a crash reproducer), and the fixtures' fixed clock. */
#ifndef RAKSHA_FUZZ_H
#define RAKSHA_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* tests/lib/sample.h's "now": seeds are sample envelopes sent at this time,
 * and a fixed clock keeps every run of an input the same. */
#define FUZZ_NOW_MS INT64_C(1795926900000)

/* An oracle: if @cond is false the product broke a promise; say which and
 * abort(), which libFuzzer reports as a crash with the input saved. */
#define FUZZ_CHECK(cond, ...)                                                         \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "FUZZ ORACLE FAILED at %s:%d: %s: ", __FILE__, \
				__LINE__, #cond);                                     \
			fprintf(stderr, __VA_ARGS__);                                 \
			fputc('\n', stderr);                                          \
			abort();                                                      \
		}                                                                     \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
