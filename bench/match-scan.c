/* bench/match-scan: what matching costs the agent's escalator (agent/
 * escalator_match.c) on a real database: N open reports stored through
 * store.c (ten names, Devanagari and Latin, ages 3 to 16, two stations),
 * the escalator's look at them (each compared with the open found
 * children, none yet, and its facts keyed and written once), then one found
 * child compared with all N. Prints the time per report of the first look
 * against the baseline of storing it (store_envelope(), the committer's
 * work) in the same run, and the found child's look against the same.
 *
 * Usage: match-scan [N] (20000); its folder is /tmp/raksha-match-scan.XXXXXX. */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/config.h"
#include "agent/escalator_impl.h"
#include "agent/store.h"
#include "common/clock.h"
#include "common/log.h"
#include "tests/lib/db_text.h"
#include "tests/lib/sample.h"
#include "tests/lib/sample_store.h"
#include "tests/lib/tmpdir.h"

static const char *const NAMES[] = {"सीमा कुमारी", "Ravi Kumar", "राहुल", "Pooja", "अंजलि",
				    "Mohan Lal", "Priya", "गीता", "Suresh", "Kavita"};

static struct store *ingest;

static int put(struct sample *s)
{
	return sample_store(ingest, s, SAMPLE_NOW_MS);
}

/* N reports, each of its own case; returns the seconds it took. */
static double store_reports(int n)
{
	int64_t start = clock_mono_ms();
	for (int i = 0; i < n; i++) {
		struct sample s;
		char name[64];
		sample_make(&s, RAKSHA_KIND_REPORT);
		raksha_uuid7(s.report_id);
		snprintf(name, sizeof(name), "%s %d", NAMES[i % 10], i);
		s.child.name = name;
		s.child.n_other_names = 0;
		s.child.age_years = (unsigned)(3 + i % 14);
		s.place.station_code = i % 3 ? "BPL" : "ET";
		sample_from(&s, "mp", "sagar", "police");
		if (put(&s) != 1)
			return -1;
	}
	return (double)(clock_mono_ms() - start) / 1000;
}

static double store_found(void)
{
	int64_t start = clock_mono_ms();
	struct sample s;
	sample_make(&s, RAKSHA_KIND_SIGHTING);
	s.sighting.report_id = (ProtobufCBinaryData){0, NULL};
	s.sighting.child = &s.child;
	s.child.name = "Seema";
	s.child.n_other_names = 0;
	s.child.age_years = 9;
	s.place.station_code = "ET";
	sample_from(&s, "mp", "itarsi", "rpf");
	if (put(&s) != 1)
		return -1;
	return (double)(clock_mono_ms() - start) / 1000;
}

static double look(struct escalator *e)
{
	int64_t start = clock_mono_ms();
	if (escalator_scan(e, clock_wall_ms()) < 0)
		return -1;
	return (double)(clock_mono_ms() - start) / 1000;
}

static int open_all(const char *dir, struct agent_config *c, struct escalator **e)
{
	char conf[128], db[128], err[256];
	snprintf(conf, sizeof(conf), "%s/agent.conf", dir);
	snprintf(db, sizeof(db), "%s/agent.db", dir);
	FILE *f = fopen(conf, "we");
	if (f == NULL)
		return -1;
	fprintf(f, "[agent]\nid = bench\nstate = mp\nregion = bhopal\nagency = grp\ndatabase = %s\n"
		"outbox = %s/outbox\n[broker]\nurl = mqtt://127.0.0.1:1\n[subscribe]\nfilter = raksha/#\n", db, dir);
	fclose(f);
	if (agent_config_load(conf, c) < 0 || store_open(db, DURABILITY_CRASH, &ingest, err, sizeof(err)) < 0)
		return -1;
	return escalator_open(c, NULL, e) < 0 || (*e)->keyer == NULL ? -1 : 0;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 20000;
	char dir[64];
	struct agent_config c;
	struct escalator *e;
	log_init(LOG_STYLE_PLAIN);
	if (n < 1 || tmpdir_make(dir, "match-scan") < 0 || open_all(dir, &c, &e) < 0) {
		fprintf(stderr, "match-scan: cannot set up (usage: match-scan [N])\n");
		return 1;
	}
	double stored = store_reports(n), looked = look(e);
	double found_stored = store_found(), found_looked = look(e);
	printf("%d open reports: stored %.1f us each (baseline), the escalator's first look %.1f us each"
	       " (%.2fx)\none found child against all %d: %.1f ms (%.0fx its storing); %s possible matches\n",
	       n, stored * 1e6 / n, looked * 1e6 / n, looked / stored, n, found_looked * 1e3,
	       found_looked / (found_stored > 0 ? found_stored : 1e-3),
	       db_text(store_db(ingest), "SELECT count(*) FROM matches"));
	escalator_close(e);
	agent_config_free(&c);
	store_close(ingest);
	tmpdir_remove(dir);
	return 0;
}
