/* What the default keyer loads (issue 19 part 6, session 5): ASCII names
 * keyed without ICU (no libicu mapped in /proc/self/maps after them);
 * ICU at the first Devanagari name, whose key is the one of सीमा, Seema
 * and Sima, without ICU's registry of transliterators (the heap it takes
 * under 512 KiB, 360 measured: the registry alone is 530 KiB, the whole
 * Any-Latin with it 1.3 MiB); a Bengali name through the whole
 * transliterator then. A process of its own: test-match opens ICU by an
 * id at its start. */
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "match/match.h"
#include "tests/lib/tap.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif

static bool mapped(const char *lib)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	bool found = false;
	while (f && fgets(line, sizeof(line), f))
		found = found || strstr(line, lib) != NULL;
	if (f)
		fclose(f);
	return found;
}

static const char *key(struct match_keyer *k, const char *name)
{
	static char out[MATCH_KEY_BYTES];
	char err[256] = "";
	if (match_key(k, name, out, sizeof(out), err, sizeof(err)) < 0)
		printf("# match_key(%s): %s\n", name, err);
	return out;
}

int main(void)
{
	char err[256] = "";
	struct match_keyer *k = NULL;
	size_t before = mallinfo2().uordblks;
	if (!ok(match_keyer_new(&k, NULL, err, sizeof(err)) == 0, "a default keyer")) {
		printf("# %s\n", err);
		return tap_done();
	}
	ok(!mapped("libicu"), "made without ICU");
	char seema[MATCH_KEY_BYTES];
	snprintf(seema, sizeof(seema), "%s", key(k, "Seema Kumari"));
	key(k, "SIMA");
	key(k, "O'Brien Md. Imran-Khan");
	ok(!mapped("libicu"), "ASCII names keyed, still no ICU mapped");
	is_str(key(k, "सीमा कुमारी"), seema, "सीमा कुमारी keyed as Seema Kumari");
	ok(mapped("libicui18n"), "  ICU loaded for it");
	size_t took = mallinfo2().uordblks - before;
#ifdef SANITIZED
	(void)took;
	ok(true, "  # SKIP the heap ICU took: not counted under the sanitizers");
#else
	ok(took < 512 * 1024, "  the keyer and ICU took %zu KiB of heap, no registry (< 512)", took / 1024);
#endif
	is_str(key(k, "সীমা"), key(k, "Sima"), "a Bengali name through the whole transliterator");
	match_keyer_free(k);
	return tap_done();
}
