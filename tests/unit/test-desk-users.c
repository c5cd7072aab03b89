/* raksha-desk's accounts file (subscriber/desk/desk_users.c): written and
 * read back, mode 0600, argon2id hashes that check the right password and
 * refuse a wrong one, names and fields not allowed refused naming the
 * field, a bad line named by its number, the old file whole until the
 * rename; and the guard against guessing (desk_guard.c): five wrong
 * passwords lock an account, a right one while locked is refused, the lock
 * ends; an address is limited after twenty; sessions' tokens (desk_session.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "desk/desk_guard.h"
#include "desk/desk_session.h"
#include "desk/desk_users.h"
#include "tests/lib/tap.h"
#include "tests/lib/tmpdir.h"

static char dir[64], path[128], err[512];

static void add_and_read(void)
{
	struct desk_users u = {0};
	is_int(desk_users_add(&u, "asha", "supervisor", "Asha Verma", "GRP 1042", "pass-word-1", err, sizeof(err)),
	       0, "an account added");
	is_int(desk_users_add(&u, "ravi", "officer", "रवि कुमार", "", "pass-word-2", err, sizeof(err)), 0,
	       "  one with a Devanagari full name");
	is_int(desk_users_save(path, &u, err, sizeof(err)), 0, "saved");
	desk_users_free(&u);
	struct stat st;
	is_int(stat(path, &st) == 0 ? (int)(st.st_mode & 0777) : -1, 0600, "the file is 0600");
	is_int(desk_users_load(path, &u, err, sizeof(err)), 0, "read back");
	is_int(u.n, 2, "  two accounts");
	const struct desk_user *a = desk_users_find(&u, "asha");
	ok(a && strcmp(a->role, "supervisor") == 0 && strcmp(a->badge, "GRP 1042") == 0 &&
	   strcmp(a->full_name, "Asha Verma") == 0, "  asha's role, badge and full name");
	ok(a && strncmp(a->hash, "$argon2id$", 10) == 0, "  her password as an argon2id hash");
	ok(a && desk_user_password_ok(a, "pass-word-1"), "  which the right password passes");
	ok(a && !desk_user_password_ok(a, "pass-word-2"), "  and another refuses");
	is_str(desk_users_find(&u, "ravi") ? desk_users_find(&u, "ravi")->full_name : NULL, "रवि कुमार",
	       "  ravi's name as typed");
	is_int(desk_users_del(&u, "asha"), 0, "deleted");
	is_int(desk_users_del(&u, "asha"), -ENOENT, "  twice: -ENOENT");
	desk_users_free(&u);
}

static void refusals(void)
{
	struct desk_users u = {0};
	const char *bad_names[] = {"", "Asha", "a b", "a\tb", "../x", "abcdefghijklmnopqrstuvwxyz0123456"};
	bool all = true;
	for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++)
		all = all && desk_users_add(&u, bad_names[i], "officer", "", "", "pass-word-1", err, sizeof(err)) == -EINVAL;
	ok(all && strstr(err, "NAME") != NULL, "names with capitals, spaces, tabs, slashes or 33 bytes: refused, naming NAME");
	is_int(desk_users_add(&u, "x", "admin", "", "", "pass-word-1", err, sizeof(err)), -EINVAL, "an unknown role");
	ok(strstr(err, "--role") != NULL, "  naming --role");
	is_int(desk_users_add(&u, "x", "officer", "a\tb", "", "pass-word-1", err, sizeof(err)), -EINVAL,
	       "a tab in the full name (it would split the line)");
	is_int(desk_users_add(&u, "x", "officer", "", "1\n2", "pass-word-1", err, sizeof(err)), -EINVAL,
	       "a line break in the badge");
	is_int(desk_users_add(&u, "x", "officer", "", "", "short", err, sizeof(err)), -EINVAL, "a short password");
	ok(strstr(err, "password") != NULL, "  naming the password");
	is_int(desk_users_add(&u, "x", "officer", "", "", "pass-word-1", err, sizeof(err)), 0, "x itself");
	is_int(desk_users_add(&u, "x", "officer", "", "", "pass-word-1", err, sizeof(err)), -EEXIST, "  twice");
	desk_users_free(&u);
}

static void write_file(const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void bad_files(void)
{
	struct desk_users u = {0};
	unlink(path);
	is_int(desk_users_load(path, &u, err, sizeof(err)), 0, "no file: no accounts");
	is_int(u.n, 0, "  none");
	write_file("# comment\n\nasha\tofficer\t$argon2id$v=19$x\t\t\nravi\tofficer\tplain-password\t\t\n");
	is_int(desk_users_load(path, &u, err, sizeof(err)), -EINVAL, "a line with a password that is no hash");
	ok(strstr(err, ":4: not an account line") != NULL, "  named by its number: %s", err);
	write_file("asha\tofficer\t$argon2id$v=19$x\t\t\nasha\tofficer\t$argon2id$v=19$y\t\t\n");
	is_int(desk_users_load(path, &u, err, sizeof(err)), -EINVAL, "an account twice");
	ok(strstr(err, ":2: the account is there twice") != NULL, "  named: %s", err);
	write_file("asha\tofficer\t$argon2id$v=19$x\t\n");
	is_int(desk_users_load(path, &u, err, sizeof(err)), -EINVAL, "four fields");
	char tmp[160];
	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid());
	ok(access(tmp, F_OK) != 0, "no temporary file left by the saves");
}

static void guard(void)
{
	static struct desk_guard g;
	int64_t t = 1000000;
	int locked = 0;
	for (int i = 0; i < DESK_LOCK_FAILURES; i++) {
		ok(desk_guard_check(&g, "asha", "10.0.0.1", t) == GUARD_OK, "wrong password %d may be tried", i + 1);
		locked += desk_guard_failed(&g, "asha", "10.0.0.1", t);
	}
	is_int(locked, 1, "the fifth locks the account, once");
	is_int(desk_guard_check(&g, "asha", "10.0.0.2", t + 1000), GUARD_ACCOUNT_LOCKED,
	       "  locked from any address, right password or not");
	is_int(desk_guard_check(&g, "ravi", "10.0.0.1", t + 1000), GUARD_OK, "  another account from there is not");
	is_int(desk_guard_check(&g, "asha", "10.0.0.1", t + DESK_LOCK_MS), GUARD_OK, "the lock ends after 15 minutes");
	desk_guard_failed(&g, "ravi", "10.0.0.3", t);
	desk_guard_succeeded(&g, "ravi");
	for (int i = 0; i < DESK_LOCK_FAILURES - 1; i++)
		desk_guard_failed(&g, "ravi", "10.0.0.3", t);
	is_int(desk_guard_check(&g, "ravi", "10.0.0.3", t), GUARD_OK, "a right password starts the count again");
	for (int i = 0; i < DESK_ADDR_FAILURES; i++)
		desk_guard_failed(&g, NULL, "10.0.0.9", t);
	is_int(desk_guard_check(&g, "anyone", "10.0.0.9", t + 1), GUARD_ADDRESS_LIMITED,
	       "twenty wrong from one address: it is held back");
	is_int(desk_guard_check(&g, "anyone", "10.0.0.9", t + DESK_ADDR_WINDOW_MS), GUARD_OK, "  until its window ends");
}

static void sessions(void)
{
	static struct desk_sessions s;
	char id[DESK_TOKEN_HEX + 1], hash[DESK_TOKEN_HEX + 1];
	struct desk_session *a = desk_session_new(&s, "asha", 1000, id);
	is_int(strlen(id), 64, "a session id of 256 bits in hex");
	ok(strcmp(id, a->csrf) != 0, "  its CSRF token another");
	desk_session_hash(id, hash);
	ok(strcmp(a->id_hash, hash) == 0 && strcmp(a->id_hash, id) != 0, "  kept as its SHA-256 only");
	ok(desk_session_find(&s, id, 2000) == a, "found by its id");
	ok(desk_session_csrf_ok(a, a->csrf) && !desk_session_csrf_ok(a, NULL) && !desk_session_csrf_ok(a, "00"),
	   "  its token checks; none or a short one does not");
	ok(desk_session_find(&s, id, 2000 + DESK_IDLE_MS + 1) == NULL, "idle too long: gone");
	ok(desk_session_find(&s, id, 2000) == NULL, "  and stays gone");
}

int main(void)
{
	if (tmpdir_make(dir, "desk-users") < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/users", dir);
	add_and_read();
	refusals();
	bad_files();
	guard();
	sessions();
	tmpdir_remove(dir);
	return tap_done();
}
