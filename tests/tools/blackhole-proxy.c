/* blackhole-proxy UPSTREAM-PORT: a TCP proxy on a free 127.0.0.1 port to
 * 127.0.0.1:UPSTREAM-PORT that can play a dead link, for the fault suites.
 *
 * Prints its port on the first line of stdout. SIGUSR1 cuts the link: every
 * connection stays open but no byte moves either way (the proxy stops
 * reading, so what the ends send waits in their sockets, as unacknowledged
 * data waits for a dead link), and new connections are accepted but get
 * nothing, not even a connection to the upstream. SIGUSR2 restores it: held
 * bytes flow on, and held new connections are connected upstream (those
 * whose client gave up meanwhile are dropped: on a dead link they would
 * never have reached the broker). Each change is confirmed by a line "cut"
 * or "restored" on stdout. SIGHUP drops the link instead, as a cable pulled
 * where both ends notice: every connection, held ones too, is closed (the
 * cut or restored state stays), confirmed by "dropped N". SIGTERM or
 * SIGINT: exit 0.
 *
 * A closed link would tell both ends at once; a dead one tells nobody, so
 * only keepalives can find it: that is what the suites test. */
#define _GNU_SOURCE /* POLLRDHUP */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sysexits.h>
#include <unistd.h>

#define BUF_SIZE 65536
#define MAX_CONNS 512

/* One direction of a connection: bytes read from one end, not yet written
 * to the other. */
struct pipe_half {
	char buf[BUF_SIZE];
	size_t len;
	bool eof;        /* the reading end sent FIN: pass it on once buf is out */
	bool shut;       /* FIN passed on */
};

struct conn {
	int fd[2];                   /* 0: the client, 1: the upstream (-1: held, not yet dialled) */
	struct pipe_half half[2];    /* half[i]: read from fd[i], written to fd[!i] */
};

static struct conn *conns[MAX_CONNS];
static int self_pipe[2];
static int upstream_port;

/* Signals only write a byte: the loop does the work, outside the handler. */
static void on_signal(int sig)
{
	char c = 't';
	if (sig == SIGUSR1)
		c = 'c';
	else if (sig == SIGUSR2)
		c = 'r';
	else if (sig == SIGHUP)
		c = 'd';
	int saved = errno;
	if (write(self_pipe[1], &c, 1) < 0) {
		/* the pipe is full: a change is already pending */
	}
	errno = saved;
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static int listen_loopback(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 64) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0 || set_nonblock(fd) < 0)
		return -1;
	*port = ntohs(a.sin_port);
	return fd;
}

/* Loopback: the connect completes or fails at once, so it may block. */
static int dial_upstream(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)upstream_port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || set_nonblock(fd) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void drop(int i)
{
	for (int s = 0; s < 2; s++)
		if (conns[i]->fd[s] >= 0)
			close(conns[i]->fd[s]);
	free(conns[i]);
	conns[i] = NULL;
}

static void accept_one(int lfd, bool cut)
{
	int fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		return;
	int i = 0;
	while (i < MAX_CONNS && conns[i] != NULL)
		i++;
	struct conn *c = i < MAX_CONNS ? calloc(1, sizeof(*c)) : NULL;
	if (c == NULL || set_nonblock(fd) < 0) {
		free(c);
		close(fd);
		return;
	}
	c->fd[0] = fd;
	c->fd[1] = cut ? -1 : dial_upstream();
	conns[i] = c;
	if (!cut && c->fd[1] < 0)
		drop(i);  /* the upstream is down: the client sees a closed connection */
}

/* On restore: a held connection whose client already closed is dropped,
 * the others are dialled upstream now. */
static void release_held(void)
{
	for (int i = 0; i < MAX_CONNS; i++) {
		if (conns[i] == NULL || conns[i]->fd[1] >= 0)
			continue;
		struct pollfd p = {.fd = conns[i]->fd[0], .events = POLLRDHUP};
		bool gone = poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
		if (gone || (conns[i]->fd[1] = dial_upstream()) < 0)
			drop(i);
	}
}

/* Moves what it can one way; false when the connection is finished or broken. */
static bool pump(struct conn *c, int from, short rev_from, short rev_to)
{
	struct pipe_half *h = &c->half[from];
	int to_fd = c->fd[!from];
	if ((rev_from & (POLLIN | POLLHUP | POLLERR)) && !h->eof && h->len < BUF_SIZE) {
		ssize_t n = recv(c->fd[from], h->buf + h->len, BUF_SIZE - h->len, 0);
		if (n > 0)
			h->len += (size_t)n;
		else if (n == 0)
			h->eof = true;
		else if (errno != EAGAIN && errno != EINTR)
			return false;
	}
	if (h->len > 0 && (rev_to & POLLOUT)) {
		ssize_t n = send(to_fd, h->buf, h->len, MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return false;
		if (n > 0) {
			memmove(h->buf, h->buf + n, h->len - (size_t)n);
			h->len -= (size_t)n;
		}
	}
	if (h->eof && h->len == 0 && !h->shut) {
		shutdown(to_fd, SHUT_WR);
		h->shut = true;
	}
	return true;
}

/* An end that hung up entirely, once all it sent has been passed on: the
 * other direction can no longer be delivered, and poll would report the
 * hang-up again at once, for ever. */
static bool gone(const struct conn *c, int side, short rev)
{
	return (rev & (POLLHUP | POLLERR)) && c->half[side].eof && c->half[side].len == 0;
}

static short wanted(const struct conn *c, int side)
{
	short ev = 0;
	if (!c->half[side].eof && c->half[side].len < BUF_SIZE)
		ev |= POLLIN;
	if (c->half[!side].len > 0)
		ev |= POLLOUT;
	return ev;
}

/* SIGHUP: every connection closed, both ends told at once. */
static void drop_all(void)
{
	int n = 0;
	for (int i = 0; i < MAX_CONNS; i++) {
		if (conns[i] != NULL) {
			drop(i);
			n++;
		}
	}
	printf("dropped %d\n", n);
	fflush(stdout);
}

/* One poll over the listener, the signal pipe and (unless cut) every
 * connection's two ends. Returns false when it is time to exit. */
static bool step(int lfd, bool *cut)
{
	struct pollfd p[2 + 2 * MAX_CONNS];
	int idx[MAX_CONNS], n = 2;
	p[0] = (struct pollfd){.fd = self_pipe[0], .events = POLLIN};
	p[1] = (struct pollfd){.fd = lfd, .events = POLLIN};
	for (int i = 0; !*cut && i < MAX_CONNS; i++) {
		idx[i] = -1;
		if (conns[i] == NULL)
			continue;
		idx[i] = n;
		for (int s = 0; s < 2; s++)
			p[n++] = (struct pollfd){.fd = conns[i]->fd[s], .events = wanted(conns[i], s)};
	}
	if (poll(p, (nfds_t)n, -1) < 0)
		return errno == EINTR;
	if (p[0].revents & POLLIN) {
		char cmd;
		if (read(self_pipe[0], &cmd, 1) == 1) {
			if (cmd == 't')
				return false;
			if (cmd == 'd') {
				drop_all();
				return true;
			}
			bool was = *cut;
			*cut = cmd == 'c';
			if (was && !*cut)
				release_held();
			printf("%s\n", *cut ? "cut" : "restored");
			fflush(stdout);
		}
		return true;  /* the connection set may have changed: poll again */
	}
	if (p[1].revents & POLLIN)
		accept_one(lfd, *cut);
	for (int i = 0; !*cut && i < MAX_CONNS; i++) {
		if (conns[i] == NULL || idx[i] < 0)
			continue;
		short r0 = p[idx[i]].revents, r1 = p[idx[i] + 1].revents;
		if (!pump(conns[i], 0, r0, r1) || !pump(conns[i], 1, r1, r0) ||
		    (conns[i]->half[0].shut && conns[i]->half[1].shut) ||
		    gone(conns[i], 0, r0) || gone(conns[i], 1, r1))
			drop(i);
	}
	return true;
}

int main(int argc, char **argv)
{
	upstream_port = argc == 2 ? atoi(argv[1]) : 0;
	if (upstream_port < 1 || upstream_port > 65535) {
		fprintf(stderr, "usage: blackhole-proxy UPSTREAM-PORT\n");
		return EX_USAGE;
	}
	int port, lfd = listen_loopback(&port);
	if (lfd < 0 || pipe(self_pipe) < 0 || set_nonblock(self_pipe[1]) < 0) {
		perror("blackhole-proxy");
		return EX_OSERR;
	}
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	printf("%d\n", port);
	fflush(stdout);
	bool cut = false;
	while (step(lfd, &cut))
		;
	for (int i = 0; i < MAX_CONNS; i++)
		if (conns[i] != NULL)
			drop(i);
	close(lfd);
	return EX_OK;
}
