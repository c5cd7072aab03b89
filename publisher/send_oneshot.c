/* When and how raksha-publish takes the one-shot path (send_oneshot.h). */
#include <errno.h>

#include "common/clock.h"
#include "common/log.h"
#include "publisher/send_oneshot.h"

bool send_oneshot_fits(const struct pub *p)
{
	return p->n_urls == 1 && p->mqtt_version != 5 && p->ca_file == NULL && p->cert_file == NULL &&
	       p->key_file == NULL && oneshot_serves(p->urls[0]);
}

struct oneshot *send_oneshot_dial(const struct pub *p, struct raksha_outbox *ob,
				  const char *password, const struct timespec *deadline)
{
	if (!send_oneshot_fits(p) || raksha_outbox_lock(ob, 0) < 0)
		return NULL;
	struct oneshot *o = NULL;
	struct oneshot_broker b = {.url = p->urls[0], .username = p->username, .password = password,
				   .keepalive_s = p->keepalive_s};
	int timeout_ms = (int)(clock_remaining_ms(deadline) / 2);
	if (raksha_outbox_count(ob) != 0 || oneshot_dial(&b, timeout_ms, &o) < 0)
		raksha_outbox_unlock(ob);
	return o;
}

void send_oneshot_end(struct raksha_outbox *ob, struct oneshot *o)
{
	if (o == NULL)
		return;
	oneshot_close(o);
	raksha_outbox_unlock(ob);
}

int send_oneshot_queued(struct raksha_outbox *ob, struct oneshot *o, const char *topic,
			const uint8_t *buf, size_t len, const uint8_t *id)
{
	int r = -EAGAIN;  /* another envelope came meanwhile: the paho path sends both, in order */
	if (raksha_outbox_count(ob) == 1 && raksha_outbox_contains(ob, id))
		r = oneshot_send(o, topic, buf, len);
	if (r == 0)
		raksha_outbox_remove(ob, id);  /* a failure: the paho path sends it again */
	send_oneshot_end(ob, o);
	return r;
}

void send_oneshot_refused_login(const struct pub *p)
{
	if (p->username != NULL)
		log_line(LOG_ERR, "raksha-publish: the broker (%s) refused the login as user '%s': a wrong "
			 "user name or password (check --username and --password-file)", p->urls[0],
			 p->username);
	else
		log_line(LOG_ERR, "raksha-publish: the broker (%s) refused a login without a user name: "
			 "give --username and --password-file", p->urls[0]);
}
