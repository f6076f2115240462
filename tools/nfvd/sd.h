/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The service manager's side of nfvd (sd.c): socket activation, readiness
 * and watchdog notifications, journal priorities.
 */
#ifndef __NFVD_SD_H
#define __NFVD_SD_H

#include <stdbool.h>
#include <stdint.h>

int sd_listen_fd(void);
void sd_notifyf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
uint64_t sd_watchdog_ns(void);
bool sd_journal(void);

#endif /* __NFVD_SD_H */
