/* The other names of each report (transliterations, nicknames), for the
 * list's search: the case view keeps only the child's name, so they are in
 * the stored envelope. An SQL function on the board's connection,
 * board_other_names(seq), gives them for the message at messages.seq, each
 * envelope decoded once in the board's life (a report's revision is never
 * rewritten), so that a search over 100,000 cases decodes nothing twice. */
#ifndef RAKSHA_BOARD_NAMES_H
#define RAKSHA_BOARD_NAMES_H

#include <stdint.h>

#include <sqlite3.h>

struct board_names;

/* Makes board_other_names() on @db: "name, name" ("" if none, or if the
 * message is not a report that decodes). Returns 0, -ENOMEM or -EIO. */
int board_names_attach(sqlite3 *db, struct board_names **out);

/* Decodes the other names of up to @max reports the function does not know
 * yet, in the order the cases were made, for at most about @budget_ms (a
 * report with large photos is slow to read), so that the first search
 * finds them known: the board calls it while nobody types. Returns how
 * many it decoded (0 once it has been through every case; later ones are
 * decoded at the next calls, or when a search meets them), -ENOMEM or
 * -EIO. */
int board_names_warm(struct board_names *n, int max, int64_t budget_ms);

/* Frees what the function learned; before closing @db, after which the
 * function is not called again. NULL is a no-op. */
void board_names_free(struct board_names *n);

#endif
