#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "common/log.h"
#include "common/file_replace.h"
#include "desk/desk_session_store.h"

#define HEADER "# raksha-desk sessions: SHA-256 of the id, account, CSRF token, expiry (ms); tab-separated\n"
#define LINE_MAX_BYTES 256

static bool hex64(const char *s)
{
	if (strlen(s) != DESK_TOKEN_HEX)
		return false;
	return strspn(s, "0123456789abcdef") == DESK_TOKEN_HEX;
}

static bool known(const struct desk_sessions *s, const char *hash)
{
	for (size_t i = 0; i < DESK_SESSIONS_MAX; i++)
		if (s->v[i].id_hash[0] != '\0' && strcmp(s->v[i].id_hash, hash) == 0)
			return true;
	return false;
}

static struct desk_session *free_slot(struct desk_sessions *s)
{
	for (size_t i = 0; i < DESK_SESSIONS_MAX; i++)
		if (s->v[i].id_hash[0] == '\0')
			return &s->v[i];
	return NULL;
}

/* One line into a free slot; NULL if it is taken, else why not. */
static const char *parse(struct desk_sessions *s, char *line, int64_t now_ms)
{
	char *hash = strtok(line, "\t");
	char *user = strtok(NULL, "\t");
	char *csrf = strtok(NULL, "\t");
	char *expires = strtok(NULL, "\t");
	if (expires == NULL || strtok(NULL, "\t") != NULL)
		return "not four tab-separated fields";
	if (!hex64(hash) || !hex64(csrf))
		return "the id's hash and the CSRF token are 64 hex digits";
	if (!desk_user_name_valid(user))
		return "not an account's name";
	char *end;
	errno = 0;
	long long at = strtoll(expires, &end, 10);
	if (errno != 0 || *end != '\0' || at <= 0 || at > now_ms + DESK_IDLE_MS)
		return "the expiry is not a time in the next idle period";
	if (at <= now_ms)
		return NULL;  /* expired: dropped quietly */
	if (known(s, hash))
		return "the session is there twice";
	struct desk_session *x = free_slot(s);
	if (x == NULL)
		return "more sessions than the desk keeps";
	snprintf(x->id_hash, sizeof(x->id_hash), "%s", hash);
	snprintf(x->user, sizeof(x->user), "%s", user);
	snprintf(x->csrf, sizeof(x->csrf), "%s", csrf);
	x->last_ms = at - DESK_IDLE_MS;
	return NULL;
}

/* The rest of a line longer than any session's. */
static void skip_rest(FILE *f)
{
	char rest[LINE_MAX_BYTES];
	while (fgets(rest, sizeof(rest), f) != NULL && strchr(rest, '\n') == NULL)
		continue;
}

static int read_lines(struct desk_sessions *s, FILE *f, int64_t now_ms)
{
	char line[LINE_MAX_BYTES + 2];
	int no = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		no++;
		bool cut = strchr(line, '\n') == NULL && !feof(f);
		line[strcspn(line, "\n")] = '\0';
		const char *why = NULL;
		if (cut) {
			why = "longer than a session's line";
			skip_rest(f);
		} else if (line[0] != '#' && line[0] != '\0') {
			why = parse(s, line, now_ms);
		}
		if (why != NULL)
			log_line(LOG_WARNING, "raksha-desk: %s:%d: refused: %s", s->path, no, why);
	}
	return ferror(f) ? -EIO : 0;
}

static int count(const struct desk_sessions *s)
{
	int n = 0;
	for (size_t i = 0; i < DESK_SESSIONS_MAX; i++)
		n += s->v[i].id_hash[0] != '\0';
	return n;
}

int desk_sessions_load(struct desk_sessions *s, const char *path, int64_t now_ms)
{
	struct stat st;
	sodium_memzero(s, sizeof(*s));
	s->path = path;
	s->saved_ms = now_ms;
	FILE *f = fopen(path, "re");
	if (f == NULL && errno == ENOENT)
		return 0;
	if (f == NULL) {
		int r = errno == EACCES ? -EACCES : -EIO;
		log_line(LOG_ERR, "raksha-desk: %s: %s; no session kept from before", path, strerror(errno));
		return r;
	}
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 022) != 0) {
		log_line(LOG_ERR, "raksha-desk: %s: refused whole: others may write it (mode %04o), so "
			 "they could plant a session; no session kept from before", path,
			 (unsigned)(st.st_mode & 07777));
		fclose(f);
		return -EPERM;
	}
	int r = read_lines(s, f, now_ms);
	fclose(f);
	if (r < 0)
		log_line(LOG_ERR, "raksha-desk: %s: cannot be read", path);
	return r < 0 ? r : count(s);
}

static int write_all(FILE *f, const void *ctx)
{
	const struct desk_sessions *s = ctx;
	fputs(HEADER, f);
	for (size_t i = 0; i < DESK_SESSIONS_MAX; i++) {
		const struct desk_session *x = &s->v[i];
		if (x->id_hash[0] != '\0')
			fprintf(f, "%s\t%s\t%s\t%" PRId64 "\n", x->id_hash, x->user, x->csrf,
				(int64_t)(x->last_ms + DESK_IDLE_MS));
	}
	return ferror(f) ? -EIO : 0;
}

int desk_sessions_save(struct desk_sessions *s, int64_t now_ms)
{
	char err[512];
	if (s->path == NULL)
		return 0;
	int r = file_replace(s->path, write_all, s, err, sizeof(err));
	if (r < 0) {
		log_line(LOG_ERR, "raksha-desk: cannot write the sessions: %s", err);
		return r;
	}
	s->dirty = false;
	s->touched = false;
	s->saved_ms = now_ms;
	return 0;
}

void desk_sessions_sync(struct desk_sessions *s, int64_t now_ms)
{
	if (s->dirty || (s->touched && now_ms - s->saved_ms >= DESK_SESSIONS_REFRESH_MS))
		desk_sessions_save(s, now_ms);
}
