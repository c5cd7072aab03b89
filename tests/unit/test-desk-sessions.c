/* raksha-desk's sessions file (subscriber/desk/desk_session_store.c):
 * sessions written and read back work with their cookies; the file is
 * 0600 and holds no cookie value; expired ones are dropped; every hostile
 * line is refused with its number and why while the good ones are read;
 * a file others may write is refused whole; a deleted account's
 * sessions end (desk_session_end_user) and stay ended in the file; a
 * login is written at once, idle times at most once a minute. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "desk/desk_session_store.h"
#include "tests/lib/tap.h"
#include "tests/lib/tmpdir.h"

#define NOW 1800000000000LL

static char dir[64], path[128], logpath[160];
static struct desk_sessions s, back;

static bool file_has(const char *file, const char *what)
{
	char buf[65536];
	FILE *f = fopen(file, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = '\0';
	return strstr(buf, what) != NULL;
}

/* desk_sessions_load() with its log lines in logpath. */
static int load_logged(struct desk_sessions *into)
{
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	int fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, STDERR_FILENO);
	close(fd);
	int r = desk_sessions_load(into, path, NOW);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	return r;
}

static void round_trip(void)
{
	char a[DESK_TOKEN_HEX + 1], b[DESK_TOKEN_HEX + 1];
	is_int(desk_sessions_load(&s, path, NOW), 0, "no file: no sessions");
	struct desk_session *x = desk_session_new(&s, "asha", NOW, a);
	desk_session_new(&s, "ravi", NOW - 1000, b);
	snprintf(x->notice, sizeof(x->notice), "not kept");
	is_int(desk_sessions_save(&s, NOW), 0, "two sessions written");
	struct stat st;
	is_int(stat(path, &st) == 0 ? (int)(st.st_mode & 0777) : -1, 0600, "  the file is 0600");
	ok(!file_has(path, a) && !file_has(path, b), "  it holds neither cookie value");
	ok(file_has(path, x->id_hash) && file_has(path, x->csrf), "  but their hashes and CSRF tokens");
	is_int(desk_sessions_load(&back, path, NOW + 5000), 2, "read back: two sessions");
	struct desk_session *y = desk_session_find(&back, a, NOW + 5000);
	ok(y != NULL && strcmp(y->user, "asha") == 0 && strcmp(y->csrf, x->csrf) == 0,
	   "  asha's cookie finds her session with its CSRF token");
	ok(desk_session_find(&back, x->id_hash, NOW + 5000) == NULL, "  the hash itself is no cookie");
	is_int(desk_sessions_load(&back, path, NOW + DESK_IDLE_MS + 1), 0, "read after the idle time: none");
	desk_session_end_user(&s, "asha");
	desk_sessions_sync(&s, NOW);
	is_int(desk_sessions_load(&back, path, NOW), 1, "asha's sessions ended: one left in the file");
	ok(desk_session_find(&back, a, NOW) == NULL && desk_session_find(&back, b, NOW) != NULL, "  ravi's");
}

/* Idle times move on disk at most once a minute; a login at once. */
static void refresh(void)
{
	char a[DESK_TOKEN_HEX + 1], want[64];
	desk_sessions_load(&s, path, NOW);
	desk_session_new(&s, "asha", NOW, a);
	desk_sessions_sync(&s, NOW);
	snprintf(want, sizeof(want), "\t%lld\n", NOW + DESK_IDLE_MS);
	ok(file_has(path, want), "a login: written at once, its expiry an idle time away");
	desk_session_find(&s, a, NOW + 1000);
	desk_sessions_sync(&s, NOW + 1000);
	ok(file_has(path, want), "  used a second later: not written again yet");
	desk_session_find(&s, a, NOW + DESK_SESSIONS_REFRESH_MS);
	desk_sessions_sync(&s, NOW + DESK_SESSIONS_REFRESH_MS);
	snprintf(want, sizeof(want), "\t%lld\n", NOW + DESK_SESSIONS_REFRESH_MS + DESK_IDLE_MS);
	ok(file_has(path, want), "  used a minute later: its new expiry written");
}

static void hostile(void)
{
	char good[512], hash[DESK_TOKEN_HEX + 1], long_line[600];
	desk_session_hash("x", hash);
	memset(long_line, 'a', sizeof(long_line) - 1);
	long_line[sizeof(long_line) - 1] = '\0';
	snprintf(good, sizeof(good), "%s\tasha\t%s\t%lld\n", hash, hash, NOW + 1000);
	FILE *f = fopen(path, "w");
	fprintf(f, "# a comment\n%s", good);                                 /* 1, 2 */
	fprintf(f, "%s\tasha\t%s\n", hash, hash);                           /* 3: three fields */
	fprintf(f, "%.63s\tasha\t%s\t%lld\n", hash, hash, NOW + 1000);     /* 4: short hash */
	fprintf(f, "%s\t<script>\t%s\t%lld\n", hash, hash, NOW + 1000);     /* 5 */
	fprintf(f, "%s\tasha\t%s\t99999999999999999999\n", hash, hash);    /* 6 */
	fprintf(f, "%s\n%s", long_line, good);                              /* 7, 8: twice */
	fclose(f);
	chmod(path, 0600);
	is_int(load_logged(&back), 1, "a hostile file: the one good line read");
	ok(file_has(logpath, ":3: refused: not four"), "  line 3 (three fields) refused, named");
	ok(file_has(logpath, ":4: refused: the id's hash"), "  line 4 (a short hash)");
	ok(file_has(logpath, ":5: refused: not an account"), "  line 5 (markup for a name)");
	ok(file_has(logpath, ":6: refused: the expiry"), "  line 6 (an expiry out of range)");
	ok(file_has(logpath, ":7: refused: longer"), "  line 7 (600 bytes)");
	ok(file_has(logpath, ":8: refused: the session is there twice"), "  line 8 (the same session again)");
	chmod(path, 0622);
	is_int(load_logged(&back), -EPERM, "a file others may write: refused whole (-EPERM)");
	ok(file_has(logpath, "others may write it"), "  saying why");
	is_int(back.v[0].id_hash[0], '\0', "  no session from it");
}

int main(void)
{
	if (tmpdir_make(dir, "desk-sessions") < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/sessions", dir);
	snprintf(logpath, sizeof(logpath), "%s/log", dir);
	round_trip();
	refresh();
	hostile();
	unlink(logpath);
	unlink(path);
	tmpdir_remove(dir);
	return tap_done();
}
