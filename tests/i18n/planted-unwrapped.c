/* Not built: tests/i18n/check-po.sh shows that check-wrapped.py finds a
 * label written without _() in each kind of call it reads (so that its
 * pass over the real sources cannot be vacuous). Each PLANTED line must be
 * named; the wrapped ones and the markup must not. */
static void page(struct desk_html *h, struct desk_request *r)
{
	desk_page_start(h, r, "Planted title");                    /* PLANTED */
	desk_html_printf(h, "<h1>Planted heading</h1>\n");         /* PLANTED */
	desk_html_printf(h, "<img src=\"/x\" alt=\"planted alt\">"); /* PLANTED */
	desk_html_printf(h, "<p>%s</p>", ok ? "planted yes" : _("wrapped")); /* PLANTED */
	desk_html_printf(h, "<h1>%s</h1>\n", _("Wrapped heading"));
	desk_html_printf(h, "<li class=\"%s\">", on ? "online" : "offline");  /* i18n: markup */
	field(h, "Planted label", value);                          /* PLANTED */
	mvwaddstr(w, 0, 0, "Planted board label");                 /* PLANTED */
	board_text_put(w, _("Wrapped board label"), 10, false);
}
