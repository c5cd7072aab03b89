/* The poster's rules (GET /case/ID/poster, desk_poster.c), a part of
 * /style.css (desk_style.c's PARTS). On a screen: one column, a phone's
 * width first. Printed: exactly one A4 page whatever the text, so the
 * poster is a column of the page's height that hides what does not fit
 * (overflow), the photo takes the room the words leave, and a long
 * name, clothing or place is cut after a few lines (line-clamp) rather
 * than pushing the number to call onto a second page. The bar, the banners
 * and the links are not printed. */
#include "desk/desk_pages.h"

const char desk_style_poster[] =
	"article.poster{max-width:40rem;margin:0 auto;padding:10px;border:4px solid #a00000;"
	"text-align:center}\n"
	"article.poster.poster-found{border-color:#0b3d91}\n"
	".poster-head{margin:0;padding:6px;background:#a00000;color:#fff;font-size:1.7rem;font-weight:800;"
	"letter-spacing:.03em}\n"
	".poster-found .poster-head{background:#0b3d91;font-size:1.4rem}\n"
	".poster-warn{margin:6px 0 0;padding:4px;background:#ffd400;color:#111;font-weight:700}\n"
	"img.poster-photo{display:block;margin:10px auto;width:auto;max-width:100%;max-height:60vh;"
	"object-fit:contain}\n"
	"p.poster-photo.none{display:flex;align-items:center;justify-content:center;min-height:8rem;"
	"margin:10px 0;background:#eee;color:#333}\n"
	".poster-name{font-size:2rem;line-height:1.2;margin:.2em 0 0}\n"
	".poster-other{margin:0;font-size:1.4rem;font-weight:600}\n"
	".poster-other .made{font-size:.9rem;font-weight:400;color:#333}\n"
	"dl.poster-facts{margin:10px 0;text-align:left}\n"
	".poster-call{margin-top:8px;padding-top:6px;border-top:3px solid #111}\n"
	".poster-call p{margin:2px 0}\n"
	".poster-call .phone{font-size:2rem;font-weight:800}\n"
	".poster-call .unit{font-weight:700}\n"
	".poster-ref{margin:4px 0 0;font-size:.8rem;color:#333}\n"
	".poster-actions{text-align:center}\n"
	"@page{size:A4;margin:12mm}\n"
	"@media print{\n"
	"header,.live,.notice,.poster-actions{display:none!important}\n"
	"body{font-size:13pt}\n"
	"main{padding:0;max-width:none}\n"
	/* 297 mm less the margins is 273 mm: 270 leaves room for rounding. */
	"article.poster{display:flex;flex-direction:column;height:270mm;max-width:none;margin:0;padding:5mm;"
	"overflow:hidden;break-inside:avoid;-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	"article.poster>*{flex:none}\n"
	".poster-head{font-size:32pt}\n"
	".poster-found .poster-head{font-size:26pt}\n"
	"article.poster>img.poster-photo{flex:1 1 0;min-height:30mm;max-height:135mm;width:100%;margin:4mm 0}\n"
	".poster-name{font-size:30pt}\n"
	".poster-other{font-size:20pt}\n"
	".poster-other .made{font-size:11pt}\n"
	".poster-name,.poster-other,dl.poster-facts dd{display:-webkit-box;-webkit-box-orient:vertical;"
	"-webkit-line-clamp:2;overflow:hidden}\n"
	"dl.poster-facts{font-size:15pt;margin:3mm 0}\n"
	".poster-call .phone{font-size:32pt}\n"
	"}\n";
