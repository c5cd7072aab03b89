#define _XOPEN_SOURCE 700
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/board_case.h"
#include "board/board_clock.h"
#include "board/board_describe.h"
#include "board/board_theme.h"
#include "board/board_timeline.h"

static void report_text(const raksha_envelope *env, char *out, size_t size, size_t *n)
{
	const Raksha__V1__Report *r = env->report;
	board_describe_put(out, size, n, "revision %u, %s, %s%s", r->revision,
			   board_describe_priority(r->priority), board_describe_case_status(r->status),
			   r->exercise ? ", drill" : "");
}

static void sighting_text(const raksha_envelope *env, char *out, size_t size, size_t *n)
{
	const Raksha__V1__Sighting *s = env->sighting;
	char where[512];
	board_describe_place(s->place, where, sizeof(where));
	board_describe_put(out, size, n, "seen%s%s%s", *where ? " at " : "", where,
			   s->in_custody ? ", IN CUSTODY of the sender" : "");
	if (*s->notes)
		board_describe_put(out, size, n, "; %s", s->notes);
}

static void update_text(const raksha_envelope *env, char *out, size_t size, size_t *n)
{
	const Raksha__V1__StatusUpdate *u = env->update;
	char where[512];
	board_describe_place(u->place, where, sizeof(where));
	board_describe_put(out, size, n, "%s", board_describe_update(u->status));
	if (*where)
		board_describe_put(out, size, n, " at %s", where);
	if (*u->handed_over_to)
		board_describe_put(out, size, n, ", handed over to %s", u->handed_over_to);
	if (*u->notes)
		board_describe_put(out, size, n, "; %s", u->notes);
}

static void body_text(const raksha_envelope *env, char *out, size_t size, size_t *n)
{
	switch (raksha_envelope_kind(env)) {
	case RAKSHA_KIND_REPORT: report_text(env, out, size, n); break;
	case RAKSHA_KIND_SIGHTING: sighting_text(env, out, size, n); break;
	case RAKSHA_KIND_UPDATE: update_text(env, out, size, n); break;
	case RAKSHA_KIND_ACK:
		board_describe_put(out, size, n, "%s", board_describe_ack_state(env->ack->state));
		if (*env->ack->notes)
			board_describe_put(out, size, n, "; %s", env->ack->notes);
		break;
	case RAKSHA_KIND_ESCALATION:
		board_describe_put(out, size, n, "level %u: %s", env->escalation->level,
				   env->escalation->reason);
		if (*env->escalation->target)
			board_describe_put(out, size, n, "; asks %s", env->escalation->target);
		break;
	default:
		break;
	}
}

struct loading {
	struct timeline *t;
	int error;
};

static void add(void *ctx, const struct board_event *e)
{
	struct loading *l = ctx;
	char when[32], text[2048], origin[300], kind[12];
	size_t n = 0;
	if (l->error)
		return;
	snprintf(kind, sizeof(kind), "%s", e->kind);
	for (char *c = kind; *c; c++)
		*c = *c >= 'a' && *c <= 'z' ? (char)(*c - 'a' + 'A') : *c;
	board_clock_when(e->sent_at_ms, when, sizeof(when));
	board_describe_put(text, sizeof(text), &n, "%s  %-10s ", when, kind);
	if (e->refused != NULL)
		board_describe_put(text, sizeof(text), &n, "REFUSED ");
	if (e->env == NULL) {
		board_describe_put(text, sizeof(text), &n, "(stored, but it no longer reads as an envelope)");
	} else {
		body_text(e->env, text, sizeof(text), &n);
		board_describe_origin(e->env, origin, sizeof(origin));
		board_describe_put(text, sizeof(text), &n, ", by %s", origin);
	}
	if (e->refused != NULL)
		board_describe_put(text, sizeof(text), &n, " (%s)", e->refused);
	struct timeline_entry *more = realloc(l->t->entries, (l->t->n + 1) * sizeof(*more));
	char *copy = strdup(text);
	if (more != NULL)
		l->t->entries = more;
	if (more == NULL || copy == NULL) {
		free(copy);
		l->error = -ENOMEM;
		return;
	}
	snprintf(more[l->t->n].kind, sizeof(more[l->t->n].kind), "%s", e->refused ? "refused" : e->kind);
	more[l->t->n++].text = copy;
}

int board_timeline_load(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], struct timeline *out)
{
	*out = (struct timeline){0};
	struct loading l = {out, 0};
	int r = board_case_timeline(db, id, add, &l);
	if (r < 0)
		goto fail;
	r = l.error;  /* what add() could not keep */
	if (r < 0)
		goto fail;
	return 0;
fail:
	board_timeline_free(out);
	return r;
}

void board_timeline_free(struct timeline *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->entries[i].text);
	free(t->entries);
	*t = (struct timeline){0};
}

static attr_t kind_attr(const char *kind)
{
	if (strcmp(kind, "refused") == 0)
		return A_DIM;  /* not part of the case: shown so that nobody wonders */
	if (strcmp(kind, "ack") == 0)
		return board_theme_attr(PAIR_ACKED);
	if (strcmp(kind, "escalation") == 0)
		return board_theme_attr(PAIR_URGENT) | A_BOLD;
	if (strcmp(kind, "update") == 0 || strcmp(kind, "sighting") == 0)
		return board_theme_attr(PAIR_HIGH);
	return A_NORMAL;
}

void board_timeline_sheet(struct sheet *s, const struct timeline *t)
{
	board_sheet_text(s, "Timeline", A_BOLD | A_UNDERLINE, 0);
	if (t->n == 0)
		board_sheet_text(s, "(no messages stored for this case)", A_DIM, 0);
	for (size_t i = 0; i < t->n; i++)
		board_sheet_text(s, t->entries[i].text, kind_attr(t->entries[i].kind), 25);
}
