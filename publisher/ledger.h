/* The publisher's own copies of the reports it sent, so that --revise can
 * start from the last revision: each revision carries the full details. */
#ifndef RAKSHA_PUBLISH_LEDGER_H
#define RAKSHA_PUBLISH_LEDGER_H

#include <jansson.h>

/* The last report body sent with @report_id (UUID text), or NULL if this
 * machine never sent it. @outbox_dir locates the ledger beside it. */
json_t *ledger_load(const char *outbox_dir, const char *report_id);

/* Keeps @report (a Report body as JSON) as the last revision of its id.
 * Written atomically; returns 0 or a negative errno. */
int ledger_save(const char *outbox_dir, const char *report_id, const json_t *report);

#endif
