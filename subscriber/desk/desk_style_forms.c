/* The report forms' rules of /style.css (desk_style.c joins them): one
 * column on a phone, every input the width of the screen and 44 px high,
 * the error beside its field in red on white. */
#include "desk/desk_pages.h"

const char desk_style_forms[] =
	".rform fieldset{border:1px solid #888;border-radius:6px;margin:12px 0;padding:8px 12px}\n"
	".rform legend{font-weight:700;padding:0 4px}\n"
	".rform label{display:block;margin:10px 0 2px;font-weight:600}\n"
	".rform label.check{display:flex;align-items:center;gap:8px;min-height:44px;font-weight:600}\n"
	".rform input[type=text],.rform input[type=tel],.rform input[type=datetime-local],"
	".rform select,.rform textarea{width:100%;max-width:32rem;font:inherit;min-height:44px;"
	"padding:6px 8px;border:2px solid #555;border-radius:6px;background:#fff;color:#111}\n"
	".rform input[type=file]{width:100%;max-width:32rem}\n"
	".rform textarea{min-height:5.5em}\n"
	".rform [aria-invalid=true]{border-color:#b00020}\n"
	".rform .error,#form-error,#top-error{color:#b00020;font-weight:700;margin:4px 0}\n"
	".rform .hint{color:#333;font-size:.95rem;margin:4px 0}\n"
	".rform #send{margin:12px 0;width:100%;max-width:32rem}\n"
	".rlinks{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}\n";
