/* unit_pub's words, translated for the page (desk_said.h). It reads the
 * phrases unit_pub.c writes (send_ids(), unit_pub_body(),
 * queue_and_send(), why_queued()); tests/unit/test-desk-said.c has each
 * of them as unit_pub writes it, and 38-desk-hindi a queued one. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "desk/desk_page.h"
#include "desk/desk_said.h"

/* why_queued()'s reasons; strerror()'s others stay as the C library says. */
static const char *const WHY[] = {
	N_("broker unreachable"), N_("the broker did not answer in 3 s"),
	N_("another sender is busy with the outbox"),
};

static const char *why_word(const char *why)
{
	for (size_t i = 0; i < sizeof(WHY) / sizeof(WHY[0]); i++)
		if (strcmp(why, WHY[i]) == 0)
			return _(WHY[i]);
	return why;
}

/* @s's copy up to @end (excluded) in @out, or false if it does not fit. */
static bool cut(const char *s, const char *end, char *out, size_t size)
{
	size_t n = (size_t)(end - s);
	if (n >= size)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

/* "WHAT queued: WHY; WHO sends it when the link returns" */
static bool queued(const char *what, const char *rest, char *out, size_t size)
{
	static const char TAIL[] = " sends it when the link returns";
	char why[160], who[96];
	const char *semi = strstr(rest, "; ");
	size_t n = strlen(rest);
	if (semi == NULL || n < sizeof(TAIL) - 1 || strcmp(rest + n - (sizeof(TAIL) - 1), TAIL) != 0 ||
	    !cut(rest, semi, why, sizeof(why)) || !cut(semi + 2, rest + n - (sizeof(TAIL) - 1), who, sizeof(who)))
		return false;
	snprintf(out, size, _("%s queued: %s; %s sends it when the link returns"), desk_page_word(what),
		 why_word(why), strcmp(who, "the agent") == 0 ? _("the agent") : who);
	return true;
}

/* "WHAT NOT sent: REASON", its reason one of queue_and_send()'s or the
 * validator's problem (its field's words, as raksha-publish says them). */
static void not_sent(const char *what, const char *rest, char *out, size_t size)
{
	char topic[160], folder[256];
	const char *on = "the broker refused it on ", *mqtt = " (MQTT 5); set aside in ";
	const char *aside = strstr(rest, mqtt);
	size_t n = strlen(rest);
	if (strncmp(rest, on, strlen(on)) == 0 && aside != NULL && n > 9 && strcmp(rest + n - 9, "/refused/") == 0 &&
	    cut(rest + strlen(on), aside, topic, sizeof(topic)) &&
	    cut(aside + strlen(mqtt), rest + n - 9, folder, sizeof(folder))) {
		snprintf(out, size, _("%s NOT sent: the broker refused it on %s (MQTT 5); set aside in %s/refused/"),
			 desk_page_word(what), topic, folder);
		return;
	}
	if (strncmp(rest, "cannot queue it in ", 19) == 0) {
		snprintf(out, size, _("%s NOT sent: cannot queue it in %s"), desk_page_word(what), rest + 19);
		return;
	}
	snprintf(out, size, _("%s NOT sent: %s"), desk_page_word(what), rest);
}

void desk_said(const char *said, char *out, size_t size)
{
	char what[32];
	const char *sp = strchr(said, ' ');
	snprintf(out, size, "%s", said);
	if (sp == NULL || !cut(said, sp, what, sizeof(what)))
		return;
	if (strcmp(sp, " sent") == 0)
		snprintf(out, size, _("%s sent"), desk_page_word(what));
	if (strncmp(sp, " queued: ", 9) == 0 && !queued(what, sp + 9, out, size))
		snprintf(out, size, "%s", said);
	if (strncmp(sp, " NOT sent: ", 11) == 0)
		not_sent(what, sp + 11, out, size);
}
