#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/check_strings.h"
#include "lib/fields.h"
#include "lib/problem.h"
#include "lib/utf8.h"

/* Where the walk is, as a chain from the innermost field up to the envelope.
 * The path text is only made when something fails: formatting it for every
 * field would cost more than the checks themselves. */
struct frame {
	const struct frame *up;
	const char *name;
	long index;          /* element of a repeated field, or -1 */
};

static size_t format_path(const struct frame *f, char *buf, size_t size)
{
	if (f == NULL)
		return 0;
	size_t n = format_path(f->up, buf, size);
	int w = f->index < 0 ? snprintf(buf + n, size - n, "%s%s", n ? "." : "", f->name)
			     : snprintf(buf + n, size - n, "%s%s[%ld]", n ? "." : "", f->name, f->index);
	n += w > 0 ? (size_t)w : 0;
	return n < size ? n : size - 1;
}

static int check_one(const char *s, const struct frame *f, struct raksha_problem *p)
{
	size_t len = strlen(s), at;
	uint32_t cp;
	enum utf8_verdict v = len > STRING_MAX ? UTF8_OK : utf8_check(s, len, &at, &cp);
	if (len <= STRING_MAX && v == UTF8_OK)
		return 0;
	char path[160] = "";
	format_path(f, path, sizeof(path));
	if (len > STRING_MAX)
		return problem_set(p, -EINVAL, RAKSHA_CAUSE_INVALID,
				   "%s: %zu bytes, longer than %u", path, len, STRING_MAX);
	if (v == UTF8_MALFORMED)
		return problem_set(p, -EILSEQ, RAKSHA_CAUSE_UTF8,
				   "%s: invalid UTF-8 at byte %zu (0x%02x)", path, at, cp);
	return problem_set(p, -EILSEQ, RAKSHA_CAUSE_UTF8,
			   "%s: control character U+%04X at byte %zu", path, cp, at);
}

/* A value the schema does not name has no meaning a reader could agree on
 * (-1 would be shown as one priority, sorted as another and matched by no
 * rule): refused, on decode and on encode alike. */
static int check_enum(const ProtobufCFieldDescriptor *fd, int value, const struct frame *f,
		      struct raksha_problem *p)
{
	const ProtobufCEnumDescriptor *ed = fd->descriptor;
	if (protobuf_c_enum_descriptor_get_value(ed, value) != NULL)
		return 0;
	char path[160] = "";
	format_path(f, path, sizeof(path));
	return problem_set(p, -EINVAL, RAKSHA_CAUSE_INVALID, "%s: %d is not a value of %s",
			   path, value, ed->name);
}

static int check_value(const ProtobufCFieldDescriptor *fd, const void *v, const struct frame *f,
		       struct raksha_problem *p);

static int walk(const ProtobufCMessage *msg, const struct frame *up, struct raksha_problem *p);

static int walk_field(const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *fd,
		      const struct frame *up, struct raksha_problem *p)
{
	bool checked = fd->type == PROTOBUF_C_TYPE_STRING || fd->type == PROTOBUF_C_TYPE_MESSAGE ||
		       fd->type == PROTOBUF_C_TYPE_ENUM;
	if (!checked && fd->label != PROTOBUF_C_LABEL_REPEATED)
		return 0;
	size_t n = field_count(msg, fd);
	bool repeated = fd->label == PROTOBUF_C_LABEL_REPEATED;
	struct frame f = {.up = up, .name = fd->name, .index = -1};
	if (repeated && n > REPEATED_MAX) {
		char path[160];
		format_path(&f, path, sizeof(path));
		return problem_set(p, -EINVAL, RAKSHA_CAUSE_INVALID,
				   "%s: %zu entries, more than %u", path, n, REPEATED_MAX);
	}
	if (!checked)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (repeated)
			f.index = (long)i;
		int r = check_value(fd, field_value(msg, fd, i), &f, p);
		if (r < 0)
			return r;
	}
	return 0;
}

static int check_value(const ProtobufCFieldDescriptor *fd, const void *v, const struct frame *f,
		       struct raksha_problem *p)
{
	switch (fd->type) {
	case PROTOBUF_C_TYPE_STRING:
		return check_one(*(char *const *)v, f, p);
	case PROTOBUF_C_TYPE_ENUM:
		return check_enum(fd, *(const int *)v, f, p);
	default:
		return walk(*(ProtobufCMessage *const *)v, f, p);
	}
}

/* A string or message field outside lists and oneofs (most fields):
 * present when not NULL (a "" passes anyway), as field_count() says, read
 * in place. Returns 1 for a field of another sort, for walk_field(). The
 * general walk for every field was a tenth of a decode's instructions
 * (docs/benchmarks.md, issue 19 part 5). */
static int walk_plain(const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *fd,
		      const struct frame *up, struct raksha_problem *p)
{
	if (fd->label == PROTOBUF_C_LABEL_REPEATED || (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF))
		return 1;
	const void *v = (const char *)msg + fd->offset;
	struct frame f = {.up = up, .name = fd->name, .index = -1};
	if (fd->type == PROTOBUF_C_TYPE_MESSAGE) {
		const ProtobufCMessage *m = *(ProtobufCMessage *const *)v;
		return m != NULL ? walk(m, &f, p) : 0;
	}
	if (fd->type != PROTOBUF_C_TYPE_STRING)
		return fd->type == PROTOBUF_C_TYPE_ENUM;  /* other scalars: nothing to check */
	const char *s = *(char *const *)v;
	return (s == NULL || s[0] == '\0') ? 0 : check_one(s, &f, p);
}

static int walk(const ProtobufCMessage *msg, const struct frame *up, struct raksha_problem *p)
{
	if (msg == NULL)
		return 0;
	const ProtobufCMessageDescriptor *d = msg->descriptor;
	for (unsigned i = 0; i < d->n_fields; i++) {
		int r = walk_plain(msg, &d->fields[i], up, p);
		if (r == 1)
			r = walk_field(msg, &d->fields[i], up, p);
		if (r < 0)
			return r;
	}
	return 0;
}

int check_strings(const ProtobufCMessage *msg, struct raksha_problem *p)
{
	return walk(msg, NULL, p);
}
