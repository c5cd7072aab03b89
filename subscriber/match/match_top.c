/* The best candidates of a found child among many reports (match.h). */
#include "match/match.h"
#include "match/match_impl.h"

/* Puts @c into @top (holding *@n of @max, best first) at its rank, the
 * last one falling off when full; an equal score stays behind those
 * before it, so ties keep the order given. */
static void insert(struct match_candidate *top, size_t *n, size_t max,
		   const struct match_candidate *c)
{
	size_t at = *n;
	while (at > 0 && top[at - 1].result.score < c->result.score)
		at--;
	if (at == max)
		return;
	size_t last = *n < max ? *n : max - 1;
	for (size_t i = last; i > at; i--)
		top[i] = top[i - 1];
	top[at] = *c;
	if (*n < max)
		(*n)++;
}

size_t match_top(const struct match_person *found, const struct match_person *reports, size_t n,
		 int threshold, struct match_candidate *top, size_t max)
{
	size_t count = 0;
	if (max == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		struct match_candidate c = {.index = i};
		c.result.score = match_points(found, &reports[i], NULL);
		if (c.result.score < threshold || c.result.score == 0)
			continue;
		if (count == max && c.result.score <= top[max - 1].result.score)
			continue;
		/* Words only for those that make the list. */
		match_score(found, &reports[i], &c.result);
		insert(top, &count, max, &c);
	}
	if (count == 0)
		return 0;
	/* Those MATCH_GAP or more behind the best are the same name seen
	 * elsewhere by chance far more often than the child. */
	size_t keep = 1;
	while (keep < count && top[keep].result.score > top[0].result.score - MATCH_GAP)
		keep++;
	return keep;
}
