/* The fields the action forms take (desk_action.h), their limits and
 * rules, read from a posted body and rendered as inputs. A field that
 * breaks its rule is named, and nothing is published. */
#ifndef RAKSHA_DESK_ACTION_FIELDS_H
#define RAKSHA_DESK_ACTION_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "desk/desk.h"
#include "desk/desk_html.h"

#define DESK_NOTES_MAX 1000   /* bytes of a note; the desk's forms stay under DESK_BODY_MAX */

enum desk_field { FIELD_STATION, FIELD_TRAIN, FIELD_COACH, FIELD_WHERE, FIELD_HANDED, FIELD_NOTES,
		  DESK_FIELDS };

_Static_assert(DESK_FIELDS * DESK_NOTES_MAX * 3 + 1024 <= DESK_BODY_MAX,
	       "a form with every field full of non-ASCII text must fit DESK_BODY_MAX");

struct desk_action_values {
	char v[DESK_FIELDS][DESK_NOTES_MAX + 1];
};

struct desk_ack_state {
	const char *word, *label;
	int state;  /* Raksha__V1__AckState */
};

#define DESK_ACK_STATES 3
extern const struct desk_ack_state desk_ack_states[DESK_ACK_STATES];

/* The fields @want (a bit per enum desk_field) of @body into @out. Returns
 * -1 if all are good, else the first bad field, with @err (@errlen bytes)
 * saying why in words naming it. */
int desk_action_fields_read(const char *body, unsigned want, struct desk_action_values *out, char *err,
			    size_t errlen);

/* Whether @s follows field @i's rule: 0, or -EINVAL with @err (@errlen
 * bytes) naming it, in the words desk_action_fields_read() uses. */
int desk_action_field_check(enum desk_field i, const char *s, char *err, size_t errlen);

/* The inputs of fields @want of form @form ("ack", "found": their ids are
 * "FORM-NAME"), filled with @v (NULL: empty), the error @err beside field
 * @bad (-1: none). */
void desk_action_field_inputs(struct desk_html *h, const char *form, const struct desk_action_values *v,
			      unsigned want, int bad, const char *err);

/* The in-custody checkbox of form @form, @checked or not. */
void desk_action_custody(struct desk_html *h, const char *form, bool checked);

/* The Ack's states as radio buttons, @checked (Raksha__V1__AckState) chosen. */
void desk_action_ack_states(struct desk_html *h, int checked);

/* The same fields as hidden inputs (the confirmation page re-posts them). */
void desk_action_field_hidden(struct desk_html *h, const struct desk_action_values *v);

#endif
