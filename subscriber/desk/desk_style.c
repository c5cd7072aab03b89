/* GET /style.css: the one stylesheet, served by the desk (no CDN, no font
 * from elsewhere: a unit's network may have no internet). Phones first:
 * one column that wraps at any width down to 320 px, touch targets of at
 * least 44 px, dark text on white, bold colours for priority. */
#include <stdlib.h>
#include <string.h>

#include "desk/desk_pages.h"

static const char CSS[] =
	"*{box-sizing:border-box}\n"
	"html{-webkit-text-size-adjust:100%}\n"
	"body{margin:0;font:17px/1.45 system-ui,sans-serif;color:#111;background:#fff;"
	"overflow-wrap:anywhere}\n"
	"header{display:flex;flex-wrap:wrap;align-items:center;gap:8px;padding:6px 12px;"
	"background:#0b3d91;color:#fff}\n"
	"header .brand{color:#fff;font-weight:700;text-decoration:none;min-height:44px;"
	"display:flex;align-items:center;flex:1}\n"
	"header .who{font-weight:600}\n"
	"header .units{color:#fff;min-height:44px;display:flex;align-items:center;font-weight:600}\n"
	"header form{margin:0}\n"
	"main{padding:12px;max-width:60rem;margin:0 auto}\n"
	"h1{font-size:1.5rem;margin:.4em 0}\n"
	"h2{font-size:1.2rem}\n"
	"a{color:#0b3d91}\n"
	"button,.button,input{font:inherit;min-height:44px;min-width:44px}\n"
	"button,.button{display:inline-flex;align-items:center;justify-content:center;padding:0 16px;"
	"border:2px solid #0b3d91;border-radius:6px;background:#fff;color:#0b3d91;font-weight:700;"
	"text-decoration:none;cursor:pointer}\n"
	"header button{border-color:#fff;background:#0b3d91;color:#fff}\n"
	"form.login{display:flex;flex-direction:column;gap:6px;max-width:24rem}\n"
	"input{width:100%;padding:8px;border:2px solid #555;border-radius:6px}\n"
	"label{font-weight:600;margin-top:8px}\n"
	".error{color:#a00000;font-weight:700}\n"
	".live:empty{display:none}\n"
	".live{padding:8px 12px;border-left:6px solid #a00000;background:#fde8e8;font-weight:700}\n"
	".notice{padding:8px 12px;border-left:6px solid #0b6b2e;background:#e6f4ea;font-weight:600}\n"
	"form.actions{margin:12px 0}\n"
	"fieldset{border:1px solid #bbb;border-radius:6px;margin:0;padding:8px 12px;min-width:0}\n"
	"fieldset label{display:block}\n"
	"details.action{margin:8px 0}\n"
	"details.action summary{min-height:44px;line-height:44px;padding:0 12px;border:2px solid #0b3d91;"
	"border-radius:6px;color:#0b3d91;font-weight:bold;cursor:pointer}\n"
	".states{display:flex;flex-wrap:wrap;gap:8px}.states button{flex:1 1 6em}\n"
	"input[type=radio],input[type=checkbox]{width:44px;vertical-align:middle;margin:0 8px 0 0}\n"
	"textarea{font:inherit;width:100%;min-height:88px;padding:8px;border:2px solid #555;"
	"border-radius:6px}\n"
	"form.actions button{width:100%;max-width:24rem;background:#0b3d91;color:#fff}\n"
	"ol.cases{list-style:none;margin:0;padding:0}\n"
	"ol.cases li{margin:0 0 10px}\n"
	"a.case{display:block;min-height:44px;padding:10px 12px;border:2px solid #bbb;"
	"border-left:10px solid #555;border-radius:6px;color:#111;text-decoration:none}\n"
	"a.case.p5{border-left-color:#a00000}\n"
	"a.case.p4{border-left-color:#c43c00}\n"
	"a.case span{display:block}\n"
	"a.case img.thumb{float:right;width:96px;height:auto;max-height:96px;margin:0 0 4px 8px;"
	"border:1px solid #888}\n"
	"a.case::after{content:\"\";display:block;clear:both}\n"
	".name{font-size:1.2rem;font-weight:700}\n"
	".marks span{display:inline-block;margin:4px 6px 0 0;padding:2px 8px;border-radius:4px;"
	"background:#e8e8e8;font-weight:600}\n"
	"a.case .marks span{display:inline-block}\n"
	".prio.p5{background:#a00000;color:#fff}\n"
	".prio.p4{background:#c43c00;color:#fff}\n"
	".esc{background:#5a1e8c;color:#fff}\n"
	".drill{background:#ffd400;color:#111}\n"
	"dl{display:grid;grid-template-columns:minmax(6rem,auto) 1fr;gap:4px 12px}\n"
	"dt{font-weight:700}\n"
	"dd{margin:0}\n"
	"figure{margin:0 0 12px}\n"
	"form.find{display:flex;flex-wrap:wrap;gap:6px 12px;align-items:flex-end;margin:0 0 12px}\n"
	"form.find label{flex:1 1 10rem;margin:0}\n"
	"select{font:inherit;min-height:44px;width:100%;border:2px solid #555;border-radius:6px}\n"
	"nav.pages{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:12px 0}\n"
	"nav.pages a{min-height:44px;display:inline-flex;align-items:center}\n"
	"ul.presence{list-style:none;padding:0}\n"
	"ul.presence li{padding:8px 0;border-bottom:1px solid #ccc}\n"
	"ul.presence .state{font-weight:700}\n"
	"ul.presence .offline .state{color:#a00000}\n"
	"figure img{display:block;width:100%;max-width:24rem;height:auto;border:1px solid #888}\n"
	/* The case page (desk_case_fields.c, desk_timeline.c): a photo at its
	 * own size, narrowed to the screen (long values wrap by body's rule). */
	"figure.photo img{width:auto;max-width:100%}\n"
	"ol.timeline{padding-left:1.2rem}\n"
	"ol.timeline li{padding:6px 0;border-bottom:1px solid #ccc}\n"
	"ol.timeline .refused{color:#555}\n"
	"ol.timeline ul.changes{margin:4px 0 0;padding-left:1.2rem}\n"
	".found{background:#0b5d1e;color:#fff}\n";

/* Each part of the desk keeps its own rules in a file of its own (a C11
 * string literal holds at most 4095 bytes); the stylesheet is them all, in
 * this order. */
static const char *const PARTS[] = {
	CSS,
	desk_style_poster,
	desk_style_forms,
	desk_style_stats,
	desk_style_lang,
};

enum MHD_Result desk_page_style(struct desk_request *r)
{
	size_t len = 0;
	for (size_t i = 0; i < sizeof(PARTS) / sizeof(PARTS[0]); i++)
		len += strlen(PARTS[i]);
	char *css = malloc(len + 1);
	if (css == NULL)
		return desk_reply(r, 500, "text/plain; charset=utf-8", "out of memory\n", 14, NULL);
	size_t at = 0;
	for (size_t i = 0; i < sizeof(PARTS) / sizeof(PARTS[0]); i++) {
		size_t n = strlen(PARTS[i]);
		memcpy(css + at, PARTS[i], n);
		at += n;
	}
	enum MHD_Result ret = desk_reply(r, 200, "text/css; charset=utf-8", css, len, NULL);
	free(css);
	return ret;
}
