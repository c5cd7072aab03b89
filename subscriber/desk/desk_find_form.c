/* The list's search form and its pages' links (desk_find.h). */
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "desk/desk_find.h"

static const char *const STATUS_LABEL[][2] = {
	[DESK_FIND_OPEN] = {"open", N_("Open")},
	[DESK_FIND_FOUND] = {"found", N_("Found")},
	[DESK_FIND_CLOSED] = {"closed", N_("Closed or cancelled")},
	[DESK_FIND_ALL] = {"all", N_("All")},
};

/* @s percent-encoded for a URL's query into @out (3 bytes a byte at most). */
static void url_encode(const char *s, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && n + 4 < size; p++) {
		if (strchr("-_.~", *p) != NULL || (*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')) {
			out[n++] = (char)*p;
			continue;
		}
		out[n++] = '%';
		out[n++] = hex[*p >> 4];
		out[n++] = hex[*p & 15];
	}
	out[n] = '\0';
}

static void text_field(struct desk_html *h, const char *name, const char *label, const char *value)
{
	desk_html_printf(h, "<label>%s <input type=\"search\" name=\"%s\" value=\"%s\" maxlength=\"%d\"></label>\n",
			 label, name, value, DESK_FIND_TEXT_MAX - 1);
}

void desk_find_form(struct desk_html *h, const struct desk_find *f)
{
	desk_html_printf(h, "<form class=\"find\" method=\"get\" action=\"/cases\">\n");
	text_field(h, "q", _("Name, station, train or FIR"), f->q);
	text_field(h, "region", _("Region"), f->region);
	text_field(h, "agency", _("Agency"), f->agency);
	desk_html_printf(h, "<label>%s <select name=\"status\">", _("Status"));
	for (int s = 0; s < DESK_FIND_STATUS_COUNT; s++)
		desk_html_printf(h, "<option value=\"%s\"%s>%s</option>", STATUS_LABEL[s][0],
				 (int)f->status == s ? " selected" : "", _(STATUS_LABEL[s][1]));  /* i18n: markup */
	desk_html_printf(h, "</select></label>\n<button type=\"submit\">%s</button>\n</form>\n", _("Find"));
}

static void page_link(struct desk_html *h, const struct desk_find *f, size_t page, const char *label)
{
	char q[3 * DESK_FIND_TEXT_MAX], region[3 * DESK_FIND_TEXT_MAX], agency[3 * DESK_FIND_TEXT_MAX];
	url_encode(f->q, q, sizeof(q));
	url_encode(f->region, region, sizeof(region));
	url_encode(f->agency, agency, sizeof(agency));
	desk_html_printf(h, "<a class=\"page\" href=\"/cases?q=%s&amp;region=%s&amp;agency=%s&amp;status=%s"
			 "&amp;page=%zu\">%s</a>", q, region, agency, STATUS_LABEL[f->status][0], page, label);
}

void desk_find_pager(struct desk_html *h, const struct desk_find *f, int total)
{
	size_t pages = ((size_t)total + DESK_FIND_PAGE - 1) / DESK_FIND_PAGE;
	if (total <= DESK_FIND_PAGE && f->page == 1)
		return;
	desk_html_printf(h, "<nav class=\"pages\">");
	if (f->page > 1)
		page_link(h, f, f->page - 1, _("Previous page"));
	desk_html_printf(h, "<span>");
	desk_html_printf(h, i18n_plural("Page %zu of %zu (%d case)", "Page %zu of %zu (%d cases)", (unsigned long)total),
			 f->page, pages, total);
	desk_html_printf(h, "</span>");
	if (f->page < pages)
		page_link(h, f, f->page + 1, _("Next page"));
	desk_html_printf(h, "</nav>\n");
}
