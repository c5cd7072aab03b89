/* Signatures (lib/sign.c, sign_key.c, trust_store.c): key files, signing
 * that only appends, verification with each cause, and the trust store's
 * reading of the roster with each bad line named. */
#define _GNU_SOURCE /* mkdtemp */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <raksha/raksha.h>

#include "tests/lib/sample.h"
#include "tests/lib/tap.h"

static const struct raksha_check_options opts = {.now_ms = SAMPLE_NOW_MS};
static char dir[64];

static const char *path_of(const char *name)
{
	static char p[256];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static void write_file(const char *name, const char *text, mode_t mode)
{
	FILE *f = fopen(path_of(name), "w");
	fputs(text, f);
	fclose(f);
	chmod(path_of(name), mode);
}

static struct raksha_signing_key *make_key(const char *id, char pk[RAKSHA_PUBLIC_KEY_TEXT_LEN + 1])
{
	char name[80];
	snprintf(name, sizeof(name), "%s.key", id);
	struct raksha_signing_key *key = NULL;
	int r = raksha_signing_key_generate(id, path_of(name), pk);
	if (r == 0)
		r = raksha_signing_key_load(path_of(name), &key, NULL);
	return r == 0 ? key : NULL;
}

static void test_key_files(void)
{
	char pk[RAKSHA_PUBLIC_KEY_TEXT_LEN + 1], pk2[RAKSHA_PUBLIC_KEY_TEXT_LEN + 1];
	struct raksha_signing_key *key = make_key("mp-bhopal-grp-1", pk);
	if (!ok(key != NULL, "generate and load a key"))
		return;
	is_str(raksha_signing_key_id(key), "mp-bhopal-grp-1", "the key knows its unit");
	raksha_signing_key_public(key, pk2);
	is_str(pk2, pk, "the loaded key's public half is the one generate printed");
	struct stat st;
	stat(path_of("mp-bhopal-grp-1.key"), &st);
	is_int(st.st_mode & 0777, 0600, "the key file is mode 0600");
	is_int(raksha_signing_key_generate("mp-bhopal-grp-1", path_of("mp-bhopal-grp-1.key"), pk2), -EEXIST,
	       "generate never replaces a key file");
	is_int(raksha_signing_key_generate("Bad", path_of("bad.key"), pk2), -EINVAL, "generate: a bad id");
	raksha_signing_key_free(key);

	struct raksha_problem p = {0};
	chmod(path_of("mp-bhopal-grp-1.key"), 0640);
	is_int(raksha_signing_key_load(path_of("mp-bhopal-grp-1.key"), &key, &p), -EPERM,
	       "a key others may read is refused");
	ok(strstr(p.text, "mode 640 lets others read the secret key; chmod 600 it") != NULL, "  %s", p.text);
	write_file("noid.key", "secret = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", 0600);
	is_int(raksha_signing_key_load(path_of("noid.key"), &key, &p), -EINVAL, "a key file without id");
	ok(strstr(p.text, "the id line is missing") != NULL, "  %s", p.text);
	write_file("junk.key", "# comment\nid = mp-x\nsecret = short\n", 0600);
	is_int(raksha_signing_key_load(path_of("junk.key"), &key, &p), -EINVAL, "a malformed secret");
	ok(strstr(p.text, "junk.key:3: 'secret' is not a valid") != NULL, "  names the line: %s", p.text);
	write_file("mixed.key", "id = mp-x\nsecret = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
		   "public = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", 0600);
	is_int(raksha_signing_key_load(path_of("mixed.key"), &key, &p), -EINVAL,
	       "a public line that is not the secret's");
	is_int(raksha_signing_key_load(path_of("absent.key"), &key, &p), -ENOENT, "a missing file: -ENOENT");
}

/* A signed sample of @kind from @key; *@len bytes in a new buffer. */
static uint8_t *signed_sample(const struct raksha_signing_key *key, enum raksha_kind kind,
			      const char *sender, size_t *len, char *topic)
{
	struct sample s;
	raksha_envelope *env = sample_make(&s, kind);
	s.origin.sender_id = (char *)sender;
	uint8_t *buf = NULL;
	if (raksha_envelope_encode(env, s.topic, &opts, &buf, len, NULL) < 0)
		return NULL;
	strcpy(topic, s.topic);
	if (key != NULL && raksha_envelope_sign(key, &buf, len) < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Decodes and verifies; returns the verdict and fills @p. */
static int verdict(const struct raksha_trust_store *ts, const uint8_t *buf, size_t len, const char *topic,
		   bool require, struct raksha_problem *p)
{
	raksha_envelope *env = NULL;
	int r = raksha_envelope_decode(buf, len, topic, &opts, &env, p);
	if (r == 0)
		r = raksha_envelope_verify(ts, buf, len, env, require, p);
	raksha_envelope_free(env);
	return r;
}

static void test_sign_verify(struct raksha_trust_store *ts, struct raksha_signing_key *k1,
			     struct raksha_signing_key *stranger)
{
	char topic[RAKSHA_TOPIC_MAX];
	struct raksha_problem p = {0};
	size_t len, unsigned_len;
	uint8_t *plain = signed_sample(NULL, RAKSHA_KIND_REPORT, "mp-bhopal-grp-7", &unsigned_len, topic);
	for (int k = RAKSHA_KIND_REPORT; k <= RAKSHA_KIND_AGENT; k++) {
		uint8_t *buf = signed_sample(k1, (enum raksha_kind)k, "mp-bhopal-grp-7", &len, topic);
		is_int(verdict(ts, buf, len, topic, true, &p), 0, "a signed %s verifies (%s)",
		       raksha_kind_name((enum raksha_kind)k), p.text);
		free(buf);
	}
	uint8_t *buf = signed_sample(k1, RAKSHA_KIND_REPORT, "mp-bhopal-grp-7", &len, topic);
	ok(len == unsigned_len + 3 + 64 + 3 + strlen("mp-bhopal-grp-7") && memcmp(buf, plain, unsigned_len) == 0,
	   "signing only appends the two fields to the unsigned bytes");
	uint8_t *again = signed_sample(k1, RAKSHA_KIND_REPORT, "mp-bhopal-grp-7", &len, topic);
	ok(memcmp(buf, again, len) == 0, "signing the same bytes again gives the same bytes (retries)");
	is_int(raksha_envelope_sign(k1, &again, &len), -EEXIST, "signing a signed envelope: -EEXIST");

	is_int(verdict(ts, plain, unsigned_len, topic, false, &p), 0, "unsigned passes when not required");
	is_int(verdict(ts, plain, unsigned_len, topic, true, &p), -EPERM, "unsigned is refused when required");
	is_str(raksha_cause_name(p.cause), "unsigned", "  cause unsigned");

	uint8_t *name = memmem(buf, len, "unknown man", 11);
	if (ok(name != NULL, "the sample report holds its companion's description")) {
		name[0] = 'U';
		is_int(verdict(ts, buf, len, topic, true, &p), -EKEYREJECTED, "one byte altered: refused");
		is_str(raksha_cause_name(p.cause), "bad-signature", "  cause bad-signature");
		name[0] = 'u';
	}
	buf[len - 20] ^= 1;  /* inside the signature itself */
	is_int(verdict(ts, buf, len, topic, true, &p), -EKEYREJECTED, "a damaged signature: refused");
	free(buf);

	buf = signed_sample(stranger, RAKSHA_KIND_REPORT, "mp-bhopal-grp-9", &len, topic);
	is_int(verdict(ts, buf, len, topic, true, &p), -ENOKEY, "a signer not in the trust store: refused");
	is_str(raksha_cause_name(p.cause), "unknown-signer", "  cause unknown-signer");
	free(buf);
	buf = signed_sample(k1, RAKSHA_KIND_REPORT, "mp-bhopal-grp-2", &len, topic);
	is_int(verdict(ts, buf, len, topic, true, &p), -EACCES, "signed by one unit, sent as another: refused");
	is_str(raksha_cause_name(p.cause), "wrong-signer", "  cause wrong-signer");
	ok(strstr(p.text, "origin.sender_id is 'mp-bhopal-grp-2'") != NULL, "  %s", p.text);
	free(buf);
	free(again);
	free(plain);
}

static void test_trust_store(void)
{
	char pk[RAKSHA_PUBLIC_KEY_TEXT_LEN + 1], text[1024];
	struct raksha_signing_key *k1 = make_key("mp-bhopal-grp-7", pk);
	if (!ok(k1 != NULL, "the unit's key"))
		return;
	snprintf(text, sizeof(text),
		 "id,state,region,agency,role,public_key\n# comment\n\n"
		 "mp-bhopal-grp-7 , mp , bhopal , grp , agent , %s\n"
		 "mp-bhopal-grp-2,mp,bhopal,grp,unit\n"
		 "mp-state-sp-1,mp,state,control,supervisor\n"
		 "mp-indore-grp-1,mp,indore,grp,agent,%s\n", pk, pk);  /* a shared key would be odd, not wrong */
	write_file("units.csv", text, 0644);
	struct raksha_trust_store *ts = NULL;
	struct raksha_problem p = {0};
	is_int(raksha_trust_store_load(path_of("units.csv"), &ts, &p), 0, "the roster as trust store (%s)", p.text);
	if (ts == NULL)
		return;
	is_int(raksha_trust_store_count(ts), 2, "units without a key are skipped, spaces trimmed");
	ok(raksha_trust_store_supervisor(ts, "mp-state-sp-1", "mp", "state", "control"),
	   "a supervisor without a key is listed as one");
	ok(!raksha_trust_store_supervisor(ts, "mp-state-sp-1", "mp", "bhopal", "grp") &&
	   !raksha_trust_store_supervisor(ts, "mp-bhopal-grp-7", "mp", "bhopal", "grp") &&
	   !raksha_trust_store_supervisor(NULL, "mp-state-sp-1", "mp", "state", "control"),
	   "  under another unit, an agent, or with no roster, nobody is");
	char spk[RAKSHA_PUBLIC_KEY_TEXT_LEN + 1];
	struct raksha_signing_key *stranger = make_key("mp-bhopal-grp-9", spk);
	test_sign_verify(ts, k1, stranger);
	raksha_trust_store_free(ts);
	raksha_signing_key_free(stranger);
	raksha_signing_key_free(k1);

	static const struct {
		const char *text, *want;
	} bad[] = {
		{"a,b\n", "units.csv:1: 2 field(s)"},
		{"a,b,c,d,e,f,g\n", "units.csv:1: more than 6 field(s)"},
		{"# x\nBad,mp,bhopal,grp,unit,AAAA\n", "units.csv:2: id 'Bad' must match"},
		{"x,mp,Bhopal,grp,unit,AAAA\n", "units.csv:1: region 'Bhopal' must match"},
		{"x,mp,bhopal,grp,unit,AAAA\n", "units.csv:1: public key 'AAAA' is not 44 characters"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file("units.csv", bad[i].text, 0644);
		ts = NULL;
		is_int(raksha_trust_store_load(path_of("units.csv"), &ts, &p), -EINVAL, "bad roster %zu refused", i);
		ok(strstr(p.text, bad[i].want) != NULL, "  names it: %s", p.text);
	}
	snprintf(text, sizeof(text), "a,mp,bhopal,grp,unit,%s\na,mp,bhopal,grp,unit,%s\n", pk, pk);
	write_file("units.csv", text, 0644);
	is_int(raksha_trust_store_load(path_of("units.csv"), &ts, &p), -EINVAL, "an id with two keys is refused");
	ok(strstr(p.text, "id 'a' has two keys") != NULL, "  %s", p.text);
}

/* The validator's rules for the two fields, signed or not. */
static void test_field_rules(void)
{
	struct sample s;
	struct raksha_problem p = {0};
	uint8_t sig[64] = {0}, *buf;
	size_t len;
	raksha_envelope *env = sample_make(&s, RAKSHA_KIND_ACK);
	env->signer = "mp-bhopal-grp-1";
	is_int(raksha_envelope_check(env, s.topic, &opts, &p), -EINVAL, "a signer without a signature");
	is_str(p.text, "signature: missing, but signer is set", "  says so");
	env->signer = "";
	env->signature = (ProtobufCBinaryData){64, sig};
	is_int(raksha_envelope_check(env, s.topic, &opts, &p), -EINVAL, "a signature without a signer");
	is_str(p.text, "signer: missing, but the envelope has a signature", "  says so");
	env->signer = "Not An Id";
	is_int(raksha_envelope_encode(env, s.topic, &opts, &buf, &len, &p), -EINVAL, "a signer that is no id");
	is_str(p.text, "signer: must match [a-z0-9-]{1,64}", "  says so");
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/raksha-test-sign.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	test_key_files();
	test_trust_store();
	test_field_rules();
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return tap_done();
}
