// SPDX-License-Identifier: GPL-2.0
/*
 * The fabric's side of an attachment.  The requests are nfvctl's
 * (nfvctl_req filled by parse_port()/parse_chain() from the same words a
 * user would type), so that "port add DEV default-chain ID" means here
 * exactly what it means on nfvctl's command line.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "backend.h"
#include "error.h"
#include "fabric.h"
#include "nfvctl.h"

struct fabric {
	struct backend *b;
	const char *path;
};

static unsigned int nametoindex(const char *name)
{
	return if_nametoindex(name);
}

/* Nobody listens at @path: no nfvd runs, so no port of ours is served. */
static bool nfvd_absent(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	bool absent;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return false;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	absent = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 &&
		 (errno == ENOENT || errno == ECONNREFUSED);
	close(fd);
	return absent;
}

struct fabric *fabric_open(const char *path, bool absent_ok)
{
	struct fabric *f = calloc(1, sizeof(*f));
	char err[256];

	if (!f) {
		cni_fail(CNI_ERR_IO, NULL, "out of memory");
		return NULL;
	}
	f->path = path;
	f->b = backend_open(BACKEND_DAEMON, path, err, sizeof(err));
	if (!f->b) {
		if (!absent_ok || !nfvd_absent(path))
			cni_fail(CNI_ERR_AGAIN, path, "%s: is nfvd running?",
				 err);
		free(f);
		return NULL;
	}
	return f;
}

void fabric_close(struct fabric *f)
{
	if (!f)
		return;
	backend_close(f->b);
	free(f);
}

/* request(): nfvctl's parser refused the words; the error is recorded. */
#define NOT_BUILT	(-4096)

/*
 * Parse @argv as nfvctl OBJECT @argv would (@parse: parse_port or
 * parse_chain), send it, read the answer into @cb.  0 or -errno, with
 * nfvd's message in *@ext, or NOT_BUILT.
 */
static int request(struct fabric *f,
		   int (*parse)(int argc, char **argv, struct nfvctl_req *req),
		   int argc, char **argv, backend_cb_t cb, void *data,
		   const char **ext)
{
	char buf[NFVCTL_MSG_SIZE] = { 0 };	/* no stack bytes in the padding */
	struct nfvctl_req req = {
		.buf = buf,
		.size = sizeof(buf),
		.nametoindex = nametoindex,
	};
	int err;

	*ext = NULL;
	if (parse(argc, argv, &req) || !req.nlh) {
		cni_fail(CNI_ERR_CONFIG, NULL, "nfvctl %s: %s",
			 parse == parse_port ? "port" : "chain",
			 req.err[0] ? req.err : "cannot build the request");
		return NOT_BUILT;
	}
	err = backend_send(f->b, req.nlh);
	if (err)
		return err;
	return backend_recv(f->b, cb, data, ext);
}

/* nfvd's word for a failure, or the errno's. */
static const char *why(int err, const char *ext)
{
	return ext ?: strerror(-err);
}

/* Transport failures are nfvd's (try again), refusals the fabric's. */
static int fail(const struct fabric *f, int err, const char *ext,
		const char *what)
{
	if (err == -ECONNRESET || err == -EPIPE || err == -ETIMEDOUT)
		return cni_fail(CNI_ERR_AGAIN, f->path, "%s: nfvd at %s: %s",
				what, f->path, strerror(-err));
	return cni_fail(NFV_CNI_ERR_FABRIC, why(err, ext), "%s refused by nfvd: %s",
			what, why(err, ext));
}

int fabric_chain_check(struct fabric *f, uint16_t id)
{
	char sid[8], *argv[] = { "show", sid };
	const char *ext;
	int err;

	snprintf(sid, sizeof(sid), "%u", id);
	err = request(f, parse_chain, 2, argv, NULL, NULL, &ext);
	if (err == -ENOENT)
		return cni_fail(NFV_CNI_ERR_CHAIN, why(err, ext),
				"chain %u does not exist in the fabric: create it first (nfvctl chain add %u ...)",
				id, id);
	if (err == NOT_BUILT)
		return -1;
	return err ? fail(f, err, ext, "chain show") : 0;
}

int fabric_port_add(struct fabric *f, const char *dev, uint16_t chain,
		    bool steer_arp)
{
	char sid[8], *argv[] = { "add", (char *)dev, "default-chain", sid,
				 "steer-arp" };
	const char *ext;
	int err;

	snprintf(sid, sizeof(sid), "%u", chain);
	err = request(f, parse_port, steer_arp ? 5 : 4, argv, NULL, NULL, &ext);
	if (err == NOT_BUILT)
		return -1;
	return err ? fail(f, err, ext, "port add") : 0;
}

int fabric_port_del(struct fabric *f, const char *dev)
{
	char *argv[] = { "del", (char *)dev };
	const char *ext;
	int err;

	err = request(f, parse_port, 2, argv, NULL, NULL, &ext);
	if (err == NOT_BUILT)
		return -1;
	if (err == -ENODEV || err == -ENOENT)
		return 0;
	return err ? fail(f, err, ext, "port del") : 0;
}

static int chain_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFV_A_PORT_MAX + 1];
	uint16_t *chain = data;
	int err;

	err = genl_parse(nlh, &nfv_port_nl_set, tb);
	if (err)
		return err;
	*chain = tb[NFV_A_PORT_DEFAULT_CHAIN] ?
		 mnl_attr_get_u16(tb[NFV_A_PORT_DEFAULT_CHAIN]) : 0;
	return 0;
}

int fabric_port_chain(struct fabric *f, const char *dev, uint16_t *chain)
{
	char *argv[] = { "show", (char *)dev };
	const char *ext;
	int err;

	*chain = 0;
	err = request(f, parse_port, 2, argv, chain_cb, chain, &ext);
	if (err == NOT_BUILT)
		return -1;
	if (err == -ENODEV || err == -ENOENT)
		return -ENODEV;
	return err ? fail(f, err, ext, "port show") : 0;
}
