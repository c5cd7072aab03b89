/* libraksha: the integrators' API of the Raksha alert bus.
 *
 * Conventions: every function that can fail returns 0 (or a length) on
 * success and a negative errno on failure; each documents the errnos it
 * returns. Where a failure needs words, a struct raksha_problem receives them.
 * Nothing is exported but raksha_* symbols. */
#ifndef RAKSHA_RAKSHA_H
#define RAKSHA_RAKSHA_H

#include <raksha/client.h>
#include <raksha/envelope.h>
#include <raksha/json.h>
#include <raksha/outbox.h>
#include <raksha/photo.h>
#include <raksha/problem.h>
#include <raksha/sign.h>
#include <raksha/topic.h>
#include <raksha/uuid.h>
#include <raksha/version.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of the library this program runs with, "MAJOR.MINOR.PATCH"
 * (RAKSHA_VERSION_STRING is the headers' it was built with). Returns a
 * static string; never fails. */
const char *raksha_version(void);

#ifdef __cplusplus
}
#endif

#endif
