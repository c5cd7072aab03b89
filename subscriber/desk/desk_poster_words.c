/* A poster's words in the state's language and English (desk_poster_words.h). */
#include <string.h>

#include "common/i18n.h"
#include "desk/desk_poster_words.h"

/* The official language of each state and union territory that has one
 * catalog-worthy (the eighth schedule's), by its ISO 3166-2:IN code (the
 * old codes some units still use too: cg, uk, ts, or). */
static const struct {
	const char *state, *lang;
} LANGUAGES[] = {
	{"br", "hi"}, {"cg", "hi"}, {"ch", "hi"}, {"ct", "hi"}, {"dl", "hi"}, {"hp", "hi"}, {"hr", "hi"},
	{"jh", "hi"}, {"mp", "hi"}, {"rj", "hi"}, {"uk", "hi"}, {"up", "hi"}, {"ut", "hi"},
	{"mh", "mr"}, {"wb", "bn"}, {"tr", "bn"}, {"tn", "ta"}, {"py", "ta"}, {"ap", "te"}, {"tg", "te"},
	{"ts", "te"}, {"ka", "kn"}, {"kl", "ml"}, {"gj", "gu"}, {"pb", "pa"}, {"od", "or"}, {"or", "or"},
	{"as", "as"}, {"ga", "kok"},
};

const char *desk_poster_language(const char *state)
{
	for (size_t i = 0; state != NULL && i < sizeof(LANGUAGES) / sizeof(LANGUAGES[0]); i++) {
		if (strcmp(LANGUAGES[i].state, state) == 0)
			return LANGUAGES[i].lang;
	}
	return "en";
}

const char *desk_poster_text(const char *lang, const char *msgid)
{
	return i18n_text_in(lang, msgid);
}

void desk_poster_pair(struct desk_html *h, const char *lang, const char *local, const char *english)
{
	if (strcmp(local, english) == 0) {
		desk_html_printf(h, "<span lang=\"en\">%s</span>", english);
		return;
	}
	desk_html_printf(h, "<span lang=\"%s\">%s</span> / <span lang=\"en\">%s</span>", lang, local, english);
}

void desk_poster_label(struct desk_html *h, const char *lang, const char *msgid)
{
	desk_poster_pair(h, lang, desk_poster_text(lang, msgid), msgid);
}
