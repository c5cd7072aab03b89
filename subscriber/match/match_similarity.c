/* How alike two name keys are (match.h): Jaro-Winkler, word by word. */
#include <stdbool.h>
#include <string.h>

#include "match/match.h"
#include "match/match_impl.h"

#define WORDS_MAX 8

struct words {
	const char *at[WORDS_MAX];
	size_t len[WORDS_MAX];
	size_t n;
};

/* Jaro's matching characters of @a in @b, within the window of either's
 * half length; @a_hit and @b_hit mark those taken. Returns how many. */
static size_t jaro_matches(const char *a, size_t na, const char *b, size_t nb, bool *a_hit,
			   bool *b_hit)
{
	size_t longer = na > nb ? na : nb;
	size_t window = longer / 2 ? longer / 2 - 1 : 0;
	size_t m = 0;
	for (size_t i = 0; i < na; i++) {
		size_t lo = i > window ? i - window : 0;
		size_t hi = i + window + 1 < nb ? i + window + 1 : nb;
		for (size_t j = lo; j < hi; j++) {
			if (b_hit[j] || a[i] != b[j])
				continue;
			a_hit[i] = true;
			b_hit[j] = true;
			m++;
			break;
		}
	}
	return m;
}

static double jaro(const char *a, size_t na, const char *b, size_t nb)
{
	bool a_hit[MATCH_KEY_BYTES] = {false};
	bool b_hit[MATCH_KEY_BYTES] = {false};
	size_t m = jaro_matches(a, na, b, nb, a_hit, b_hit);
	if (m == 0)
		return 0;
	size_t half_transpositions = 0;
	size_t j = 0;
	for (size_t i = 0; i < na; i++) {
		if (!a_hit[i])
			continue;
		while (!b_hit[j])
			j++;
		if (a[i] != b[j])
			half_transpositions++;
		j++;
	}
	double dm = (double)m;
	return (dm / (double)na + dm / (double)nb + (dm - (double)half_transpositions / 2) / dm) / 3;
}

double match_jaro_winkler(const char *a, size_t na, const char *b, size_t nb)
{
	if (na == 0 || nb == 0 || na >= MATCH_KEY_BYTES || nb >= MATCH_KEY_BYTES)
		return 0;
	double sim = jaro(a, na, b, nb);
	size_t prefix = 0;
	while (prefix < 4 && prefix < na && prefix < nb && a[prefix] == b[prefix])
		prefix++;
	return sim + (double)prefix * 0.1 * (1 - sim);
}

static void split(const char *key, struct words *w)
{
	w->n = 0;
	const char *p = key;
	while (*p && w->n < WORDS_MAX) {
		const char *sp = strchr(p, ' ');
		size_t len = sp ? (size_t)(sp - p) : strlen(p);
		if (len) {
			w->at[w->n] = p;
			w->len[w->n] = len;
			w->n++;
		}
		p += len;
		if (*p == ' ')
			p++;
	}
}

/* Each word of @few against its best in @many, averaged. */
static double best_pairs(const struct words *few, const struct words *many)
{
	double sum = 0;
	for (size_t i = 0; i < few->n; i++) {
		double best = 0;
		for (size_t j = 0; j < many->n; j++) {
			double s = match_jaro_winkler(few->at[i], few->len[i], many->at[j], many->len[j]);
			if (s > best)
				best = s;
		}
		sum += best;
	}
	return sum / (double)few->n;
}

double match_name_similarity(const char *a, const char *b)
{
	struct words wa;
	struct words wb;
	split(a, &wa);
	split(b, &wb);
	if (wa.n == 0 || wb.n == 0)
		return 0;
	if (wa.n <= wb.n)
		return best_pairs(&wa, &wb);
	return best_pairs(&wb, &wa);
}
