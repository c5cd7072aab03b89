/* The links of a case (docs/agent.md, "Links"): for a report, the found
 * children said to be it; for a found child, the report it is. Who said
 * so and when, and what the other case holds: where the found child is
 * held and by whom, or the report's child. */
#ifndef RAKSHA_BOARD_LINKS_H
#define RAKSHA_BOARD_LINKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <raksha/uuid.h>
#include <sqlite3.h>

struct board_link {
	uint8_t other_id[RAKSHA_UUID_LEN];  /* the found child's, or the report's */
	bool other_known;        /* the other case is in the database */
	char *name;              /* the other case's child; "" if not known */
	char *place, *station;   /* found: where it was found and is held */
	bool in_custody;
	char *holder;            /* found: "RPF Post Itarsi (mp/itarsi/rpf)" */
	char *by;                /* who linked: "RPF Post Itarsi (mp/itarsi/rpf)" */
	char *notes;
	int64_t at_ms;           /* when, by the linker's clock */
};

struct board_links {
	struct board_link *v;
	size_t n;
};

/* Reads the links of case @id, a found child's if @found: its latest
 * link only (a later one names another report); else every found child
 * whose latest link names it. Returns 0, -EIO or -ENOMEM. */
int board_links_load(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], bool found, struct board_links *out);

void board_links_free(struct board_links *l);

#endif
