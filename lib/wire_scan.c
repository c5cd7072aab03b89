#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/check_strings.h"
#include "lib/problem.h"
#include "lib/wire_scan.h"

enum { WIRE_VARINT = 0, WIRE_64BIT = 1, WIRE_LEN = 2, WIRE_32BIT = 5 };

static const char *const wire_names[8] = {
	"0 (varint)", "1 (64-bit)", "2 (length-delimited)", "3 (group start)",
	"4 (group end)", "5 (32-bit)", "6 (invalid)", "7 (invalid)",
};

/* The field path down to here, innermost last; formatted only to report. */
struct frame {
	const struct frame *up;
	const char *name;
};

struct scan {
	const uint8_t *buf;
	/* 1: the framing is known good (wire_check): look for NUL in strings,
	 * fields given twice, too many fields; 0: look for framing faults. */
	int accepted;
	enum raksha_cause cause; /* of what the scan found */
	unsigned unknown;        /* fields the descriptors do not know, so far */
	char *out;
	size_t size;
};

/* The fields one message instance has had so far, by their index in its
 * descriptor (field numbers can be large; indices are dense), and how many
 * entries each repeated one has (saturating). An entry count is set when
 * its field's bit is, so that only the bits need clearing: each message
 * instance of each decode makes one of these. */
struct seen {
	uint64_t bits[WIRE_FIELDS_MAX / 64];
	uint32_t entries[WIRE_FIELDS_MAX];
	unsigned lists;  /* repeated fields met: none, and no list to count at the end */
};

static void seen_set(struct seen *seen, size_t i)
{
	seen->bits[i / 64] |= UINT64_C(1) << (i % 64);
}

static int seen_has(const struct seen *seen, size_t i)
{
	return (seen->bits[i / 64] >> (i % 64)) & 1;
}

static size_t format_path(const struct frame *f, char *buf, size_t size)
{
	if (f == NULL)
		return 0;
	size_t n = format_path(f->up, buf, size);
	int w = snprintf(buf + n, size - n, "%s%s", n ? "." : "", f->name);
	n += w > 0 ? (size_t)w : 0;
	return n < size ? n : size - 1;
}

__attribute__((format(printf, 4, 5)))
static int fault(struct scan *s, size_t at, const struct frame *f, const char *fmt, ...)
{
	char path[128] = "";
	format_path(f, path, sizeof(path));
	int n = snprintf(s->out, s->size, "byte %zu: %s", at, path);
	va_list ap;
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < s->size)
		vsnprintf(s->out + n, s->size - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* A field given once too often, or a list too long: the field path first,
 * as the field rules write their problems (docs/schema.md, "Rejections"). */
__attribute__((format(printf, 3, 4)))
static int field_fault(struct scan *s, const struct frame *f, const char *fmt, ...)
{
	size_t n = format_path(f, s->out, s->size);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->out + n, s->size - n, fmt, ap);
	va_end(ap);
	s->cause = RAKSHA_CAUSE_INVALID;
	return -1;
}

static int read_varint_long(const uint8_t *buf, size_t end, size_t *pos, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; shift < 70 && *pos < end; shift += 7) {
		uint8_t b = buf[(*pos)++];
		*v |= (uint64_t)(b & 0x7f) << (shift < 64 ? shift : 63);
		if (!(b & 0x80))
			return 0;
	}
	return -1;
}

/* Reads a varint at *@pos. Returns 0, or -1 if it runs past @end or over 10
 * bytes. Nearly every key and length is one byte: that one inline, without
 * the loop (docs/benchmarks.md, issue 19 part 5). */
static inline int read_varint(const uint8_t *buf, size_t end, size_t *pos, uint64_t *v)
{
	if (*pos < end && buf[*pos] < 0x80) {
		*v = buf[(*pos)++];
		return 0;
	}
	return read_varint_long(buf, end, pos, v);
}

static int expected_wire(const ProtobufCFieldDescriptor *fd)
{
	switch (fd->type) {
	case PROTOBUF_C_TYPE_STRING:
	case PROTOBUF_C_TYPE_BYTES:
	case PROTOBUF_C_TYPE_MESSAGE:
		return WIRE_LEN;
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_DOUBLE:
		return WIRE_64BIT;
	case PROTOBUF_C_TYPE_FIXED32:
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_FLOAT:
		return WIRE_32BIT;
	default:
		/* Packed repeated scalars come length-delimited too. */
		return fd->label == PROTOBUF_C_LABEL_REPEATED ? -1 : WIRE_VARINT;
	}
}

static int walk(struct scan *s, const ProtobufCMessageDescriptor *desc, size_t pos, size_t end,
		const struct frame *up);

/* protobuf_c_message_descriptor_get_field(), the ranges of field numbers
 * read in turn when there are few (every message of the schema has one to
 * three: 1..n, and the envelope's blocks): the library's binary search was
 * a sixth of the scan (docs/benchmarks.md, issue 19 part 5). Ranges are
 * sorted and apart, so both find the same field; more take the library's. */
#define FEW_RANGES 4u

static const ProtobufCFieldDescriptor *field_of(const ProtobufCMessageDescriptor *desc, unsigned num)
{
	if (desc->n_field_ranges > FEW_RANGES)
		return protobuf_c_message_descriptor_get_field(desc, num);
	const ProtobufCIntRange *r = desc->field_ranges;
	for (unsigned k = 0; k < desc->n_field_ranges; k++) {
		/* r[k + 1] exists: the last range is followed by the end. */
		unsigned first = (unsigned)r[k].start_value, n = r[k + 1].orig_index - r[k].orig_index;
		if (num >= first && num - first < n)
			return &desc->fields[r[k].orig_index + (num - first)];
	}
	return NULL;
}

/* The length of a fixed-size value of wire type @wire; 0 for the others. */
static size_t fixed_size(unsigned wire)
{
	switch (wire) {
	case WIRE_64BIT:
		return 8;
	case WIRE_32BIT:
		return 4;
	default:
		return 0;
	}
}

/* Checks the value of one field whose key was at @at and whose value starts
 * at *@pos; moves *@pos past it. */
static int field(struct scan *s, const ProtobufCFieldDescriptor *fd, unsigned wire, size_t at,
		 size_t *pos, size_t end, const struct frame *f)
{
	uint64_t n;
	size_t need = fixed_size(wire);
	if (wire == WIRE_VARINT && read_varint(s->buf, end, pos, &n) < 0)
		return fault(s, at, f, ": varint runs past the end (truncated?)");
	if (wire == WIRE_LEN) {
		if (read_varint(s->buf, end, pos, &n) < 0 || n > end - *pos)
			return fault(s, at, f, ": length runs past the end (truncated?)");
		need = (size_t)n;
		if (fd && fd->type == PROTOBUF_C_TYPE_MESSAGE &&
		    walk(s, fd->descriptor, *pos, *pos + need, f) < 0)
			return -1;
		const uint8_t *nul = NULL;
		if (s->accepted && fd && fd->type == PROTOBUF_C_TYPE_STRING)
			nul = memchr(s->buf + *pos, 0, need);
		if (nul != NULL) {
			s->cause = RAKSHA_CAUSE_UTF8;
			return fault(s, (size_t)(nul - s->buf), f, ": NUL byte (U+0000) inside a string");
		}
	}
	if (need > end - *pos)
		return fault(s, at, f, ": value runs past the end (truncated?)");
	*pos += need;
	return 0;
}

/* The member of @fd's oneof that came before it in this message, or NULL. */
static const ProtobufCFieldDescriptor *oneof_rival(const ProtobufCMessageDescriptor *desc,
						   const ProtobufCFieldDescriptor *fd,
						   const struct seen *seen)
{
	if (!(fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF))
		return NULL;
	/* protobuf-c keeps no list of a oneof's members: they are the fields
	 * whose case lives at the same offset. */
	for (unsigned i = 0; i < desc->n_fields && i < WIRE_FIELDS_MAX; i++) {
		const ProtobufCFieldDescriptor *o = &desc->fields[i];
		if (o != fd && (o->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
		    o->quantifier_offset == fd->quantifier_offset &&
		    seen_has(seen, i))
			return o;
	}
	return NULL;
}

/* A field that is not repeated may come once in its message, and one member
 * of a oneof only. Such bytes are valid protobuf, but decoders do not agree
 * on them: protobuf-c keeps the last copy of a oneof's member (the body),
 * Python and C++ merge the copies field by field (what the last copy leaves
 * out stays the first's), so another decoder would read another envelope
 * than the one we checked. A scalar given twice is refused as well: one
 * meaning should not hang on every reader taking the last copy. Fields
 * @desc does not know (a newer schema's) are not counted. */
static int once(struct scan *s, const ProtobufCMessageDescriptor *desc,
		const ProtobufCFieldDescriptor *fd, struct seen *seen, size_t at,
		const struct frame *f)
{
	if (!s->accepted || fd == NULL || fd->label == PROTOBUF_C_LABEL_REPEATED)
		return 0;
	size_t i = (size_t)(fd - desc->fields);
	if (i >= WIRE_FIELDS_MAX)
		return field_fault(s, f, ": field %zu of its type, more than a scan tracks (%d)", i + 1,
				   WIRE_FIELDS_MAX);
	if (seen_has(seen, i))
		return field_fault(s, f, ": appears twice (again at byte %zu)", at);
	const ProtobufCFieldDescriptor *rival = oneof_rival(desc, fd, seen);
	if (rival != NULL)
		return field_fault(s, f->up, "%s%s and %s: two members of one oneof (the second at byte %zu)",
				   f->up ? "." : "", rival->name, fd->name, at);
	seen_set(seen, i);
	return 0;
}

/* What protobuf-c's unpack would make of each field costs memory before any
 * rule is checked: a copy of every unknown field (with its own allocation
 * and a 24-byte record), an array slot and an allocation per entry of a
 * repeated string or message, 32 bytes of bookkeeping per field. Two bytes
 * of wire can cost it 90 (2 MB of two-byte fields took 260 MiB). So the
 * fields are counted on the wire first: unknown ones up to WIRE_UNKNOWN_MAX
 * in the envelope, repeated ones up to their list's limit (the number
 * check_strings() would refuse after decoding, with the same words). */
static int count(struct scan *s, const ProtobufCMessageDescriptor *desc,
		 const ProtobufCFieldDescriptor *fd, struct seen *seen, unsigned num, size_t at,
		 const struct frame *up)
{
	if (!s->accepted)
		return 0;
	if (fd == NULL && ++s->unknown > WIRE_UNKNOWN_MAX) {
		s->cause = RAKSHA_CAUSE_INVALID;
		return fault(s, at, up, "%sfield %u, unknown to this schema, is one more than the %d "
			     "unknown fields an envelope may hold", up ? ": " : "", num, WIRE_UNKNOWN_MAX);
	}
	if (fd == NULL || fd->label != PROTOBUF_C_LABEL_REPEATED)
		return 0;
	size_t i = (size_t)(fd - desc->fields);
	if (i >= WIRE_FIELDS_MAX)
		return 0;
	if (!seen_has(seen, i)) {
		seen_set(seen, i);
		seen->entries[i] = 0;
		seen->lists++;
	}
	if (seen->entries[i] < UINT32_MAX)
		seen->entries[i]++;
	return 0;
}

/* At the end of a message instance: its repeated fields within the limit. */
static int lists_within(struct scan *s, const ProtobufCMessageDescriptor *desc,
			const struct seen *seen, const struct frame *up)
{
	for (unsigned i = 0; seen->lists > 0 && i < desc->n_fields && i < WIRE_FIELDS_MAX; i++) {
		if (desc->fields[i].label != PROTOBUF_C_LABEL_REPEATED || !seen_has(seen, i) ||
		    seen->entries[i] <= REPEATED_MAX)
			continue;
		struct frame f = {.up = up, .name = desc->fields[i].name};
		return field_fault(s, &f, ": %" PRIu32 " entries, more than %u", seen->entries[i], REPEATED_MAX);
	}
	return 0;
}

static int walk(struct scan *s, const ProtobufCMessageDescriptor *desc, size_t pos, size_t end,
		const struct frame *up)
{
	struct seen seen;
	memset(seen.bits, 0, sizeof(seen.bits));
	seen.lists = 0;
	while (pos < end) {
		size_t at = pos;
		uint64_t key;
		if (read_varint(s->buf, end, &pos, &key) < 0)
			return fault(s, at, up, "%sfield key runs past the end (truncated?)", up ? ": " : "");
		unsigned wire = key & 7, num = (unsigned)(key >> 3);
		const ProtobufCFieldDescriptor *fd =
			num ? field_of(desc, num) : NULL;
		struct frame f = {.up = up, .name = fd ? fd->name : "(unknown field)"};
		if (num == 0 || wire == 3 || wire == 4 || wire > 5)
			return fault(s, at, up, "%sfield %u has wire type %s, not a protobuf field",
				     up ? ": " : "", num, wire_names[wire]);
		int want = fd ? expected_wire(fd) : -1;
		if (want >= 0 && (unsigned)want != wire)
			return fault(s, at, &f, " has wire type %s, expected %s", wire_names[wire],
				     wire_names[want]);
		if (once(s, desc, fd, &seen, at, &f) < 0 || count(s, desc, fd, &seen, num, at, up) < 0)
			return -1;
		if (field(s, fd, wire, at, &pos, end, &f) < 0)
			return -1;
	}
	return s->accepted ? lists_within(s, desc, &seen, up) : 0;
}

int wire_diagnose(const ProtobufCMessageDescriptor *desc, const void *data, size_t len,
		  char *out, size_t size)
{
	struct scan s = {.buf = data, .accepted = 0, .out = out, .size = size};
	if (walk(&s, desc, 0, len, NULL) < 0)
		return -EBADMSG;
	snprintf(out, size, "%zu bytes refused by protobuf-c (no framing fault found: "
		 "a value out of its type's range, or no memory)", len);
	return 0;
}

/* The errno that goes with each cause the scan finds (raksha/problem.h). */
static int cause_errno(enum raksha_cause cause)
{
	switch (cause) {
	case RAKSHA_CAUSE_UTF8: return -EILSEQ;
	case RAKSHA_CAUSE_INVALID: return -EINVAL;
	default: return -EBADMSG;
	}
}

int wire_check(const ProtobufCMessageDescriptor *desc, const void *data, size_t len,
	       struct raksha_problem *p)
{
	char text[RAKSHA_PROBLEM_TEXT_MAX] = "";
	struct scan s = {.buf = data, .accepted = 1, .cause = RAKSHA_CAUSE_UNDECODABLE,
			 .out = text, .size = sizeof(text)};
	if (walk(&s, desc, 0, len, NULL) == 0)
		return 0;
	return problem_set(p, cause_errno(s.cause), s.cause, "%s", text);
}
