/* MQTT 3.1.1 topic filters (section 4.7): validation and matching. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <raksha/topic.h>

#define MQTT_TOPIC_MAX 65535

int raksha_filter_validate(const char *filter)
{
	if (filter == NULL)
		return -EINVAL;
	size_t len = strlen(filter);
	if (len == 0 || len > MQTT_TOPIC_MAX)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		bool level_start = i == 0 || filter[i - 1] == '/';
		bool level_end = i + 1 == len || filter[i + 1] == '/';
		if (filter[i] == '+' && !(level_start && level_end))
			return -EINVAL;
		if (filter[i] == '#' && !(level_start && i + 1 == len))
			return -EINVAL;
	}
	return 0;
}

/* Walks filter and topic level by level. Levels may be empty ("a//b"). */
static bool match_levels(const char *f, const char *t)
{
	for (;;) {
		if (f[0] == '#')
			return true;
		const char *fe = strchr(f, '/');
		const char *te = strchr(t, '/');
		size_t fl = fe ? (size_t)(fe - f) : strlen(f);
		size_t tl = te ? (size_t)(te - t) : strlen(t);
		if (!(fl == 1 && f[0] == '+') && (fl != tl || memcmp(f, t, fl) != 0))
			return false;
		if (fe == NULL || te == NULL) {
			/* "a/#" also matches "a": the filter may end in "/#". */
			return fe == NULL ? te == NULL : strcmp(fe, "/#") == 0;
		}
		f = fe + 1;
		t = te + 1;
	}
}

bool raksha_filter_matches(const char *filter, const char *topic)
{
	if (raksha_filter_validate(filter) < 0 || topic == NULL || topic[0] == '\0' ||
	    strpbrk(topic, "+#") != NULL)
		return false;
	/* MQTT 4.7.2: wildcards at the first level do not match "$SYS/..." etc. */
	if (topic[0] == '$' && (filter[0] == '+' || filter[0] == '#'))
		return false;
	return match_levels(filter, topic);
}
