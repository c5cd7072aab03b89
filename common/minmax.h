/* MIN, MAX and CLAMP, for what a nested ?: would otherwise say. GLib (the
 * board's chafa brings it) defines the same three with the same meaning;
 * whichever comes first is kept. Each evaluates its arguments more than
 * once: give them plain values. */
#ifndef RAKSHA_COMMON_MINMAX_H
#define RAKSHA_COMMON_MINMAX_H

#ifndef MIN
#define MIN(a, b) (((a) < (b)) ? (a) : (b))
#endif

#ifndef MAX
#define MAX(a, b) (((a) > (b)) ? (a) : (b))
#endif

/* @x kept within [@lo, @hi]. */
#ifndef CLAMP
#define CLAMP(x, lo, hi) (((x) > (hi)) ? (hi) : (((x) < (lo)) ? (lo) : (x)))
#endif

#endif
