/* A unit's signing key on disk: a small text file, mode 0600.
 *
 *   # Raksha signing key (Ed25519) ...
 *   id = mp-bhopal-grp-post1
 *   secret = <base64 of the 32-byte seed>
 *   public = <base64 of the public key>
 *
 * The seed alone makes the key; the public line lets an administrator copy
 * it into the roster without tools, and is checked against the seed. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include <raksha/sign.h>
#include <raksha/topic.h>

#include "lib/problem.h"
#include "lib/sign_internal.h"

#define SEED_TEXT_LEN 44

void public_key_text(const uint8_t pk[RAKSHA_PUBLIC_KEY_LEN], char out[RAKSHA_PUBLIC_KEY_TEXT_LEN + 1])
{
	sodium_bin2base64(out, RAKSHA_PUBLIC_KEY_TEXT_LEN + 1, pk, RAKSHA_PUBLIC_KEY_LEN,
			  sodium_base64_VARIANT_ORIGINAL);
}

int raksha_public_key_parse(const char *text, uint8_t key[RAKSHA_PUBLIC_KEY_LEN])
{
	size_t n = 0;
	const char *end = NULL;
	if (strlen(text) != RAKSHA_PUBLIC_KEY_TEXT_LEN ||
	    sodium_base642bin(key, RAKSHA_PUBLIC_KEY_LEN, text, RAKSHA_PUBLIC_KEY_TEXT_LEN, NULL, &n,
			      &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    n != RAKSHA_PUBLIC_KEY_LEN || *end != '\0')
		return -EINVAL;
	return 0;
}

/* Writes @text to @fd and syncs it. */
static int write_synced(int fd, const char *text)
{
	size_t len = strlen(text);
	errno = 0;  /* a short write sets none */
	if (write(fd, text, len) != (ssize_t)len)
		return errno ? -errno : -EIO;
	if (fsync(fd) < 0)
		return -errno;
	return 0;
}

/* Writes the whole file to a temporary name, syncs it, then links it into
 * place: link() refuses an existing @path atomically, and a crash leaves no
 * half-written key under the real name. */
static int write_new_file(const char *path, const char *text)
{
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 16);
	if (tmp == NULL)
		return -ENOMEM;
	snprintf(tmp, plen + 16, "%s.new%06d", path, (int)(getpid() % 1000000));
	int r;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		r = -errno;
		goto error_tmp;
	}
	r = write_synced(fd, text);
	close(fd);
	if (r < 0)
		goto error_file;
	if (link(tmp, path) < 0) {
		r = -errno;
		goto error_file;
	}
	unlink(tmp);  /* the key stays under @path */
	free(tmp);
	return 0;

error_file:
	unlink(tmp);
error_tmp:
	free(tmp);
	return r;
}

int raksha_signing_key_generate(const char *id, const char *path,
				char public_text[RAKSHA_PUBLIC_KEY_TEXT_LEN + 1])
{
	if (!raksha_agent_id_valid(id))
		return -EINVAL;
	if (sodium_init() < 0)
		return -EIO;
	uint8_t seed[crypto_sign_SEEDBYTES], pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	randombytes_buf(seed, sizeof(seed));
	crypto_sign_seed_keypair(pk, sk, seed);
	char seed_text[SEED_TEXT_LEN + 1], text[512];
	sodium_bin2base64(seed_text, sizeof(seed_text), seed, sizeof(seed), sodium_base64_VARIANT_ORIGINAL);
	public_key_text(pk, public_text);
	snprintf(text, sizeof(text),
		 "# Raksha signing key (Ed25519) of %s. Secret: keep it mode 0600 on this\n"
		 "# machine only. The public line goes into the roster's sixth column.\n"
		 "id = %s\nsecret = %s\npublic = %s\n", id, id, seed_text, public_text);
	int r = write_new_file(path, text);
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(seed_text, sizeof(seed_text));
	sodium_memzero(text, sizeof(text));
	return r;
}

/* Takes one "name = value" line into @key; @line numbers the error. */
static int key_line(struct raksha_signing_key *key, char *s, int line, const char *path,
		    int *seen, struct raksha_problem *problem)
{
	char *eq = strchr(s, '=');
	if (eq == NULL)
		return problem_set(problem, -EINVAL, RAKSHA_CAUSE_INVALID, "%s:%d: not 'name = value'", path, line);
	char *name = s, *value = eq + 1, *e = eq;
	while (e > name && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*e = '\0';
	value += strspn(value, " \t");
	value[strcspn(value, " \t\r\n")] = '\0';
	if (strcmp(name, "id") == 0 && raksha_agent_id_valid(value)) {
		snprintf(key->id, sizeof(key->id), "%s", value);
		*seen |= 1;
	} else if (strcmp(name, "secret") == 0 && raksha_public_key_parse(value, key->seed) == 0) {
		*seen |= 2;  /* the seed has a public key's length and text form */
	} else if (strcmp(name, "public") == 0 && raksha_public_key_parse(value, key->pk) == 0) {
		*seen |= 4;
	} else {
		return problem_set(problem, -EINVAL, RAKSHA_CAUSE_INVALID,
				   "%s:%d: '%s' is not a valid id, secret or public line", path, line, name);
	}
	return 0;
}

static int read_key(FILE *in, const char *path, struct raksha_signing_key *key,
		    struct raksha_problem *problem)
{
	char buf[256];
	int line = 0, seen = 0, r = 0;
	while (r == 0 && fgets(buf, sizeof(buf), in) != NULL) {
		line++;
		char *s = buf + strspn(buf, " \t");
		if (*s != '#' && *s != '\n' && *s != '\0')
			r = key_line(key, s, line, path, &seen, problem);
	}
	sodium_memzero(buf, sizeof(buf));
	if (r < 0)
		return r;
	if (ferror(in))
		return problem_set(problem, -EIO, RAKSHA_CAUSE_INVALID, "%s: cannot read", path);
	if ((seen & 3) != 3)
		return problem_set(problem, -EINVAL, RAKSHA_CAUSE_INVALID, "%s: the %s line is missing",
				   path, seen & 1 ? "secret" : "id");
	uint8_t pk[RAKSHA_PUBLIC_KEY_LEN];
	crypto_sign_seed_keypair(pk, key->sk, key->seed);
	if ((seen & 4) && memcmp(pk, key->pk, sizeof(pk)) != 0)
		return problem_set(problem, -EINVAL, RAKSHA_CAUSE_INVALID,
				   "%s: the public line is not the secret's public key", path);
	memcpy(key->pk, pk, sizeof(pk));
	return 0;
}

int raksha_signing_key_load(const char *path, struct raksha_signing_key **out,
			    struct raksha_problem *problem)
{
	if (sodium_init() < 0)
		return problem_set(problem, -EIO, RAKSHA_CAUSE_INVALID, "libsodium did not start");
	FILE *in = fopen(path, "re");
	if (in == NULL)
		return problem_set(problem, -errno, RAKSHA_CAUSE_INVALID, "%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fileno(in), &st) == 0 && (st.st_mode & 077) != 0) {
		fclose(in);
		return problem_set(problem, -EPERM, RAKSHA_CAUSE_INVALID,
				   "%s: mode %03o lets others read the secret key; chmod 600 it",
				   path, (unsigned)(st.st_mode & 0777));
	}
	struct raksha_signing_key *key = sodium_malloc(sizeof(*key));
	if (key == NULL) {
		fclose(in);
		return problem_set(problem, -ENOMEM, RAKSHA_CAUSE_NO_MEMORY, "out of memory");
	}
	memset(key, 0, sizeof(*key));
	int r = read_key(in, path, key, problem);
	fclose(in);
	if (r < 0) {
		raksha_signing_key_free(key);
		return r;
	}
	*out = key;
	return 0;
}

void raksha_signing_key_free(struct raksha_signing_key *key)
{
	if (key != NULL)
		sodium_free(key);  /* zeroes it first */
}

const char *raksha_signing_key_id(const struct raksha_signing_key *key)
{
	return key->id;
}

void raksha_signing_key_public(const struct raksha_signing_key *key,
			       char out[RAKSHA_PUBLIC_KEY_TEXT_LEN + 1])
{
	public_key_text(key->pk, out);
}
