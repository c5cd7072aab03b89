/* Signed envelopes: Ed25519 (libsodium) keys per unit, signing by the
 * publisher, and verification against a trust store made from the roster.
 *
 * What is signed: the envelope's exact wire bytes with its `signature` (30)
 * and `signer` (31) fields left out, in the order they arrived. The signer
 * appends both fields after the body (where an encoder puts them anyway), so
 * a signed envelope is the unsigned one plus a tail, and a verifier never
 * re-encodes anything: any protobuf tool can check a signature by deleting
 * those two fields from the bytes. docs/security.md has the format and the
 * threat model. */
#ifndef RAKSHA_SIGN_H
#define RAKSHA_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <raksha/envelope.h>
#include <raksha/problem.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RAKSHA_PUBLIC_KEY_LEN 32
#define RAKSHA_SIGNATURE_LEN 64
/* A public key as text: base64 (standard alphabet, padded) of its 32 bytes. */
#define RAKSHA_PUBLIC_KEY_TEXT_LEN 44

/* A unit's signing key: its roster id and its Ed25519 secret key. */
struct raksha_signing_key;

/* Makes a new key pair for the unit @id and writes it to @path, mode 0600,
 * refusing to replace an existing file (a unit's key is its identity; losing
 * it silently would be worse than an error). Writes @id's public key as text
 * into @public_text. Returns 0, or:
 *   -EINVAL  @id is not a valid id ([a-z0-9-]{1,64})
 *   -EEXIST  @path exists
 *   -EIO     no randomness
 *   or the errno of creating, writing or syncing @path */
int raksha_signing_key_generate(const char *id, const char *path,
				char public_text[RAKSHA_PUBLIC_KEY_TEXT_LEN + 1]);

/* Reads a key file written by raksha_signing_key_generate(). Returns 0 with
 * *@out for raksha_signing_key_free(), or a negative errno with @problem
 * (may be NULL) naming the line:
 *   -EPERM   the file is readable or writable by group or others (chmod 600)
 *   -EINVAL  not a key file: a line is missing or malformed
 *   -ENOMEM  out of memory
 *   or the errno of opening or reading @path */
int raksha_signing_key_load(const char *path, struct raksha_signing_key **out,
			    struct raksha_problem *problem);

/* Wipes and frees @key. NULL is a no-op. */
void raksha_signing_key_free(struct raksha_signing_key *key);

/* The roster id the key belongs to. Points into @key. */
const char *raksha_signing_key_id(const struct raksha_signing_key *key);

/* Writes @key's public key as text into @out. */
void raksha_signing_key_public(const struct raksha_signing_key *key,
			       char out[RAKSHA_PUBLIC_KEY_TEXT_LEN + 1]);

/* Signs the unsigned encoded envelope in *@buf (*@len bytes, from malloc(),
 * e.g. from raksha_envelope_encode()): appends the signature and the key's
 * id as signer, growing *@buf. Ed25519 is deterministic, so signing the same
 * bytes again gives the same bytes. Returns 0, or:
 *   -EEXIST  the envelope is signed already
 *   -EBADMSG *@buf is not protobuf wire format
 *   -ENOMEM  out of memory (*@buf is unchanged) */
int raksha_envelope_sign(const struct raksha_signing_key *key, uint8_t **buf, size_t *len);

/* The public keys of the roster's units, with each unit's state, region and
 * agency: whom an agent believes. */
struct raksha_trust_store;

/* Reads a roster CSV (docs/security.md): `id,state,region,agency,role` and
 * an optional sixth column, the unit's public key as text; '#' comments and
 * a header line are skipped, as are units without a key. The same file
 * serves raksha-roster and the agents. Returns 0 with *@out, or a negative
 * errno with @problem naming the first bad line ("units.csv:7: ..."):
 *   -EINVAL  a line is malformed, or an id is listed twice
 *   -ENOMEM  out of memory
 *   or the errno of opening or reading @path */
int raksha_trust_store_load(const char *path, struct raksha_trust_store **out,
			    struct raksha_problem *problem);

/* Checks that @role is a roster role (the fifth column): "unit", "agent",
 * "control", "supervisor", "archive" or "admin". Returns 0, or -EINVAL with
 * @problem (if not NULL; cause RAKSHA_CAUSE_INVALID) naming the role and the
 * roles there are. */
int raksha_roster_role_check(const char *role, struct raksha_problem *problem);

/* The number of keys in @ts. */
size_t raksha_trust_store_count(const struct raksha_trust_store *ts);

/* Whether the roster @ts was read from lists the unit @id, of @state,
 * @region and @agency, with role `supervisor` (with a key or without): a
 * unit that may change any case (docs/agent.md). Without a signature this
 * is only what an envelope claims; a verified one proves it. NULL @ts
 * lists no one. Returns true or false. */
bool raksha_trust_store_supervisor(const struct raksha_trust_store *ts, const char *id, const char *state,
				   const char *region, const char *agency);

/* Drops the caller's reference to @ts (a client checking against it holds
 * its own, raksha_client_verify_signatures()); the store is freed with the
 * last one. NULL is a no-op. */
void raksha_trust_store_free(struct raksha_trust_store *ts);

/* Parses @text (a public key as text). Returns 0, or -EINVAL. */
int raksha_public_key_parse(const char *text, uint8_t key[RAKSHA_PUBLIC_KEY_LEN]);

/* Checks the signature of @env, decoded from the @len bytes at @data, against
 * @ts: the signer must be in @ts, the signature must hold over the bytes, and
 * the signer must be the envelope's own unit: its sender_id, and its state,
 * region and agency equal the origin's (so the topic's). An unsigned
 * envelope passes only if @require is false.
 * Returns 0, or a negative errno with @problem saying why:
 *   -EPERM         unsigned, and @require is true   (RAKSHA_CAUSE_UNSIGNED)
 *   -ENOKEY        the signer is not in @ts          (RAKSHA_CAUSE_UNKNOWN_SIGNER)
 *   -EKEYREJECTED  the signature does not hold: forged, or altered
 *                  after signing                      (RAKSHA_CAUSE_BAD_SIGNATURE)
 *   -EACCES        signed by another unit than the
 *                  one the envelope names             (RAKSHA_CAUSE_WRONG_SIGNER) */
int raksha_envelope_verify(const struct raksha_trust_store *ts, const void *data, size_t len,
			   const raksha_envelope *env, bool require,
			   struct raksha_problem *problem);

#ifdef __cplusplus
}
#endif

#endif
