#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "check_strings.h"
#include "fields.h"
#include "problem.h"
#include "utf8.h"

#define PATH_MAX_LEN 160

static int check_one(const char *s, const char *path, struct raksha_problem *p)
{
	size_t len = strlen(s), at;
	uint32_t cp;
	if (len > STRING_MAX)
		return problem_set(p, -EINVAL, RAKSHA_CAUSE_INVALID,
				   "%s: %zu bytes, longer than %u", path, len, STRING_MAX);
	switch (utf8_check(s, len, &at, &cp)) {
	case UTF8_OK:
		return 0;
	case UTF8_MALFORMED:
		return problem_set(p, -EILSEQ, RAKSHA_CAUSE_UTF8,
				   "%s: invalid UTF-8 at byte %zu (0x%02x)", path, at, cp);
	case UTF8_CONTROL:
		break;
	}
	return problem_set(p, -EILSEQ, RAKSHA_CAUSE_UTF8,
			   "%s: control character U+%04X at byte %zu", path, cp, at);
}

static int walk(const ProtobufCMessage *msg, char *path, size_t plen,
		struct raksha_problem *p);

static int walk_field(const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *fd,
		      char *path, size_t plen, struct raksha_problem *p)
{
	size_t n = field_count(msg, fd);
	bool repeated = fd->label == PROTOBUF_C_LABEL_REPEATED;
	snprintf(path + plen, PATH_MAX_LEN - plen, "%s%s", plen ? "." : "", fd->name);
	if (repeated && n > REPEATED_MAX)
		return problem_set(p, -EINVAL, RAKSHA_CAUSE_INVALID,
				   "%s: %zu entries, more than %u", path, n, REPEATED_MAX);
	if (fd->type != PROTOBUF_C_TYPE_STRING && fd->type != PROTOBUF_C_TYPE_MESSAGE)
		return 0;
	size_t flen = strlen(path);
	for (size_t i = 0; i < n; i++) {
		if (repeated)
			snprintf(path + flen, PATH_MAX_LEN - flen, "[%zu]", i);
		const void *v = field_value(msg, fd, i);
		int r;
		if (fd->type == PROTOBUF_C_TYPE_STRING)
			r = check_one(*(char *const *)v, path, p);
		else
			r = walk(*(ProtobufCMessage *const *)v, path, strlen(path), p);
		if (r < 0)
			return r;
	}
	return 0;
}

static int walk(const ProtobufCMessage *msg, char *path, size_t plen,
		struct raksha_problem *p)
{
	if (msg == NULL)
		return 0;
	const ProtobufCMessageDescriptor *d = msg->descriptor;
	for (unsigned i = 0; i < d->n_fields; i++) {
		int r = walk_field(msg, &d->fields[i], path, plen, p);
		if (r < 0)
			return r;
	}
	return 0;
}

int check_strings(const ProtobufCMessage *msg, struct raksha_problem *p)
{
	char path[PATH_MAX_LEN] = "";
	return walk(msg, path, 0, p);
}
