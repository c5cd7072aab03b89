/* What a revision changed (desk_timeline_diff.h): the revision before it
 * read from the database, then each field an officer acts on compared,
 * in the order of the case page. A field that did not change is not
 * named; one that did shows its old and new value, each cut at
 * DESK_DIFF_VALUE_MAX bytes (a note of 1000 bytes must not bury the
 * timeline on a phone). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "desk/desk_case.h"
#include "desk/desk_db_timeline.h"
#include "desk/desk_page.h"
#include "desk/desk_timeline_diff.h"

struct diff {
	struct desk_html *h;
	const Raksha__V1__Report *now;
	int changes;
};

/* More than value() shows of a place's four parts or the other names:
 * snprintf's cut (perhaps inside a character) is never shown. */
#define JOINED_MAX (4 * DESK_DIFF_VALUE_MAX)

static const Raksha__V1__Child NO_CHILD = RAKSHA__V1__CHILD__INIT;
static const Raksha__V1__Place NO_PLACE = RAKSHA__V1__PLACE__INIT;

static void value(struct desk_html *h, const char *s)
{
	size_t n = strlen(s);
	if (n == 0) {
		desk_html_printf(h, "%s", _("(none)"));
		return;
	}
	if (n <= DESK_DIFF_VALUE_MAX) {
		desk_html_text(h, s, n);
		return;
	}
	n = DESK_DIFF_VALUE_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;  /* not inside a character: its bytes would show as \xNN */
	desk_html_text(h, s, n);
	desk_html_printf(h, "…");
}

/* "LABEL: WAS -> IS" if the two differ (@differ), else nothing. */
static void change(struct diff *d, bool differ, const char *label, const char *was, const char *is)
{
	if (!differ)
		return;
	if (d->changes++ == 0)
		desk_html_printf(d->h, "<ul class=\"changes\">");
	desk_html_printf(d->h, "<li>%s: ", label);
	value(d->h, was);
	desk_html_printf(d->h, " -> ");
	value(d->h, is);
	desk_html_printf(d->h, "</li>");
}

static void text_change(struct diff *d, const char *label, const char *was, const char *is)
{
	change(d, strcmp(was, is) != 0, label, was, is);
}

static bool same_list(char *const *a, size_t na, char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++) {
		if (strcmp(a[i], b[i]) != 0)
			return false;
	}
	return true;
}

static void join(char *const *v, size_t n, char *out, size_t size)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s", i ? ", " : "", v[i]);
}

static void names(struct diff *d, const Raksha__V1__Child *was, const Raksha__V1__Child *is)
{
	char a[JOINED_MAX], b[JOINED_MAX];
	if (same_list(was->other_names, was->n_other_names, is->other_names, is->n_other_names))
		return;
	join(was->other_names, was->n_other_names, a, sizeof(a));
	join(is->other_names, is->n_other_names, b, sizeof(b));
	change(d, true, _("other names"), a, b);
}

static void child(struct diff *d, const Raksha__V1__Child *was, const Raksha__V1__Child *is)
{
	char a[24], b[24];
	text_change(d, _("name"), was->name, is->name);
	names(d, was, is);
	desk_page_age(was, a, sizeof(a));
	desk_page_age(is, b, sizeof(b));
	text_change(d, _("age"), a, b);
	text_change(d, _("clothing"), was->clothing, is->clothing);
	text_change(d, _("marks"), was->identifying_marks, is->identifying_marks);
}

static bool same_place(const Raksha__V1__Place *a, const Raksha__V1__Place *b)
{
	return strcmp(a->station_code, b->station_code) == 0 && strcmp(a->train_number, b->train_number) == 0 &&
	       strcmp(a->coach, b->coach) == 0 && strcmp(a->description, b->description) == 0;
}

/* "BPL 12627 S4 platform 3", as the timeline writes a place. */
static void where(const Raksha__V1__Place *p, char *out, size_t size)
{
	char *const parts[] = {p->station_code, p->train_number, p->coach, p->description};
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < 4 && len < size; i++) {
		if (*parts[i])
			len += (size_t)snprintf(out + len, size - len, "%s%s", len ? " " : "", parts[i]);
	}
}

static void last_seen(struct diff *d, const Raksha__V1__Place *was, const Raksha__V1__Place *is)
{
	char a[JOINED_MAX], b[JOINED_MAX];
	if (!same_place(was, is)) {
		where(was, a, sizeof(a));
		where(is, b, sizeof(b));
		change(d, true, _("last seen"), a, b);
	}
	desk_page_when(was->time_ms, a, sizeof(a));
	desk_page_when(is->time_ms, b, sizeof(b));
	change(d, was->time_ms != is->time_ms, _("last seen at"), a, b);
}

static bool same_photos(const Raksha__V1__Child *a, const Raksha__V1__Child *b)
{
	for (size_t i = 0; i < a->n_photos && i < b->n_photos; i++) {
		const ProtobufCBinaryData *x = &a->photos[i]->data, *y = &b->photos[i]->data;
		if (x->len != y->len || memcmp(x->data, y->data, x->len) != 0)
			return false;
	}
	return a->n_photos == b->n_photos;
}

/* "photos: 1 -> 2"; as many, but others: "photos: 2 -> 2, others". */
static void photos(struct diff *d, const Raksha__V1__Child *was, const Raksha__V1__Child *is)
{
	char a[24], b[64];
	if (same_photos(was, is))
		return;
	snprintf(a, sizeof(a), "%zu", was->n_photos);
	if (was->n_photos == is->n_photos)
		snprintf(b, sizeof(b), _("%zu, others"), is->n_photos);
	else
		snprintf(b, sizeof(b), "%zu", is->n_photos);
	change(d, true, _("photos"), a, b);
}

static void compare(void *ctx, const Raksha__V1__Report *was)
{
	struct diff *d = ctx;
	const Raksha__V1__Report *is = d->now;
	const Raksha__V1__Child *wc = was->child ? was->child : &NO_CHILD, *ic = is->child ? is->child : &NO_CHILD;
	char a[64], b[64];
	child(d, wc, ic);
	last_seen(d, was->last_seen ? was->last_seen : &NO_PLACE, is->last_seen ? is->last_seen : &NO_PLACE);
	text_change(d, _("priority"), desk_page_priority(was->priority), desk_page_priority(is->priority));
	desk_case_word(&raksha__v1__case_status__descriptor, was->status, strlen("CASE_STATUS_"), a, sizeof(a));
	desk_case_word(&raksha__v1__case_status__descriptor, is->status, strlen("CASE_STATUS_"), b, sizeof(b));
	text_change(d, _("status"), a, b);
	text_change(d, _("notes"), was->notes, is->notes);
	photos(d, wc, ic);
	if (d->changes > 0)
		desk_html_printf(d->h, "</ul>");
	else
		desk_html_printf(d->h, " <span class=\"changes\">%s</span>",
				 _("(no change to name, age, clothing, marks, last seen, priority, status, notes or photos)"));
}

void desk_timeline_diff(struct desk_html *h, sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], int64_t seq,
			const Raksha__V1__Report *r)
{
	struct diff d = {h, r, 0};
	int n = desk_db_revision_before(db, id, seq, r->revision, compare, &d);
	if (n == 0)
		desk_html_printf(h, " <span class=\"changes\">%s</span>", _("(the revision before is not stored here)"));
	else if (n < 0)
		desk_html_printf(h, " <span class=\"changes\">%s</span>", _("(the revision before cannot be read now)"));
}
