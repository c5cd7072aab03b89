/* Folding a transliterated name into its key (match_impl.h). */
#include <stdbool.h>
#include <string.h>

#include "match/match_impl.h"

#define WORD_MAX 63

static bool vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Upper case too, for a keyer whose transliterator does not end in Lower. */
static bool letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Letters that spell the same sound one way: w/v, z/j, q/k, x/ks. Writes
 * them to @w (at most WORD_MAX) and returns the length. */
static size_t letters(const char *in, size_t n, char *w)
{
	size_t len = 0;
	for (size_t i = 0; i < n && len < WORD_MAX; i++) {
		char c = in[i];
		if (c == 'w')
			c = 'v';
		else if (c == 'z')
			c = 'j';
		else if (c == 'q')
			c = 'k';
		if (c == 'x' && len + 2 <= WORD_MAX) {
			w[len++] = 'k';
			c = 's';
		}
		w[len++] = c;
	}
	return len;
}

/* ph as f, an h after another consonant dropped (sh, th, dh, kh, gh, ch,
 * jh, bh), ee as i, oo as u, ck as k. In place; returns the new length. */
static size_t digraphs(char *w, size_t n)
{
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		char c = w[i];
		char prev = len ? w[len - 1] : '\0';
		if (c == 'h' && prev == 'p') {
			w[len - 1] = 'f';
			continue;
		}
		if (c == 'h' && len && !vowel(prev) && prev != 'h')
			continue;
		if ((c == 'e' && prev == 'e') || (c == 'o' && prev == 'o')) {
			w[len - 1] = c == 'e' ? 'i' : 'u';
			continue;
		}
		if (c == 'k' && prev == 'c') {
			w[len - 1] = 'k';
			continue;
		}
		w[len++] = c;
	}
	return len;
}

/* Double letters single (aa, ii, uu, tt, nn ...). */
static size_t doubles(char *w, size_t n)
{
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		if (len && w[len - 1] == w[i])
			continue;
		w[len++] = w[i];
	}
	return len;
}

/* Hindi's schwa deletion: an a between two single consonants, after a
 * vowel and before a vowel or the end, is not said (कमलेश is kamalesa to
 * ICU, Kamlesh to people; इमरान imarana, Imran). Before the end too,
 * because ICU writes a word's last a and people do not: without it
 * काजल (kajala) and Kajal would fold apart. In place; returns the new
 * length. */
static size_t schwa(char *w, size_t n)
{
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		bool drop = w[i] == 'a' && len >= 2 && i + 1 < n && vowel(w[len - 2]) &&
			    !vowel(w[len - 1]) && !vowel(w[i + 1]) &&
			    (i + 2 == n || vowel(w[i + 2]));
		if (!drop)
			w[len++] = w[i];
	}
	return len;
}

/* The end of a word: y as i, the inherent vowel a dropped. */
static size_t ending(char *w, size_t n)
{
	if (n > 1 && w[n - 1] == 'y')
		w[n - 1] = 'i';
	if (n > 2 && w[n - 1] == 'a')
		n--;
	return n;
}

static size_t fold_word(const char *in, size_t n, char *w)
{
	size_t len = letters(in, n, w);
	len = digraphs(w, len);
	len = doubles(w, len);
	len = schwa(w, len);
	return ending(w, len);
}

size_t match_fold(const char *ascii, char *out, size_t size)
{
	size_t n = 0;
	if (size == 0)
		return 0;
	out[0] = '\0';
	const char *p = ascii;
	while (*p) {
		while (*p && !letter(*p) && *p != '\'')
			p++;
		const char *start = p;
		char raw[WORD_MAX];
		size_t rn = 0;
		/* An apostrophe inside a word is not a break: ICU writes one
		 * between letters that would otherwise read as a digraph. */
		for (; letter(*p) || *p == '\''; p++) {
			if (*p != '\'' && rn < WORD_MAX)
				raw[rn++] = lower(*p);
		}
		if (p == start || rn == 0)
			continue;
		char w[WORD_MAX];
		size_t wn = fold_word(raw, rn, w);
		size_t need = wn + (n ? 1 : 0);
		if (n + need >= size)
			break;
		if (n)
			out[n++] = ' ';
		memcpy(out + n, w, wn);
		n += wn;
		out[n] = '\0';
	}
	return n;
}
