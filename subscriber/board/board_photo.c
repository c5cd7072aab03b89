/* chafa turns pixels into symbols and colours per cell; the board reads the
 * cells back (chafa_canvas_get_char_at, _get_raw_colors_at) and draws them
 * through ncurses, since chafa's own output is escape sequences that
 * ncurses would not know about. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <stdlib.h>

#include <chafa.h>

#include "board/board_photo.h"
#include "board/board_theme.h"

/* The cell's width over its height in most terminal fonts. */
#define FONT_RATIO 0.5f

static ChafaCanvasMode mode_for(const struct photo_terminal *t, int cells, bool *fg_only)
{
	*fg_only = false;
	if (t->colors >= 256 && t->pairs >= cells)
		return CHAFA_CANVAS_MODE_INDEXED_240;
	*fg_only = true;  /* one pair per colour is all there is room for */
	if (t->colors >= 256 && t->pairs >= 240)
		return CHAFA_CANVAS_MODE_INDEXED_240;
	if (t->colors >= 8 && t->pairs >= 8)
		return CHAFA_CANVAS_MODE_INDEXED_8;
	*fg_only = false;
	return CHAFA_CANVAS_MODE_FGBG;
}

static ChafaSymbolTags symbols_for(const struct photo_terminal *t, ChafaCanvasMode mode, bool fg_only)
{
	if (!t->utf8)
		return CHAFA_SYMBOL_TAG_ASCII;
	ChafaSymbolTags tags = CHAFA_SYMBOL_TAG_BLOCK | CHAFA_SYMBOL_TAG_SOLID;
	/* With a background colour per cell a blank is never needed; without,
	 * dark parts are blanks on the terminal's background. */
	if (fg_only || mode == CHAFA_CANVAS_MODE_FGBG)
		tags |= CHAFA_SYMBOL_TAG_SPACE;
	return tags;
}

/* What the canvas gives per cell: both colours, the foreground, or none. */
enum painting { BOTH, FG_ONLY, NONE };

/* FGBG cells have no colour; the indexed modes both, or the foreground. */
static enum painting painting_for(ChafaCanvasMode mode, bool fg_only)
{
	if (mode == CHAFA_CANVAS_MODE_FGBG)
		return NONE;
	return fg_only ? FG_ONLY : BOTH;
}

static ChafaCanvas *make_canvas(const struct photo_terminal *t, int cols, int rows,
				enum painting *painting)
{
	bool fg_only;
	ChafaCanvasMode mode = mode_for(t, cols * rows, &fg_only);
	*painting = painting_for(mode, fg_only);
	ChafaSymbolMap *map = chafa_symbol_map_new();
	chafa_symbol_map_add_by_tags(map, symbols_for(t, mode, fg_only));
	ChafaCanvasConfig *config = chafa_canvas_config_new();
	chafa_canvas_config_set_canvas_mode(config, mode);
	chafa_canvas_config_set_fg_only_enabled(config, fg_only);
	chafa_canvas_config_set_symbol_map(config, map);
	chafa_canvas_config_set_geometry(config, cols, rows);
	ChafaCanvas *canvas = chafa_canvas_new(config);
	chafa_canvas_config_unref(config);
	chafa_symbol_map_unref(map);
	return canvas;
}

/* chafa's raw colour is a palette index in the indexed modes, and outside
 * the palette (transparent, or no colour at all) otherwise. */
static short colour(int raw, int colors)
{
	return raw >= 0 && raw < colors && raw < 256 ? (short)raw : -1;
}

static void read_cells(ChafaCanvas *canvas, const struct photo_terminal *t, enum painting painting,
		       struct photo *p)
{
	for (int y = 0; y < p->rows; y++) {
		for (int x = 0; x < p->cols; x++) {
			int i = y * p->cols + x, fg, bg;
			p->symbols[i] = chafa_canvas_get_char_at(canvas, x, y);
			chafa_canvas_get_raw_colors_at(canvas, x, y, &fg, &bg);
			p->fg[i] = painting == NONE ? -1 : colour(fg, t->colors);
			p->bg[i] = painting == BOTH ? colour(bg, t->colors) : -1;
		}
	}
}

int board_photo_render(const struct image *img, int max_cols, int max_rows,
		       const struct photo_terminal *t, struct photo *out)
{
	*out = (struct photo){0};
	if (max_cols < 1 || max_rows < 1 || img->width < 1 || img->height < 1)
		return -EINVAL;
	int cols = max_cols, rows = max_rows;
	chafa_calc_canvas_geometry(img->width, img->height, &cols, &rows, FONT_RATIO, TRUE, FALSE);
	if (cols < 1 || rows < 1)
		return -EINVAL;
	size_t n = (size_t)cols * (size_t)rows;
	out->symbols = calloc(n, sizeof(*out->symbols));
	out->fg = calloc(n, sizeof(*out->fg));
	out->bg = calloc(n, sizeof(*out->bg));
	enum painting painting;
	ChafaCanvas *canvas = out->symbols && out->fg && out->bg ? make_canvas(t, cols, rows, &painting)
								 : NULL;
	if (canvas == NULL) {
		board_photo_free(out);
		return -ENOMEM;
	}
	out->cols = cols;
	out->rows = rows;
	chafa_canvas_draw_all_pixels(canvas, CHAFA_PIXEL_RGBA8_UNASSOCIATED, img->rgba, img->width,
				     img->height, img->width * 4);
	read_cells(canvas, t, painting, out);
	chafa_canvas_unref(canvas);
	return 0;
}

void board_photo_free(struct photo *p)
{
	free(p->symbols);
	free(p->fg);
	free(p->bg);
	*p = (struct photo){0};
}

/* Colour pairs handed out to photos, from PAIR_PHOTO_FIRST up: a photo of
 * 30 x 14 cells needs at most 420, most terminals with 256 colours have
 * thousands. */
static struct {
	short fg, bg;
} given[4096];
static int n_given;

void board_photo_reset_pairs(void)
{
	n_given = 0;
}

/* The pair for @fg on @bg, made if needed; 0 (no colour) if none is left. */
static short pair_for(short fg, short bg)
{
	for (int i = 0; i < n_given; i++)
		if (given[i].fg == fg && given[i].bg == bg)
			return (short)(PAIR_PHOTO_FIRST + i);
	int limit = COLOR_PAIRS < 32767 ? COLOR_PAIRS : 32767;
	if (n_given == (int)(sizeof(given) / sizeof(given[0])) || PAIR_PHOTO_FIRST + n_given >= limit)
		return 0;
	short pair = (short)(PAIR_PHOTO_FIRST + n_given);
	if (init_pair(pair, fg, bg) == ERR)
		return 0;
	given[n_given].fg = fg;
	given[n_given].bg = bg;
	n_given++;
	return pair;
}

void board_photo_draw(WINDOW *w, int y, int x, const struct photo *p)
{
	bool own = board_theme_default_colors();
	for (int row = 0; row < p->rows; row++) {
		for (int col = 0; col < p->cols; col++) {
			int i = row * p->cols + col;
			short fg = p->fg[i], bg = p->bg[i], pair = 0;
			if (board_theme_colors() > 0 && (fg >= 0 || bg >= 0))
				pair = pair_for(fg >= 0 || own ? fg : COLOR_WHITE, bg >= 0 || own ? bg : COLOR_BLACK);
			wchar_t symbol[2] = {(wchar_t)p->symbols[i], L'\0'};
			if (symbol[0] == 0)
				symbol[0] = L' ';
			cchar_t cell;
			setcchar(&cell, symbol, A_NORMAL, pair, NULL);
			mvwadd_wch(w, y + row, x + col, &cell);
		}
	}
}
