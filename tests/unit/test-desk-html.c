/* raksha-desk's one HTML writer (subscriber/desk/desk_html.c): every value
 * through %s is text, never markup, in an element or a quoted attribute;
 * controls, bidi overrides and bytes that are not UTF-8 are written as
 * \xNN (common/text.h); Devanagari passes; the format's own markup is
 * written as it is; an unknown conversion fails the page rather than
 * printing something unescaped. And the form fields' decoding
 * (desk_form.c). */
#include <stdlib.h>
#include <string.h>

#include "desk/desk_form.h"
#include "desk/desk_html.h"
#include "tests/lib/tap.h"

/* The page @fmt makes of @value, or "(failed)". The formats are the
 * test's literals, passed on. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static const char *page(const char *fmt, const char *value)
{
	static char out[4096];
	struct desk_html h = {0};
	desk_html_printf(&h, fmt, value);
	snprintf(out, sizeof(out), "%s", h.failed || h.buf == NULL ? "(failed)" : h.buf);
	desk_html_free(&h);
	return out;
}
#pragma GCC diagnostic pop

static void escaping(void)
{
	is_str(page("<p>%s</p>", "<img src=x onerror=alert(1)>"), "<p>&lt;img src=x onerror=alert(1)&gt;</p>",
	       "a name written as markup is text");
	is_str(page("<p>%s</p>", "<script>alert(2)</script>"), "<p>&lt;script&gt;alert(2)&lt;/script&gt;</p>",
	       "  a script too");
	is_str(page("<a title=\"%s\">", "x\" onmouseover=\"alert(3)"),
	       "<a title=\"x&quot; onmouseover=&quot;alert(3)\">", "a double quote cannot leave an attribute");
	is_str(page("<a title='%s'>", "x' onclick='y"), "<a title='x&#39; onclick=&#39;y'>", "  nor a single quote");
	is_str(page("%s", "Tom & Jerry"), "Tom &amp; Jerry", "an ampersand is a reference");
	is_str(page("%s", "&lt;"), "&amp;lt;", "  a reference as typed stays as typed");
	is_str(page("<b>%s</b>", "सीमा कुमारी"), "<b>सीमा कुमारी</b>", "Devanagari passes as it is");
	is_str(page("%s", "a\nb\x1b[2J"), "a\\x0ab\\x1b[2J", "controls as \\xNN");
	is_str(page("%s", "\xe2\x80\xae" "evil"), "\\xe2\\x80\\xaeevil", "a right-to-left override as \\xNN");
	is_str(page("%s", "bad \xff byte"), "bad \\xff byte", "a byte that is not UTF-8 as \\xNN");
	is_str(page("<i>%s</i>", NULL), "<i></i>", "NULL writes nothing");
}

static void conversions(void)
{
	struct desk_html h = {0};
	desk_html_printf(&h, "%d %lld %zu 100%%", -7, 1234567890123LL, (size_t)42);
	is_str(h.buf, "-7 1234567890123 42 100%", "%%d %%lld %%zu %%%%");
	desk_html_free(&h);
	desk_html_printf(&h, "<p>%x</p>", 255);
	ok(h.failed, "an unknown conversion fails the page");
	desk_html_printf(&h, "more");
	ok(h.failed && (h.buf == NULL || strstr(h.buf, "more") == NULL), "  and nothing more is written");
	desk_html_free(&h);
	static char big[100000];
	memset(big, '<', sizeof(big) - 1);
	desk_html_printf(&h, "%s", big);
	is_int(h.len, 4 * (sizeof(big) - 1), "a long value grows the buffer: each < as &lt;");
	desk_html_free(&h);
}

static void form(void)
{
	char out[64];
	ok(desk_form_get("csrf=ab12&username=asha&password=a+b%26c%3D", "password", out, sizeof(out)) &&
	   strcmp(out, "a b&c=") == 0, "a field decoded: + as a space, %%XX as its byte");
	ok(desk_form_get("username=asha&user=x", "user", out, sizeof(out)) && strcmp(out, "x") == 0,
	   "a field's name matched whole, not as a prefix");
	ok(desk_form_get("a=&b=1", "a", out, sizeof(out)) && out[0] == '\0', "an empty field");
	ok(!desk_form_get("a=1", "csrf", out, sizeof(out)), "a missing field: false");
	ok(!desk_form_get("a=%00x", "a", out, sizeof(out)), "a NUL: refused");
	ok(!desk_form_get("a=%4", "a", out, sizeof(out)), "a cut escape: refused");
	ok(!desk_form_get("a=%zz", "a", out, sizeof(out)), "a bad escape: refused");
	ok(!desk_form_get("a=0123456789", "a", out, 8), "a value too long for its buffer: refused");
}

int main(void)
{
	escaping();
	conversions();
	form();
	return tap_done();
}
