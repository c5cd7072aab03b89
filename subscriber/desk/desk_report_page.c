/* A report form as HTML: every field with its label, the input a phone
 * handles well (the numeric keypad for ages and heights, the phone keypad
 * for numbers, a date-time picker read as IST, station codes suggested
 * from those the agent has seen), each error beside its own field
 * (aria-describedby) and the value kept as typed. No script is needed;
 * /forms.js keeps a draft and shows a photo's size when chosen. */
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "desk/desk_page.h"
#include "desk/desk_report_page.h"

/* "child.age_range.min_years" -> "f-child-age_range-min_years". */
static void field_id(const char *path, char *out, size_t size)
{
	size_t n = (size_t)snprintf(out, size, "f-");
	for (const char *c = path; *c != '\0' && n + 1 < size; c++, n++)
		out[n] = (*c == '.' || *c == '[') ? '-' : *c;
	out[n] = '\0';
	if (n > 0 && out[n - 1] == ']')
		out[n - 1] = '\0';
	char *close = strchr(out, ']');
	if (close != NULL)
		memmove(close, close + 1, strlen(close));
}

/* The start of field @in's <input>, its type and keypad (a literal: the
 * writer escapes every %s). */
static void input_start(struct desk_html *h, enum desk_rf_input in)
{
	switch (in) {
	case RF_NUM:
	case RF_TRAIN: desk_html_printf(h, "<input type=\"text\" inputmode=\"numeric\" autocomplete=\"off\""); break;
	case RF_DEC: desk_html_printf(h, "<input type=\"text\" inputmode=\"decimal\" autocomplete=\"off\""); break;
	case RF_TEL: desk_html_printf(h, "<input type=\"tel\" inputmode=\"tel\" autocomplete=\"off\""); break;
	case RF_TIME: desk_html_printf(h, "<input type=\"datetime-local\""); break;
	case RF_STATION:
		desk_html_printf(h, "<input type=\"text\" list=\"stations\" autocapitalize=\"characters\" "
				 "autocomplete=\"off\"");
		break;
	case RF_COACH: desk_html_printf(h, "<input type=\"text\" autocapitalize=\"characters\" autocomplete=\"off\""); break;
	default: desk_html_printf(h, "<input type=\"text\"");
	}
}

/* id, name and, for a field in error, the error it is described by. */
static void names(struct desk_html *h, const char *id, const char *path, const char *described)
{
	desk_html_printf(h, " id=\"%s\" name=\"%s\"", id, path);
	if (described[0] != '\0')
		desk_html_printf(h, " aria-invalid=\"true\" aria-describedby=\"%s\"", described);
}

static void select_input(struct desk_html *h, const struct desk_rf_field *fl, const char *id, const char *v,
			 const char *described)
{
	desk_html_printf(h, "<select");
	names(h, id, fl->path, described);
	desk_html_printf(h, ">\n<option value=\"\">%s</option>\n", _("(not given)"));
	for (const struct desk_rf_choice *c = fl->choices; c->value != NULL; c++)
		desk_html_printf(h, "<option value=\"%s\"%s>%s</option>\n", c->value,
				 v != NULL && strcmp(v, c->value) == 0 ? " selected" : "", _(c->label));
	desk_html_printf(h, "</select>\n");
}

static void one_input(struct desk_html *h, const struct desk_rf_field *fl, const char *v, const char *err)
{
	char id[96], described[112] = "";
	field_id(fl->path, id, sizeof(id));
	if (err != NULL)
		snprintf(described, sizeof(described), "err-%s", id + 2);
	if (fl->in == RF_CHECK) {
		desk_html_printf(h, "<label class=\"check\"><input type=\"checkbox\" value=\"yes\"%s",
				 v && strcmp(v, "yes") == 0 ? " checked" : "");
		names(h, id, fl->path, described);
		desk_html_printf(h, "> %s</label>\n", _(fl->label));
	} else {
		desk_html_printf(h, "<label for=\"%s\">%s</label>\n", id, _(fl->label));
	}
	if (fl->in == RF_ENUM) {
		select_input(h, fl, id, v, described);
	} else if (fl->in == RF_AREA || fl->in == RF_LIST) {
		desk_html_printf(h, "<textarea");
		names(h, id, fl->path, described);
		desk_html_printf(h, ">%s</textarea>\n", v ? v : "");
	} else if (fl->in != RF_CHECK) {
		input_start(h, fl->in);
		names(h, id, fl->path, described);
		desk_html_printf(h, " value=\"%s\">\n", v ? v : "");
	}
	if (err != NULL)
		desk_html_printf(h, "<p class=\"error\" id=\"%s\">%s</p>\n", described, err);
}

static void photo_input(struct desk_html *h, const struct desk_rf *f, int i, size_t kept)
{
	const char *err = f->errors[i];
	desk_html_printf(h, "<label for=\"f-photo\">%s</label>\n<input type=\"file\" id=\"f-photo\" name=\"photo\" "
			 "accept=\"image/*\" capture=\"environment\" multiple aria-describedby=\"photo-sizes%s\">\n"
			 "<p class=\"hint\" id=\"photo-sizes\">%s</p>\n",
			 _("Take or choose photos (up to 3 at once, 12 MiB each as taken)"),
			 err ? " err-photo" : "", _("Each photo is made upright, at most 1024 pixels, without "
			 "its EXIF (the phone's position): the original is never sent."));
	if (kept > 0)
		desk_html_printf(h, "<p id=\"photos-kept\">%s %zu</p>\n", _("Photos of the report kept:"), kept);
	if (err != NULL)
		desk_html_printf(h, "<p class=\"error\" id=\"err-photo\">%s</p>\n", err);
}

void desk_report_form_html(struct desk_html *h, const struct desk_rf_page *p)
{
	const struct desk_rf *f = p->f;
	bool open = false;
	desk_html_printf(h, "<h1>%s</h1>\n", _(f->k->title));
	if (p->bad > 0)
		desk_html_printf(h, "<p class=\"error\" id=\"form-error\">%s</p>\n",
				 _("Not sent: correct the fields marked below, then send again. Photos must be "
				   "chosen again."));
	if (f->top[0] != '\0')
		desk_html_printf(h, "<p class=\"error\" id=\"top-error\">%s</p>\n", f->top);
	/* data-fresh: a form not sent back with errors, over which forms.js may
	 * restore a draft (one sent back holds what was sent: it saves that). */
	desk_html_printf(h, "<form class=\"rform\" id=\"rform\" method=\"post\" action=\"%s\" "
			 "enctype=\"multipart/form-data\" novalidate data-draft=\"%s\"%s "
			 "data-restored=\"%s\" data-photo-size=\"%s\" data-photo-big=\"%s\">\n"
			 "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n", p->action, p->draft,
			 p->bad > 0 ? "" : " data-fresh", _("Draft restored: what was typed here before."),
			 _("%s: %s MB as taken"), _("%s: over 12 MiB, too large to send: choose a smaller photo"),
			 p->r->session->csrf);
	for (int i = 0; f->k->fields[i].label != NULL; i++) {
		const struct desk_rf_field *fl = &f->k->fields[i];
		if (fl->in == RF_LEGEND) {
			if (open)
				desk_html_printf(h, "</fieldset>\n");
			desk_html_printf(h, "<fieldset><legend>%s</legend>\n", _(fl->label));
			open = true;
			if (fl->path != NULL)
				photo_input(h, f, i, p->photos_kept);
			continue;
		}
		one_input(h, fl, f->values[i], f->errors[i]);
	}
	if (open)
		desk_html_printf(h, "</fieldset>\n");
	desk_html_printf(h, "<button type=\"submit\" id=\"send\">%s</button>\n</form>\n", _("Send to every unit"));
	desk_html_printf(h, "<datalist id=\"stations\">\n");
	for (size_t i = 0; i < p->n_stations; i++)
		desk_html_printf(h, "<option value=\"%s\">\n", p->stations[i]);
	desk_html_printf(h, "</datalist>\n<script src=\"/forms.js\"></script>\n");
}
