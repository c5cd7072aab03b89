/* The poster's logic (subscriber/desk/desk_poster_name.c, desk_poster_words.c,
 * desk_poster_phone.c): a name's script; the name in the other script from
 * an other name typed in it, else ICU's transliteration the way Indian
 * names are spelt (राहुल: Rahul, Seema: सीमा), marked as made; a state's
 * language; a label in two languages or one; the units' phones of the
 * configuration, refused when malformed, and the report's officer_phone
 * when the unit has none. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "desk/desk_config.h"
#include "desk/desk_poster_name.h"
#include "desk/desk_poster_phone.h"
#include "desk/desk_poster_words.h"
#include "tests/lib/tap.h"

static void scripts(void)
{
	is_int(desk_poster_script("सीमा कुमारी"), DESK_SCRIPT_DEVANAGARI, "Devanagari");
	is_int(desk_poster_script("Seema Kumari"), DESK_SCRIPT_LATIN, "Latin");
	is_int(desk_poster_script("Zoë"), DESK_SCRIPT_LATIN, "  with an accent");
	is_int(desk_poster_script("সীমা"), DESK_SCRIPT_OTHER, "Bengali: another script");
	is_int(desk_poster_script("Seema सीमा"), DESK_SCRIPT_DEVANAGARI, "mixed: Devanagari");
	is_int(desk_poster_script("123 ?"), DESK_SCRIPT_NONE, "no letter: none");
	is_int(desk_poster_script(""), DESK_SCRIPT_NONE, "  nor an empty name");
}

/* @in transliterated (to Latin or to Devanagari), or why not. */
static const char *made(const char *in, bool to_latin)
{
	static char out[DESK_POSTER_MADE_BYTES], err[200];
	if (desk_poster_transliterate(in, to_latin, out, sizeof(out), err, sizeof(err)) < 0)
		return err;
	return out;
}

#define latin(in) made(in, true)
#define devanagari(in) made(in, false)

static void transliteration(void)
{
	is_str(latin("सीमा कुमारी"), "Sima Kumari", "to Latin: capitalised, no accents");
	is_str(latin("राहुल"), "Rahul", "  no vowel after a word's last consonant (not rahula)");
	is_str(latin("आँचल शर्मा"), "Ancal Sarma", "  the chandrabindu as the anusvara");
	is_str(latin("মুন্নি"), "Munni", "  Bengali too");
	is_str(devanagari("Seema Kumari"), "सीमा कुमरी", "to Devanagari: ee long, a name's final a and i long");
	is_str(devanagari("Rahul"), "रहुल", "  no virama at a word's end");
	is_str(devanagari("Aanchal Sharma"), "आन्चल शर्मा", "  aa and sh");
	char big[DESK_POSTER_NAME_MAX + 2], out[16], err[200];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	is_int(desk_poster_transliterate(big, false, out, sizeof(out), err, sizeof(err)), -E2BIG,
	       "a name of 256 bytes is not transliterated");
	is_int(desk_poster_transliterate("\xff", true, out, sizeof(out), err, sizeof(err)), -EILSEQ, "nor one not UTF-8");
	is_int(desk_poster_transliterate("सीमा कुमारी", true, out, 4, err, sizeof(err)), -ENOBUFS,
	       "a buffer too small: -ENOBUFS");
}

static void names(void)
{
	char *others[] = {"Seemu", "सीमु"};
	Raksha__V1__Child c = RAKSHA__V1__CHILD__INIT;
	struct desk_poster_names n;
	char err[200];
	c.name = "सीमा";
	is_int(desk_poster_names(&c, &n, err, sizeof(err)), 0, "a Devanagari name");
	ok(n.name == c.name && n.other != NULL && strcmp(n.other, "Sima") == 0 && n.made,
	   "  its Latin made by ICU, marked");
	c.other_names = others;
	c.n_other_names = 2;
	desk_poster_names(&c, &n, err, sizeof(err));
	ok(n.other == others[0] && !n.made, "  an other name typed in Latin preferred, not marked");
	c.name = "Seema";
	desk_poster_names(&c, &n, err, sizeof(err));
	ok(n.other == others[1] && !n.made, "a Latin name: the other name typed in Devanagari");
	c.n_other_names = 0;
	desk_poster_names(&c, &n, err, sizeof(err));
	ok(n.other != NULL && strcmp(n.other, "सीमा") == 0 && n.made, "  without one, ICU's, marked");
	c.name = "";
	desk_poster_names(&c, &n, err, sizeof(err));
	ok(n.name == NULL && n.other == NULL, "a found child nobody named: no name");
	c.name = "12";
	desk_poster_names(&c, &n, err, sizeof(err));
	ok(n.name == c.name && n.other == NULL, "a name without letters: as written only");
}

static const char *label(const char *lang, const char *msgid)
{
	static char out[512];
	struct desk_html h = {0};
	desk_poster_label(&h, lang, msgid);
	snprintf(out, sizeof(out), "%s", h.buf ? h.buf : "(none)");
	desk_html_free(&h);
	return out;
}

static void words(void)
{
	is_str(desk_poster_language("mp"), "hi", "Madhya Pradesh: Hindi");
	is_str(desk_poster_language("mh"), "mr", "Maharashtra: Marathi");
	is_str(desk_poster_language("wb"), "bn", "West Bengal: Bengali");
	is_str(desk_poster_language("zz"), "en", "a state not in the table: English alone");
	is_str(desk_poster_language(NULL), "en", "  none either");
	is_str(label("hi", "Not a word of the catalog"), "<span lang=\"en\">Not a word of the catalog</span>",
	       "a label without translation: English once, not twice");
	is_str(label("mr", "MISSING CHILD"), "<span lang=\"en\">MISSING CHILD</span>", "  a language without catalog");
	char err[512];
	const char *built = getenv("RAKSHA_LOCALEDIR");
	ok(built != NULL && i18n_init(built, err, sizeof(err)) >= 1, "the built catalogs (%s)", built ? built : "none");
	is_str(label("hi", "MISSING CHILD"),
	       "<span lang=\"hi\">लापता बच्चा</span> / <span lang=\"en\">MISSING CHILD</span>",
	       "a Hindi state's label: its Hindi from the catalog, then English");
	is_str(i18n_current(), "en", "  whatever the thread's language (English)");
	i18n_use("hi");
	is_str(label("en", "MISSING CHILD"), "<span lang=\"en\">MISSING CHILD</span>",
	       "an English poster printed from a Hindi desk: English alone");
	i18n_use("en");
	i18n_free();
	is_str(label("en", "Age <years>"), "<span lang=\"en\">Age &lt;years&gt;</span>", "  escaped");
}

static void phones(void)
{
	struct desk_config c;
	char why[300];
	memset(&c, 0, sizeof(c));
	is_int(desk_poster_phone_key(&c, "mp/vidisha/childline +91 7592 232323", why, sizeof(why)), 0, "a unit's phone");
	is_int(desk_poster_phone_key(&c, "mp/vidisha/childline 1098", why, sizeof(why)), -EEXIST, "  the unit twice");
	is_int(desk_poster_phone_key(&c, "mp/Vidisha/childline 1098", why, sizeof(why)), -EINVAL, "a capital letter");
	ok(strstr(why, "STATE/REGION/AGENCY") != NULL, "  said: %s", why);
	is_int(desk_poster_phone_key(&c, "mp/vidisha 1098", why, sizeof(why)), -EINVAL, "two names");
	is_int(desk_poster_phone_key(&c, "mp/bhopal/grp call us", why, sizeof(why)), -EINVAL, "not a phone");
	ok(strstr(why, "'call us' is not a phone") != NULL, "  said: %s", why);
	is_int(desk_poster_phone_key(&c, "mp/bhopal/grp 123456789012345678901234567890123", why, sizeof(why)), -EINVAL,
	       "a phone of 33 bytes");
	Raksha__V1__Origin o = RAKSHA__V1__ORIGIN__INIT;
	o.state = "mp";
	o.region = "vidisha";
	o.agency = "childline";
	o.officer_phone = "+919800000001";
	is_str(desk_poster_phone(&c, &o), "+91 7592 232323", "a named unit: its phone, not the officer's");
	o.region = "vidish";
	is_str(desk_poster_phone(&c, &o), "+919800000001", "another unit: its officer's phone");
	o.officer_phone = "";
	ok(desk_poster_phone(&c, &o) == NULL, "  none: none");
	ok(desk_poster_phone(&c, NULL) == NULL, "no origin: none");
	free(c.unit_phones[0]);
}

int main(void)
{
	scripts();
	transliteration();
	names();
	words();
	phones();
	return tap_done();
}
