/* How a found child linked to a report shows in a list of cases, in SQL on
 * "cases c": as that report's case (docs/agent.md, "Links"), one case for
 * one child. The board's list (board/board_cases.c) and the desk's
 * (desk/desk_find.c) both, so that the two never disagree. */
#ifndef RAKSHA_HISTORY_LINKED_SQL_H
#define RAKSHA_HISTORY_LINKED_SQL_H

/* A condition: false for a found child linked to a report that is in the
 * database (it is not a row, nor counted, of its own); its own page and
 * its report's still show it. */
#define LINKED_SQL_SHOWN \
	"NOT (c.kind = 'found' AND EXISTS (SELECT 1 FROM links l JOIN cases r ON r.report_id = l.report_id" \
	" AND r.child_name IS NOT NULL WHERE l.found_id = c.report_id))"

/* A condition: a found child linked to report c has a name or other name
 * LIKE ?3 (sql_like.h): a search for the found child finds its report. */
#define LINKED_SQL_NAME_LIKE_3 \
	"EXISTS (SELECT 1 FROM links l JOIN cases f ON f.report_id = l.found_id WHERE l.report_id = c.report_id" \
	" AND (f.child_name LIKE ?3 ESCAPE '\\' OR f.other_names LIKE ?3 ESCAPE '\\'))"

#endif
