/* How long ago something was, as the board and the desk show it: one set of
 * steps (seconds below a minute, minutes below an hour, hours below two
 * days, then days), so the two never disagree about a case's age. */
#ifndef RAKSHA_COMMON_AGE_TEXT_H
#define RAKSHA_COMMON_AGE_TEXT_H

#include <stddef.h>
#include <stdint.h>

enum age_text_form {
	AGE_TEXT_SHORT,  /* "45s", "12m", "3h", "2d": the board's narrow AGE column */
	AGE_TEXT_LONG,   /* "45 s ago", "12 min ago", "3 h ago", "2 days ago": the desk */
};

/* Writes into @out how long before @now_ms @ms was, in @form, in the
 * thread's language (common/i18n.h). A time after
 * @now_ms (another PC's clock ahead of ours) is 0 s ago. */
void age_text_format(int64_t ms, int64_t now_ms, enum age_text_form form, char *out, size_t size);

#endif
