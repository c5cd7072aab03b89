/* The header's language buttons (desk_lang.h): beside the logout button,
 * as tall a target (44 px). */
#include "desk/desk_pages.h"

const char desk_style_lang[] =
	"header form.lang{display:flex;gap:4px}\n"
	"header form.lang button{min-height:44px}\n";
