/* Signing and verifying envelopes over their exact wire bytes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "lib/problem.h"
#include "lib/sign_internal.h"

enum { FIELD_SIGNATURE = 30, FIELD_SIGNER = 31 };

static int varint(const uint8_t *b, size_t len, size_t *pos, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; shift < 64 && *pos < len; shift += 7) {
		uint8_t c = b[(*pos)++];
		*v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return 0;
	}
	return -EBADMSG;
}

/* Steps over the top-level field at *@pos; sets *@number. */
static int skip_field(const uint8_t *b, size_t len, size_t *pos, uint64_t *number)
{
	uint64_t tag, n;
	if (varint(b, len, pos, &tag) < 0)
		return -EBADMSG;
	*number = tag >> 3;
	switch (tag & 7) {
	case 0: return varint(b, len, pos, &n);
	case 1: n = 8; break;
	case 5: n = 4; break;
	case 2:
		if (varint(b, len, pos, &n) < 0)
			return -EBADMSG;
		break;
	default: return -EBADMSG;
	}
	if (n > len - *pos)
		return -EBADMSG;
	*pos += (size_t)n;
	return 0;
}

/* The signed bytes: @data without its top-level fields 30 and 31, into a new
 * buffer *@out (*@out_len bytes) for free(). Returns 0, -EBADMSG or -ENOMEM. */
static int signed_part(const uint8_t *data, size_t len, uint8_t **out, size_t *out_len)
{
	uint8_t *copy = malloc(len ? len : 1);
	if (copy == NULL)
		return -ENOMEM;
	size_t n = 0;
	for (size_t pos = 0; pos < len;) {
		size_t start = pos;
		uint64_t number;
		if (skip_field(data, len, &pos, &number) < 0) {
			free(copy);
			return -EBADMSG;
		}
		if (number != FIELD_SIGNATURE && number != FIELD_SIGNER) {
			memcpy(copy + n, data + start, pos - start);
			n += pos - start;
		}
	}
	*out = copy;
	*out_len = n;
	return 0;
}

int raksha_envelope_sign(const struct raksha_signing_key *key, uint8_t **buf, size_t *len)
{
	uint8_t *body;
	size_t body_len;
	int r = signed_part(*buf, *len, &body, &body_len);
	if (r < 0)
		return r;
	free(body);
	if (body_len != *len)
		return -EEXIST;
	size_t id_len = strlen(key->id);  /* at most 64: one length byte */
	size_t grown = *len + 3 + RAKSHA_SIGNATURE_LEN + 3 + id_len;
	uint8_t *b = realloc(*buf, grown);
	if (b == NULL)
		return -ENOMEM;
	uint8_t *p = b + *len;
	/* field 30, length-delimited */
	*p++ = 0xf2;
	*p++ = 0x01;
	*p++ = RAKSHA_SIGNATURE_LEN;
	crypto_sign_detached(p, NULL, b, *len, key->sk);
	p += RAKSHA_SIGNATURE_LEN;
	/* field 31 */
	*p++ = 0xfa;
	*p++ = 0x01;
	*p++ = (uint8_t)id_len;
	memcpy(p, key->id, id_len);
	*buf = b;
	*len = grown;
	return 0;
}

static bool same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* The signer is the unit the envelope says it comes from. */
static int check_signer(const struct trusted_unit *u, const raksha_envelope *env,
			struct raksha_problem *problem)
{
	const Raksha__V1__Origin *o = env->origin;
	if (o == NULL || !same(o->sender_id, u->id))
		return problem_set(problem, -EACCES, RAKSHA_CAUSE_WRONG_SIGNER,
				   "signer: '%s' signed an envelope whose origin.sender_id is '%s'",
				   u->id, o && o->sender_id ? o->sender_id : "");
	if (!same(o->state, u->state) || !same(o->region, u->region) || !same(o->agency, u->agency))
		return problem_set(problem, -EACCES, RAKSHA_CAUSE_WRONG_SIGNER,
				   "signer: '%s' is %s/%s/%s in the roster, but the origin is %s/%s/%s",
				   u->id, u->state, u->region, u->agency, o->state, o->region, o->agency);
	return 0;
}

int raksha_envelope_verify(const struct raksha_trust_store *ts, const void *data, size_t len,
			   const raksha_envelope *env, bool require, struct raksha_problem *problem)
{
	if (env->signature.len == 0)
		return require ? problem_set(problem, -EPERM, RAKSHA_CAUSE_UNSIGNED,
					     "signature: missing, and signatures are required")
			       : 0;
	const struct trusted_unit *u = env->signer ? trust_store_find(ts, env->signer) : NULL;
	if (u == NULL)
		return problem_set(problem, -ENOKEY, RAKSHA_CAUSE_UNKNOWN_SIGNER,
				   "signer: '%s' has no key in the trust store",
				   env->signer ? env->signer : "");
	uint8_t *body;
	size_t body_len;
	int r = signed_part(data, len, &body, &body_len);
	if (r < 0)
		return problem_set(problem, r, r == -ENOMEM ? RAKSHA_CAUSE_NO_MEMORY : RAKSHA_CAUSE_UNDECODABLE,
				   "signature: cannot read the envelope's fields");
	if (env->signature.len != RAKSHA_SIGNATURE_LEN ||
	    crypto_sign_verify_detached(env->signature.data, body, body_len, u->pk) != 0)
		r = problem_set(problem, -EKEYREJECTED, RAKSHA_CAUSE_BAD_SIGNATURE,
				"signature: does not match '%s''s key: forged, or altered after signing",
				u->id);
	free(body);
	return r < 0 ? r : check_signer(u, env, problem);
}
