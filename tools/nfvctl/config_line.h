/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One line of an nfvctl -batch file, as nfvctl and nfvd read it
 * (config_line.c): both link the same parser, so that a file nfvctl
 * applies and one nfvd applies at start (--config) mean the same.
 */
#ifndef __NFVCTL_CONFIG_LINE_H
#define __NFVCTL_CONFIG_LINE_H

#include "nfvctl.h"

/* Words per line at most. */
#define CONFIG_LINE_ARGS	64

/*
 * Split @line in place into words (blanks separate them; '#' starts a
 * comment).  Returns the number of words, or -1: more than @max.
 */
int config_line_split(char *line, char **argv, int max);

/*
 * Parse a configuration command (the lines "nfvctl save" writes: port
 * add, chain add|replace, flow add) into @req, nfvctl_parse()'s contract;
 * any other command is -EINVAL with @req->err saying so.
 */
int config_line_parse(int argc, char **argv, struct nfvctl_req *req);

#endif
