/* The list of cases, one line each, fitted to the terminal's width:
 *
 *   PRI  AGE NAME                    CHILD  LAST SEEN      FROM             ACK ESC
 *   URG   12m सीमा कुमारी              9 F    BPL 12627 S4   vidisha/childli  no
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "board/board_describe.h"
#include "board/board_text.h"
#include "board/board_theme.h"
#include "board/board_ui.h"
#include "common/age_text.h"
#include "common/clock.h"
#include "common/minmax.h"

/* Column widths; 0 hides a column. The name takes what is left. */
struct layout {
	int pri, age, name, child, where, from, ack, esc;
};

#define NAME_MIN 12
/* At 80 columns FROM and LAST SEEN take 16 and 14. A wider terminal gives
 * FROM a third of its extra columns and LAST SEEN a sixth, up to these
 * (a region and an agency, a station, train and coach), the name the rest. */
#define FROM_MAX 48
#define WHERE_MAX 30
/* Rows read around the screen, so that a page down reads nothing. */
#define SPAN_ROWS 128

/* Narrow terminals lose the least needed columns first. */
static struct layout layout_for(int cols)
{
	int extra = MAX(cols - 80, 0);
	struct layout l = {4, 4, 0, 6, MIN(14 + extra / 6, WHERE_MAX), MIN(16 + extra / 3, FROM_MAX), 3, 3};
	int *drop[] = {&l.from, &l.where, &l.child, &l.esc, &l.age};
	for (size_t i = 0; ; i++) {
		int used = 1 + l.pri + 1 + (l.age ? l.age + 1 : 0) + (l.child ? l.child + 1 : 0) +
			   (l.where ? l.where + 1 : 0) + (l.from ? l.from + 1 : 0) + l.ack + 1 +
			   (l.esc ? l.esc : 0);
		l.name = cols - used - 1;
		if (l.name >= NAME_MIN || i == sizeof(drop) / sizeof(drop[0]))
			break;
		*drop[i] = 0;
	}
	if (l.name < 1)
		l.name = 1;
	return l;
}

/* Rows of cases the screen shows at once. */
static int list_rows(void)
{
	return LINES - 4 > 0 ? LINES - 4 : 0;
}

/* Puts @s in a column of @width at the cursor, then a space. */
static void cell(const char *s, int width, attr_t a)
{
	if (width <= 0)
		return;
	attrset(a);
	board_text_put(stdscr, s, width, true);
	attrset(a & A_REVERSE);
	addch(' ');
}

static void header(int y, const struct layout *l)
{
	attr_t a = A_BOLD | A_UNDERLINE;
	move(y, 0);
	attrset(a);
	addch(' ');
	/* TRANSLATORS: the list's column heads, each cut to its column: PRI
	 * and AGE 4 columns, CHILD 6, ACK and ESC 3, LAST SEEN 14, FROM 16. */
	cell(_("PRI"), l->pri, a);
	cell(_("AGE"), l->age, a);
	cell(_("NAME"), l->name, a);
	cell(_("CHILD"), l->child, a);
	cell(_("LAST SEEN"), l->where, a);
	cell(_("FROM"), l->from, a);
	cell(_("ACK"), l->ack, a);
	cell(_("ESC"), l->esc, a);
}

static void name_text(const struct board_row *r, char *out, size_t size)
{
	bool open = strcmp(r->status, "open") == 0;
	snprintf(out, size, "%s%s%s%s%s%s%s", open ? "" : "[", open ? "" : board_describe_word(r->status),
		 open ? "" : "] ", r->exercise ? _("(drill) ") : "", r->found ? _("FOUND: ") : "",
		 r->linked ? _("(found) ") : "", r->found && r->name[0] == '\0' ? _("name not known") : r->name);
}

static void ack_cell(const struct board_row *r, int width, attr_t row_attr)
{
	char text[16];
	if (r->acks == 0) {
		cell(_("no"), width, row_attr | A_BOLD);
		return;
	}
	/* "*": this unit is among them. */
	snprintf(text, sizeof(text), "%s%d%s", board_text_utf8() ? "✓" : "+", r->acks,
		 r->own_ack ? "*" : "");
	cell(text, width, board_theme_attr(PAIR_ACKED) | A_BOLD | (row_attr & A_REVERSE));
}

static void row(int y, const struct board_row *r, const struct layout *l, bool selected, int64_t now)
{
	/* Bold until somebody has acknowledged it; the cursor reverses. */
	attr_t a = board_theme_priority(r->priority) | (r->acks == 0 ? A_BOLD : 0) |
		   (selected ? A_REVERSE : 0);
	char age[32], name[400], esc[16] = "";
	age_text_format(r->first_seen_ms, now, AGE_TEXT_SHORT, age, sizeof(age));
	name_text(r, name, sizeof(name));
	if (r->escalation > 0)
		snprintf(esc, sizeof(esc), "E%d", r->escalation);
	move(y, 0);
	attrset(a);
	addch(selected ? '>' : ' ');
	cell(board_theme_priority_name(r->priority), l->pri, r->priority >= 5 ? a ^ A_REVERSE : a);
	char right_age[48];
	snprintf(right_age, sizeof(right_age), "%*s", l->age, age);
	cell(right_age, l->age, a);
	cell(name, l->name, a);
	cell(r->child, l->child, a);
	cell(r->where, l->where, a);
	cell(r->from, l->from, a);
	ack_cell(r, l->ack, a);
	cell(esc, l->esc, r->escalation > 0 ? board_theme_attr(PAIR_ALERT) : a);
	attrset(A_NORMAL);
}

/* Keeps the cursor's row on the screen. */
static void scroll_to_cursor(struct board *b)
{
	size_t shown = (size_t)list_rows();
	if (b->selected < b->top)
		b->top = b->selected;
	if (shown > 0 && b->selected >= b->top + shown)
		b->top = b->selected - shown + 1;
	if (b->top + shown > b->list.total)
		b->top = b->list.total > shown ? b->list.total - shown : 0;
}

void board_list_span(const struct board *b, size_t *first, size_t *count)
{
	size_t shown = (size_t)list_rows();
	*count = MAX(SPAN_ROWS, 3 * shown);
	*first = b->top > shown ? b->top - shown : 0;  /* a page back too */
}

/* True if the rows the screen shows from b->top are read. */
static bool span_read(const struct board *b)
{
	size_t last = MIN(b->top + (size_t)list_rows(), b->list.total);
	return last <= b->top || (board_cases_at(&b->list, b->top) != NULL &&
				  board_cases_at(&b->list, last - 1) != NULL);
}

/* What the list says when it has no rows. */
static const char *why_empty(const struct board *b)
{
	const struct board_filter *f = &b->filter;
	if (b->db == NULL)
		return b->waiting;
	if (f->search[0] || f->region[0] || f->agency[0])
		return _("No case matches. / , r and g with an empty answer clear the narrowing;"
			 " Esc clears all.");
	return f->status == SHOW_OPEN ? _("No open cases.") : _("No cases.");
}

static void empty(struct board *b)
{
	const char *p = why_empty(b), *next;
	for (int y = 3; *p && y < LINES - 2; y++, p = next) {
		size_t n = board_text_wrap(p, COLS - 4, &next);
		move(y, 2);
		board_text_putn(stdscr, p, n, COLS - 4, false);
	}
}

void board_list_draw(struct board *b)
{
	if (LINES < 5 || COLS < 20) {
		mvaddstr(0, 0, _("Too small"));
		return;
	}
	struct layout l = layout_for(COLS);
	header(1, &l);
	if (b->list.total == 0) {
		empty(b);
		return;
	}
	scroll_to_cursor(b);
	if (!span_read(b))
		board_reload_span(b);  /* scrolled beyond the rows read */
	int64_t now = clock_wall_ms();
	for (int i = 0; i < list_rows(); i++) {
		size_t k = b->top + (size_t)i;
		const struct board_row *r = board_cases_at(&b->list, k);
		if (r != NULL)
			row(2 + i, r, &l, k == b->selected, now);
	}
}

static void move_cursor(struct board *b, long by)
{
	if (b->list.total == 0)
		return;
	long to = (long)b->selected + by;
	b->selected = (size_t)CLAMP(to, 0, (long)b->list.total - 1);
}

/* A prompt starts with the filter in force: what Enter alone does then. */
static const char *enter_does(const char *value)
{
	return value[0] ? _("Enter keeps it, Ctrl-U Enter: all") : _("Enter alone: all");
}

/* r and g: the prompt names the values the cases have. */
static void ask_filter(struct board *b, const char *column, char *value, size_t size)
{
	char known[200] = "", label[600];
	if (b->db != NULL)
		board_cases_values(b->db->db, column, known, sizeof(known));
	snprintf(label, sizeof(label), "%s (%s; %s): ", _(column), known[0] ? known : _("none yet"),
		 enter_does(value));
	if (board_prompt_text(b, label, value, size))
		board_reload(b);
}

static void ask_search(struct board *b)
{
	char label[400];
	snprintf(label, sizeof(label), _("search names, places, units, ids (%s): "), enter_does(b->filter.search));
	if (board_prompt_text(b, label, b->filter.search, sizeof(b->filter.search)))
		board_reload(b);
}

static bool narrowed(const struct board_filter *f)
{
	return f->search[0] || f->region[0] || f->agency[0] || f->status != SHOW_OPEN;
}

static void open_selected(struct board *b)
{
	const struct board_row *r = board_cases_at(&b->list, b->selected);
	if (r == NULL)
		return;
	if (board_detail_open(b, r->report_id) < 0)
		board_say(b, true, "%s", _("the case cannot be read now"));
}

void board_list_key(struct board *b, struct board_key k)
{
	long page = list_rows() > 1 ? list_rows() - 1 : 1;
	if (k.code) {
		switch (k.ch) {
		case KEY_UP: move_cursor(b, -1); break;
		case KEY_DOWN: move_cursor(b, 1); break;
		case KEY_PPAGE: move_cursor(b, -page); break;
		case KEY_NPAGE: move_cursor(b, page); break;
		case KEY_HOME: b->selected = 0; break;
		case KEY_END: move_cursor(b, (long)b->list.total); break;
		case KEY_ENTER: open_selected(b); break;
		default: break;
		}
		return;
	}
	switch (k.ch) {
	case L'k': move_cursor(b, -1); break;
	case L'j': move_cursor(b, 1); break;
	case L'\r': case L'\n': open_selected(b); break;
	case L'/': ask_search(b); break;
	case L'r': ask_filter(b, N_("region"), b->filter.region, sizeof(b->filter.region)); break;
	case L'g': ask_filter(b, N_("agency"), b->filter.agency, sizeof(b->filter.agency)); break;
	case L's':
		b->filter.status = (b->filter.status + 1) % SHOW_COUNT;
		board_reload(b);
		break;
	case 27:  /* Esc: first undoes any narrowing, then leaves */
		if (!narrowed(&b->filter)) {
			b->quit = true;
			break;
		}
		b->filter = (struct board_filter){0};
		board_reload(b);
		break;
	case L'q': b->quit = true; break;
	default: break;
	}
}
