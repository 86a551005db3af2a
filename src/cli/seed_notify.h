/* The seed's notifications (届出), consultations (相談) and casework queue.
 *
 * National (`nccs seed --scale national`, after the nurses, facilities and applications):
 *   - 150,000 notifications filed over FY2021–FY2025 (27,600 / 29,100 / 30,300 / 31,200 /
 *     31,800 a year; March and April about twice an average month), over the prefectures in
 *     the proportions of the national nurses; about 15 % by national nurses' own accounts, the
 *     rest by new licence-holder accounts (`n<k>@notify.invalid`, `…@center.invalid` for paper
 *     filings without e-mail, `…@proxy.invalid` for proxy filings without e-mail: reserved
 *     domain, never mailed, no password) with their licences (7-digit numbers, unique per type);
 *     channels pc / smartphone / center / proxy about 45 / 35 / 8 / 12 % (smartphone growing
 *     over the years); proxy filings by a national facility of the prefecture, part of those of
 *     March 2026 still pending_confirmation; every notification a versions row, about 3 % a
 *     change (version 2, a second versions row);
 *   - a notification task per active notification: open for those filed in March 2026 (the
 *     last month before the seed's fixed today, 2026-04-15), done for the older ones; due the
 *     center's default 3 business days after the notification became active;
 *   - the mental_health grant for the first national counselor of each prefecture;
 *   - 40,000 consultations in FY2025 (nurses, facilities and others; about 5 % mental health,
 *     each with its note only in consultation_sensitive), with follow-up tasks for about 8 %.
 * Deterministic for equal `seed` (the caller passes a value of its PRNG).
 *
 * Demo (both scales, after the demo accounts and applications): see docs/API.md "Demo data". */
#ifndef NCCS_CLI_SEED_NOTIFY_H
#define NCCS_CLI_SEED_NOTIFY_H
#include "store/db.h"
#include <stdint.h>

#define SEED_NOTIFY_TOTAL         150000
#define SEED_NOTIFY_CONSULTATIONS 40000

/* In the caller's transaction. nurse_first..nurse_last are the national nurses' user ids
 * (consecutive). Returns DB_OK or an error (message on stderr for a data problem). */
int seed_national_notifications(db *d, int64_t nurse_first, int64_t nurse_last, uint64_t seed);

/* The demo's notifications, tasks, consultations and the mental_health grant of counselor13,
 * dated relative to now. In the caller's transaction, after the demo accounts. */
int seed_demo_notifications(db *d, int64_t now);

#endif
