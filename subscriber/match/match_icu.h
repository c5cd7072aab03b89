/* ICU, loaded at the first keyer rather than linked: linking it (and the
 * libstdc++ it needs) costs every agent 2.4 MiB of touched pages at start,
 * an agent that never keys a name too (issue 19 part 6,
 * docs/benchmarks.md). The functions match_key.c calls, by ICU's
 * versioned names of the ICU the build found. */
#ifndef RAKSHA_MATCH_ICU_H
#define RAKSHA_MATCH_ICU_H

#include <stddef.h>

#include <unicode/unorm2.h>
#include <unicode/ures.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

struct match_icu {
	UChar *(*uastrcpy)(UChar *dst, const char *src);
	const char *(*error_name)(UErrorCode code);
	UTransliterator *(*open)(const UChar *id, int32_t id_len, UTransDirection dir, const UChar *rules,
				 int32_t rules_len, UParseError *where, UErrorCode *status);
	void (*close)(UTransliterator *trans);
	void (*trans_uchars)(const UTransliterator *trans, UChar *text, int32_t *len, int32_t capacity,
			     int32_t start, int32_t *limit, UErrorCode *status);
	UChar *(*from_utf8)(UChar *dst, int32_t capacity, int32_t *len, const char *src, int32_t src_len,
			    UErrorCode *status);
	char *(*to_utf8)(char *dst, int32_t capacity, int32_t *len, const UChar *src, int32_t src_len,
			 UErrorCode *status);
	/* ICU's own rules of a transliterator, from its data (match_deva.c) */
	UResourceBundle *(*res_open)(const char *package, const char *locale, UErrorCode *status);
	UResourceBundle *(*res_by_key)(const UResourceBundle *res, const char *key, UResourceBundle *fill,
				       UErrorCode *status);
	UResourceBundle *(*res_by_index)(const UResourceBundle *res, int32_t index, UResourceBundle *fill,
					 UErrorCode *status);
	const UChar *(*res_string)(const UResourceBundle *res, const char *key, int32_t *len, UErrorCode *status);
	void (*res_close)(UResourceBundle *res);
	const UNormalizer2 *(*nfd)(UErrorCode *status);
	int32_t (*normalize)(const UNormalizer2 *norm, const UChar *src, int32_t len, UChar *dst, int32_t capacity,
			     UErrorCode *status);
};

/* ICU's functions, loaded at the first call (later calls return the same).
 * Returns NULL with @err (@errsize bytes) naming the library or function
 * missing. Thread-safe. */
const struct match_icu *match_icu(char *err, size_t errsize);

#endif
