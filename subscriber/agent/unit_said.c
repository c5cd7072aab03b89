/* unit_pub's words in English (unit_pub.h): the board's line, the logs. */
#include <stdio.h>
#include <string.h>

#include "agent/unit_pub.h"

static const char *why_text(const struct unit_said *s)
{
	switch (s->why) {
	case UNIT_WHY_UNREACHABLE: return "broker unreachable";
	case UNIT_WHY_NO_ANSWER: return "the broker did not answer in 3 s";
	case UNIT_WHY_BUSY: return "another sender is busy with the outbox";
	default: return strerror(s->err);
	}
}

void unit_said_text(const struct unit_said *s, char *out, size_t size)
{
	switch (s->code) {
	case UNIT_SAID_SENT:
		snprintf(out, size, "%s sent", s->what);
		return;
	case UNIT_SAID_QUEUED:
		snprintf(out, size, "%s queued: %s; %s sends it when the link returns", s->what, why_text(s),
			 s->by_agent ? "the agent" : s->sender);
		return;
	case UNIT_SAID_REFUSED:
		snprintf(out, size, "%s NOT sent: the broker refused it on %s (MQTT 5); set aside in %s/refused/",
			 s->what, s->topic, s->folder);
		return;
	case UNIT_SAID_NOT_QUEUED:
		snprintf(out, size, "%s NOT sent: cannot queue it in %s: %s", s->what, s->folder, strerror(s->err));
		return;
	case UNIT_SAID_INVALID:
		snprintf(out, size, "%s NOT sent: %s", s->what, s->problem);
		return;
	}
	snprintf(out, size, "%s: ?", s->what);
}
