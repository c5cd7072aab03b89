/* Why an input was refused: the one error-detail type of libraksha. */
#ifndef RAKSHA_PROBLEM_H
#define RAKSHA_PROBLEM_H

#ifdef __cplusplus
extern "C" {
#endif

/* The cause of a rejection, coarse enough to count and group by. Every
 * function that fills a struct raksha_problem returns a negative errno too;
 * the pairing is fixed and listed beside each cause. */
enum raksha_cause {
	RAKSHA_CAUSE_NONE = 0,
	RAKSHA_CAUSE_OVERSIZE,        /* -EMSGSIZE: larger than the size limit */
	RAKSHA_CAUSE_UNDECODABLE,     /* -EBADMSG: not a protobuf Envelope */
	RAKSHA_CAUSE_UTF8,            /* -EILSEQ: a string is not valid UTF-8, or has control characters */
	RAKSHA_CAUSE_INVALID,         /* -EINVAL: a field is missing, out of range or malformed */
	RAKSHA_CAUSE_KIND_MISMATCH,   /* -EPROTO: the body kind is not the topic's kind */
	RAKSHA_CAUSE_ORIGIN_MISMATCH, /* -EPROTO: origin state/region/agency is not the topic's */
	RAKSHA_CAUSE_BAD_TOPIC,       /* -EINVAL: the topic is not a Raksha topic */
	RAKSHA_CAUSE_NO_MEMORY,       /* -ENOMEM */
	/* Signatures (raksha/sign.h), in the order they are judged. */
	RAKSHA_CAUSE_UNSIGNED,        /* -EPERM: no signature, and one is required */
	RAKSHA_CAUSE_UNKNOWN_SIGNER,  /* -ENOKEY: the signer is not in the trust store */
	RAKSHA_CAUSE_BAD_SIGNATURE,   /* -EKEYREJECTED: forged, or altered after signing */
	RAKSHA_CAUSE_WRONG_SIGNER,    /* -EACCES: signed by another unit than the one it names */
	/* -ERANGE: sent more than a day after this receiver's "now": its clock
	 * or the sender's is wrong. Refused only when everything else passes,
	 * so that a receiver can keep it and check it again once the clocks
	 * agree (the district agent does). */
	RAKSHA_CAUSE_CLOCK,
	/* -EPERM: a valid envelope that changes a case (a revision, cancel,
	 * close or reopen) from a unit that neither made its report nor is a
	 * supervisor in the roster. Never given by libraksha's checks, which
	 * know no cases: an agent's case view refuses it (docs/agent.md). */
	RAKSHA_CAUSE_NOT_OWNER,
};

/* One more than the largest cause: for arrays indexed by cause. */
#define RAKSHA_CAUSE_COUNT (RAKSHA_CAUSE_NOT_OWNER + 1)

#define RAKSHA_PROBLEM_TEXT_MAX 256

/* A rejection: its cause and one line of text that names the field path (or
 * the byte) and the reason, e.g. "report.child.age_years: 212 out of range
 * 0..25". Callers own it; libraksha only fills it. */
struct raksha_problem {
	enum raksha_cause cause;
	char text[RAKSHA_PROBLEM_TEXT_MAX];
};

/* The stable short name of a cause ("oversize", "undecodable", "utf8",
 * "invalid", "kind-mismatch", "origin-mismatch", "bad-topic", "no-memory",
 * "unsigned", "unknown-signer", "bad-signature", "wrong-signer", "clock",
 * "not-owner", "none"),
 * suitable as a database column or a metric label.
 * Returns a static string; "unknown" for values outside the enum. */
const char *raksha_cause_name(enum raksha_cause cause);

#ifdef __cplusplus
}
#endif

#endif
