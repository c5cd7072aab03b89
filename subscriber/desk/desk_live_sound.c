/* GET /alert.wav: the sound of a new urgent or critical case, made by the
 * desk at its first request (no file to install, nothing from elsewhere):
 * two short beeps, 8 kHz, 8-bit mono PCM, about 5 KiB. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "desk/desk_pages.h"

#define RATE 8000
#define SAMPLES (RATE * 6 / 10)  /* 0.6 s: beep, pause, beep */
#define HEADER 44

static uint8_t wav[HEADER + SAMPLES];

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void make_header(void)
{
	memcpy(wav, "RIFF", 4);
	put32(wav + 4, HEADER - 8 + SAMPLES);
	memcpy(wav + 8, "WAVEfmt ", 8);
	put32(wav + 16, 16);    /* the fmt chunk's size */
	put16(wav + 20, 1);     /* PCM */
	put16(wav + 22, 1);     /* mono */
	put32(wav + 24, RATE);
	put32(wav + 28, RATE);  /* bytes a second */
	put16(wav + 32, 1);     /* bytes a frame */
	put16(wav + 34, 8);
	memcpy(wav + 36, "data", 4);
	put32(wav + 40, SAMPLES);
}

static void make(void)
{
	make_header();
	for (int i = 0; i < SAMPLES; i++) {
		bool on = i < RATE / 4 || i >= RATE * 35 / 100;  /* 0.25 s on, 0.1 s off, on */
		double v = on ? 0.8 * sin(2.0 * 3.14159265358979 * 880.0 * i / RATE) : 0.0;
		wav[HEADER + i] = (uint8_t)(128.0 + 127.0 * v);
	}
}

enum MHD_Result desk_page_alert_wav(struct desk_request *r)
{
	if (wav[0] == 0)  /* libmicrohttpd's one thread: made once, never raced */
		make();
	return desk_reply(r, 200, "audio/wav", wav, sizeof(wav), NULL);
}
