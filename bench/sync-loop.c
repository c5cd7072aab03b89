/* sync-loop FILE N: the physical limit of acknowledging only after a sync,
 * the baseline of durability = power in bench/agent-ingest.sh. Writes FILE
 * in full first (1 MiB, as the agent's journal writes its pass, so that no
 * sync below has an extent or a size to record), syncs it, then N times
 * writes one 4 KiB block with pwrite() and fdatasync()s it, the blocks in
 * turn round the file. Prints "N MS": the milliseconds of the N writes and
 * syncs. Removes nothing: FILE is the caller's. */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BLOCK 4096
#define FILE_BYTES (1 << 20)  /* subscriber/agent/journal_impl.h's PASS_BYTES */

static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int write_block(int fd, const unsigned char *b, off_t at)
{
	return pwrite(fd, b, BLOCK, at) == BLOCK ? 0 : -1;
}

static int preallocate(int fd, const unsigned char *zeros)
{
	for (off_t at = 0; at < FILE_BYTES; at += BLOCK)
		if (write_block(fd, zeros, at) < 0)
			return -1;
	return fsync(fd);
}

int main(int argc, char **argv)
{
	if (argc != 3 || atol(argv[2]) <= 0) {
		fprintf(stderr, "usage: sync-loop FILE N\n");
		return 64;
	}
	long n = atol(argv[2]);
	static unsigned char block[BLOCK];
	int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || preallocate(fd, block) < 0) {
		perror(argv[1]);
		return 74;
	}
	memset(block, 0x5a, sizeof(block));  /* what a record would be: not zeros */
	long long t0 = mono_ms();
	for (long i = 0; i < n; i++) {
		off_t at = (off_t)(i % (FILE_BYTES / BLOCK)) * BLOCK;
		if (write_block(fd, block, at) < 0 || fdatasync(fd) < 0) {
			perror(argv[1]);
			return 74;
		}
	}
	printf("%ld %lld\n", n, mono_ms() - t0);
	close(fd);
	return 0;
}
