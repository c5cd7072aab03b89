/* The fields of a posted form (application/x-www-form-urlencoded). */
#ifndef RAKSHA_DESK_FORM_H
#define RAKSHA_DESK_FORM_H

#include <stdbool.h>
#include <stddef.h>

/* The first field named @name in @body, decoded (+ as a space, %XX as its
 * byte), into @out (@size bytes). False if there is none, if it does not
 * fit, or if it decodes to a NUL or is badly escaped. */
bool desk_form_get(const char *body, const char *name, char *out, size_t size);

#endif
