/* One case in full: the fields on the left, the photo on the right, the
 * timeline below, in a pad that scrolls between the bars. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "board/board_clock.h"
#include "board/board_fields.h"
#include "board/board_image.h"
#include "board/board_photo.h"
#include "board/board_text.h"
#include "board/board_theme.h"
#include "board/board_timeline.h"
#include "board/board_ui.h"
#include "common/clock.h"
#include "common/minmax.h"

/* ncurses counts a window's lines in a short. */
#define PAD_MAX_ROWS 30000
/* Pixels a side worth decoding for a box of a few dozen cells. */
#define PHOTO_MIN_SIDE 160

struct board_detail {
	struct board_case c;
	struct timeline timeline;
	unsigned generation;        /* counts reloads, for the pad */
	WINDOW *pad;
	int pad_rows, scroll;
	unsigned built_generation;  /* what the pad shows: reload, screen, minute */
	int built_cols, built_lines;
	int64_t built_minute;
	struct photo photo;         /* the first photo, as cells; cols 0 if none */
	char photo_note[600];
	int64_t photo_seq;          /* the revision it was drawn from */
	int photo_box_cols, photo_box_rows;
};

static int load(struct board *b, struct board_detail *d, const uint8_t *id)
{
	struct board_case c;
	struct timeline t;
	int r = board_case_load(b->db->db, id, &c);
	if (r < 0)
		return r;
	r = board_timeline_load(b->db->db, id, &t);
	if (r < 0) {
		board_case_free(&c);
		return r;
	}
	board_case_free(&d->c);
	board_timeline_free(&d->timeline);
	d->c = c;
	d->timeline = t;
	d->generation++;
	return 0;
}

int board_detail_open(struct board *b, const uint8_t id[RAKSHA_UUID_LEN])
{
	if (b->db == NULL)
		return -ENOENT;
	struct board_detail *d = calloc(1, sizeof(*d));
	if (d == NULL)
		return -ENOMEM;
	d->photo_seq = -1;
	int r = load(b, d, id);
	if (r < 0) {
		free(d);
		return r;
	}
	board_detail_close(b);
	b->detail = d;
	b->view = VIEW_DETAIL;
	return 0;
}

void board_detail_reload(struct board *b)
{
	struct board_detail *d = b->detail;
	if (d != NULL && b->db != NULL) {
		uint8_t id[RAKSHA_UUID_LEN];
		memcpy(id, d->c.report_id, sizeof(id));
		load(b, d, id);  /* if it fails, what was read stays on the screen */
	}
}

void board_detail_close(struct board *b)
{
	struct board_detail *d = b->detail;
	b->view = VIEW_LIST;
	b->detail = NULL;
	if (d == NULL)
		return;
	board_case_free(&d->c);
	board_timeline_free(&d->timeline);
	board_photo_free(&d->photo);
	if (d->pad != NULL)
		delwin(d->pad);
	free(d);
}

const struct board_case *board_detail_loaded(const struct board *b)
{
	return b->detail != NULL ? &b->detail->c : NULL;
}

const uint8_t *board_detail_case(const struct board *b, const char **name)
{
	const struct board_detail *d = b->detail;
	if (d == NULL)
		return NULL;
	*name = d->c.child ? d->c.child->name : "";
	return d->c.report_id;
}

/* Decodes and renders @p into d->photo, in at most @box_cols x @box_rows
 * cells; the note is then @caption, or says why the photo is not shown. */
static void render_photo(struct board_detail *d, const Raksha__V1__Photo *p, int box_cols, int box_rows,
			 const char *caption)
{
	struct image img;
	char why[200];
	int r = board_image_decode(p->data.data, p->data.len, PHOTO_MIN_SIDE, &img, why, sizeof(why));
	if (r < 0) {
		snprintf(d->photo_note, sizeof(d->photo_note), _("cannot be shown: %s"), why);
		return;
	}
	int pairs = board_theme_colors() > 0 ? MIN(COLOR_PAIRS, 32767) - PAIR_PHOTO_FIRST : 0;
	struct photo_terminal t = {board_theme_colors(), pairs, board_text_utf8()};
	board_photo_reset_pairs();
	r = board_photo_render(&img, box_cols, box_rows, &t, &d->photo);
	board_image_free(&img);
	const char *note = *caption ? caption : _("shown on the right");
	if (r < 0)
		note = _("cannot be drawn (out of memory)");
	snprintf(d->photo_note, sizeof(d->photo_note), "%s", note);
}

/* The first photo of the latest revision, decoded and rendered once per
 * revision and box size; the note says what it is or why it is missing. */
static void prepare_photo(struct board_detail *d, int box_cols, int box_rows)
{
	if (d->photo_seq == d->c.report_seq && d->photo_box_cols == box_cols && d->photo_box_rows == box_rows)
		return;
	board_photo_free(&d->photo);
	d->photo_seq = d->c.report_seq;
	d->photo_box_cols = box_cols;
	d->photo_box_rows = box_rows;
	const Raksha__V1__Child *child = d->c.child;
	if (child == NULL || child->n_photos == 0) {
		snprintf(d->photo_note, sizeof(d->photo_note), _("none in this report"));
		return;
	}
	const Raksha__V1__Photo *p = child->photos[0];
	char caption[160] = "";
	if (*p->caption || child->n_photos > 1)
		snprintf(caption, sizeof(caption), _("%s%s(1 of %zu)"), p->caption, *p->caption ? " " : "",
			 child->n_photos);
	if (box_cols < 8 || box_rows < 4) {
		snprintf(d->photo_note, sizeof(d->photo_note), _("%s%s(a larger terminal shows it)"), caption,
			 *caption ? " " : "");
		return;
	}
	render_photo(d, p, box_cols, box_rows, caption);
}

/* Lays the case out into @pad (NULL: only counts) @width wide; returns
 * the lines it takes. */
static int layout(struct board_detail *d, WINDOW *pad, int width, int64_t now)
{
	bool photo = d->photo.cols > 0;
	struct sheet s = {pad, 0, 0, photo ? width - d->photo.cols - 2 : width};
	board_fields_sheet(&s, &d->c, now);
	board_sheet_field(&s, _("Photo"), d->photo_note, A_NORMAL);
	if (photo && pad != NULL)
		board_photo_draw(pad, 0, width - d->photo.cols, &d->photo);
	if (photo && s.row < d->photo.rows)
		s.row = d->photo.rows;
	s.width = width;
	board_sheet_blank(&s);
	board_timeline_sheet(&s, &d->timeline);
	return s.row;
}

/* Lays the pad out again when the case, the screen or the minute (the
 * "12m ago") changed. */
static void build(struct board_detail *d)
{
	int64_t now = clock_wall_ms();
	if (d->pad != NULL && d->built_generation == d->generation && d->built_cols == COLS &&
	    d->built_lines == LINES && d->built_minute == now / 60000)
		return;
	int box_cols = MIN(COLS / 3, 30), box_rows = MIN(LINES - 6, 14);
	prepare_photo(d, COLS >= 60 ? box_cols : 0, box_rows);
	int rows = layout(d, NULL, COLS, now);
	rows = CLAMP(rows, 1, PAD_MAX_ROWS);
	if (d->pad != NULL)
		delwin(d->pad);
	d->pad = newpad(rows, COLS);
	d->pad_rows = d->pad ? rows : 0;
	if (d->pad != NULL)
		layout(d, d->pad, COLS, now);
	d->built_generation = d->generation;
	d->built_cols = COLS;
	d->built_lines = LINES;
	d->built_minute = now / 60000;
}

static int view_rows(void)
{
	return LINES - 3 > 0 ? LINES - 3 : 0;
}

void board_detail_draw(struct board *b)
{
	struct board_detail *d = b->detail;
	build(d);
	int max = MAX(d->pad_rows - view_rows(), 0);
	d->scroll = CLAMP(d->scroll, 0, max);
	char keys[480];
	snprintf(keys, sizeof(keys), _("j/k:scroll (%d/%d) a:ack f:found c:close%s Esc:back ?:help"),
		 d->scroll + 1, d->pad_rows, d->c.matches.n > 0 ? _(" m:link d:dismiss") : "");
	board_bars_draw(b, keys);
	wnoutrefresh(stdscr);
	if (d->pad != NULL && view_rows() > 0 && COLS > 0)
		pnoutrefresh(d->pad, d->scroll, 0, 1, 0, LINES - 3, COLS - 1);
	doupdate();
}

void board_detail_key(struct board *b, struct board_key k)
{
	struct board_detail *d = b->detail;
	int page = view_rows() > 1 ? view_rows() - 1 : 1;
	if (k.code) {
		switch (k.ch) {
		case KEY_UP: d->scroll--; break;
		case KEY_DOWN: d->scroll++; break;
		case KEY_PPAGE: d->scroll -= page; break;
		case KEY_NPAGE: d->scroll += page; break;
		case KEY_HOME: d->scroll = 0; break;
		case KEY_END: d->scroll = d->pad_rows; break;
		default: break;
		}
		return;
	}
	switch (k.ch) {
	case L'k': d->scroll--; break;
	case L'j': d->scroll++; break;
	case L' ': d->scroll += page; break;
	case 27: case L'q': board_detail_close(b); break;
	default: break;
	}
}
