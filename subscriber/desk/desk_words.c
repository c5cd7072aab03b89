/* The schema's words the desk shows (a case's status, an update's, an
 * acknowledgement's state, a companion's role), which desk_case_word()
 * and the database give as the enum's name in lower case: listed here
 * with N_() so that xgettext finds them, and translated when shown. */
#include <string.h>

#include "common/i18n.h"
#include "desk/desk_page.h"

static const char *const WORDS[] = {
	N_("unspecified"), N_("open"), N_("found"), N_("rescued"), N_("reunited"), N_("closed"),
	N_("cancelled"), N_("reopened"), N_("companion"), N_("suspect"), N_("received"), N_("acting"),
	N_("done"),
	/* the timeline's kinds of message (desk_db_timeline.h) */
	N_("report"), N_("sighting"), N_("update"), N_("ack"), N_("link"), N_("escalation"),
	/* the actions' words (agent/unit_pub.c) */
	N_("cancel"),
};

const char *desk_page_word(const char *word)
{
	if (word == NULL)
		return "";
	for (size_t i = 0; i < sizeof(WORDS) / sizeof(WORDS[0]); i++)
		if (strcmp(word, WORDS[i]) == 0)
			return _(WORDS[i]);
	return word;  /* a word of a newer schema: as it came */
}
