#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "lib/outbox_file.h"

static const uint8_t MAGIC[5] = {'R', 'K', 'O', 'B', 0x01};
#define SUM_LEN 32u
#define HEAD_LEN (sizeof(MAGIC) + 2u)

int outbox_file_encode(const char *topic, const void *payload, size_t len,
		       uint8_t **out, size_t *out_len)
{
	size_t tlen = strlen(topic);
	if (tlen > 0xffff || len > 0xffffffffu)
		return -EINVAL;
	size_t n = HEAD_LEN + tlen + 4 + len + SUM_LEN;
	uint8_t *b = malloc(n), *p = b;
	if (b == NULL)
		return -ENOMEM;
	memcpy(p, MAGIC, sizeof(MAGIC));
	p += sizeof(MAGIC);
	*p++ = (uint8_t)(tlen >> 8);
	*p++ = (uint8_t)tlen;
	memcpy(p, topic, tlen);
	p += tlen;
	for (int s = 24; s >= 0; s -= 8)
		*p++ = (uint8_t)(len >> s);
	if (len > 0)
		memcpy(p, payload, len);
	p += len;
	crypto_generichash(p, SUM_LEN, b, (size_t)(p - b), NULL, 0);
	*out = b;
	*out_len = n;
	return 0;
}

int outbox_file_decode(const uint8_t *buf, size_t len, char **topic,
		       const uint8_t **payload, size_t *payload_len, const char **why)
{
	uint8_t sum[SUM_LEN];
	if (len < HEAD_LEN + 4 + SUM_LEN || memcmp(buf, MAGIC, sizeof(MAGIC)) != 0) {
		*why = "not an outbox entry (bad header)";
		return -EBADMSG;
	}
	crypto_generichash(sum, SUM_LEN, buf, len - SUM_LEN, NULL, 0);
	if (sodium_memcmp(sum, buf + len - SUM_LEN, SUM_LEN) != 0) {
		*why = "checksum mismatch (torn or damaged file)";
		return -EBADMSG;
	}
	size_t tlen = (size_t)buf[5] << 8 | buf[6];
	if (tlen == 0 || HEAD_LEN + tlen + 4 + SUM_LEN > len) {
		*why = "topic length out of bounds";
		return -EBADMSG;
	}
	const uint8_t *p = buf + HEAD_LEN + tlen;
	size_t plen = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
	if (HEAD_LEN + tlen + 4 + plen + SUM_LEN != len) {
		*why = "payload length does not match the file size";
		return -EBADMSG;
	}
	char *t = malloc(tlen + 1);
	if (t == NULL)
		return -ENOMEM;
	memcpy(t, buf + HEAD_LEN, tlen);
	t[tlen] = '\0';
	*topic = t;
	*payload = p + 4;
	*payload_len = plen;
	return 0;
}
