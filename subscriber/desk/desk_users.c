#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/file_replace.h"
#include "common/text.h"
#include "desk/desk_users.h"

static const char HEADER[] = "# raksha-desk accounts (raksha-desk user add): "
			     "name, role, argon2id hash, full name, badge; tab-separated\n";

bool desk_user_name_valid(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > DESK_NAME_MAX)
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

static bool role_valid(const char *role)
{
	return strcmp(role, "officer") == 0 || strcmp(role, "supervisor") == 0;
}

/* A free-text field: UTF-8 without a control, tab or bidi character
 * (common/text.h), at most @max bytes. */
static bool text_valid(const char *s, size_t max)
{
	size_t n = strlen(s);
	char out[4 * DESK_FULL_NAME_MAX + 1];
	return n <= max && text_escape(s, out, sizeof(out)) == n;
}

static int bad(char *err, size_t errlen, int r, const char *what, const char *why)
{
	snprintf(err, errlen, "%s: %s", what, why);
	return r;
}

/* Splits @line (no line end) into its five fields, in place. */
static bool split(char *line, char *f[5])
{
	f[0] = line;
	for (int i = 1; i < 5; i++) {
		char *tab = strchr(f[i - 1], '\t');
		if (tab == NULL)
			return false;
		*tab = '\0';
		f[i] = tab + 1;
	}
	return strchr(f[4], '\t') == NULL;
}

static int parse_line(char *line, struct desk_user *user)
{
	char *f[5];
	if (!split(line, f))
		return -EINVAL;
	if (!desk_user_name_valid(f[0]) || !role_valid(f[1]) || strncmp(f[2], "$argon2id$", 10) != 0 ||
	    strlen(f[2]) >= sizeof(user->hash) || !text_valid(f[3], DESK_FULL_NAME_MAX) ||
	    !text_valid(f[4], DESK_BADGE_MAX))
		return -EINVAL;
	memset(user, 0, sizeof(*user));
	snprintf(user->name, sizeof(user->name), "%s", f[0]);
	snprintf(user->role, sizeof(user->role), "%s", f[1]);
	snprintf(user->hash, sizeof(user->hash), "%s", f[2]);
	snprintf(user->full_name, sizeof(user->full_name), "%s", f[3]);
	snprintf(user->badge, sizeof(user->badge), "%s", f[4]);
	return 0;
}

static int append(struct desk_users *u, const struct desk_user *user)
{
	if (u->n >= DESK_USERS_MAX)
		return -ENOSPC;
	struct desk_user *v = realloc(u->v, (u->n + 1) * sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	u->v = v;
	u->v[u->n++] = *user;
	return 0;
}

static int read_lines(FILE *f, const char *path, struct desk_users *u, char *err, size_t errlen)
{
	char line[1024];
	int no = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		no++;
		size_t n = strlen(line);
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		struct desk_user user;
		if (parse_line(line, &user) < 0) {
			snprintf(err, errlen, "%s:%d: not an account line (name, role, argon2id hash, "
				 "full name, badge; tab-separated)", path, no);
			return -EINVAL;
		}
		if (desk_users_find(u, user.name) != NULL) {
			snprintf(err, errlen, "%s:%d: the account is there twice", path, no);
			return -EINVAL;
		}
		int r = append(u, &user);
		if (r < 0) {
			snprintf(err, errlen, "%s:%d: %s", path, no, strerror(-r));
			return r;
		}
	}
	return ferror(f) ? -EIO : 0;
}

int desk_users_load(const char *path, struct desk_users *u, char *err, size_t errlen)
{
	memset(u, 0, sizeof(*u));
	FILE *f = fopen(path, "re");
	if (f == NULL && errno == ENOENT)
		return 0;
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return errno == EACCES ? -EACCES : -EIO;
	}
	int r = read_lines(f, path, u, err, errlen);
	fclose(f);
	if (r == -EIO)
		snprintf(err, errlen, "%s: cannot be read", path);
	if (r < 0)
		desk_users_free(u);
	return r;
}

static int write_all(FILE *f, const void *ctx)
{
	const struct desk_users *u = ctx;
	fputs(HEADER, f);
	for (size_t i = 0; i < u->n; i++) {
		const struct desk_user *x = &u->v[i];
		fprintf(f, "%s\t%s\t%s\t%s\t%s\n", x->name, x->role, x->hash, x->full_name, x->badge);
	}
	return ferror(f) ? -EIO : 0;
}

int desk_users_save(const char *path, const struct desk_users *u, char *err, size_t errlen)
{
	return file_replace(path, write_all, u, err, errlen);
}

void desk_users_free(struct desk_users *u)
{
	free(u->v);
	memset(u, 0, sizeof(*u));
}

struct desk_user *desk_users_find(const struct desk_users *u, const char *name)
{
	for (size_t i = 0; i < u->n; i++)
		if (strcmp(u->v[i].name, name) == 0)
			return &u->v[i];
	return NULL;
}

static int check_fields(const char *name, const char *role, const char *full_name, const char *badge,
			char *err, size_t errlen)
{
	if (!desk_user_name_valid(name))
		return bad(err, errlen, -EINVAL, "NAME", "a name is 1 to 32 of a-z 0-9 . _ -");
	if (!role_valid(role))
		return bad(err, errlen, -EINVAL, "--role", "officer or supervisor");
	if (!text_valid(full_name, DESK_FULL_NAME_MAX))
		return bad(err, errlen, -EINVAL, "--full-name", "at most 64 bytes, no control characters");
	if (!text_valid(badge, DESK_BADGE_MAX))
		return bad(err, errlen, -EINVAL, "--badge", "at most 32 bytes, no control characters");
	return 0;
}

int desk_users_add(struct desk_users *u, const char *name, const char *role, const char *full_name,
		   const char *badge, const char *password, char *err, size_t errlen)
{
	struct desk_user user = {0};
	int r = check_fields(name, role, full_name, badge, err, errlen);
	if (r < 0)
		return r;
	if (desk_users_find(u, name))
		return bad(err, errlen, -EEXIST, name, "there is an account of that name");
	snprintf(user.name, sizeof(user.name), "%s", name);
	snprintf(user.role, sizeof(user.role), "%s", role);
	snprintf(user.full_name, sizeof(user.full_name), "%s", full_name);
	snprintf(user.badge, sizeof(user.badge), "%s", badge);
	r = desk_user_set_password(&user, password, err, errlen);
	if (r < 0)
		return r;
	r = append(u, &user);
	if (r < 0)
		snprintf(err, errlen, "%s", strerror(-r));
	return r;
}

int desk_users_del(struct desk_users *u, const char *name)
{
	struct desk_user *x = desk_users_find(u, name);
	if (x == NULL)
		return -ENOENT;
	size_t i = (size_t)(x - u->v);
	memmove(&u->v[i], &u->v[i + 1], (u->n - i - 1) * sizeof(*x));
	u->n--;
	return 0;
}

int desk_user_set_password(struct desk_user *user, const char *password, char *err, size_t errlen)
{
	size_t n = strlen(password);
	if (n < DESK_PASSWORD_MIN || n > DESK_PASSWORD_MAX)
		return bad(err, errlen, -EINVAL, "password", "8 to 256 bytes");
	if (sodium_init() < 0 ||
	    crypto_pwhash_str(user->hash, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return bad(err, errlen, -ENOMEM, "password", "out of memory hashing it");
	return 0;
}

bool desk_user_password_ok(const struct desk_user *user, const char *password)
{
	if (sodium_init() < 0)
		return false;
	return crypto_pwhash_str_verify(user->hash, password, strlen(password)) == 0;
}
