#define _GNU_SOURCE /* getopt_long */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <termios.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/text.h"
#include "desk/desk_session_store.h"
#include "desk/desk_user_cmd.h"
#include "desk/desk_users.h"

struct add_options {
	const char *full_name, *badge, *role;
};

static void say(const char *what, const char *text)
{
	char safe[4 * 512 + 1];
	text_escape(text, safe, sizeof(safe));
	fprintf(stderr, "raksha-desk: %s%s\n", what, safe);
}

/* One line of @f, its end cut, into @out. */
static bool read_line(FILE *f, char *out, size_t size)
{
	if (fgets(out, (int)size, f) == NULL)
		return false;
	out[strcspn(out, "\r\n")] = '\0';
	return true;
}

static bool ask(const char *prompt, char *out, size_t size)
{
	struct termios old, quiet;
	fprintf(stderr, "%s", prompt);
	if (tcgetattr(STDIN_FILENO, &old) < 0)
		return false;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	bool ok = read_line(stdin, out, size);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fprintf(stderr, "\n");
	return ok;
}

static bool get_password(char *out, size_t size)
{
	char again[DESK_PASSWORD_MAX + 2];
	if (!isatty(STDIN_FILENO))
		return read_line(stdin, out, size);
	if (!ask("Password: ", out, size) || !ask("Again: ", again, sizeof(again)))
		return false;
	bool same = strcmp(out, again) == 0;
	sodium_memzero(again, sizeof(again));
	if (!same)
		fprintf(stderr, "raksha-desk: the two passwords differ\n");
	return same;
}

static int save(const char *path, struct desk_users *u)
{
	char err[512];
	int r = desk_users_save(path, u, err, sizeof(err));
	if (r < 0)
		say("cannot write the accounts: ", err);
	desk_users_free(u);
	return r < 0 ? EX_CANTCREAT : EX_OK;
}

static int refuse(struct desk_users *u, const char *what, const char *text)
{
	say(what, text);
	desk_users_free(u);
	return EX_DATAERR;
}

static int add(const char *path, struct desk_users *u, const char *name, const struct add_options *o)
{
	char password[DESK_PASSWORD_MAX + 2], err[512];
	if (!get_password(password, sizeof(password)))
		return refuse(u, "", "no password given");
	int r = desk_users_add(u, name, o->role, o->full_name, o->badge, password, err, sizeof(err));
	sodium_memzero(password, sizeof(password));
	if (r < 0) {
		say("", err);
		desk_users_free(u);
		return r == -ENOMEM ? EX_OSERR : EX_DATAERR;
	}
	return save(path, u);
}

/* The sessions file's lines of account @name removed (the desk may be
 * down: it would otherwise take them back at its start); the running desk
 * ends its own when it sees the accounts file change. */
static int end_sessions(const char *sessions, const char *name, int saved)
{
	struct desk_sessions *s = calloc(1, sizeof(*s));
	int64_t now = clock_wall_ms();
	if (saved != EX_OK || sessions == NULL)
		goto done;
	if (s == NULL) {
		saved = EX_OSERR;
		goto done;
	}
	if (desk_sessions_load(s, sessions, now) < 0) {
		saved = EX_CANTCREAT;
		goto done;
	}
	desk_session_end_user(s, name);
	if (s->dirty && desk_sessions_save(s, now) < 0)
		saved = EX_CANTCREAT;
done:
	if (s != NULL)
		sodium_memzero(s, sizeof(*s));
	free(s);
	return saved;
}

static int passwd(const char *path, struct desk_users *u, const char *name)
{
	char password[DESK_PASSWORD_MAX + 2], err[512];
	struct desk_user *x = desk_users_find(u, name);
	if (x == NULL)
		return refuse(u, "no such account: ", name);
	if (!get_password(password, sizeof(password)))
		return refuse(u, "", "no password given");
	int r = desk_user_set_password(x, password, err, sizeof(err));
	sodium_memzero(password, sizeof(password));
	if (r < 0)
		return refuse(u, "", err);
	return save(path, u);
}

static int del(const char *path, struct desk_users *u, const char *name)
{
	if (desk_users_del(u, name) < 0)
		return refuse(u, "no such account: ", name);
	return save(path, u);
}

static int list(struct desk_users *u)
{
	for (size_t i = 0; i < u->n; i++) {
		char full[4 * DESK_FULL_NAME_MAX + 1], badge[4 * DESK_BADGE_MAX + 1];
		text_escape(u->v[i].full_name, full, sizeof(full));
		text_escape(u->v[i].badge, badge, sizeof(badge));
		printf("%s\t%s\t%s\t%s\n", u->v[i].name, u->v[i].role, full, badge);
	}
	desk_users_free(u);
	return EX_OK;
}

static int add_options(int argc, char **argv, struct add_options *o)
{
	static const struct option longopts[] = {
		{"full-name", required_argument, NULL, 'f'}, {"badge", required_argument, NULL, 'b'},
		{"role", required_argument, NULL, 'r'}, {0},
	};
	int ch;
	optind = 0;  /* glibc's getopt starts afresh; NAME may come before the options */
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == 'f')
			o->full_name = optarg;
		else if (ch == 'b')
			o->badge = optarg;
		else if (ch == 'r')
			o->role = optarg;
		else
			return -1;
	}
	return optind;
}

/* Two admins' commands at once must not lose one's change: each holds
 * PATH.lock (fcntl, released when the process ends) from reading the file
 * to renaming the new one over it. Returns the descriptor, or -1. */
static int lock_accounts(const char *path)
{
	char lock[4096];
	snprintf(lock, sizeof(lock), "%s.lock", path);
	int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	struct flock whole = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	if (fd >= 0 && fcntl(fd, F_SETLKW, &whole) == 0)
		return fd;
	say("cannot lock the accounts: ", strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

int desk_user_cmd(const char *path, const char *sessions, int argc, char **argv)
{
	struct add_options o = {"", "", "officer"};
	struct desk_users u;
	char err[512];
	if (argc < 1)
		return EX_USAGE;
	const char *verb = argv[0];
	int first = strcmp(verb, "add") == 0 ? add_options(argc, argv, &o) : 1;
	bool named = first >= 0 && argc - first == 1;
	if (!(strcmp(verb, "list") == 0 && argc == 1) && !(named && strcmp(verb, "list") != 0))
		return EX_USAGE;
	if (strcmp(verb, "list") != 0 && lock_accounts(path) < 0)
		return EX_CANTCREAT;
	if (desk_users_load(path, &u, err, sizeof(err)) < 0) {
		say("", err);
		return EX_DATAERR;
	}
	if (strcmp(verb, "list") == 0)
		return list(&u);
	if (strcmp(verb, "add") == 0)
		return add(path, &u, argv[first], &o);
	if (strcmp(verb, "passwd") == 0)
		return end_sessions(sessions, argv[first], passwd(path, &u, argv[first]));
	if (strcmp(verb, "del") == 0)
		return end_sessions(sessions, argv[first], del(path, &u, argv[first]));
	desk_users_free(&u);
	return EX_USAGE;
}
