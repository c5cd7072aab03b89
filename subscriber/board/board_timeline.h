/* The case's history: every revision, sighting, update, ack and
 * escalation, one line each, in the order they were sent. */
#ifndef RAKSHA_BOARD_TIMELINE_H
#define RAKSHA_BOARD_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include <raksha/uuid.h>
#include <sqlite3.h>

#include "board/board_sheet.h"

struct timeline_entry {
	char kind[12];   /* messages.kind: "report", "ack", ...; "refused": not taken */
	char *text;      /* "29 Nov 10:05  ACK  acting, by GRP Bhopal (mp/bhopal/grp)" */
};

struct timeline {
	struct timeline_entry *entries;
	size_t n;
};

/* Reads the history of case @id. Returns 0, -EIO or -ENOMEM. */
int board_timeline_load(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], struct timeline *out);

void board_timeline_free(struct timeline *t);

/* Lays the entries out, each in its kind's colour. */
void board_timeline_sheet(struct sheet *s, const struct timeline *t);

#endif
