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
	/* the places of markup a literal format gives (no marker): a class, an
	 * id, an attribute's name; each line carries a word that is not */
	desk_html_printf(h, "<p class=\"poster %s\">", found ? "poster-found" : "poster-missing");
	desk_html_printf(h, "<option value=\"x\"%s>%s</option>", on ? " selected" : "", _("Wrapped"));
	desk_html_printf(h, "<table id=\"%s\"><caption>%s</caption>", drill ? "t-ack" : "t-x", _("Wrapped"));
	desk_html_printf(h, " value=\"yes\"%s>%s", on ? " checked" : "", _("Wrapped"));
	desk_html_printf(h, "<b aria-describedby=\"x%s\">%.*s</b>", err ? " err-x" : "", 3, _("Wrapped"));
	/* and not elsewhere: text, a value a person reads, a data-* a script
	 * may show, a conversion after a star's argument, a format not literal */
	desk_html_printf(h, "<p class=\"%s\">%s</p>", on ? "on" : "off", on ? "planted yes" : "");   /* PLANTED */
	desk_html_printf(h, "<input type=\"submit\" value=\"%s\">", "send");           /* PLANTED */
	desk_html_printf(h, "<form data-note=\"%s\">", "planted note");                /* PLANTED */
	desk_html_printf(h, "<p class=\"%.*s\">%s</p>", 2, "ok", "planted word");       /* PLANTED */
	desk_html_printf(h, fmt, "planted");                                      /* PLANTED */
	field(h, "Planted label", value);                          /* PLANTED */
	mvwaddstr(w, 0, 0, "Planted board label");                 /* PLANTED */
	board_text_put(w, _("Wrapped board label"), 10, false);
}
