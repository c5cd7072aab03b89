/* common/i18n: .mo catalogs made here byte by byte (as msgfmt writes
 * them), each damage a hostile file could carry refused with the byte or
 * message named, the words looked up per thread, the plural rule, the
 * Indian date, and the language picked from Accept-Language and from the
 * environment. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/i18n.h"
#include "common/i18n_mo.h"
#include "tests/lib/tap.h"

struct msg {
	const char *id, *str;
	size_t id_len, str_len;  /* 0: strlen (a plural's has NULs inside) */
};

static const char HEADER[] = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n > 1);\n";

static void put32(unsigned char *p, uint32_t v, int big)
{
	for (int i = 0; i < 4; i++)
		p[big ? 3 - i : i] = (unsigned char)(v >> (8 * i));
}

/* A .mo of @m (@n messages, in the order given) into a malloc'd buffer. */
static unsigned char *make_mo(const struct msg *m, uint32_t n, int big, size_t *size)
{
	size_t at = 28 + 16 * (size_t)n, total = at;
	for (uint32_t i = 0; i < n; i++)
		total += (m[i].id_len ? m[i].id_len : strlen(m[i].id)) + (m[i].str_len ? m[i].str_len : strlen(m[i].str)) + 2;
	unsigned char *b = calloc(1, total);
	put32(b, 0x950412de, big);
	put32(b + 8, n, big);
	put32(b + 12, 28, big);
	put32(b + 16, 28 + 8 * n, big);
	for (int t = 0; t < 2; t++)
		for (uint32_t i = 0; i < n; i++) {
			const char *s = t ? m[i].str : m[i].id;
			size_t len = t ? m[i].str_len : m[i].id_len;
			len = len ? len : strlen(s);
			put32(b + 28 + 8 * (t * n + i), (uint32_t)len, big);
			put32(b + 28 + 8 * (t * n + i) + 4, (uint32_t)at, big);
			memcpy(b + at, s, len);
			at += len + 1;
		}
	*size = total;
	return b;
}

static const struct msg good[] = {
	{"", HEADER, 0, 0},
	{"%d cases\0", "%d मामला\0%d मामले", 0, 0},  /* replaced below: a plural */
	{"Log in", "लॉग इन", 0, 0},
	{"Wrong name or password.", "नाम या पासवर्ड गलत है।", 0, 0},
	{"language name\004English", "हिन्दी", 0, 0},
	{"month\004Dec", "दिस॰", 0, 0},
	{"time\004pm", "अपराह्न", 0, 0},
};

static struct msg good_v[sizeof(good) / sizeof(good[0])];

static void make_good(void)
{
	memcpy(good_v, good, sizeof(good));
	good_v[1].id = "%lu case\0%lu cases";
	good_v[1].id_len = strlen("%lu case") + 1 + strlen("%lu cases");
	good_v[1].str = "%lu मामला\0%lu मामले";
	good_v[1].str_len = strlen("%lu मामला") + 1 + strlen("%lu मामले");
}

/* Parses @m; returns the error text ("" when it was read). */
static const char *parse(const struct msg *m, uint32_t n, char *err, size_t errlen)
{
	struct i18n_mo mo;
	size_t size;
	unsigned char *b = make_mo(m, n, 0, &size);
	err[0] = '\0';
	if (i18n_mo_parse(&mo, b, size, err, errlen) == 0)
		i18n_mo_free(&mo);
	return err;
}

static void damaged_bytes(void)
{
	char err[256];
	struct i18n_mo mo;
	size_t size;
	unsigned char *b = make_mo(good_v, 7, 0, &size);
	b[0] ^= 1;
	is_int(i18n_mo_parse(&mo, b, size, err, sizeof(err)), -EINVAL, "a bad magic is refused");
	ok(strstr(err, "byte 0") != NULL, "naming byte 0: %s", err);
	b = make_mo(good_v, 7, 0, &size);
	put32(b + 8, 1000000, 0);
	is_int(i18n_mo_parse(&mo, b, size, err, sizeof(err)), -EINVAL, "a million strings are refused");
	ok(strstr(err, "byte 8") != NULL, "naming byte 8: %s", err);
	b = make_mo(good_v, 7, 0, &size);
	put32(b + 16, (uint32_t)size - 4, 0);
	is_int(i18n_mo_parse(&mo, b, size, err, sizeof(err)), -EINVAL, "a table past the end is refused");
	ok(strstr(err, "byte 16") != NULL, "naming byte 16: %s", err);
	b = make_mo(good_v, 7, 0, &size);
	put32(b + 28 + 8 * 2 + 4, (uint32_t)size - 2, 0);
	is_int(i18n_mo_parse(&mo, b, size, err, sizeof(err)), -EINVAL, "a string past the end is refused");
	ok(strstr(err, "runs past the end") != NULL, "saying so: %s", err);
	b = make_mo(good_v, 7, 0, &size);
	b[size - 1] = 'x';
	is_int(i18n_mo_parse(&mo, b, size, err, sizeof(err)), -EINVAL, "a string without its NUL is refused");
	ok(strstr(err, "not ended by a NUL") != NULL, "naming the byte: %s", err);
	is_int(i18n_mo_parse(&mo, calloc(1, 10), 10, err, sizeof(err)), -EINVAL, "10 bytes are refused");
}

static void hostile_words(void)
{
	char err[256];
	struct msg m[7];
	memcpy(m, good_v, sizeof(m));
	m[2] = good_v[3];
	m[3] = good_v[2];
	ok(strstr(parse(m, 7, err, sizeof(err)), "out of order") != NULL, "messages out of order: %s", err);
	memcpy(m, good_v, sizeof(m));
	m[3].str = "%s गलत";
	ok(strstr(parse(m, 7, err, sizeof(err)), "printf conversions") != NULL, "a %%s added: %s", err);
	m[3].str = "<script>गलत";
	ok(strstr(parse(m, 7, err, sizeof(err)), "markup") != NULL, "markup added: %s", err);
	m[3].str = "गलत\033[2J";
	ok(strstr(parse(m, 7, err, sizeof(err)), "control") != NULL, "a terminal escape: %s", err);
	m[3].str = "\xe0\xa4";
	ok(strstr(parse(m, 7, err, sizeof(err)), "UTF-8") != NULL, "bytes not UTF-8: %s", err);
	memcpy(m, good_v, sizeof(m));
	m[1].str = "%lu मामला";
	m[1].str_len = 0;
	ok(strstr(parse(m, 7, err, sizeof(err)), "plural forms") != NULL, "one form of two: %s", err);
	m[0].str = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=3; plural=n%10==1;\n";
	ok(strstr(parse(m, 7, err, sizeof(err)), "Plural-Forms") != NULL, "a rule not known: %s", err);
	m[0].str = "Content-Type: text/plain; charset=ISO-8859-1\n";
	ok(strstr(parse(m, 7, err, sizeof(err)), "charset") != NULL, "not UTF-8: %s", err);
	is_str(parse(good_v, 7, err, sizeof(err)), "", "the good catalog is read");
}

static char dir[64];

static void write_catalog(const char *tag, int big)
{
	char path[256];
	size_t size;
	unsigned char *b = make_mo(good_v, 7, big, &size);
	snprintf(path, sizeof(path), "%s/%s", dir, tag);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/%s/LC_MESSAGES", dir, tag);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/%s/LC_MESSAGES/raksha.mo", dir, tag);
	FILE *f = fopen(path, "we");
	fwrite(b, 1, size, f);
	fclose(f);
	free(b);
}

static void *english_thread(void *arg)
{
	(void)arg;
	return (void *)i18n_text("Log in");
}

static void words(void)
{
	char when[64];
	is_int(i18n_use("hi-IN"), 0, "hi-IN uses the hi catalog");
	is_str(i18n_current(), "hi", "the thread's language");
	is_str(_("Log in"), "लॉग इन", "a word in Hindi");
	is_str(_("Not in the catalog"), "Not in the catalog", "a word the catalog lacks: English");
	is_str(i18n_plural("%lu case", "%lu cases", 0), "%lu मामला", "Hindi: 0 takes the singular (n > 1)");
	is_str(i18n_plural("%lu case", "%lu cases", 2), "%lu मामले", "Hindi: 2 the plural");
	is_str(i18n_language_name("hi"), "हिन्दी", "Hindi's name in Hindi");
	is_str(i18n_language_name("en"), "English", "English's name");
	i18n_date_time(INT64_C(1796630640000), when, sizeof(when));  /* 2026-12-07 08:04 UTC */
	is_str(when, "07 दिस॰ 2026, 1:34 अपराह्न", "a Hindi date, IST, 12-hour");
	pthread_t t;
	void *other;
	pthread_create(&t, NULL, english_thread, NULL);
	pthread_join(t, &other);
	is_str(other, "Log in", "another thread, never set, says English meanwhile");
	is_int(i18n_use("mr"), -ENOENT, "Marathi: no catalog");
	is_str(_("Log in"), "Log in", "so English");
	i18n_date_time(INT64_C(1796630640000) - 12 * 3600000, when, sizeof(when));
	is_str(when, "07 Dec 2026, 1:34 am", "an English date, 12-hour");
	i18n_date_time(INT64_C(1796581800000), when, sizeof(when));  /* 6 Dec 18:30 UTC: midnight IST */
	is_str(when, "07 Dec 2026, 12:00 am", "midnight is 12 am");
	i18n_time(INT64_C(1796630640000), when, sizeof(when));
	is_str(when, "1:34 pm", "the time of day alone");
	i18n_date(INT64_C(1796581800000), when, sizeof(when));
	is_str(when, "07 Dec 2026", "the day alone, in IST (18:30 UTC is the next day)");
	i18n_date(0, when, sizeof(when));
	is_str(when, "", "no day for 0");
	is_str(i18n_text_in("hi", "Log in"), "लॉग इन", "a word in Hindi while the thread is English");
	is_str(i18n_text_in("hi-IN", "Not in the catalog"), "Not in the catalog", "one Hindi lacks: English");
	is_str(i18n_text_in("mr", "Log in"), "Log in", "a language without catalog: English");
	is_str(i18n_text_in("en", "Log in"), "Log in", "English");
	is_str(i18n_text_in(NULL, "Log in"), "Log in", "no language: English");
	is_str(i18n_current(), "en", "and the thread's language is left as it was");
	i18n_use("hi");
	i18n_date(INT64_C(1796630640000), when, sizeof(when));
	is_str(when, "07 दिस॰ 2026", "a Hindi day");
	is_str(i18n_text_in("en", "Log in"), "Log in", "English while the thread is Hindi");
	i18n_use("en");
}

static void picking(void)
{
	is_str(i18n_pick_accept("hi"), "hi", "Accept-Language hi");
	is_str(i18n_pick_accept("hi-IN,hi;q=0.9,en-US;q=0.8,en;q=0.7"), "hi", "hi-IN first");
	is_str(i18n_pick_accept("en-IN,en;q=0.9,hi;q=0.8"), "en", "en-IN first");
	is_str(i18n_pick_accept("en;q=0.5, hi;q=0.8"), "hi", "q-values count, not order");
	is_str(i18n_pick_accept("fr, de;q=0.9"), "en", "nothing known: English");
	is_str(i18n_pick_accept("hi;q=0, en;q=0.1"), "en", "q=0: not acceptable");
	is_str(i18n_pick_accept(NULL), "en", "no header: English");
	setenv("LANG", "hi_IN.UTF-8", 1);
	is_str(i18n_pick_env(), "hi", "LANG=hi_IN.UTF-8");
	setenv("LC_ALL", "C", 1);
	is_str(i18n_pick_env(), "en", "LC_ALL=C before LANG");
	setenv("LANGUAGE", "mr:hi:en", 1);
	is_str(i18n_pick_env(), "hi", "LANGUAGE's first known, before LC_ALL");
	unsetenv("LANGUAGE");
	unsetenv("LC_ALL");
	unsetenv("LANG");
	is_str(i18n_pick_env(), "en", "nothing set: English");
}

/* The catalogs the build made from po/ (RAKSHA_LOCALEDIR, set by meson):
 * every one read whole by the checks above, and Hindi in Hindi. */
static void built_catalogs(void)
{
	char err[512];
	const char *built = getenv("RAKSHA_LOCALEDIR");
	int n = i18n_init(built, err, sizeof(err));
	ok(n >= 1, "the built catalogs in %s are read (%d): %s", built, n, n < 0 ? err : "");
	is_int(i18n_use("hi"), 0, "Hindi among them");
	is_str(_("Log in"), "लॉग इन करें", "the desk's Log in, in Hindi");
	is_str(i18n_context("month", "May"), "मई", "May the month");
	i18n_free();
}

int main(void)
{
	char err[512];
	make_good();
	damaged_bytes();
	hostile_words();
	snprintf(dir, sizeof(dir), "/tmp/test-i18n-XXXXXX");
	ok(mkdtemp(dir) != NULL, "a locale folder");
	write_catalog("hi", 1);  /* big-endian, as a big-endian msgfmt writes */
	write_catalog("zz", 0);
	char bad[300];
	snprintf(bad, sizeof(bad), "%s/zz/LC_MESSAGES/raksha.mo", dir);
	truncate(bad, 20);
	is_int(i18n_init(dir, err, sizeof(err)), -EINVAL, "a damaged catalog is reported");
	ok(strstr(err, "zz/LC_MESSAGES/raksha.mo") != NULL, "naming it: %s", err);
	is_str(i18n_language(1), "hi", "and the good one read");
	is_str(i18n_language(2), NULL, "only it");
	words();
	picking();
	i18n_free();
	is_str(_("Log in"), "Log in", "freed: English");
	built_catalogs();
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ok(system(cmd) == 0, "the folder removed");
	return tap_done();
}
