/* A GNU .mo catalog (msgfmt's output) read and checked before a word of it
 * is used (common/i18n.h): a file from the disk that a person's screen then
 * shows, and whose strings the desk uses as printf formats, so nothing in
 * it is trusted. */
#ifndef RAKSHA_COMMON_I18N_MO_H
#define RAKSHA_COMMON_I18N_MO_H

#include <stddef.h>
#include <stdint.h>

#define I18N_MO_MAX (4u << 20)       /* bytes of a catalog; more is refused */
#define I18N_MO_STRINGS_MAX 65536u   /* its messages */

enum i18n_plural_rule {
	I18N_PLURAL_NOT_ONE,   /* plural=(n != 1): English, German... */
	I18N_PLURAL_ABOVE_ONE, /* plural=(n > 1): Hindi (CLDR: 0 and 1 are "one"), French */
	I18N_PLURAL_NONE,      /* nplurals=1; plural=0 */
};

struct i18n_mo_entry {
	const char *id;    /* "ctx\004msgid" with a context; "one\0many" for a plural */
	const char *str;   /* the translation; plural forms one after another, each ended by NUL */
	uint32_t str_len;  /* bytes of str, without the last NUL */
};

struct i18n_mo {
	unsigned char *bytes;   /* the file, which the entries point into */
	size_t size;
	struct i18n_mo_entry *v;  /* sorted by id (strcmp), the header left out */
	uint32_t n;
	enum i18n_plural_rule plural;
};

/* Checks @bytes (@size, taken over: freed by i18n_mo_free() or on
 * failure) as a .mo file: the magic (either byte order), revision 0, the
 * counts and every offset and length within the file, each string ended
 * by its NUL, the messages in strictly increasing order (looked up by
 * binary search), a header saying charset=UTF-8 and a plural rule of
 * enum i18n_plural_rule, and each translation: UTF-8 without a control
 * or bidirectional character (common/text.h), with the printf conversions
 * of its message in the same order, the plural form count of the rule,
 * and none of < > & " that the message does not have (a translation
 * cannot become markup). Returns 0, or -EINVAL with @err saying which
 * byte or message is wrong, or -ENOMEM. */
int i18n_mo_parse(struct i18n_mo *mo, unsigned char *bytes, size_t size, char *err, size_t errlen);

/* Reads and checks the file @path (i18n_mo_parse()). Returns 0, or a
 * negative errno with @err naming the file (-ENOENT, -EIO, -EFBIG, and
 * i18n_mo_parse()'s). */
int i18n_mo_load(struct i18n_mo *mo, const char *path, char *err, size_t errlen);

/* The entry for @id, or NULL. */
const struct i18n_mo_entry *i18n_mo_find(const struct i18n_mo *mo, const char *id);

/* Form @form (0 the first) of @e's translation; NULL past its forms. */
const char *i18n_mo_form(const struct i18n_mo_entry *e, unsigned form);

void i18n_mo_free(struct i18n_mo *mo);

#endif
