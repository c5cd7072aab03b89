/* Signing keys for raksha-publish: the keygen command, and the key that
 * signs every envelope when one is configured. */
#ifndef RAKSHA_PUBLISH_KEYGEN_H
#define RAKSHA_PUBLISH_KEYGEN_H

#include "publisher/publish.h"

/* raksha-publish keygen [--id ID] [--role ROLE] [--out FILE]. Returns a sysexits code. */
int keygen_run(struct pub *p, int argc, char **argv);

/* Loads p->signing_key_path, if set, into p->signing_key, and makes the
 * sender id the key's. Returns 0, or a sysexits code after saying why. */
int keygen_load(struct pub *p);

#endif
