/* What matching suggests for a case (docs/agent.md, "Matching"): for a
 * report, the found children that may be its child; for a found child, the
 * reports it may be. Only those still suggested (not dismissed, not
 * confirmed) and whose found child nobody has linked yet, best first. */
#ifndef RAKSHA_BOARD_MATCHES_H
#define RAKSHA_BOARD_MATCHES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <raksha/uuid.h>
#include <sqlite3.h>

struct board_match {
	uint8_t other_id[RAKSHA_UUID_LEN];  /* the found child's, or the report's */
	char *name;              /* the other case's child; "" if not known */
	int score;               /* 0..100 */
	char *why;               /* "name Sima~सीमा 1.00, age 9 in 9, ..." */
};

struct board_matches {
	struct board_match *v;
	size_t n;
};

/* Reads the suggestions for case @id, a found child's if @found.
 * Returns 0, -EIO or -ENOMEM. */
int board_matches_load(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], bool found, struct board_matches *out);

void board_matches_free(struct board_matches *m);

#endif
