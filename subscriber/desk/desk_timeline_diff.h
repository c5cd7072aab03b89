/* A revision on the case's timeline (desk_timeline.c): what it changed
 * against the revision before it, for the fields an officer acts on. */
#ifndef RAKSHA_DESK_TIMELINE_DIFF_H
#define RAKSHA_DESK_TIMELINE_DIFF_H

#include <stdint.h>

#include <raksha/envelope.h>
#include <raksha/uuid.h>
#include <sqlite3.h>

#include "desk/desk_html.h"

/* A value's bytes shown in a change, at most (cut at a character, with
 * "…"): the case's fields above have it whole. */
#define DESK_DIFF_VALUE_MAX 120

/* Writes the changes of revision @r of case @id, stored at messages.seq
 * @seq, against the revision stored before it (desk_db_revision_before()):
 * "clothing: red frock -> blue frock", "priority: high -> critical",
 * "photos: 1 -> 2", one <li> each in a <ul class="changes">, for the name,
 * other names, age, clothing, marks, last seen place and time, priority,
 * status, notes and the photos. Every value through desk_html's %s. */
void desk_timeline_diff(struct desk_html *h, sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], int64_t seq,
			const Raksha__V1__Report *r);

#endif
