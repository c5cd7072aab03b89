/* Words for what the schema holds as numbers and nested messages. */
#ifndef RAKSHA_BOARD_DESCRIBE_H
#define RAKSHA_BOARD_DESCRIBE_H

#include <stddef.h>

#include <raksha/raksha.h>

/* Appends printf-style to @out (@size bytes) at *@n, never past its end. */
void board_describe_put(char *out, size_t size, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* "BPL 12627 coach S4, 29 Nov 09:30; platform 1, near the tea stall;
 * GRP Bhopal, bhopal". "" for NULL. */
void board_describe_place(const Raksha__V1__Place *p, char *out, size_t size);

/* "9" or "8-10" (years), and "female", "male", ...; "" when not given. */
void board_describe_age(const Raksha__V1__Child *c, char *out, size_t size);
const char *board_describe_gender(int gender);

/* "open", "found", ...; "acting", "received", "done"; "found", "closed",
 * ... (UpdateStatus); "URGENT", ... (Priority, 0 as HIGH). */
const char *board_describe_case_status(int status);
const char *board_describe_ack_state(int state);
const char *board_describe_update(int status);
const char *board_describe_priority(int priority);

/* The unit that sent @env: "GRP Post Bhopal Jn (mp/bhopal/grp)". */
/* @word of the database (a case's status "open", an ack's state "acting",
 * a timeline's kind "sighting") in the thread's language; another as it is. */
const char *board_describe_word(const char *word);

void board_describe_origin(const raksha_envelope *env, char *out, size_t size);

#endif
