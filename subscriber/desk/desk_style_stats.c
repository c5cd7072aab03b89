/* The statistics page's rules (desk_stats.c), a part of /style.css: the
 * period's form, the charts' colours (the SVG has classes, no style
 * attribute: CSP), the tables. Each series' colour has at least 3:1
 * contrast on white (WCAG 1.4.11), drills in browns apart from the blues
 * of real cases. */
#include "desk/desk_pages.h"

const char desk_style_stats[] =
	"form.period{display:flex;flex-direction:column;gap:4px;max-width:24rem}\n"
	"form.period button{margin-top:8px}\n"
	"figure.chart{margin:16px 0}\n"
	"figure.chart figcaption{font-weight:700}\n"
	"svg.chart.bars{display:block;max-width:100%;height:auto}\n"
	"svg.chart.columns{display:block}\n"
	"svg.chart text{font-size:13px;fill:#111}\n"
	"svg.chart .tick.end{text-anchor:end}\n"
	"svg.chart line{stroke:#555;stroke-width:1}\n"
	"svg.chart line.grid{stroke:#bbb}\n"
	".s0{fill:#0b3d91}.s1{fill:#4f79c7}.s2{fill:#7a3e00}.s3{fill:#b5651d}\n"
	"ul.legend{list-style:none;padding:0;margin:4px 0;display:flex;flex-wrap:wrap;gap:4px 16px}\n"
	"ul.legend .key{display:inline-block;width:14px;height:14px;margin-right:6px;vertical-align:middle}\n"
	".key.s0{background:#0b3d91}.key.s1{background:#4f79c7}.key.s2{background:#7a3e00}"
	".key.s3{background:#b5651d}\n"
	".scroll{overflow-x:auto;max-width:100%}\n"
	/* A box of days scrolled to its end first: the latest days. */
	".scroll.latest{direction:rtl}.scroll.latest svg{direction:ltr}\n"
	"table.stats{border-collapse:collapse;margin:8px 0}\n"
	"table.stats caption{text-align:left;font-weight:700;padding:4px 0}\n"
	"table.stats th,table.stats td{border:1px solid #bbb;padding:6px 8px;text-align:right;"
	"overflow-wrap:normal;white-space:nowrap}\n"
	"table.stats thead th{white-space:normal;min-width:5em;vertical-align:bottom}\n"
	"table.stats thead th,table.stats th[scope=row]{text-align:left}\n"
	"#csv{margin:8px 0}\n";
