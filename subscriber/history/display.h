/* One readable line per event, for the foreground and the journal. */
#ifndef RAKSHA_AGENT_DISPLAY_H
#define RAKSHA_AGENT_DISPLAY_H

#include <stddef.h>

#include <raksha/raksha.h>

/* Writes the line for @env (received on @topic) into @buf, e.g.
 * "REPORT mp/bhopal/grp  सीमा कुमारी, 9, F, last seen BPL 12627 coach S4 10:05  id 01936e29-...",
 * escaped for a terminal or a log (common/text.h): a line break or a bidi
 * control in a name is written as \xNN. */
void display_line(const raksha_envelope *env, char *buf, size_t size);

#endif
