#define _XOPEN_SOURCE 700
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "board/board_case.h"
#include "board/board_clock.h"
#include "board/board_describe.h"
#include "board/board_text.h"
#include "board/board_theme.h"
#include "board/board_timeline.h"

static void report_text(const raksha_envelope *env, char *out, size_t size, size_t *n)
{
	const Raksha__V1__Report *r = env->report;
	board_describe_put(out, size, n, _("revision %u, %s, %s%s"), r->revision,
			   board_describe_priority(r->priority), board_describe_case_status(r->status),
			   r->exercise ? _(", drill") : "");
}

static void sighting_text(const raksha_envelope *env, char *out, size_t size, size_t *n)
{
	const Raksha__V1__Sighting *s = env->sighting;
	char where[512];
	board_describe_place(s->place, where, sizeof(where));
	board_describe_put(out, size, n, "%s%s%s%s", s->report_id.len ? _("seen") : _("found, no report"),
			   *where ? _(" at ") : "", where,
			   s->in_custody ? _(", IN CUSTODY of the sender") : "");
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
		board_describe_put(out, size, n, _(" at %s"), where);
	if (*u->handed_over_to)
		board_describe_put(out, size, n, _(", handed over to %s"), u->handed_over_to);
	if (*u->notes)
		board_describe_put(out, size, n, "; %s", u->notes);
}

static void link_text(const Raksha__V1__CaseLink *l, char *out, size_t size, size_t *n)
{
	char found[RAKSHA_UUID_TEXT_LEN + 1], report[RAKSHA_UUID_TEXT_LEN + 1];
	raksha_uuid_format(l->found_id.data, found);
	raksha_uuid_format(l->report_id.data, report);
	board_describe_put(out, size, n, _("found child %s is report %s"), found, report);
	if (*l->notes)
		board_describe_put(out, size, n, "; %s", l->notes);
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
	case RAKSHA_KIND_LINK:
		link_text(env->link, out, size, n);
		break;
	case RAKSHA_KIND_ESCALATION:
		board_describe_put(out, size, n, _("level %u: %s"), env->escalation->level,
				   env->escalation->reason);
		if (*env->escalation->target)
			board_describe_put(out, size, n, _("; asks %s"), env->escalation->target);
		break;
	default:
		break;
	}
}

/* The message's kind in capitals ("SIGHTING"), translated, padded to 10
 * columns as the terminal draws it (Devanagari's letters take one column,
 * its vowel signs none: not a byte each). */
static void kind_text(const char *kind, char *out, size_t size)
{
	static const char *const kinds[][2] = {
		{"report", N_("REPORT")}, {"sighting", N_("SIGHTING")}, {"update", N_("UPDATE")},
		{"ack", N_("ACK")}, {"link", N_("LINK")}, {"escalation", N_("ESCALATION")},
	};
	char upper[16];
	snprintf(upper, sizeof(upper), "%s", kind);
	for (char *c = upper; *c; c++)
		*c = *c >= 'a' && *c <= 'z' ? (char)(*c - 'a' + 'A') : *c;
	const char *word = upper;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i][0]) == 0)
			word = _(kinds[i][1]);
	int pad = 10 - board_text_width(word);
	snprintf(out, size, "%s%*s", word, pad > 0 ? pad : 0, "");
}

struct loading {
	struct timeline *t;
	int error;
};

static void add(void *ctx, const struct board_event *e)
{
	struct loading *l = ctx;
	char when[BOARD_WHEN_MAX], text[2048], origin[300], kind[96];
	size_t n = 0;
	if (l->error)
		return;
	kind_text(e->kind, kind, sizeof(kind));
	board_clock_when(e->sent_at_ms, when, sizeof(when));
	board_describe_put(text, sizeof(text), &n, "%s  %s ", when, kind);
	if (e->refused != NULL)
		board_describe_put(text, sizeof(text), &n, _("REFUSED "));
	if (e->env == NULL) {
		board_describe_put(text, sizeof(text), &n, _("(stored, but it no longer reads as an envelope)"));
	} else {
		body_text(e->env, text, sizeof(text), &n);
		board_describe_origin(e->env, origin, sizeof(origin));
		board_describe_put(text, sizeof(text), &n, _(", by %s"), origin);
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
	board_sheet_text(s, _("Timeline"), A_BOLD | A_UNDERLINE, 0);
	if (t->n == 0)
		board_sheet_text(s, _("(no messages stored for this case)"), A_DIM, 0);
	for (size_t i = 0; i < t->n; i++)
		board_sheet_text(s, t->entries[i].text, kind_attr(t->entries[i].kind), 25);
}
