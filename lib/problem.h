/* Internal: filling a struct raksha_problem. */
#ifndef RAKSHA_LIB_PROBLEM_H
#define RAKSHA_LIB_PROBLEM_H

#include <raksha/problem.h>

/* Sets @p (if not NULL) to @cause and the printf-formatted text, and returns
 * @err, so that a failure is one line: return problem_set(p, -EINVAL, ...). */
int problem_set(struct raksha_problem *p, int err, enum raksha_cause cause,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
