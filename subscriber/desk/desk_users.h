/* The desk's accounts file ([desk] users): one officer a line, the
 * password as an argon2id string (libsodium's crypto_pwhash_str), written
 * whole to a temporary file, synced and renamed over the old one (mode
 * 0600: a hash is still worth guessing at). Lines are
 *   NAME TAB ROLE TAB HASH TAB FULL NAME TAB BADGE
 * after a comment line saying so. */
#ifndef RAKSHA_DESK_USERS_H
#define RAKSHA_DESK_USERS_H

#include <stdbool.h>
#include <stddef.h>

#include <sodium.h>

#define DESK_NAME_MAX 32        /* bytes of an account's name: [a-z0-9._-] */
#define DESK_FULL_NAME_MAX 64   /* bytes, any script */
#define DESK_BADGE_MAX 32
#define DESK_PASSWORD_MIN 8
#define DESK_PASSWORD_MAX 256
#define DESK_USERS_MAX 1000

struct desk_user {
	char name[DESK_NAME_MAX + 1];
	char role[16];          /* "officer" or "supervisor" */
	char hash[crypto_pwhash_STRBYTES];
	char full_name[DESK_FULL_NAME_MAX + 1];
	char badge[DESK_BADGE_MAX + 1];
};

struct desk_users {
	struct desk_user *v;
	size_t n;
};

/* Reads @path into @u (emptied first). A missing file is no accounts.
 * Returns 0, or with @err (@errlen bytes) saying why ("PATH:LINE: ...")
 * -EINVAL (a bad line), -EACCES, -EIO or -ENOMEM. */
int desk_users_load(const char *path, struct desk_users *u, char *err, size_t errlen);

/* Writes @u to @path atomically and durably (temporary file, fsync,
 * rename, fsync of the folder), mode 0600. Returns 0 or a negative errno
 * (@err says what failed). */
int desk_users_save(const char *path, const struct desk_users *u, char *err, size_t errlen);

void desk_users_free(struct desk_users *u);

/* The account named @name, or NULL. */
struct desk_user *desk_users_find(const struct desk_users *u, const char *name);

/* Adds an account; @full_name and @badge may be "". Returns 0, or with
 * @err set -EINVAL (a field not allowed: names it), -EEXIST, -ENOSPC
 * (DESK_USERS_MAX accounts) or -ENOMEM. */
int desk_users_add(struct desk_users *u, const char *name, const char *role, const char *full_name,
		   const char *badge, const char *password, char *err, size_t errlen);

/* Removes @name. Returns 0 or -ENOENT. */
int desk_users_del(struct desk_users *u, const char *name);

/* Sets @user's password (hashed). Returns 0, or -EINVAL (too short or too
 * long: @err says so) or -ENOMEM. */
int desk_user_set_password(struct desk_user *user, const char *password, char *err, size_t errlen);

/* True if @password is @user's. Takes about 0.1 s by design. */
bool desk_user_password_ok(const struct desk_user *user, const char *password);

/* True if @name may name an account: 1..32 of a-z 0-9 . _ - */
bool desk_user_name_valid(const char *name);

#endif
