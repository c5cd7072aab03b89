/* The durable outbox on a real folder: order, removal, damaged entries moved
 * aside (never dropped, never sent), half-written files cleared, the lock. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <raksha/raksha.h>

#include "tests/lib/tap.h"

struct seen {
	int n;
	char topics[16][64];
	size_t lens[16];
	uint8_t ids[16][16];
};

static int collect(void *ctx, const struct raksha_outbox_entry *e)
{
	struct seen *s = ctx;
	if (s->n < 16) {
		snprintf(s->topics[s->n], 64, "%s", e->topic);
		s->lens[s->n] = e->len;
		memcpy(s->ids[s->n], e->message_id, 16);
	}
	s->n++;
	return 0;
}

static int corrupt_count;
static char corrupt_reason[320];
static void on_corrupt(void *ctx, const char *path, const char *reason)
{
	(void)ctx;
	(void)path;
	corrupt_count++;
	snprintf(corrupt_reason, sizeof(corrupt_reason), "%s", reason);
}

static int file_count(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	for (struct dirent *e; d && (e = readdir(d)) != NULL;)
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

int main(void)
{
	char dir[] = "/tmp/raksha-outbox-XXXXXX", path[512], sub[128];
	ok(mkdtemp(dir) != NULL, "temporary folder");
	snprintf(sub, sizeof(sub), "%s/a/b/outbox", dir);
	struct raksha_outbox *ob;
	is_int(raksha_outbox_open(sub, &ob), 0, "open creates the folder and its parents");
	struct stat st;
	ok(stat(sub, &st) == 0 && (st.st_mode & 0777) == 0700, "outbox folder is private (0700)");
	snprintf(path, sizeof(path), "%s/refused", sub);
	ok(access(path, F_OK) != 0, "no refused/ until the broker refuses something (MQTT 5)");

	uint8_t ids[3][16];
	const char *topics[3] = {"raksha/v1/mp/bhopal/grp/report", "raksha/v1/mp/bhopal/grp/ack",
				 "raksha/v1/mp/bhopal/grp/update"};
	for (int i = 0; i < 3; i++) {
		raksha_uuid7(ids[i]);
		is_int(raksha_outbox_put(ob, topics[i], "payload-bytes", 5 + (size_t)i, ids[i]), 0, "put %d", i);
	}
	is_int(raksha_outbox_count(ob), 3, "three queued");
	is_int(raksha_outbox_put(ob, "", "x", 1, ids[0]), -EINVAL, "empty topic refused");

	struct seen s = {0};
	is_int(raksha_outbox_scan(ob, collect, on_corrupt, &s), 0, "scan");
	is_int(s.n, 3, "scan sees three");
	ok(s.n == 3 && strcmp(s.topics[0], topics[0]) == 0 && strcmp(s.topics[2], topics[2]) == 0 &&
	   memcmp(s.ids[1], ids[1], 16) == 0, "in the order they were queued, ids and topics intact");
	ok(s.lens[0] == 5 && s.lens[2] == 7, "payload lengths intact");

	is_int(raksha_outbox_remove(ob, ids[1]), 0, "remove the acknowledged one");
	is_int(raksha_outbox_remove(ob, ids[1]), -ENOENT, "removing twice: -ENOENT");
	is_int(raksha_outbox_count(ob), 2, "two left");

	/* Damage the first entry: flip a byte of its payload. */
	char text[RAKSHA_UUID_TEXT_LEN + 1];
	raksha_uuid_format(ids[0], text);
	snprintf(path, sizeof(path), "%s/%s.msg", sub, text);
	int fd = open(path, O_RDWR);
	ok(fd >= 0 && pwrite(fd, "X", 1, 40) == 1, "damage an entry on disk");
	close(fd);
	memset(&s, 0, sizeof(s));
	raksha_outbox_scan(ob, collect, on_corrupt, &s);
	is_int(s.n, 1, "the damaged entry is not handed out");
	is_int(corrupt_count, 1, "the damaged entry is reported");
	is_str(corrupt_reason, "checksum mismatch (torn or damaged file); moved aside, never sent",
	       "with the reason, and where it went");
	snprintf(path, sizeof(path), "%s/corrupt", sub);
	is_int(file_count(path), 1, "it was moved into corrupt/, not deleted");

	/* corrupt/ cannot be made (a file in its place): the damaged entry
	 * stays where it is, and the reason says so, not "moved aside". */
	char sub2[160], reason[320];
	snprintf(sub2, sizeof(sub2), "%s/blocked", dir);
	struct raksha_outbox *ob2;
	uint8_t id2[16];
	raksha_uuid7(id2);
	ok(raksha_outbox_open(sub2, &ob2) == 0 && raksha_outbox_put(ob2, topics[0], "payload-bytes", 5, id2) == 0,
	   "a second outbox, one entry");
	raksha_uuid_format(id2, text);
	snprintf(path, sizeof(path), "%s/%s.msg", sub2, text);
	fd = open(path, O_RDWR);
	ok(fd >= 0 && pwrite(fd, "X", 1, 40) == 1, "  damaged");
	close(fd);
	snprintf(path, sizeof(path), "%s/corrupt", sub2);
	rmdir(path);  /* made empty at open, if it was */
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	ok(fd >= 0, "  a file where corrupt/ would be");
	close(fd);
	corrupt_count = 0;
	memset(&s, 0, sizeof(s));
	raksha_outbox_scan(ob2, collect, on_corrupt, &s);
	snprintf(reason, sizeof(reason), "%s", corrupt_reason);
	is_int(corrupt_count, 1, "  the damaged entry is reported");
	ok(strstr(reason, "it stays in the outbox, as corrupt/ cannot take it") != NULL &&
	   strstr(reason, "moved aside") == NULL, "  as staying where it is, not as moved aside: %s", reason);
	snprintf(path, sizeof(path), "%s/%s.msg", sub2, text);
	ok(access(path, F_OK) == 0 && s.n == 0, "  it is still there, and not handed out");
	raksha_outbox_close(ob2);

	/* A half-written file from a crash: cleared at the next open, never sent.
	 * Its writer is a process that has exited. */
	pid_t dead = fork();
	if (dead == 0)
		_exit(0);
	waitpid(dead, NULL, 0);
	snprintf(path, sizeof(path), "%s/.tmp-%ld-0193.msg", sub, (long)dead);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	close(fd);
	/* One a live process (this one) is writing now: another process opening
	 * the shared outbox must leave it alone. */
	char live[512];
	snprintf(live, sizeof(live), "%s/.tmp-%ld-0194.msg", sub, (long)getpid());
	fd = open(live, O_WRONLY | O_CREAT, 0600);
	close(fd);
	raksha_outbox_close(ob);
	is_int(raksha_outbox_open(sub, &ob), 0, "reopen");
	ok(access(path, F_OK) != 0, "a dead writer's half-written file is cleared at open");
	ok(access(live, F_OK) == 0, "a live writer's file is left alone");
	unlink(live);
	is_int(raksha_outbox_count(ob), 1, "the good entry survived the reopen");

	/* One sender at a time. */
	struct raksha_outbox *other;
	raksha_outbox_open(sub, &other);
	is_int(raksha_outbox_lock(ob, 0), 0, "first lock taken");
	is_int(raksha_outbox_lock(other, 0), -EWOULDBLOCK, "second sender must wait");
	raksha_outbox_unlock(ob);
	is_int(raksha_outbox_lock(other, 0), 0, "free again after unlock");
	raksha_outbox_close(other);
	raksha_outbox_close(ob);

	char def[256];
	setenv("XDG_STATE_HOME", "/var/state", 1);
	raksha_outbox_default_dir(def, sizeof(def));
	is_str(def, "/var/state/raksha/outbox", "default under XDG_STATE_HOME");
	unsetenv("XDG_STATE_HOME");
	setenv("HOME", "/home/grp", 1);
	raksha_outbox_default_dir(def, sizeof(def));
	is_str(def, "/home/grp/.local/state/raksha/outbox", "else under ~/.local/state");
	is_int(raksha_outbox_default_dir(def, 8), -ENOBUFS, "short buffer: -ENOBUFS");

	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}
