/* The child's name on a poster in both scripts (GET /case/ID/poster,
 * desk_poster.c): the name as written, and the other script's, either an
 * other name a person typed in it or, failing that, ICU's transliteration,
 * which the poster marks as such (a reader must know that nobody wrote it:
 * "Rahul" made Devanagari is a guess). */
#ifndef RAKSHA_DESK_POSTER_NAME_H
#define RAKSHA_DESK_POSTER_NAME_H

#include <stdbool.h>
#include <stddef.h>

#include <raksha/v1/raksha.pb-c.h>

/* The longest name transliterated, in bytes (a longer one is shown as
 * written only): a poster's name is a few words. */
#define DESK_POSTER_NAME_MAX 255
#define DESK_POSTER_MADE_BYTES (4 * (DESK_POSTER_NAME_MAX + 1))

enum desk_script {
	DESK_SCRIPT_NONE,         /* no letter at all: empty, digits, signs */
	DESK_SCRIPT_LATIN,
	DESK_SCRIPT_DEVANAGARI,
	DESK_SCRIPT_OTHER,        /* Bengali, Tamil, ...: shown as written, Latin made */
};

/* The script of @s (UTF-8): Devanagari if it holds a Devanagari letter,
 * else another script's if it holds any letter beyond U+024F, else Latin if
 * it holds a Latin letter, else none. */
enum desk_script desk_poster_script(const char *s);

struct desk_poster_names {
	const char *name;     /* as written; NULL: nobody named the child */
	const char *other;    /* in the other script (Devanagari for a Latin name, Latin
			       * for any other); NULL: none (a name of no letters) */
	bool made;            /* other was transliterated by ICU, not typed */
	char buf[DESK_POSTER_MADE_BYTES];
};

/* Fills @out from @c (NULL: nothing): its name as written, and in the other
 * script the first of its other names written in that script, or else
 * ICU's transliteration of the name (desk_poster_transliterate). Returns
 * 0, or desk_poster_transliterate's errno (@err says why; the name as
 * written is still in @out, other NULL). */
int desk_poster_names(const Raksha__V1__Child *c, struct desk_poster_names *out, char *err, size_t errsize);

/* @in (UTF-8, at most DESK_POSTER_NAME_MAX bytes) into @out (@size bytes)
 * by ICU's transliterator: to Latin (@to_latin; from Devanagari or any
 * script, as people spell Indian names: "राहुल" as "Rahul", not ISO
 * 15919's "rāhula") or to Devanagari (from a Latin spelling: "Seema" as
 * "सीमा"). Returns the length written, or
 *   -E2BIG    @in is longer than DESK_POSTER_NAME_MAX;
 *   -EILSEQ   @in is not UTF-8;
 *   -ENOBUFS  @out is too small;
 *   -EIO      ICU failed (its data missing: @err has its error name). */
int desk_poster_transliterate(const char *in, bool to_latin, char *out, size_t size, char *err,
			      size_t errsize);

#endif
