/* A Raksha subscriber: prints a line per message on FILTER, exits after COUNT.
 *   cc -std=c11 -Wall -Wextra -Werror subscriber.c $(pkg-config --cflags --libs raksha) -o subscriber
 *   ./subscriber mqtt://127.0.0.1:1883 'raksha/v1/mp/#' */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <raksha/raksha.h>

/* Runs on the client's thread, one message at a time, after libraksha decoded
 * and checked it: we get a valid envelope, or the problem that rejected it. */
static int on_message(void *seen, const struct raksha_message *m)
{
	enum raksha_kind kind = m->env ? raksha_envelope_kind(m->env) : RAKSHA_KIND_NONE;
	if (m->problem)
		printf("REJECTED %s: %s\n", raksha_cause_name(m->problem->cause), m->problem->text);
	else if (kind != RAKSHA_KIND_REPORT)
		printf("%s %s\n", raksha_kind_name(kind), m->topic);
	else {
		const Raksha__V1__Report *r = m->env->report;  /* checked: it has a child */
		static const Raksha__V1__Place nowhere = RAKSHA__V1__PLACE__INIT;  /* last_seen is optional */
		const Raksha__V1__Place *at = r->last_seen ? r->last_seen : &nowhere;
		char id[RAKSHA_UUID_TEXT_LEN + 1], age[12] = "?";  /* the age may be unknown, or a range */
		if (r->child->age_case == RAKSHA__V1__CHILD__AGE_AGE_YEARS)
			snprintf(age, sizeof(age), "%u", (unsigned)r->child->age_years);
		raksha_uuid_format(r->report_id.data, id);
		printf("report %s name=\"%s\" age=%s station=%s train=%s coach=%s id=%s\n", m->topic,
		       r->child->name, age, at->station_code, at->train_number, at->coach, id);
	}
	atomic_fetch_add((atomic_long *)seen, 1);
	return 0;  /* handled */
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fputs("usage: subscriber URL FILTER [COUNT]\n", stderr);
		return 64;  /* EX_USAGE */
	}
	long count = argc == 4 ? atol(argv[3]) : 0;  /* 0: until killed */
	atomic_long seen = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);  /* each line at once, also into a pipe */

	/* A persistent session keeps our subscription and queues our messages at
	 * the broker while we are away; it needs the same client id every time. */
	struct raksha_client_options opts = { .urls = (const char *[]){ argv[1] }, .n_urls = 1,
		.client_id = "raksha-example-c", .persistent_session = true };
	struct raksha_client *c = NULL;
	int r = raksha_client_new(&opts, &c);
	if (r == 0)
		raksha_client_on_message(c, on_message, &seen);
	if (r < 0 || (r = raksha_client_subscribe(c, argv[2])) < 0 || (r = raksha_client_connect(c)) < 0) {
		fprintf(stderr, "subscriber: %s %s: %s\n", argv[1], argv[2], strerror(-r));
		raksha_client_close(c, 0);
		return 1;
	}
	/* The client reconnects and resubscribes by itself; this only informs. */
	if (raksha_client_wait_connected(c, 10000) == 0)
		fprintf(stderr, "subscribed to %s on %s\n", argv[2], argv[1]);

	/* Callbacks may not close the client, so main waits for the count. */
	while (count == 0 || atomic_load(&seen) < count)
		thrd_sleep(&(struct timespec){ .tv_nsec = 100000000 }, NULL);
	raksha_client_close(c, 2000);
	return 0;
}
