/* The roster's passwords: a "id:password" file (mode 0600) that keeps each
 * unit's password across runs, new units getting a random one, and the
 * broker's password file hashed from it by mosquitto_passwd -U. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "tools/roster/secrets.h"

extern char **environ;

/* The password of @id in @path's lines, or NULL. */
static char *known(const char *path, const char *id)
{
	FILE *in = fopen(path, "re");
	char line[512], *found = NULL;
	size_t n = strlen(id);
	while (in != NULL && found == NULL && fgets(line, sizeof(line), in) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (strncmp(line, id, n) == 0 && line[n] == ':')
			found = strdup(line + n + 1);
	}
	if (in != NULL)
		fclose(in);
	return found;
}

static char *fresh(void)
{
	unsigned char raw[24];
	const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
	size_t size = sodium_base64_ENCODED_LEN(sizeof(raw), variant);
	char *text = malloc(size);
	randombytes_buf(raw, sizeof(raw));
	if (text != NULL)
		sodium_bin2base64(text, size, raw, sizeof(raw), variant);
	return text;
}

/* Writes "id:password" for every unit to @tmp (0600). Counts new ones. */
static int write_plain(const struct roster *r, const char *secrets, const char *tmp, int *added)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FILE *out = fd < 0 ? NULL : fdopen(fd, "w");
	if (out == NULL)
		return -errno;
	for (size_t i = 0; i < r->n; i++) {
		char *pw = known(secrets, r->units[i].id);
		if (pw == NULL && (pw = fresh()) != NULL)
			(*added)++;
		fprintf(out, "%s:%s\n", r->units[i].id, pw ? pw : "");
		if (pw != NULL)
			sodium_memzero(pw, strlen(pw));
		free(pw);
	}
	int r2 = fflush(out) == 0 && fsync(fileno(out)) == 0 ? 0 : -errno;
	fclose(out);
	return r2;
}

static int hash_in_place(const char *path)
{
	char *argv[] = {"mosquitto_passwd", "-U", (char *)path, NULL};
	pid_t pid;
	int e = posix_spawnp(&pid, "mosquitto_passwd", NULL, NULL, argv, environ);
	if (e != 0)
		return -e;
	int status;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

int secrets_write(const struct roster *r, const char *secrets, const char *passwd, int *added)
{
	char tmp_secrets[4096], tmp_passwd[4096];
	snprintf(tmp_secrets, sizeof(tmp_secrets), "%s.tmp", secrets);
	snprintf(tmp_passwd, sizeof(tmp_passwd), "%s.tmp", passwd);
	*added = 0;
	int e = write_plain(r, secrets, tmp_secrets, added);
	if (e < 0)
		goto error;
	/* The password file: the same lines, hashed by mosquitto_passwd. */
	e = write_plain(r, tmp_secrets, tmp_passwd, &(int){0});
	if (e < 0)
		goto error;
	e = hash_in_place(tmp_passwd);
	if (e < 0)
		goto error;
	if (rename(tmp_secrets, secrets) < 0 || rename(tmp_passwd, passwd) < 0) {
		e = -errno;
		goto error;
	}
	return 0;
error:
	unlink(tmp_secrets);
	unlink(tmp_passwd);
	return e;
}
