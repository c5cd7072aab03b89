/* unit_pub's words, translated for the page (desk_said.h), from its code
 * (agent/unit_pub.h): the same phrases as unit_said_text()'s English,
 * which tests/unit/test-desk-said.c compares them with. */
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "desk/desk_page.h"
#include "desk/desk_said.h"

static const char *why_word(const struct unit_said *s)
{
	switch (s->why) {
	case UNIT_WHY_UNREACHABLE: return _("broker unreachable");
	case UNIT_WHY_NO_ANSWER: return _("the broker did not answer in 3 s");
	case UNIT_WHY_BUSY: return _("another sender is busy with the outbox");
	default: return strerror(s->err);  /* as the C library says it */
	}
}

void desk_said(const struct unit_said *s, char *out, size_t size)
{
	char folder[4200];
	const char *what = desk_page_word(s->what);
	switch (s->code) {
	case UNIT_SAID_SENT:
		snprintf(out, size, _("%s sent"), what);
		return;
	case UNIT_SAID_QUEUED:
		snprintf(out, size, _("%s queued: %s; %s sends it when the link returns"), what, why_word(s),
			 s->by_agent ? _("the agent") : s->sender);
		return;
	case UNIT_SAID_REFUSED:
		snprintf(out, size, _("%s NOT sent: the broker refused it on %s (MQTT 5); set aside in %s/refused/"),
			 what, s->topic, s->folder);
		return;
	case UNIT_SAID_NOT_QUEUED:
		snprintf(folder, sizeof(folder), "%s: %s", s->folder, strerror(s->err));
		snprintf(out, size, _("%s NOT sent: cannot queue it in %s"), what, folder);
		return;
	case UNIT_SAID_INVALID:
		snprintf(out, size, _("%s NOT sent: %s"), what, s->problem);  /* the validator's field, as it said it */
		return;
	}
	unit_said_text(s, out, size);
}
