/* The .mo format (GNU gettext's manual, "The Format of GNU MO Files"):
 *   0  magic 0x950412de, in the writer's byte order
 *   4  revision (0)       8  N, the number of strings
 *  12  O, offset of the originals' table   16  T, of the translations'
 *  20  S, H: a hash table, not needed here (the originals are sorted)
 * and each table N pairs of (length, offset) of a string ended by NUL. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/i18n_mo.h"
#include "common/text.h"

#define MO_MAGIC 0x950412deu
#define MO_HEADER 28u

struct reader {
	const unsigned char *b;
	size_t size;
	bool swap;
};

static uint32_t u32(const struct reader *r, size_t at)
{
	const unsigned char *p = r->b + at;
	if (r->swap)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static int refuse(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int refuse(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* String @i of the table at @table: its offset in range and its NUL there. */
static int string_at(const struct reader *r, uint32_t table, uint32_t i, const char **s, uint32_t *len,
		     char *err, size_t errlen)
{
	size_t at = (size_t)table + 8u * i;
	*len = u32(r, at);
	uint32_t off = u32(r, at + 4);
	if ((uint64_t)off + *len >= r->size)
		return refuse(err, errlen, "byte %lu: string %lu runs past the end of the file",
			      (unsigned long)at, (unsigned long)i);
	if (r->b[off + *len] != '\0')
		return refuse(err, errlen, "byte %lu: string %lu is not ended by a NUL",
			      (unsigned long)off + *len, (unsigned long)i);
	*s = (const char *)r->b + off;
	return 0;
}

static int check_head(struct reader *r, uint32_t *n, uint32_t *orig, uint32_t *trans, char *err, size_t errlen)
{
	if (r->size < MO_HEADER)
		return refuse(err, errlen, "byte %lu: shorter than a .mo header (%lu bytes)",
			      (unsigned long)r->size, (unsigned long)MO_HEADER);
	r->swap = false;
	if (u32(r, 0) != MO_MAGIC) {
		r->swap = true;
		if (u32(r, 0) != MO_MAGIC)
			return refuse(err, errlen, "byte 0: not a .mo file (magic %lx)", (unsigned long)u32(r, 0));
	}
	if (u32(r, 4) >> 16 != 0)
		return refuse(err, errlen, "byte 4: revision %lu not known", (unsigned long)u32(r, 4));
	*n = u32(r, 8);
	*orig = u32(r, 12);
	*trans = u32(r, 16);
	if (*n == 0 || *n > I18N_MO_STRINGS_MAX)
		return refuse(err, errlen, "byte 8: %lu strings (1 to 65536 allowed)", (unsigned long)*n);
	if ((uint64_t)*orig + 8u * (uint64_t)*n > r->size)
		return refuse(err, errlen, "byte 12: the originals' table at %lu runs past the end", (unsigned long)*orig);
	if ((uint64_t)*trans + 8u * (uint64_t)*n > r->size)
		return refuse(err, errlen, "byte 16: the translations' table at %lu runs past the end", (unsigned long)*trans);
	return 0;
}

/* The next printf conversion of @s from *@p ("%s", "%lld", "%-3d"), as a
 * span; "%%" is no conversion. False at the end; *@bad for one not known. */
static bool next_conversion(const char **p, const char **start, size_t *len, bool *bad)
{
	const char *s = *p;
	while ((s = strchr(s, '%')) != NULL && s[1] == '%')
		s += 2;
	if (s == NULL)
		return false;
	size_t n = 1 + strspn(s + 1, "-+ #0123456789.lhzjt");
	*bad = s[n] == '\0' || strchr("diouxXcsfeEgG", s[n]) == NULL;
	*start = s;
	*len = n + 1;
	*p = s[n] ? s + n + 1 : s + n;
	return true;
}

static bool same_conversions(const char *id, const char *str)
{
	const char *a, *b;
	size_t an, bn;
	bool abad = false, bbad = false;
	for (;;) {
		bool more_a = next_conversion(&id, &a, &an, &abad);
		bool more_b = next_conversion(&str, &b, &bn, &bbad);
		if (abad || bbad || more_a != more_b)
			return false;
		if (!more_a)
			return true;
		if (an != bn || memcmp(a, b, an) != 0)
			return false;
	}
}

/* One form of a translation against its message. */
static const char *form_problem(const char *id, const char *form)
{
	size_t n = strlen(form);
	char *out = malloc(4 * n + 1);
	if (out == NULL)
		return "out of memory";
	bool clean = text_escape(form, out, 4 * n + 1) == n;
	free(out);
	if (!clean)
		return "a control or bidirectional character, or bytes not UTF-8";
	for (const char *c = "<>&\""; *c; c++)
		if (strchr(form, *c) && !strchr(id, *c))
			return "markup (< > & \") its message does not have";
	if (!same_conversions(id, form))
		return "printf conversions other than its message's";
	return NULL;
}

static unsigned plural_forms(enum i18n_plural_rule rule)
{
	return rule == I18N_PLURAL_NONE ? 1 : 2;
}

/* Every form of @e (a plural message has two ids: singular, plural). */
static int check_entry(const struct i18n_mo *mo, const struct i18n_mo_entry *e, size_t id_len,
		       char *err, size_t errlen)
{
	const char *one = e->id, *many = e->id;
	size_t one_len = strlen(one);
	if (one_len < id_len)
		many = one + one_len + 1;
	unsigned forms = 0;
	for (const char *f = e->str; f <= e->str + e->str_len; f += strlen(f) + 1) {
		const char *why = form_problem(forms == 0 ? one : many, f);
		if (why != NULL) {
			snprintf(err, errlen, "the translation of \"%.60s\": %s", one, why);
			return -EINVAL;
		}
		forms++;
	}
	bool plural = many != one;
	if (plural && forms != plural_forms(mo->plural)) {
		snprintf(err, errlen, "the translation of \"%.60s\": %u plural forms, the rule has %u", one, forms,
			 plural_forms(mo->plural));
		return -EINVAL;
	}
	if (!plural && forms != 1) {
		snprintf(err, errlen, "the translation of \"%.60s\": plural forms for a message with none", one);
		return -EINVAL;
	}
	return 0;
}

/* The header's charset (UTF-8 only) and plural rule, spaces ignored. */
static int read_header(struct i18n_mo *mo, const char *h, char *err, size_t errlen)
{
	static const struct { const char *text; enum i18n_plural_rule rule; } rules[] = {
		{"nplurals=2;plural=(n!=1);", I18N_PLURAL_NOT_ONE}, {"nplurals=2;plural=n!=1;", I18N_PLURAL_NOT_ONE},
		{"nplurals=2;plural=(n>1);", I18N_PLURAL_ABOVE_ONE}, {"nplurals=2;plural=n>1;", I18N_PLURAL_ABOVE_ONE},
		{"nplurals=1;plural=0;", I18N_PLURAL_NONE},
	};
	if (strstr(h, "charset=UTF-8") == NULL) {
		snprintf(err, errlen, "the header says no charset=UTF-8");
		return -EINVAL;
	}
	mo->plural = I18N_PLURAL_NOT_ONE;  /* gettext's own default */
	const char *p = strstr(h, "Plural-Forms:");
	if (p == NULL)
		return 0;
	char rule[64];
	size_t n = 0;
	for (p += strlen("Plural-Forms:"); *p && *p != '\n' && n + 1 < sizeof(rule); p++)
		if (*p != ' ')
			rule[n++] = *p;
	rule[n] = '\0';
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (strcmp(rule, rules[i].text) == 0) {
			mo->plural = rules[i].rule;
			return 0;
		}
	snprintf(err, errlen, "the header's Plural-Forms \"%s\" is not one of the rules known (i18n_mo.h)", rule);
	return -EINVAL;
}

static int read_entries(struct i18n_mo *mo, const struct reader *r, uint32_t n, uint32_t orig, uint32_t trans,
			char *err, size_t errlen)
{
	const char *prev = NULL;
	for (uint32_t i = 0; i < n; i++) {
		struct i18n_mo_entry e;
		uint32_t id_len;
		int rc = string_at(r, orig, i, &e.id, &id_len, err, errlen);
		if (rc < 0)
			return rc;
		rc = string_at(r, trans, i, &e.str, &e.str_len, err, errlen);
		if (rc < 0)
			return rc;
		if (prev != NULL && strcmp(prev, e.id) >= 0)
			return refuse(err, errlen, "byte %lu: string %lu is out of order (or there twice)",
				      (unsigned long)orig + 8u * i, (unsigned long)i);
		prev = e.id;
		if (i == 0 && e.id[0] == '\0') {
			rc = read_header(mo, e.str, err, errlen);
		} else {
			rc = check_entry(mo, &e, id_len, err, errlen);
			mo->v[mo->n++] = e;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

int i18n_mo_parse(struct i18n_mo *mo, unsigned char *bytes, size_t size, char *err, size_t errlen)
{
	struct reader r = {bytes, size, false};
	uint32_t n = 0, orig = 0, trans = 0;
	memset(mo, 0, sizeof(*mo));
	int rc = check_head(&r, &n, &orig, &trans, err, errlen);
	if (rc < 0)
		goto fail;
	mo->bytes = bytes;
	mo->size = size;
	mo->plural = I18N_PLURAL_NOT_ONE;
	mo->v = calloc(n, sizeof(*mo->v));
	rc = mo->v ? read_entries(mo, &r, n, orig, trans, err, errlen) : -ENOMEM;
	if (rc < 0)
		goto fail;
	return 0;
fail:
	free(mo->v);
	free(bytes);
	memset(mo, 0, sizeof(*mo));
	return rc;
}

int i18n_mo_load(struct i18n_mo *mo, const char *path, char *err, size_t errlen)
{
	char why[200];
	memset(mo, 0, sizeof(*mo));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		int e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		if (fd >= 0)
			close(fd);
		return e == ENOENT ? -ENOENT : -EIO;
	}
	if (st.st_size > (off_t)I18N_MO_MAX) {
		close(fd);
		snprintf(err, errlen, "%s: larger than %u bytes", path, I18N_MO_MAX);
		return -EFBIG;
	}
	size_t size = (size_t)st.st_size;
	unsigned char *b = malloc(size + 1);
	ssize_t got = b ? read(fd, b, size) : -1;
	close(fd);
	if (got < 0 || (size_t)got != size) {
		free(b);
		snprintf(err, errlen, "%s: cannot be read", path);
		return -EIO;
	}
	int r = i18n_mo_parse(mo, b, size, why, sizeof(why));
	if (r < 0)
		snprintf(err, errlen, "%s: %s", path, why);
	return r;
}

static int by_id(const void *key, const void *elem)
{
	const struct i18n_mo_entry *e = elem;
	return strcmp(key, e->id);
}

const struct i18n_mo_entry *i18n_mo_find(const struct i18n_mo *mo, const char *id)
{
	if (mo->n == 0)
		return NULL;
	return bsearch(id, mo->v, mo->n, sizeof(*mo->v), by_id);
}

const char *i18n_mo_form(const struct i18n_mo_entry *e, unsigned form)
{
	const char *f = e->str;
	for (unsigned i = 0; i < form; i++) {
		f += strlen(f) + 1;
		if (f > e->str + e->str_len)
			return NULL;
	}
	return f;
}

void i18n_mo_free(struct i18n_mo *mo)
{
	free(mo->v);
	free(mo->bytes);
	memset(mo, 0, sizeof(*mo));
}
