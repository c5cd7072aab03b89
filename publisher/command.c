/* One body command, from flags (and --from) to an acknowledged envelope:
 * flags -> JSON -> libraksha's parser -> envelope -> checks -> outbox -> broker. */
#define _GNU_SOURCE /* getopt_long */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "common/cli.h"
#include "common/log.h"
#include "publisher/commands.h"
#include "publisher/keygen.h"
#include "publisher/ledger.h"
#include "publisher/photo.h"
#include "publisher/send.h"

/* What the command's own arguments said, besides the field flags. */
struct args {
	json_t *doc;          /* the body so far: --from or the last revision, flags laid over */
	json_t *given;        /* only what the flags said, to tell the officer's input from the file's */
	const char *from, *revise;
	long revision;
};

/* getopt values: flags are FLAG_BASE + their index, clear of '?' and ':'. */
enum { OPT_FROM = 1000, OPT_REVISE, OPT_REVISION, OPT_HELP, FLAG_BASE = 2000 };

static struct option *long_options(const struct command *cmd)
{
	size_t n = 0;
	while (cmd->flags[n].name != NULL)
		n++;
	struct option *o = calloc(n + 5, sizeof(*o));
	if (o == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		o[i] = (struct option){cmd->flags[i].name,
				       cmd->flags[i].type == F_BOOL ? no_argument : required_argument,
				       NULL, FLAG_BASE + (int)i};
	o[n++] = (struct option){"from", required_argument, NULL, OPT_FROM};
	if (cmd->kind == RAKSHA_KIND_REPORT) {
		o[n++] = (struct option){"revise", required_argument, NULL, OPT_REVISE};
		o[n++] = (struct option){"revision", required_argument, NULL, OPT_REVISION};
	}
	o[n] = (struct option){"help", no_argument, NULL, OPT_HELP};
	return o;
}

void command_usage(const struct command *cmd, FILE *out)
{
	fprintf(out, "usage: raksha-publish [global options] %s\n\n", cmd->usage);
	fprintf(out, "  %-26s %s\n", "--from FILE", "a JSON document with the schema's field names; flags override it");
	if (cmd->kind == RAKSHA_KIND_REPORT) {
		fprintf(out, "  %-26s %s\n", "--revise REPORT_ID", "a new revision of a report sent from here");
		fprintf(out, "  %-26s %s\n", "--revision N",
			"its revision number, if this machine did not send the last one");
	}
	flags_usage(cmd->flags, out);
}

static int parse_args(const struct command *cmd, int argc, char **argv, struct args *a)
{
	struct option *opts = long_options(cmd);
	if (opts == NULL)
		return fail(EX_OSERR, "out of memory");
	int c, r = 0;
	optind = 1;
	while (r == 0 && (c = cli_getopt(argc, argv, "", opts)) != -1) {
		char *end;
		if (c >= FLAG_BASE) {
			r = flags_apply(&cmd->flags[c - FLAG_BASE], optarg, a->doc);
		} else if (c == OPT_FROM) {
			a->from = optarg;
		} else if (c == OPT_REVISE) {
			a->revise = optarg;
		} else if (c == OPT_REVISION) {
			a->revision = strtol(optarg, &end, 10);
			if (a->revision < 1 || *end)
				r = fail(EX_DATAERR, "--revision: '%s' is not a number from 1", optarg);
		} else if (c == OPT_HELP) {
			command_usage(cmd, stdout);
			r = -1;
		} else if (c == '?') {
			command_usage(cmd, stderr);
			r = EX_USAGE;
		}
	}
	if (r == 0 && optind < argc) {
		command_usage(cmd, stderr);
		r = fail(EX_USAGE, "%s: unexpected argument '%s'", cmd->name, argv[optind]);
	}
	free(opts);
	return r;
}

/* Lays the flags' document @top over @base. Flags replace what they name,
 * except that a repeatable flag (--photo, --language, --other-name) adds to
 * the list below it, and setting one member of the child's age oneof drops
 * the other. */
static void overlay(json_t *base, json_t *top, const struct flag *table)
{
	json_t *bchild = json_object_get(base, "child"), *tchild = json_object_get(top, "child");
	if (json_is_object(bchild) && json_is_object(tchild)) {
		if (json_object_get(tchild, "age_years"))
			json_object_del(bchild, "age_range");
		if (json_object_get(tchild, "age_range"))
			json_object_del(bchild, "age_years");
	}
	for (const struct flag *f = table; f->name != NULL; f++) {
		if (f->type != F_STRS && f->type != F_PHOTO)
			continue;
		json_t *below = flags_lookup(base, f->path), *more = flags_lookup(top, f->path);
		if (json_is_array(below) && json_is_array(more)) {
			json_array_extend(below, more);
			json_array_clear(more);
			json_array_extend(more, below);
		}
	}
	json_object_update_recursive(base, top);
}

/* The document the flags are laid over: --from, else the last revision. */
static int base_document(const struct args *a, json_t **base)
{
	json_error_t err;
	if (a->from != NULL) {
		FILE *f = fopen(a->from, "re");
		if (f == NULL)
			return fail(EX_NOINPUT, "--from %s: %s", a->from, strerror(errno));
		*base = json_loadf(f, JSON_REJECT_DUPLICATES, &err);
		fclose(f);
		if (*base == NULL)
			return fail(EX_DATAERR, "--from %s: line %d: %s", a->from, err.line, err.text);
		if (!json_is_object(*base)) {
			json_decref(*base);
			*base = NULL;
			return fail(EX_DATAERR, "--from %s: not a JSON object ({...})", a->from);
		}
		return 0;
	}
	*base = json_object();
	return 0;
}

static int set_new_id(json_t *doc, const char *field, char text[RAKSHA_UUID_TEXT_LEN + 1])
{
	uint8_t id[RAKSHA_UUID_LEN];
	if (raksha_uuid7(id) < 0)
		return fail(EX_OSERR, "cannot make an id: the kernel's random source failed");
	raksha_uuid_format(id, text);
	json_object_set_new(doc, field, json_string(text));
	return 0;
}

/* A report's identity: new, or the next revision of one sent before. */
static int report_identity(struct pub *p, const struct command *cmd, struct args *a,
			   json_t **doc, char *id)
{
	if (a->revise == NULL) {
		if (a->revision != 0)
			return fail(EX_USAGE, "--revision goes with --revise REPORT_ID");
		if (json_object_get(*doc, "revision") == NULL)
			json_object_set_new(*doc, "revision", json_integer(1));
		return json_object_get(*doc, "report_id") ? 0 : set_new_id(*doc, "report_id", id);
	}
	uint8_t bin[RAKSHA_UUID_LEN];
	if (raksha_uuid_parse(a->revise, bin) < 0)
		return fail(EX_DATAERR, "--revise: '%s' is not a report id", a->revise);
	json_t *last = ledger_load(p->outbox_dir, a->revise);
	if (last == NULL && (a->revision == 0 || a->from == NULL))
		return fail(EX_DATAERR, "--revise %s: this machine did not send that report; give "
			    "--revision N and its full details (--from FILE)", a->revise);
	long next = a->revision ? a->revision
				: (long)json_integer_value(json_object_get(last, "revision")) + 1;
	if (last != NULL && a->from == NULL) {
		overlay(last, *doc, cmd->flags);  /* this revision's flags win */
		json_decref(*doc);
		*doc = last;
	} else {
		json_decref(last);
	}
	json_object_set_new(*doc, "report_id", json_string(a->revise));
	json_object_set_new(*doc, "revision", json_integer(next));
	return 0;
}

/* Ids and defaults each kind of body needs; @id receives the id to print. */
static int identity(struct pub *p, const struct command *cmd, struct args *a, char *id)
{
	json_t *d = a->doc;
	switch (cmd->kind) {
	case RAKSHA_KIND_REPORT:
		if (json_object_get(d, "status") == NULL)
			json_object_set_new(d, "status", json_string("CASE_STATUS_OPEN"));
		return report_identity(p, cmd, a, &a->doc, id);
	case RAKSHA_KIND_SIGHTING:  /* an integrator's retry keeps its own id */
		return json_object_get(d, "sighting_id") ? 0 : set_new_id(d, "sighting_id", id);
	case RAKSHA_KIND_ACK:
		if (json_object_get(d, "state") == NULL)
			json_object_set_new(d, "state", json_string("ACK_STATE_RECEIVED"));
		break;
	case RAKSHA_KIND_UPDATE:
		if (json_object_get(d, "status") == NULL) {
			command_usage(cmd, stderr);
			return fail(EX_USAGE, "update: --status is required");
		}
		break;
	case RAKSHA_KIND_LINK:
		if (json_object_get(d, "found_id") == NULL) {
			command_usage(cmd, stderr);
			return fail(EX_USAGE, "link: --found ID is required");
		}
		break;
	default:
		break;
	}
	if (json_object_get(d, "report_id") == NULL) {
		command_usage(cmd, stderr);
		return fail(EX_USAGE, "%s: --report ID is required", cmd->name);
	}
	return 0;
}

static void set_body(raksha_envelope *env, enum raksha_kind kind, ProtobufCMessage *body)
{
	switch (kind) {
	case RAKSHA_KIND_REPORT:
		env->body_case = RAKSHA__V1__ENVELOPE__BODY_REPORT;
		env->report = (void *)body;
		break;
	case RAKSHA_KIND_SIGHTING:
		env->body_case = RAKSHA__V1__ENVELOPE__BODY_SIGHTING;
		env->sighting = (void *)body;
		break;
	case RAKSHA_KIND_UPDATE:
		env->body_case = RAKSHA__V1__ENVELOPE__BODY_UPDATE;
		env->update = (void *)body;
		break;
	case RAKSHA_KIND_LINK:
		env->body_case = RAKSHA__V1__ENVELOPE__BODY_LINK;
		env->link = (void *)body;
		break;
	default:
		env->body_case = RAKSHA__V1__ENVELOPE__BODY_ACK;
		env->ack = (void *)body;
		break;
	}
}

static char *or_empty(const char *s)
{
	return (char *)(s ? s : "");
}

/* This unit, as the envelope's origin; "" for what is not known. */
static void fill_origin(Raksha__V1__Origin *origin, const struct pub *p)
{
	origin->state = or_empty(p->state);
	origin->region = or_empty(p->region);
	origin->agency = or_empty(p->agency);
	origin->unit = or_empty(p->unit);
	origin->sender_id = or_empty(p->sender_id);
	origin->officer_name = or_empty(p->officer_name);
	origin->officer_badge = or_empty(p->officer_badge);
	origin->officer_phone = or_empty(p->officer_phone);
}

/* Names the flag behind a rejected field, so the officer knows what to fix. */
static int explain(const struct command *cmd, const struct args *a, const struct raksha_problem *pr)
{
	/* Envelope checks say "report.child...", the JSON parser "child...". */
	const struct flag *f = flags_for_path(cmd->flags, raksha_kind_name(cmd->kind), pr->text);
	if (f == NULL)
		f = flags_for_path(cmd->flags, NULL, pr->text);
	if (f != NULL && flags_lookup(a->given, f->path) != NULL)  /* typed, not from a file */
		return fail(EX_DATAERR, "--%s: %s", f->name, pr->text);
	if (a->from != NULL)
		return fail(EX_DATAERR, "--from %s: %s", a->from, pr->text);
	return fail(EX_DATAERR, "%s", pr->text);
}

/* The envelope around @body, from this unit, checked and encoded. */
static int envelope(struct pub *p, const struct command *cmd, const struct args *a,
		    ProtobufCMessage *body, char *topic, uint8_t **buf, size_t *len, uint8_t *msg_id)
{
	if (p->state == NULL || p->region == NULL || p->agency == NULL)
		return fail(EX_USAGE, "the sending unit is not known: give --state, --region and "
			    "--agency (or [origin] in --config)");
	int r = keygen_load(p);
	if (r != 0)
		return r;
	Raksha__V1__Origin origin = RAKSHA__V1__ORIGIN__INIT;
	fill_origin(&origin, p);
	raksha_envelope env = RAKSHA__V1__ENVELOPE__INIT;
	env.origin = &origin;
	set_body(&env, cmd->kind, body);
	if (raksha_envelope_stamp(&env, msg_id) < 0)
		return fail(EX_OSERR, "cannot make a message id");
	struct raksha_topic t = {.kind = cmd->kind};
	snprintf(t.state, sizeof(t.state), "%s", p->state);
	snprintf(t.region, sizeof(t.region), "%s", p->region);
	snprintf(t.agency, sizeof(t.agency), "%s", p->agency);
	if (raksha_topic_format(&t, topic, RAKSHA_TOPIC_MAX) < 0)
		return fail(EX_USAGE, "--state/--region/--agency: each must match [a-z0-9-]{1,32}");
	struct raksha_problem pr;
	if (raksha_envelope_encode(&env, topic, NULL, buf, len, &pr) < 0)
		return explain(cmd, a, &pr);
	if (p->signing_key != NULL) {
		r = raksha_envelope_sign(p->signing_key, buf, len);
		if (r < 0)
			return fail(EX_SOFTWARE, "signing: %s", strerror(-r));
	}
	if (p->dry_run) {
		char *json;
		if (raksha_message_to_json(&env.base, RAKSHA_JSON_PRETTY, &json) == 0) {
			printf("%s\n", json);
			free(json);
		}
	}
	return 0;
}

/* What the officer needs to refer to later: the case, or the sighting. */
static const uint8_t *printed_id(const struct command *cmd, const ProtobufCMessage *body,
				 const uint8_t *msg_id)
{
	if (cmd->kind == RAKSHA_KIND_REPORT)
		return ((const Raksha__V1__Report *)body)->report_id.data;
	if (cmd->kind == RAKSHA_KIND_SIGHTING)
		return ((const Raksha__V1__Sighting *)body)->sighting_id.data;
	return msg_id;
}

struct printed {
	const char *id;
	const char *report_id;
	json_t *report;
	struct pub *p;
	pthread_t thread;  /* announce()'s, if on_queued() made one */
	bool threaded;
};

/* Once the envelope is on disk: its copy for --revise is made, then the id
 * printed, so that an id printed can be revised, whatever comes next (a
 * kill, a power cut). */
static void *announce(void *ctx)
{
	struct printed *pr = ctx;
	if (pr->report && ledger_save(pr->p->outbox_dir, pr->report_id, pr->report) < 0)
		log_line(LOG_ERR, "raksha-publish: could not keep a copy for --revise (the report itself is queued)");
	printf("%s\n", pr->id);
	fflush(stdout);
	return NULL;
}

/* Runs once the envelope is on disk: announce() on a thread of its own, so
 * that the copy's two fsyncs overlap the one-shot path's exchange with the
 * broker (docs/benchmarks.md, issue 19 part 3, session 4) while the id is
 * still printed as soon as the copy is on disk, broker or not. */
static void on_queued(void *ctx)
{
	struct printed *pr = ctx;
	pr->threaded = pr->report && pthread_create(&pr->thread, NULL, announce, pr) == 0;
	if (!pr->threaded)
		announce(pr);
}

/* Runs after the one-shot path, before the paho path waits: announce() has
 * finished (the id is out before any long wait, as it always was). */
static void on_settled(void *ctx)
{
	struct printed *pr = ctx;
	if (pr->threaded)
		pthread_join(pr->thread, NULL);
	pr->threaded = false;
}

/* The photos the document brought (--from, --revise's copy): normalised
 * unless they are already normal (publisher/photo_given.c). Flags' photos
 * are normal: they were made so. */
static int given_photos(const struct command *cmd, const struct args *a)
{
	char source[4200] = "";
	if (a->from != NULL)
		snprintf(source, sizeof(source), "--from %s: ", a->from);
	else if (a->revise != NULL)
		snprintf(source, sizeof(source), "--revise %s: ", a->revise);
	return photo_given(a->doc, cmd->flags, source);
}

/* The body the arguments describe, parsed by the schema into *@body; @a
 * keeps the document, @id the id to print if one was made here. */
static int make_body(struct pub *p, const struct command *cmd, int argc, char **argv,
		     struct args *a, char *id, ProtobufCMessage **body)
{
	int r = parse_args(cmd, argc, argv, a);
	if (r != 0)
		return r;
	json_t *base = NULL;
	r = base_document(a, &base);
	if (r != 0)
		return r;
	a->given = json_deep_copy(a->doc);
	overlay(base, a->doc, cmd->flags);  /* flags override the file */
	json_decref(a->doc);
	a->doc = base;
	r = identity(p, cmd, a, id);
	if (r != 0)
		return r;
	r = given_photos(cmd, a);
	if (r != 0)
		return r;
	char *text = json_dumps(a->doc, JSON_COMPACT);
	if (text == NULL)
		return fail(EX_OSERR, "out of memory");
	struct raksha_problem pr;
	if (raksha_message_from_json(cmd->desc, text, strlen(text), body, &pr) < 0)
		r = explain(cmd, a, &pr);
	free(text);
	return r;
}

/* Wraps @body in an envelope and sends it, or only prints it (--dry-run). */
static int send_body(struct pub *p, const struct command *cmd, const struct args *a,
		     ProtobufCMessage *body, char *id)
{
	char topic[RAKSHA_TOPIC_MAX];
	uint8_t msg_id[RAKSHA_UUID_LEN], *buf = NULL;
	size_t len;
	int r = envelope(p, cmd, a, body, topic, &buf, &len, msg_id);
	if (r != 0 || p->dry_run) {
		free(buf);
		return r;
	}
	if (id[0] == '\0')  /* the id came with --from (or --revise): print that one */
		raksha_uuid_format(printed_id(cmd, body, msg_id), id);
	struct printed out = {.id = id, .report_id = id, .p = p,
			      .report = cmd->kind == RAKSHA_KIND_REPORT ? a->doc : NULL};
	struct send_hooks hooks = {on_queued, on_settled, &out};
	r = send_envelope(p, topic, buf, len, msg_id, &hooks);
	free(buf);
	return r;
}

int command_run(struct pub *p, const struct command *cmd, int argc, char **argv)
{
	struct args a = {.doc = json_object()};
	char id[RAKSHA_UUID_TEXT_LEN + 1] = "";
	ProtobufCMessage *body = NULL;
	int r = make_body(p, cmd, argc, argv, &a, id, &body);
	if (r == 0)
		r = send_body(p, cmd, &a, body, id);
	if (body != NULL)
		protobuf_c_message_free_unpacked(body, NULL);
	json_decref(a.doc);
	json_decref(a.given);
	return r < 0 ? 0 : r;  /* -1: --help was printed */
}
