/* The case page's read-only parts (GET /case/ID, desk_case.c): every field
 * of the report or found child, its photos, its possible matches and links
 * (desk_case_match.c), and its timeline (desk_timeline.c). Each writes
 * into the page through desk_html, so every value is escaped. */
#ifndef RAKSHA_DESK_CASE_H
#define RAKSHA_DESK_CASE_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "desk/desk_db.h"
#include "desk/desk_html.h"
#include "desk/desk_session.h"

/* The timeline's bound: a case that has more entries shows its newest
 * DESK_TIMELINE_MAX and says how many more there are. */
#define DESK_TIMELINE_MAX 500

/* "found", "handed over": enum value @v of @d without its first @skip
 * bytes ("UPDATE_STATUS_"), lower case, '_' as ' '; "?" if not known. */
void desk_case_word(const ProtobufCEnumDescriptor *d, int v, size_t skip, char *out, size_t size);

/* Case @c's photos (each full size, a figure with its caption) and every
 * field of its report, or of its sighting for a found child; @id is its
 * id as text. */
void desk_case_fields(struct desk_html *h, const struct desk_case *c, const char *id);

/* Case @c's possible matches (not dismissed, not linked), each with the
 * form that confirms it (POST /case/ID/link, csrf and other: the contract
 * with desk_action's route), and the cases it is linked to. */
void desk_case_matches(struct desk_html *h, sqlite3 *db, const struct desk_case *c, const char *id,
		       const struct desk_session *s);

/* The timeline of case @uuid, newest first. */
void desk_timeline(struct desk_html *h, sqlite3 *db, const uint8_t uuid[RAKSHA_UUID_LEN]);

#endif
