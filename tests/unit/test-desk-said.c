/* The agent's outbox's words on the desk's page (subscriber/desk/desk_said.c):
 * each phrase agent/unit_pub.c writes (send_ids(), unit_pub_body(),
 * queue_and_send(), why_queued()), as it writes it, in English as it is
 * and in Hindi from the catalogs the build made (RAKSHA_LOCALEDIR): the
 * action's word, the phrase and its reasons translated, the values in it
 * (a topic, a folder, the validator's problem) as they are; a text of no
 * known shape copied as it is. */
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "desk/desk_said.h"
#include "tests/lib/tap.h"

static const char *said(const char *s)
{
	static char out[640];
	desk_said(s, out, sizeof(out));
	return out;
}

static void english(void)
{
	static const char *const SAME[] = {
		"ack sent", "ack queued: broker unreachable; the agent sends it when the link returns",
		"report queued: the broker did not answer in 3 s; raksha-desk sends it when the link returns",
		"cancel NOT sent: cannot queue it in /var/lib/raksha/outbox: No space left on device",
		"sighting NOT sent: the broker refused it on raksha/v1/mp/bhopal/grp/sighting (MQTT 5); set aside "
		"in /var/lib/raksha/outbox/refused/",
		"report NOT sent: child.age_years: 130 is more than 25", "something else entirely", "",
	};
	for (size_t i = 0; i < sizeof(SAME) / sizeof(SAME[0]); i++)
		is_str(said(SAME[i]), SAME[i], "English: phrase %zu as unit_pub wrote it", i);
}

static void hindi(void)
{
	is_str(said("ack sent"), "पावती: भेजा गया", "sent: the action's word and the phrase");
	is_str(said("ack queued: broker unreachable; the agent sends it when the link returns"),
	       "पावती: कतार में, ब्रोकर तक पहुँच नहीं; संपर्क लौटने पर एजेंट इसे भेजेगा",
	       "queued: the reason and who sends it translated");
	is_str(said("update queued: another sender is busy with the outbox; raksha-desk sends it when the link returns"),
	       "अद्यतन: कतार में, आउटबॉक्स में कोई और भेजने वाला व्यस्त है; संपर्क लौटने पर raksha-desk इसे भेजेगा",
	       "  a program's name as it is");
	is_str(said("ack queued: Connection refused; the agent sends it when the link returns"),
	       "पावती: कतार में, Connection refused; संपर्क लौटने पर एजेंट इसे भेजेगा", "  an errno's text as it is");
	is_str(said("sighting NOT sent: the broker refused it on raksha/v1/mp/bhopal/grp/sighting (MQTT 5); set "
		    "aside in /o/refused/"),
	       "देखा गया: नहीं भेजा गया: ब्रोकर ने इसे raksha/v1/mp/bhopal/grp/sighting पर अस्वीकार किया (MQTT 5); "
	       "/o/refused/ में अलग रखा गया", "refused by the broker: topic and folder as they are");
	is_str(said("cancel NOT sent: cannot queue it in /o: No space left on device"),
	       "रद्द करना: नहीं भेजा गया: इसे कतार में नहीं रखा जा सका, /o: No space left on device",
	       "not queued");
	is_str(said("report NOT sent: child.age_years: 130 is more than 25"),
	       "सूचना: नहीं भेजा गया: child.age_years: 130 is more than 25", "the validator's problem as it said it");
	is_str(said("ack queued: broker unreachable"), "ack queued: broker unreachable", "a shape not known: as it is");
	is_str(said("newword sent"), "newword: भेजा गया", "an action's word not known: as it came");
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
