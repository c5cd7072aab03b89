/* The detail view's fields: the latest revision of the report, in full. */
#ifndef RAKSHA_BOARD_FIELDS_H
#define RAKSHA_BOARD_FIELDS_H

#include <stdint.h>

#include "board/board_case.h"
#include "board/board_sheet.h"

/* Lays out every field of @c's report, then the case's status, who
 * acknowledged it, escalation and sightings (@now for "12m ago"). */
void board_fields_sheet(struct sheet *s, const struct board_case *c, int64_t now);

#endif
