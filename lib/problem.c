#include <stdarg.h>
#include <stdio.h>

#include "lib/problem.h"

const char *raksha_cause_name(enum raksha_cause cause)
{
	switch (cause) {
	case RAKSHA_CAUSE_NONE: return "none";
	case RAKSHA_CAUSE_OVERSIZE: return "oversize";
	case RAKSHA_CAUSE_UNDECODABLE: return "undecodable";
	case RAKSHA_CAUSE_UTF8: return "utf8";
	case RAKSHA_CAUSE_INVALID: return "invalid";
	case RAKSHA_CAUSE_KIND_MISMATCH: return "kind-mismatch";
	case RAKSHA_CAUSE_ORIGIN_MISMATCH: return "origin-mismatch";
	case RAKSHA_CAUSE_BAD_TOPIC: return "bad-topic";
	case RAKSHA_CAUSE_NO_MEMORY: return "no-memory";
	case RAKSHA_CAUSE_UNSIGNED: return "unsigned";
	case RAKSHA_CAUSE_UNKNOWN_SIGNER: return "unknown-signer";
	case RAKSHA_CAUSE_BAD_SIGNATURE: return "bad-signature";
	case RAKSHA_CAUSE_WRONG_SIGNER: return "wrong-signer";
	case RAKSHA_CAUSE_CLOCK: return "clock";
	case RAKSHA_CAUSE_NOT_OWNER: return "not-owner";
	}
	return "unknown";
}

int problem_set(struct raksha_problem *p, int err, enum raksha_cause cause,
		const char *fmt, ...)
{
	if (p == NULL)
		return err;
	p->cause = cause;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->text, sizeof(p->text), fmt, ap);
	va_end(ap);
	return err;
}
