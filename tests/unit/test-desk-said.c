/* What became of an envelope on the desk's page (subscriber/desk/desk_said.c),
 * from unit_pub's code (agent/unit_pub.h): in English, each code's line
 * exactly as unit_said_text() writes it for the board and the logs; in
 * Hindi, from the catalogs the build made (RAKSHA_LOCALEDIR), the action's
 * word, the phrase and its reasons translated, the values in it (a topic,
 * a folder, the validator's problem, an errno's text) as they are. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "desk/desk_said.h"
#include "tests/lib/tap.h"

static const char *said(const struct unit_said *s)
{
	static char out[640];
	desk_said(s, out, sizeof(out));
	return out;
}

static struct unit_said make(enum unit_said_code code, const char *what)
{
	return (struct unit_said){.code = code, .what = what, .sender = "raksha-desk", .folder = "/o",
				  .by_agent = true};
}

/* One of each code and reason. */
static size_t samples(struct unit_said *v)
{
	size_t n = 0;
	v[n++] = make(UNIT_SAID_SENT, "ack");
	v[n] = make(UNIT_SAID_QUEUED, "ack");
	v[n++].why = UNIT_WHY_UNREACHABLE;
	v[n] = make(UNIT_SAID_QUEUED, "update");
	v[n].why = UNIT_WHY_BUSY;
	v[n++].by_agent = false;
	v[n] = make(UNIT_SAID_QUEUED, "report");
	v[n++].why = UNIT_WHY_NO_ANSWER;
	v[n] = make(UNIT_SAID_QUEUED, "ack");
	v[n].why = UNIT_WHY_ERRNO;
	v[n++].err = ECONNREFUSED;
	v[n] = make(UNIT_SAID_REFUSED, "sighting");
	strcpy(v[n++].topic, "raksha/v1/mp/bhopal/grp/sighting");
	v[n] = make(UNIT_SAID_NOT_QUEUED, "cancel");
	v[n++].err = ENOSPC;
	v[n] = make(UNIT_SAID_INVALID, "report");
	strcpy(v[n++].problem, "child.age_years: 130 is more than 25");
	return n;
}

static void english(void)
{
	struct unit_said v[16];
	size_t n = samples(v);
	char text[640];
	for (size_t i = 0; i < n; i++) {
		unit_said_text(&v[i], text, sizeof(text));
		is_str(said(&v[i]), text, "English: code %d as unit_said_text() writes it: %s", (int)v[i].code, text);
	}
	unit_said_text(&v[1], text, sizeof(text));
	is_str(text, "ack queued: broker unreachable; the agent sends it when the link returns", "  a queued ack's words");
}

static void hindi(void)
{
	struct unit_said v[16];
	samples(v);
	is_str(said(&v[0]), "पावती: भेजा गया", "sent: the action's word and the phrase");
	is_str(said(&v[1]), "पावती: कतार में, ब्रोकर तक पहुँच नहीं; संपर्क लौटने पर एजेंट इसे भेजेगा",
	       "queued: the reason and who sends it translated");
	is_str(said(&v[2]),
	       "अद्यतन: कतार में, आउटबॉक्स में कोई और भेजने वाला व्यस्त है; संपर्क लौटने पर raksha-desk इसे भेजेगा",
	       "  a program's name as it is");
	is_str(said(&v[4]), "पावती: कतार में, Connection refused; संपर्क लौटने पर एजेंट इसे भेजेगा",
	       "  an errno's text as it is");
	is_str(said(&v[5]),
	       "देखा गया: नहीं भेजा गया: ब्रोकर ने इसे raksha/v1/mp/bhopal/grp/sighting पर अस्वीकार किया (MQTT 5); "
	       "/o/refused/ में अलग रखा गया", "refused by the broker: topic and folder as they are");
	is_str(said(&v[6]), "रद्द करना: नहीं भेजा गया: इसे कतार में नहीं रखा जा सका, /o: No space left on device",
	       "not queued");
	is_str(said(&v[7]), "सूचना: नहीं भेजा गया: child.age_years: 130 is more than 25",
	       "the validator's problem as it said it");
	struct unit_said fresh = make(UNIT_SAID_SENT, "newword");
	is_str(said(&fresh), "newword: भेजा गया", "an action's word not known: as it came");
}

int main(void)
{
	char err[512];
	english();
	const char *built = getenv("RAKSHA_LOCALEDIR");
	ok(built != NULL && i18n_init(built, err, sizeof(err)) >= 1, "the built catalogs (%s)", built ? built : "none");
	is_int(i18n_use("hi"), 0, "Hindi");
	hindi();
	i18n_free();
	return tap_done();
}
