/* SPDX-License-Identifier: Apache-2.0 */
/* The race check's hooks into the machine (race.c; docs/isa.md "Dependency tokens"). */
#ifndef DLP_RACE_H
#define DLP_RACE_H

#include "dlp.h"

typedef struct dlp_race_state dlp_race_state_t;
struct uop;

dlp_race_state_t *dlp_race_new(void); /* NULL when out of memory */
void dlp_race_free(dlp_race_state_t *r);
/* Every hook accepts r == NULL (checking off). */
void dlp_race_reset(dlp_race_state_t *r);                 /* at the start of a run */
void dlp_race_start(dlp_race_state_t *r, const struct uop *u); /* a queued instruction starts */
void dlp_race_signal(dlp_race_state_t *r, int q, unsigned sig); /* queue q's instr. retires;
                                                                  sig by queue (signal_q) */
void dlp_race_sync(dlp_race_state_t *r);                  /* a sync passes (all idle) */
void dlp_race_summary(const dlp_race_state_t *r, dlp_race_summary_t *s);

#endif
