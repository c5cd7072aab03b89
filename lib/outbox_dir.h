/* Internal: the outbox folder's handle and naming, shared by outbox.c
 * (writing) and outbox_scan.c (reading back). */
#ifndef RAKSHA_LIB_OUTBOX_DIR_H
#define RAKSHA_LIB_OUTBOX_DIR_H

#include <raksha/outbox.h>

/* An entry is "<message id as UUID text>.msg". */
#define OUTBOX_SUFFIX ".msg"
#define OUTBOX_NAME_LEN (RAKSHA_UUID_TEXT_LEN + sizeof(OUTBOX_SUFFIX) - 1)

struct raksha_outbox {
	int dirfd;
	int lockfd;   /* -1 until raksha_outbox_lock() */
};

#endif
