/* Field rules by message. Each failure names the field path from the
 * envelope down, so a rejected message says exactly what to fix. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include <raksha/topic.h>
#include <raksha/uuid.h>

#include "lib/check_body.h"
#include "lib/problem.h"

#define MS_PER_DAY INT64_C(86400000)
/* 2000-01-01T00:00:00Z: no envelope of this bus is older. */
#define SENT_AT_MIN INT64_C(946684800000)
#define AGE_MAX 25u
#define HEIGHT_MIN 30u
#define HEIGHT_MAX 220u
#define PHOTOS_MAX 8u
#define PHONE_MAX 32u
#define SIGNATURE_LEN 64u

/* What every rule needs: where to report, and the envelope's clock. */
struct ctx {
	struct raksha_problem *p;
	int64_t sent_at_ms;
};

static int fail(struct ctx *c, const char *path, const char *what, const char *detail)
{
	return problem_set(c->p, -EINVAL, RAKSHA_CAUSE_INVALID, "%s: %s%s", path, what, detail);
}

static int need_id(struct ctx *c, const char *path, ProtobufCBinaryData id, int required)
{
	static const uint8_t zero[RAKSHA_UUID_LEN];
	if (id.len == 0)
		return required ? fail(c, path, "required", "") : 0;
	if (id.len != RAKSHA_UUID_LEN)
		return problem_set(c->p, -EINVAL, RAKSHA_CAUSE_INVALID,
				   "%s: %zu bytes, a UUID has 16", path, id.len);
	if (memcmp(id.data, zero, sizeof(zero)) == 0)
		return fail(c, path, "the nil UUID is not an id", "");
	return 0;
}

static int need_text(struct ctx *c, const char *path, const char *s)
{
	return (s == NULL || s[0] == '\0') ? fail(c, path, "required", "") : 0;
}

/* A time of something that happened: not before 1970, not after the envelope
 * was sent (with a day of clock drift allowed). 0 means "not given". */
static int need_past_time(struct ctx *c, const char *path, const char *field, int64_t ms)
{
	if (ms == 0)
		return 0;
	if (ms < 0 || ms > c->sent_at_ms + MS_PER_DAY)
		return problem_set(c->p, -EINVAL, RAKSHA_CAUSE_INVALID,
				   "%s%s%s: %lld is not between 1970 and a day after sent_at_ms",
				   path, *path ? "." : "", field, (long long)ms);
	return 0;
}

static bool phone_valid(const char *s)
{
	size_t n = strlen(s);
	return n <= PHONE_MAX && strspn(s, "0123456789+-() ") == n;
}

static int need_phone(struct ctx *c, const char *path, const char *s)
{
	size_t n = strlen(s);
	if (n > PHONE_MAX)
		return fail(c, path, "longer than 32 bytes", "");
	if (strspn(s, "0123456789+-() ") != n)
		return problem_set(c->p, -EINVAL, RAKSHA_CAUSE_INVALID,
				   "%s: byte %zu is not a digit, '+', '-', '(', ')' or space",
				   path, strspn(s, "0123456789+-() "));
	return 0;
}

static int check_origin(struct ctx *c, const Raksha__V1__Origin *o)
{
	if (o == NULL)
		return fail(c, "origin", "required", "");
	if (!raksha_segment_valid(o->state))
		return fail(c, "origin.state", "must match [a-z0-9-]{1,32}", "");
	if (!raksha_segment_valid(o->region))
		return fail(c, "origin.region", "must match [a-z0-9-]{1,32}", "");
	if (!raksha_segment_valid(o->agency))
		return fail(c, "origin.agency", "must match [a-z0-9-]{1,32}", "");
	return need_phone(c, "origin.officer_phone", o->officer_phone);
}

static int check_place(struct ctx *c, const char *path, const Raksha__V1__Place *pl)
{
	if (pl == NULL)
		return 0;
	int r = need_past_time(c, path, "time_ms", pl->time_ms);
	if (r < 0 || pl->location == NULL)
		return r;
	double lat = pl->location->latitude, lon = pl->location->longitude;
	if (!isfinite(lat) || lat < -90.0 || lat > 90.0)
		return problem_set(c->p, -EINVAL, RAKSHA_CAUSE_INVALID,
				   "%s.location.latitude: %g out of range -90..90", path, lat);
	if (!isfinite(lon) || lon < -180.0 || lon > 180.0)
		return problem_set(c->p, -EINVAL, RAKSHA_CAUSE_INVALID,
				   "%s.location.longitude: %g out of range -180..180", path, lon);
	return 0;
}

/* "@parent.photos[@i]: @what@detail": the path is formatted only here, on
 * failure (formatting it for every photo was a fiftieth of a JSON export's
 * row: docs/benchmarks.md, issue 19 part 5). */
static int photo_fail(struct ctx *c, const char *parent, size_t i, const char *what,
		      const char *detail)
{
	char path[96];
	snprintf(path, sizeof(path), "%s.photos[%zu]", parent, i);
	return fail(c, path, what, detail);
}

static int check_photo(struct ctx *c, const char *parent, size_t i, const Raksha__V1__Photo *ph)
{
	static const uint8_t jpeg[] = {0xff, 0xd8, 0xff};
	static const uint8_t png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	const uint8_t *magic;
	size_t mlen;
	if (strcmp(ph->media_type, "image/jpeg") == 0) {
		magic = jpeg;
		mlen = sizeof(jpeg);
	} else if (strcmp(ph->media_type, "image/png") == 0) {
		magic = png;
		mlen = sizeof(png);
	} else {
		return photo_fail(c, parent, i, "media_type must be image/jpeg or image/png", "");
	}
	if (ph->data.len < mlen || memcmp(ph->data.data, magic, mlen) != 0)
		return photo_fail(c, parent, i, "data does not start as a file of type ", ph->media_type);
	uint8_t digest[crypto_hash_sha256_BYTES];
	if (sodium_init() < 0)
		return photo_fail(c, parent, i, "cannot check sha256: libsodium failed to start", "");
	crypto_hash_sha256(digest, ph->data.data, ph->data.len);
	if (ph->sha256.len != sizeof(digest) || memcmp(ph->sha256.data, digest, sizeof(digest)) != 0)
		return photo_fail(c, parent, i, "sha256 is not the SHA-256 of data", "");
	return 0;
}

static int check_child(struct ctx *c, const char *path, const Raksha__V1__Child *ch)
{
	if (ch->age_case == RAKSHA__V1__CHILD__AGE_AGE_YEARS && ch->age_years > AGE_MAX)
		return problem_set(c->p, -EINVAL, RAKSHA_CAUSE_INVALID,
				   "%s.age_years: %u out of range 0..%u", path, ch->age_years, AGE_MAX);
	if (ch->age_case == RAKSHA__V1__CHILD__AGE_AGE_RANGE) {
		const Raksha__V1__AgeRange *ar = ch->age_range;
		if (ar == NULL || ar->min_years > ar->max_years || ar->max_years > AGE_MAX)
			return problem_set(c->p, -EINVAL, RAKSHA_CAUSE_INVALID,
					   "%s.age_range: must be min_years <= max_years <= %u",
					   path, AGE_MAX);
	}
	if (ch->height_case == RAKSHA__V1__CHILD__HEIGHT_HEIGHT_CM &&
	    (ch->height_cm < HEIGHT_MIN || ch->height_cm > HEIGHT_MAX))
		return problem_set(c->p, -EINVAL, RAKSHA_CAUSE_INVALID,
				   "%s.height_cm: %u out of range %u..%u", path, ch->height_cm,
				   HEIGHT_MIN, HEIGHT_MAX);
	if (ch->n_photos > PHOTOS_MAX)
		return problem_set(c->p, -EINVAL, RAKSHA_CAUSE_INVALID,
				   "%s.photos: %zu photos, at most %u", path, ch->n_photos, PHOTOS_MAX);
	for (size_t i = 0; i < ch->n_photos; i++) {
		int r = check_photo(c, path, i, ch->photos[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

static int check_report(struct ctx *c, const Raksha__V1__Report *rp)
{
	int r = need_id(c, "report.report_id", rp->report_id, 1);
	if (r < 0)
		return r;
	if (rp->revision < 1)
		return fail(c, "report.revision", "must be 1 or more", "");
	if (rp->child == NULL)
		return fail(c, "report.child", "required", "");
	r = need_text(c, "report.child.name", rp->child->name);
	if (r < 0)
		return r;
	r = check_child(c, "report.child", rp->child);
	if (r < 0)
		return r;
	r = check_place(c, "report.last_seen", rp->last_seen);
	if (r < 0)
		return r;
	if (rp->guardian != NULL) {
		r = need_phone(c, "report.guardian.phone", rp->guardian->phone);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < rp->n_companions; i++) {
		if (phone_valid(rp->companions[i]->phone))
			continue;
		char sub[64];  /* the path only for the words of a failure */
		snprintf(sub, sizeof(sub), "report.companions[%zu].phone", i);
		return need_phone(c, sub, rp->companions[i]->phone);
	}
	return 0;
}

static int check_sighting(struct ctx *c, const Raksha__V1__Sighting *s)
{
	int r = need_id(c, "sighting.sighting_id", s->sighting_id, 1);
	if (r < 0)
		return r;
	r = need_id(c, "sighting.report_id", s->report_id, 0);
	if (r < 0)
		return r;
	if (s->report_id.len == 0 && s->child == NULL)
		return fail(c, "sighting.child", "required when report_id is empty", "");
	if (s->child != NULL) {
		r = check_child(c, "sighting.child", s->child);
		if (r < 0)
			return r;
	}
	return check_place(c, "sighting.place", s->place);
}

static int check_update(struct ctx *c, const Raksha__V1__StatusUpdate *u)
{
	int r = need_id(c, "update.report_id", u->report_id, 1);
	if (r < 0)
		return r;
	if (u->status == RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_UNSPECIFIED)
		return fail(c, "update.status", "required", "");
	return check_place(c, "update.place", u->place);
}

static int check_escalation(struct ctx *c, const Raksha__V1__Escalation *e)
{
	int r = need_id(c, "escalation.report_id", e->report_id, 1);
	if (r < 0)
		return r;
	return e->level < 1 ? fail(c, "escalation.level", "must be 1 or more", "") : 0;
}

static int check_link(struct ctx *c, const Raksha__V1__CaseLink *l)
{
	int r = need_id(c, "link.found_id", l->found_id, 1);
	if (r < 0)
		return r;
	r = need_id(c, "link.report_id", l->report_id, 1);
	if (r < 0)
		return r;
	if (memcmp(l->found_id.data, l->report_id.data, RAKSHA_UUID_LEN) == 0)
		return fail(c, "link.report_id", "is found_id: a case is not linked to itself", "");
	return 0;
}

static int check_agent(struct ctx *c, const Raksha__V1__AgentStatus *a)
{
	if (!raksha_agent_id_valid(a->agent_id))
		return fail(c, "agent.agent_id", "must match [a-z0-9-]{1,64}", "");
	for (size_t i = 0; i < a->n_subscriptions; i++)
		if (raksha_filter_validate(a->subscriptions[i]) < 0)
			return problem_set(c->p, -EINVAL, RAKSHA_CAUSE_INVALID,
					   "agent.subscriptions[%zu]: not an MQTT topic filter", i);
	return need_past_time(c, "agent", "started_at_ms", a->started_at_ms);
}

static int check_envelope_fields(struct ctx *c, const raksha_envelope *env)
{
	int r = need_id(c, "message_id", env->message_id, 1);
	if (r < 0)
		return r;
	if (env->sent_at_ms < SENT_AT_MIN)
		return problem_set(c->p, -EINVAL, RAKSHA_CAUSE_INVALID,
				   "sent_at_ms: %lld is before 2000-01-01", (long long)env->sent_at_ms);
	if (env->signature.len != 0 && env->signature.len != SIGNATURE_LEN)
		return problem_set(c->p, -EINVAL, RAKSHA_CAUSE_INVALID,
				   "signature: %zu bytes, an Ed25519 signature has 64", env->signature.len);
	bool has_signer = env->signer != NULL && env->signer[0] != '\0';
	if (has_signer != (env->signature.len != 0))
		return problem_set(c->p, -EINVAL, RAKSHA_CAUSE_INVALID, has_signer
				   ? "signature: missing, but signer is set"
				   : "signer: missing, but the envelope has a signature");
	if (has_signer && !raksha_agent_id_valid(env->signer))
		return fail(c, "signer", "must match [a-z0-9-]{1,64}", "");
	return check_origin(c, env->origin);
}

int check_clock(const raksha_envelope *env, int64_t now_ms, struct raksha_problem *p)
{
	if (env->sent_at_ms <= now_ms + MS_PER_DAY)
		return 0;
	return problem_set(p, -ERANGE, RAKSHA_CAUSE_CLOCK,
			   "sent_at_ms: %lld is more than a day after this clock's %lld: a clock is wrong",
			   (long long)env->sent_at_ms, (long long)now_ms);
}

int check_body(const raksha_envelope *env, struct raksha_problem *p)
{
	struct ctx c = {.p = p, .sent_at_ms = env->sent_at_ms};
	int r = check_envelope_fields(&c, env);
	if (r < 0)
		return r;
	switch (env->body_case) {
	case RAKSHA__V1__ENVELOPE__BODY_REPORT:
		return env->report ? check_report(&c, env->report) : fail(&c, "report", "required", "");
	case RAKSHA__V1__ENVELOPE__BODY_SIGHTING:
		return env->sighting ? check_sighting(&c, env->sighting) : fail(&c, "sighting", "required", "");
	case RAKSHA__V1__ENVELOPE__BODY_UPDATE:
		return env->update ? check_update(&c, env->update) : fail(&c, "update", "required", "");
	case RAKSHA__V1__ENVELOPE__BODY_ACK:
		if (env->ack == NULL)
			return fail(&c, "ack", "required", "");
		return need_id(&c, "ack.report_id", env->ack->report_id, 1);
	case RAKSHA__V1__ENVELOPE__BODY_ESCALATION:
		return env->escalation ? check_escalation(&c, env->escalation) : fail(&c, "escalation", "required", "");
	case RAKSHA__V1__ENVELOPE__BODY_AGENT:
		return env->agent ? check_agent(&c, env->agent) : fail(&c, "agent", "required", "");
	case RAKSHA__V1__ENVELOPE__BODY_LINK:
		return env->link ? check_link(&c, env->link) : fail(&c, "link", "required", "");
	default:
		return fail(&c, "body", "required: one of report, sighting, update, ack, escalation, agent, link",
			    "");
	}
}
