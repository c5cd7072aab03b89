#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <raksha/raksha.h>

#include "board/board_names.h"
#include "common/clock.h"
#include "history/history.h"

/* Seqs start at 1: 0 marks a free slot. */
struct slot {
	int64_t seq;
	char *names;
};

struct board_names {
	sqlite3 *db;
	sqlite3_stmt *read;   /* the envelope at a seq */
	struct slot *slots;
	size_t cap, used;     /* cap a power of two, used at most half of it */
	sqlite3_stmt *cases;  /* board_names_warm(): the cases after a rowid */
	int64_t warmed;       /* the last rowid of cases it went through */
};

static size_t slot_of(const struct board_names *n, int64_t seq)
{
	size_t i = (size_t)((uint64_t)seq * UINT64_C(0x9e3779b97f4a7c15) >> 7) & (n->cap - 1);
	while (n->slots[i].seq != 0 && n->slots[i].seq != seq)
		i = (i + 1) & (n->cap - 1);
	return i;
}

static int grow(struct board_names *n)
{
	if (2 * (n->used + 1) <= n->cap)
		return 0;
	struct board_names bigger = {.cap = n->cap ? 2 * n->cap : 1024};
	bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
	if (bigger.slots == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n->cap; i++)
		if (n->slots[i].seq != 0)
			bigger.slots[slot_of(&bigger, n->slots[i].seq)] = n->slots[i];
	free(n->slots);
	n->slots = bigger.slots;
	n->cap = bigger.cap;
	return 0;
}

/* "a, b" from the report's child; NULL if out of memory. */
static char *join(const Raksha__V1__Child *c)
{
	size_t len = 1;
	for (size_t i = 0; i < c->n_other_names; i++)
		len += strlen(c->other_names[i]) + 2;
	char *s = malloc(len);
	if (s == NULL)
		return NULL;
	s[0] = '\0';
	for (size_t i = 0; i < c->n_other_names; i++) {
		if (i > 0)
			strcat(s, ", ");
		strcat(s, c->other_names[i]);
	}
	return s;
}

static char *decode(struct board_names *n, int64_t seq)
{
	raksha_envelope *env = NULL;
	sqlite3_bind_int64(n->read, 1, seq);
	if (sqlite3_step(n->read) == SQLITE_ROW)
		history_decode(sqlite3_column_blob(n->read, 0), (size_t)sqlite3_column_bytes(n->read, 0),
			       NULL, sqlite3_column_int64(n->read, 1), &env);
	sqlite3_reset(n->read);
	char *s;
	if (env != NULL && raksha_envelope_kind(env) == RAKSHA_KIND_REPORT && env->report->child)
		s = join(env->report->child);
	else
		s = strdup("");
	raksha_envelope_free(env);
	return s;
}

/* The names of the report at @seq (> 0), decoded if new; *@fresh says so.
 * NULL if out of memory. */
static const char *names_of(struct board_names *n, int64_t seq, bool *fresh)
{
	if (grow(n) < 0)
		return NULL;
	struct slot *s = &n->slots[slot_of(n, seq)];
	*fresh = s->seq == 0;
	if (*fresh) {
		s->names = decode(n, seq);
		if (s->names == NULL)
			return NULL;
		s->seq = seq;
		n->used++;
	}
	return s->names;
}

static void other_names(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct board_names *n = sqlite3_user_data(ctx);
	int64_t seq = sqlite3_value_int64(argv[0]);
	(void)argc;
	if (seq <= 0) {
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	bool fresh;
	const char *names = names_of(n, seq, &fresh);
	if (names == NULL)
		sqlite3_result_error_nomem(ctx);
	else
		sqlite3_result_text(ctx, names, -1, SQLITE_STATIC);
}

int board_names_warm(struct board_names *n, int max, int64_t budget_ms)
{
	int decoded = 0, rc = SQLITE_DONE;
	bool fresh;
	int64_t end_ms = clock_mono_ms() + budget_ms;
	sqlite3_bind_int64(n->cases, 1, n->warmed);
	while (decoded < max && clock_mono_ms() < end_ms && (rc = sqlite3_step(n->cases)) == SQLITE_ROW) {
		n->warmed = sqlite3_column_int64(n->cases, 0);
		int64_t seq = sqlite3_column_int64(n->cases, 1);
		if (seq <= 0)
			continue;  /* an ack or update before its report */
		if (names_of(n, seq, &fresh) == NULL) {
			sqlite3_reset(n->cases);
			return -ENOMEM;
		}
		decoded += fresh;
	}
	sqlite3_reset(n->cases);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? decoded : -EIO;
}

int board_names_attach(sqlite3 *db, struct board_names **out)
{
	struct board_names *n = calloc(1, sizeof(*n));
	if (n == NULL)
		return -ENOMEM;
	n->db = db;
	if (sqlite3_prepare_v3(db, "SELECT envelope, received_at_ms FROM messages WHERE seq = ?1", -1,
			       SQLITE_PREPARE_PERSISTENT, &n->read, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(db, "SELECT rowid, report_seq FROM cases WHERE rowid > ?1 ORDER BY rowid",
			       -1, SQLITE_PREPARE_PERSISTENT, &n->cases, NULL) != SQLITE_OK ||
	    sqlite3_create_function(db, "board_other_names", 1, SQLITE_UTF8, n, other_names, NULL,
				    NULL) != SQLITE_OK) {
		board_names_free(n);
		return -EIO;
	}
	*out = n;
	return 0;
}

void board_names_free(struct board_names *n)
{
	if (n == NULL)
		return;
	/* Nothing may call the function once its memory is gone. */
	sqlite3_create_function(n->db, "board_other_names", 1, SQLITE_UTF8, NULL, NULL, NULL, NULL);
	sqlite3_finalize(n->read);
	sqlite3_finalize(n->cases);
	for (size_t i = 0; i < n->cap; i++)
		free(n->slots[i].names);
	free(n->slots);
	free(n);
}
