/* One readable line per event, for the foreground and the journal. */
#ifndef RAKSHA_AGENT_DISPLAY_H
#define RAKSHA_AGENT_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include <raksha/raksha.h>

/* Whether @env is about a drill: a report by its own exercise flag, a
 * sighting or an escalation by its own or its case's (@case_drill: the
 * case view's cases.exercise), an update or an ack by its case's. */
bool display_drill(const raksha_envelope *env, bool case_drill);

/* Writes the line for @env into @buf, e.g.
 * "REPORT mp/bhopal/grp  सीमा कुमारी, 9, F, last seen BPL 12627 coach S4 10:05  id 01936e29-...",
 * starting "DRILL " when display_drill(@env, @case_drill), escaped for a
 * terminal or a log (common/text.h): a line break or a bidi control in a
 * name is written as \xNN. */
void display_line(const raksha_envelope *env, bool case_drill, char *buf, size_t size);

#endif
