// SPDX-License-Identifier: GPL-2.0
/*
 * nfvctl's grammar and its side of the contract (uapi/linux/nfv.h), with
 * build/bin/nfvctl run against a fake nfvd: a SOCK_SEQPACKET listener
 * this test owns.
 *
 *   invalid.*   bad input: exit status 1, one stderr line naming the
 *               problem, nothing on stdout, no connection to the listener
 *   request.*   the exact attributes a valid command sends
 *   reply.*     how replies, errors and extack messages are printed
 *
 * $NFVCTL overrides the binary (default: ../bin/nfvctl next to this test).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>
#include <linux/nfv.h>

#include "kselftest_harness.h"

#define NO_DEV	"nfvctl-nosuch0"	/* a netdev name nobody uses */
#define MAX_ARGS 24

/* ---- running nfvctl against the fake server ---- */

struct result {
	int status;		/* exit status, or 128 + signal */
	char out[16384];
	char err[4096];
	int connections;	/* accepted by the fake server */
	char req[4096];		/* the first request it received */
	ssize_t req_len;
	char req2[4096];	/* and the second one */
	ssize_t req2_len;
};

/* Builds the fake server's answer to @req in @buf; returns its length. */
typedef size_t (*reply_fn)(const struct nlmsghdr *req, char *buf,
			   size_t size);

static const char *nfvctl_path(void)
{
	static char path[PATH_MAX + 16];
	char self[PATH_MAX];
	ssize_t n;
	char *slash;

	if (getenv("NFVCTL"))
		return getenv("NFVCTL");
	if (path[0])
		return path;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return NULL;
	self[n] = 0;
	slash = strrchr(self, '/');
	if (!slash)
		return NULL;
	*slash = 0;
	snprintf(path, sizeof(path), "%s/../bin/nfvctl", self);
	return path;
}

static void slurp(FILE *f, char *buf, size_t size)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = 0;
	fclose(f);
}

/* An error ack of @req: EOPNOTSUPP. */
static size_t refuse(const struct nlmsghdr *req, char *buf, size_t size)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlmsgerr *e;

	memset(buf, 0, NLMSG_SPACE(sizeof(*e)));
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(*e));
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = req->nlmsg_seq;
	e = NLMSG_DATA(nlh);
	e->error = -EOPNOTSUPP;
	e->msg = *req;
	return nlh->nlmsg_len;
}

/*
 * Run "nfvctl -b daemon -s SOCK ARGS..." (@opts false: "nfvctl ARGS...").
 * With @reply, the fake server accepts one connection, records the first
 * request and answers it, then answers the next ones with @next (NULL:
 * EOPNOTSUPP), recording the second; without, it only counts
 * connections.
 */
static int run_more(int lfd, const char *sock, bool opts,
		    const char *const *args, reply_fn reply, reply_fn next,
		    struct result *r)
{
	const char *argv[MAX_ARGS + 8];
	FILE *out = tmpfile(), *err = tmpfile();
	int argc = 0, status = 0, cfd;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (!out || !err)
		return -1;
	argv[argc++] = "nfvctl";
	if (opts) {
		argv[argc++] = "-b";
		argv[argc++] = "daemon";
		argv[argc++] = "-s";
		argv[argc++] = sock;
	}
	for (; *args && argc < MAX_ARGS + 5; args++)
		argv[argc++] = *args;
	argv[argc] = NULL;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		alarm(10);	/* a client waiting for an answer dies */
		execv(nfvctl_path(), (char *const *)argv);
		_exit(127);
	}

	if (reply) {
		struct pollfd p = { .fd = lfd, .events = POLLIN };
		int waited;

		/* Wait for the connection while the client lives (5 s). */
		for (waited = 0; waited < 5000; waited += 50) {
			if (poll(&p, 1, 50) == 1)
				break;
			if (waitpid(pid, &status, WNOHANG) == pid) {
				pid = 0;
				break;
			}
		}
		if (pid > 0 && p.revents & POLLIN) {
			cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
			if (cfd >= 0) {
				char buf[16384];
				size_t n;

				r->connections++;
				p.fd = cfd;
				if (poll(&p, 1, 5000) == 1)
					r->req_len = recv(cfd, r->req,
							  sizeof(r->req), 0);
				if (r->req_len >= (ssize_t)NLMSG_HDRLEN) {
					n = reply((struct nlmsghdr *)r->req,
						  buf, sizeof(buf));
					if (n)
						send(cfd, buf, n, MSG_NOSIGNAL);
				}
				/*
				 * What the client asks after the request
				 * under test (port add's look at its default
				 * chain) gets EOPNOTSUPP: not what is tested.
				 */
				while (poll(&p, 1, 2000) == 1) {
					char more[4096];
					ssize_t m = recv(cfd, more, sizeof(more), 0);

					if (m < (ssize_t)NLMSG_HDRLEN)
						break;
					if (!r->req2_len) {
						memcpy(r->req2, more, (size_t)m);
						r->req2_len = m;
					}
					n = (next ?: refuse)((struct nlmsghdr *)more,
							     buf, sizeof(buf));
					send(cfd, buf, n, MSG_NOSIGNAL);
				}
				waitpid(pid, &status, 0);
				pid = 0;
				close(cfd);
			}
		}
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	/* Any connection left in the backlog means something was sent. */
	while ((cfd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
		r->connections++;
		close(cfd);
	}
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) :
					128 + WTERMSIG(status);
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
	return 0;
}

static int run(int lfd, const char *sock, bool opts, const char *const *args,
	       reply_fn reply, struct result *r)
{
	return run_more(lfd, sock, opts, args, reply, NULL, r);
}

static int listener(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC,
			0);

	if (fd < 0)
		return -1;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		close(fd);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    listen(fd, 8)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* ---- fake nfvd ---- */

struct srv {
	char dir[64];
	char sock[128];
	int lfd;
};

static int srv_setup(struct srv *f)
{
	snprintf(f->dir, sizeof(f->dir), "/tmp/nfvctl-grammar.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->sock, sizeof(f->sock), "%s/nfvd.sock", f->dir);
	f->lfd = listener(f->sock);
	return f->lfd < 0 ? -1 : 0;
}

static void srv_teardown(struct srv *f)
{
	if (f->lfd >= 0)
		close(f->lfd);
	unlink(f->sock);
	rmdir(f->dir);
}

/* ==== invalid input: exit 1, one line, nothing sent ==== */

FIXTURE(invalid) {
	struct srv f;
};

FIXTURE_VARIANT(invalid) {
	const char *argv[MAX_ARGS];
	const char *expect;	/* in the one stderr line */
};

FIXTURE_SETUP(invalid)
{
	if (access(nfvctl_path(), X_OK))
		SKIP(return, "%s not built", nfvctl_path());
	ASSERT_EQ(0, srv_setup(&self->f));
}

FIXTURE_TEARDOWN(invalid)
{
	srv_teardown(&self->f);
}

#define BAD(name, expected, ...)					\
	FIXTURE_VARIANT_ADD(invalid, name) {				\
		.argv = { __VA_ARGS__, NULL },				\
		.expect = expected,					\
	}

BAD(unknown_object, "unknown object \"frobnicate\"", "frobnicate");
BAD(save_argument, "unexpected argument \"now\" after save", "save", "now");
BAD(top_interval_small, "invalid interval \"99\": must be 100..60000 ms",
    "top", "interval", "99");
BAD(top_interval_large, "invalid interval \"60001\": must be 100..60000 ms",
    "top", "interval", "60001");
BAD(top_count_0, "invalid count \"0\": must be 1..1000000", "top", "count", "0");
BAD(top_count_missing, "missing value for \"count\"", "top", "count");
BAD(top_interval_twice, "duplicate keyword \"interval\"",
    "top", "interval", "200", "interval", "300");
BAD(top_unknown, "unknown keyword \"every\" in top", "top", "every", "2");
BAD(unknown_command, "unknown command \"frob\" for chain", "chain", "frob");
BAD(abbreviated_command, "unknown command \"de\" for chain", "chain", "de", "5");
BAD(abbreviated_object, "unknown object \"ch\"", "ch", "show");
BAD(unknown_option, "unknown option \"-x\"", "-x", "port", "show");
BAD(bad_backend, "invalid backend \"ovs\"", "-b", "ovs", "port", "show");
BAD(unknown_keyword_flow, "unknown keyword \"bogus\" in flow add",
    "flow", "add", "bogus", "1", "chain", "7");
BAD(unknown_keyword_port, "unknown keyword \"speed\" in port add",
    "port", "add", "lo", "speed", "10");
BAD(unknown_hop, "unknown keyword \"hop\"", "chain", "add", "8", "hop", "1");
BAD(chain_id_0, "invalid chain id \"0\": must be 1..4095",
    "chain", "add", "0", "service", "1");
BAD(chain_id_4096, "invalid chain id \"4096\": must be 1..4095",
    "chain", "add", "4096", "service", "1");
BAD(chain_id_abc, "invalid chain id \"abc\": must be 1..4095",
    "chain", "add", "abc", "service", "1");
BAD(chain_id_negative, "invalid chain id \"-1\"", "chain", "del", "-1");
BAD(chain_id_blank, "invalid chain id \" 5\"", "chain", "del", " 5");
BAD(chain_id_hex, "invalid chain id \"0x10\"", "chain", "show", "0x10");
BAD(chain_id_missing, "missing chain id", "chain", "del");
BAD(chain_del_extra, "unexpected argument \"6\"", "chain", "del", "5", "6");
BAD(service_0, "invalid service id \"0\": must be 1..1023",
    "chain", "add", "8", "service", "0");
BAD(service_1024, "invalid service id \"1024\": must be 1..1023",
    "chain", "add", "8", "service", "1024");
BAD(service_missing, "missing service id", "chain", "add", "8", "service");
BAD(nine_hops, "too many hops: a chain has at most 8",
    "chain", "add", "8", "service", "1", "service", "2", "service", "3",
    "service", "4", "service", "5", "service", "6", "service", "7",
    "service", "8", "service", "9");
BAD(no_hops, "chain 8 has no hops", "chain", "add", "8");
BAD(override_only, "chain 8 has no hops",
    "chain", "add", "8", "override", "deny");
BAD(bad_override, "invalid override \"maybe\"",
    "chain", "add", "8", "drop", "override", "maybe");
BAD(hop_after_drop, "hop \"service\" after drop is never reached",
    "chain", "add", "8", "drop", "service", "1");
BAD(tap_first, "a chain cannot start with a tap",
    "chain", "add", "8", "tap", "service", "1");
BAD(out_unknown_device, "unknown device \"" NO_DEV "\"",
    "chain", "add", "8", "service", "1", "out", NO_DEV);
BAD(port_unknown_device, "unknown device \"" NO_DEV "\"",
    "port", "add", NO_DEV);
BAD(in_unknown_device, "unknown device \"" NO_DEV "\"",
    "flow", "add", "in", NO_DEV, "chain", "1");
BAD(device_too_long, "longer than 15 characters",
    "port", "add", "abcdefghijklmnopq");
BAD(port_missing_device, "missing device name", "port", "add");
BAD(port_del_missing_device, "missing device name", "port", "del");
BAD(bad_mode, "invalid mode \"fast\"", "port", "add", "lo", "mode", "fast");
BAD(missing_value, "missing value for \"mode\"", "port", "add", "lo", "mode");
BAD(default_chain_4096, "invalid chain id \"4096\": must be 1..4095 or none",
    "port", "add", "lo", "default-chain", "4096");
BAD(bad_decap, "invalid decap \"gre\": must be none, vlan, vxlan or nsh",
    "port", "add", "lo", "decap", "gre");
BAD(nsh_missing_spi, "missing spi: nsh DEV SPI",
    "chain", "add", "8", "service", "1", "nsh", "lo");
BAD(nsh_spi_range, "invalid spi \"16777216\": must be 0..16777215",
    "chain", "add", "8", "service", "1", "nsh", "lo", "16777216");
BAD(nsh_first, "a chain cannot start with an nsh hop",
    "chain", "add", "8", "nsh", "lo", "7");
BAD(hop_after_nsh, "hop \"service\" after nsh is never reached",
    "chain", "add", "8", "service", "1", "nsh", "lo", "7", "service", "2");
BAD(flow_si_without_spi, "si needs spi",
    "flow", "add", "in", "lo", "si", "3", "chain", "1");
BAD(flow_spi_without_in, "spi needs \"in DEV\"",
    "flow", "add", "spi", "3", "chain", "1");
BAD(flow_si_0, "invalid si \"0\": must be 1..255",
    "flow", "add", "in", "lo", "spi", "3", "si", "0", "chain", "1");
BAD(flow_spi_range, "invalid spi \"16777216\": must be 0..16777215",
    "flow", "add", "in", "lo", "spi", "16777216", "chain", "1");
BAD(decap_missing, "missing value for \"decap\"", "port", "add", "lo", "decap");
BAD(decap_twice, "duplicate keyword \"decap\"",
    "port", "add", "lo", "decap", "vlan", "decap", "vxlan");
BAD(vxlan_port_0, "invalid vxlan port \"0\": must be 1..65535",
    "port", "add", "lo", "decap", "vxlan", "port", "0");
BAD(vxlan_port_65536, "invalid vxlan port \"65536\": must be 1..65535",
    "port", "add", "lo", "decap", "vxlan", "port", "65536");
BAD(vni_range, "invalid vni \"16777216\": must be 0..16777215",
    "port", "add", "lo", "decap", "vxlan", "vni", "16777216");
BAD(vni_hex, "invalid vni \"0x10\"",
    "port", "add", "lo", "decap", "vxlan", "vni", "0x10");
BAD(vni_with_vlan, "\"vni\" needs decap vxlan",
    "port", "add", "lo", "decap", "vlan", "vni", "5");
BAD(vxlan_port_without_decap, "\"port\" needs decap vxlan",
    "port", "add", "lo", "port", "4789");
BAD(duplicate_keyword, "duplicate keyword \"proto\"",
    "flow", "add", "proto", "udp", "proto", "tcp", "chain", "1");
BAD(bad_prefix, "invalid dst \"198.18.0.300\": not an IPv4 or IPv6 address",
    "flow", "add", "dst", "198.18.0.300", "chain", "1");
BAD(bad_prefix_v6, "invalid src \"2001:db8:::1\"",
    "flow", "add", "src", "2001:db8:::1", "chain", "1");
BAD(v4_len_33, "invalid dst \"198.18.0.0/33\": prefix length must be 0..32",
    "flow", "add", "dst", "198.18.0.0/33", "chain", "1");
BAD(v6_len_129, "prefix length must be 0..128",
    "flow", "add", "src", "2001:db8::/129", "chain", "1");
BAD(len_empty, "invalid dst \"198.18.0.0/\"",
    "flow", "add", "dst", "198.18.0.0/", "chain", "1");
BAD(family_mismatch, "src and dst must be of the same address family",
    "flow", "add", "src", "198.18.0.1", "dst", "2001:db8::1", "chain", "1");
BAD(port_70000, "invalid dport \"70000\"",
    "flow", "add", "proto", "udp", "dport", "70000", "chain", "1");
BAD(port_range_empty, "invalid sport \"20-10\": empty range",
    "flow", "add", "proto", "tcp", "sport", "20-10", "chain", "1");
BAD(port_range_open, "invalid sport \"20-\"",
    "flow", "add", "proto", "tcp", "sport", "20-", "chain", "1");
BAD(port_zero, "invalid dport \"0\": port 0 matches nothing",
    "flow", "add", "proto", "tcp", "dport", "0", "chain", "1");
BAD(ports_without_proto, "sport and dport need proto tcp, udp or sctp",
    "flow", "add", "dport", "53", "chain", "1");
BAD(ports_with_icmp, "sport and dport need proto tcp, udp or sctp",
    "flow", "add", "proto", "icmp", "dport", "53", "chain", "1");
BAD(proto_0, "invalid proto \"0\"", "flow", "add", "proto", "0", "chain", "1");
BAD(proto_256, "invalid proto \"256\"",
    "flow", "add", "proto", "256", "chain", "1");
BAD(flow_missing_chain, "missing \"chain ID\"", "flow", "add", "proto", "udp");
BAD(flow_chain_0, "invalid chain id \"0\"", "flow", "add", "chain", "0");
BAD(flow_show_extra, "unexpected argument \"all\"", "flow", "show", "all");
BAD(nf_id_512, "invalid nf id \"512\": must be 1..511", "nf", "show", "512");
BAD(stats_extra, "unknown command \"now\" for stats", "stats", "now");
BAD(flow_show_s_extra, "unexpected argument \"all\" after flow show",
    "flow", "show", "-s", "all");
BAD(flow_show_bad_option, "unexpected argument \"-x\" after flow show",
    "flow", "show", "-x");
BAD(monitor_extra, "unexpected argument \"now\" after monitor",
    "monitor", "now");
BAD(offload_unknown_command, "unknown command \"list\" for offload: must be show, flush or del",
    "offload", "list");
BAD(offload_show_extra, "unexpected argument \"all\" after offload show",
    "offload", "show", "all");
BAD(offload_flush_extra, "unexpected argument \"lo\" after offload flush",
    "offload", "flush", "lo");
BAD(offload_del_partial, "missing \"sport\": offload del takes a whole flow",
    "offload", "del", "in", "lo", "proto", "udp", "src", "198.18.0.1",
    "dst", "198.18.0.2", "dport", "53");
BAD(offload_del_empty, "missing \"in\"", "offload", "del");
BAD(offload_del_icmp, "invalid proto \"icmp\": must be tcp or udp",
    "offload", "del", "proto", "icmp");
BAD(offload_del_prefix, "invalid src \"198.18.0.0/24\"",
    "offload", "del", "src", "198.18.0.0/24");
BAD(offload_del_port, "invalid dport \"65536\": must be 0..65535",
    "offload", "del", "dport", "65536");
BAD(offload_del_family, "src and dst must be of the same address family",
    "offload", "del", "in", "lo", "proto", "tcp", "src", "198.18.0.1",
    "dst", "2001:db8::1", "sport", "1", "dport", "2");
BAD(offload_del_twice, "duplicate keyword \"in\"",
    "offload", "del", "in", "lo", "in", "lo");
BAD(offload_del_keyword, "unknown keyword \"chain\" in offload del",
    "offload", "del", "chain", "1");
BAD(offload_del_device, "unknown device \"" NO_DEV "\"",
    "offload", "del", "in", NO_DEV);

TEST_F(invalid, refused)
{
	struct result r;
	const char *nl;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, variant->argv,
			 NULL, &r));
	EXPECT_EQ(1, r.status) TH_LOG("exit %d, stderr: %s", r.status, r.err);
	EXPECT_EQ(1, lines(r.err)) TH_LOG("stderr: %s", r.err);
	EXPECT_EQ(0, strncmp(r.err, "nfvctl: ", 8)) TH_LOG("stderr: %s", r.err);
	EXPECT_NE(NULL, strstr(r.err, variant->expect))
		TH_LOG("expected \"%s\" in: %s", variant->expect, r.err);
	nl = strchr(r.err, '\n');
	EXPECT_TRUE(nl && nl[1] == 0);
	EXPECT_STREQ("", r.out);
	EXPECT_EQ(0, r.connections) TH_LOG("nfvctl connected to the server");
}

/*
 * The same check with the default backend selection and a socket that
 * does not exist: the error is the validation one, not a connection one.
 */
TEST(invalid_auto_backend)
{
	const char *const args[] = { "-s", "/nonexistent/nfvd.sock", "chain",
				     "add", "5000", "service", "1", NULL };
	struct result r;

	if (access(nfvctl_path(), X_OK))
		SKIP(return, "%s not built", nfvctl_path());
	ASSERT_EQ(0, run(-1, NULL, false, args, NULL, &r));
	EXPECT_EQ(1, r.status);
	EXPECT_STREQ("nfvctl: invalid chain id \"5000\": must be 1..4095\n",
		     r.err);
}

TEST(unreachable_backend)
{
	const char *const args[] = { "-b", "daemon", "-s",
				     "/nonexistent/nfvd.sock", "chain", "show",
				     NULL };
	struct result r;

	if (access(nfvctl_path(), X_OK))
		SKIP(return, "%s not built", nfvctl_path());
	ASSERT_EQ(0, run(-1, NULL, false, args, NULL, &r));
	EXPECT_EQ(2, r.status);
	EXPECT_EQ(1, lines(r.err));
	EXPECT_NE(NULL, strstr(r.err, "cannot reach nfvd at /nonexistent/nfvd.sock"))
		TH_LOG("stderr: %s", r.err);
}

TEST(help)
{
	const char *const a1[] = { "chain", "help", NULL };
	const char *const a2[] = { "help", NULL };
	struct result r;

	if (access(nfvctl_path(), X_OK))
		SKIP(return, "%s not built", nfvctl_path());
	ASSERT_EQ(0, run(-1, NULL, false, a1, NULL, &r));
	EXPECT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "SID := 1..1023"));
	EXPECT_NE(NULL, strstr(r.out, "ID := 1..4095"));
	ASSERT_EQ(0, run(-1, NULL, false, a2, NULL, &r));
	EXPECT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "OBJECT := port | chain | flow"));
}

/* ==== requests: the attributes each command sends ==== */

FIXTURE(fake) {
	struct srv f;
};

FIXTURE_SETUP(fake)
{
	if (access(nfvctl_path(), X_OK))
		SKIP(return, "%s not built", nfvctl_path());
	ASSERT_EQ(0, srv_setup(&self->f));
}

FIXTURE_TEARDOWN(fake)
{
	srv_teardown(&self->f);
}

static struct nlmsghdr *reply_start(const struct nlmsghdr *req, char *buf,
				    uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = req->nlmsg_type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = req->nlmsg_seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = NFV_GENL_VERSION;
	return nlh;
}

/* NLMSG_ERROR for @req: @err 0 is an ack; @msg an extack message. */
static size_t put_error(const struct nlmsghdr *req, char *buf, int err,
			const char *msg)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED;
	nlh->nlmsg_seq = req->nlmsg_seq;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = err;
	e->msg = *req;
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	}
	return nlh->nlmsg_len;
}

static size_t put_done(const struct nlmsghdr *req, char *buf)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	int *zero;

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = req->nlmsg_seq;
	zero = mnl_nlmsg_put_extra_header(nlh, sizeof(*zero));
	*zero = 0;
	return nlh->nlmsg_len;
}

static size_t ack(const struct nlmsghdr *req, char *buf, size_t size)
{
	return put_error(req, buf, 0, NULL);
}

static size_t empty_dump(const struct nlmsghdr *req, char *buf, size_t size)
{
	return put_done(req, buf);
}

/* Index a request's top-level attributes; a second occurrence fails. */
static int index_attrs(const struct nlmsghdr *nlh, const struct nlattr **tb,
		       int max, int multi)
{
	const struct nlattr *a;

	memset(tb, 0, sizeof(*tb) * (max + 1));
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		int t = mnl_attr_get_type(a);

		if (t > max || (tb[t] && t != multi))
			return -1;
		if (!tb[t])
			tb[t] = a;
	}
	return 0;
}

static const struct genlmsghdr *genl(const struct result *r)
{
	return mnl_nlmsg_get_payload((const struct nlmsghdr *)r->req);
}

#define REQ(r) ((const struct nlmsghdr *)(r).req)

TEST_F(fake, request_chain_add)
{
	const char *const args[] = { "chain", "add", "10", "service", "1",
				     "tap", "service", "2", "out", "lo",
				     "override", "deny", NULL };
	const struct nlattr *tb[NFV_A_CHAIN_MAX + 1], *a, *h;
	struct { uint8_t type; uint16_t sid; uint32_t ifindex; } want[] = {
		{ NFV_HOP_SERVICE, 1, 0 },
		{ NFV_HOP_TAP, 2, 0 },
		{ NFV_HOP_OUT, 0, if_nametoindex("lo") },
	};
	struct result r;
	int n = 0;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, args, ack, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_STREQ("", r.out);
	EXPECT_STREQ("", r.err);
	ASSERT_EQ(1, r.connections);
	ASSERT_EQ(r.req_len, REQ(r)->nlmsg_len);
	EXPECT_EQ(NLMSG_MIN_TYPE, REQ(r)->nlmsg_type);
	EXPECT_EQ(NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
		  REQ(r)->nlmsg_flags);
	EXPECT_EQ(NFV_CMD_CHAIN_NEW, genl(&r)->cmd);
	EXPECT_EQ(NFV_GENL_VERSION, genl(&r)->version);
	ASSERT_EQ(0, index_attrs(REQ(r), tb, NFV_A_CHAIN_MAX, NFV_A_CHAIN_HOP));
	ASSERT_NE(NULL, tb[NFV_A_CHAIN_ID]);
	EXPECT_EQ(10, mnl_attr_get_u16(tb[NFV_A_CHAIN_ID]));
	ASSERT_NE(NULL, tb[NFV_A_CHAIN_FLAGS]);
	EXPECT_EQ(NFV_CHAIN_F_NO_OVERRIDE, mnl_attr_get_u32(tb[NFV_A_CHAIN_FLAGS]));
	mnl_attr_for_each(a, REQ(r), GENL_HDRLEN) {
		uint8_t type = 0;
		uint16_t sid = 0;
		uint32_t ifindex = 0;

		if (mnl_attr_get_type(a) != NFV_A_CHAIN_HOP)
			continue;
		ASSERT_LT(n, 3);
		mnl_attr_for_each_nested(h, a) {
			switch (mnl_attr_get_type(h)) {
			case NFV_A_HOP_TYPE:
				type = mnl_attr_get_u8(h);
				break;
			case NFV_A_HOP_SERVICE:
				sid = mnl_attr_get_u16(h);
				break;
			case NFV_A_HOP_IFINDEX:
				ifindex = mnl_attr_get_u32(h);
				break;
			default:
				ASSERT_TRUE(false) TH_LOG("hop attr %d",
							  mnl_attr_get_type(h));
			}
		}
		EXPECT_EQ(want[n].type, type);
		EXPECT_EQ(want[n].sid, sid);
		EXPECT_EQ(want[n].ifindex, ifindex);
		n++;
	}
	EXPECT_EQ(3, n);
}

TEST_F(fake, request_chain_nsh)
{
	const char *const args[] = { "chain", "add", "12", "service", "1",
				     "nsh", "lo", "16777215", NULL };
	const struct nlattr *a, *h, *last = NULL;
	struct result r;
	uint32_t spi = 0, ifindex = 0;
	uint8_t type = 0;
	int n = 0;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, args, ack, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	mnl_attr_for_each(a, REQ(r), GENL_HDRLEN)
		if (mnl_attr_get_type(a) == NFV_A_CHAIN_HOP) {
			last = a;
			n++;
		}
	ASSERT_EQ(2, n);
	mnl_attr_for_each_nested(h, last) {
		if (mnl_attr_get_type(h) == NFV_A_HOP_TYPE)
			type = mnl_attr_get_u8(h);
		else if (mnl_attr_get_type(h) == NFV_A_HOP_IFINDEX)
			ifindex = mnl_attr_get_u32(h);
		else if (mnl_attr_get_type(h) == NFV_A_HOP_SPI)
			spi = mnl_attr_get_u32(h);
	}
	EXPECT_EQ(NFV_HOP_NSH, type);
	EXPECT_EQ(if_nametoindex("lo"), ifindex);
	EXPECT_EQ(16777215u, spi);
}

TEST_F(fake, request_flow_nsh)
{
	const char *const args[] = { "flow", "add", "in", "lo", "spi", "0",
				     "si", "255", "chain", "3", NULL };
	const struct nlattr *tb[NFV_A_FLOW_MAX + 1];
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, args, ack, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	ASSERT_EQ(0, index_attrs(REQ(r), tb, NFV_A_FLOW_MAX, -1));
	ASSERT_NE(NULL, tb[NFV_A_FLOW_SPI]);
	EXPECT_EQ(0u, mnl_attr_get_u32(tb[NFV_A_FLOW_SPI]));
	ASSERT_NE(NULL, tb[NFV_A_FLOW_SI]);
	EXPECT_EQ(255, mnl_attr_get_u8(tb[NFV_A_FLOW_SI]));
	EXPECT_EQ(NULL, tb[NFV_A_FLOW_PROTO]);
}

TEST_F(fake, request_chain_replace)
{
	const char *const args[] = { "chain", "replace", "4095", "drop", NULL };
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, args, ack, &r));
	EXPECT_EQ(0, r.status);
	EXPECT_EQ(NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE,
		  REQ(r)->nlmsg_flags);
}

TEST_F(fake, request_flow_add)
{
	const char *const args[] = { "flow", "add", "in", "lo", "proto", "tcp",
				     "src", "2001:db8:ff::1/32",
				     "dst", "2001:db8:1::5", "sport", "1000-2000",
				     "dport", "443", "chain", "3", NULL };
	const struct nlattr *tb[NFV_A_FLOW_MAX + 1];
	struct in6_addr src, dst;
	struct result r;

	inet_pton(AF_INET6, "2001:db8::", &src);
	inet_pton(AF_INET6, "2001:db8:1::5", &dst);
	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, args, ack, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_EQ(NFV_CMD_FLOW_NEW, genl(&r)->cmd);
	ASSERT_EQ(0, index_attrs(REQ(r), tb, NFV_A_FLOW_MAX, -1));
	ASSERT_NE(NULL, tb[NFV_A_FLOW_IN_IFINDEX]);
	EXPECT_EQ(if_nametoindex("lo"), mnl_attr_get_u32(tb[NFV_A_FLOW_IN_IFINDEX]));
	ASSERT_NE(NULL, tb[NFV_A_FLOW_PROTO]);
	EXPECT_EQ(IPPROTO_TCP, mnl_attr_get_u8(tb[NFV_A_FLOW_PROTO]));
	ASSERT_NE(NULL, tb[NFV_A_FLOW_FAMILY]);
	EXPECT_EQ(AF_INET6, mnl_attr_get_u8(tb[NFV_A_FLOW_FAMILY]));
	ASSERT_NE(NULL, tb[NFV_A_FLOW_SRC]);
	ASSERT_EQ(16, mnl_attr_get_payload_len(tb[NFV_A_FLOW_SRC]));
	EXPECT_EQ(0, memcmp(&src, mnl_attr_get_payload(tb[NFV_A_FLOW_SRC]), 16))
		TH_LOG("host bits must be cleared");
	EXPECT_EQ(32, mnl_attr_get_u8(tb[NFV_A_FLOW_SRC_PLEN]));
	ASSERT_NE(NULL, tb[NFV_A_FLOW_DST]);
	EXPECT_EQ(0, memcmp(&dst, mnl_attr_get_payload(tb[NFV_A_FLOW_DST]), 16));
	EXPECT_EQ(128, mnl_attr_get_u8(tb[NFV_A_FLOW_DST_PLEN]));
	EXPECT_EQ(1000, mnl_attr_get_u16(tb[NFV_A_FLOW_SPORT]));
	EXPECT_EQ(2000, mnl_attr_get_u16(tb[NFV_A_FLOW_SPORT_MAX]));
	EXPECT_EQ(443, mnl_attr_get_u16(tb[NFV_A_FLOW_DPORT]));
	EXPECT_EQ(443, mnl_attr_get_u16(tb[NFV_A_FLOW_DPORT_MAX]));
	ASSERT_NE(NULL, tb[NFV_A_FLOW_CHAIN]);
	EXPECT_EQ(3, mnl_attr_get_u16(tb[NFV_A_FLOW_CHAIN]));
	EXPECT_EQ(NULL, tb[NFV_A_FLOW_EXACT]);
}

TEST_F(fake, request_flow_del)
{
	const char *const args[] = { "flow", "del", "proto", "17", "dst",
				     "198.18.0.77/24", "chain", "9", NULL };
	const struct nlattr *tb[NFV_A_FLOW_MAX + 1];
	uint8_t dst[4] = { 198, 18, 0, 0 };
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, args, ack, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_EQ(NFV_CMD_FLOW_DEL, genl(&r)->cmd);
	EXPECT_EQ(NLM_F_REQUEST | NLM_F_ACK, REQ(r)->nlmsg_flags);
	ASSERT_EQ(0, index_attrs(REQ(r), tb, NFV_A_FLOW_MAX, -1));
	EXPECT_EQ(17, mnl_attr_get_u8(tb[NFV_A_FLOW_PROTO]));
	EXPECT_EQ(AF_INET, mnl_attr_get_u8(tb[NFV_A_FLOW_FAMILY]));
	ASSERT_EQ(4, mnl_attr_get_payload_len(tb[NFV_A_FLOW_DST]));
	EXPECT_EQ(0, memcmp(dst, mnl_attr_get_payload(tb[NFV_A_FLOW_DST]), 4));
	EXPECT_EQ(24, mnl_attr_get_u8(tb[NFV_A_FLOW_DST_PLEN]));
	EXPECT_EQ(NULL, tb[NFV_A_FLOW_CHAIN]) TH_LOG("del sends no chain");
	EXPECT_EQ(NULL, tb[NFV_A_FLOW_SRC]);
	EXPECT_EQ(NULL, tb[NFV_A_FLOW_SPORT]);
}

TEST_F(fake, request_port_add)
{
	const char *const args[] = { "port", "add", "lo", "mode", "generic",
				     "default-chain", "7", "fail", "closed",
				     NULL };
	const struct nlattr *tb[NFV_A_PORT_MAX + 1];
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, args, ack, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_EQ(NFV_CMD_PORT_NEW, genl(&r)->cmd);
	ASSERT_EQ(0, index_attrs(REQ(r), tb, NFV_A_PORT_MAX, -1));
	ASSERT_NE(NULL, tb[NFV_A_PORT_IFINDEX]);
	EXPECT_EQ(if_nametoindex("lo"), mnl_attr_get_u32(tb[NFV_A_PORT_IFINDEX]));
	ASSERT_NE(NULL, tb[NFV_A_PORT_NAME]);
	EXPECT_STREQ("lo", mnl_attr_get_str(tb[NFV_A_PORT_NAME]));
	EXPECT_EQ(NFV_PORT_MODE_GENERIC, mnl_attr_get_u8(tb[NFV_A_PORT_MODE]));
	EXPECT_EQ(7, mnl_attr_get_u16(tb[NFV_A_PORT_DEFAULT_CHAIN]));
	EXPECT_EQ(NFV_PORT_F_FAIL_CLOSED, mnl_attr_get_u32(tb[NFV_A_PORT_FLAGS]));
	EXPECT_EQ(NULL, tb[NFV_A_PORT_DECAP]) TH_LOG("no decap asked for");
	EXPECT_EQ(NULL, tb[NFV_A_PORT_VXLAN_PORT]);
	EXPECT_EQ(NULL, tb[NFV_A_PORT_VNI]);
}

TEST_F(fake, request_port_add_decap)
{
	const char *const vxlan[] = { "port", "add", "lo", "vni", "42",
				      "decap", "vxlan", "port", "8472", NULL };
	const char *const vlan[] = { "port", "add", "lo", "decap", "vlan",
				     NULL };
	const struct nlattr *tb[NFV_A_PORT_MAX + 1];
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, vxlan, ack, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_EQ(NFV_CMD_PORT_NEW, genl(&r)->cmd);
	ASSERT_EQ(0, index_attrs(REQ(r), tb, NFV_A_PORT_MAX, -1));
	ASSERT_NE(NULL, tb[NFV_A_PORT_DECAP]);
	ASSERT_EQ(1, mnl_attr_get_payload_len(tb[NFV_A_PORT_DECAP]));
	EXPECT_EQ(NFV_PORT_DECAP_VXLAN, mnl_attr_get_u8(tb[NFV_A_PORT_DECAP]));
	ASSERT_NE(NULL, tb[NFV_A_PORT_VXLAN_PORT]);
	ASSERT_EQ(2, mnl_attr_get_payload_len(tb[NFV_A_PORT_VXLAN_PORT]));
	EXPECT_EQ(8472, mnl_attr_get_u16(tb[NFV_A_PORT_VXLAN_PORT]));
	ASSERT_NE(NULL, tb[NFV_A_PORT_VNI]);
	ASSERT_EQ(4, mnl_attr_get_payload_len(tb[NFV_A_PORT_VNI]));
	EXPECT_EQ(42u, mnl_attr_get_u32(tb[NFV_A_PORT_VNI]));

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, vlan, ack, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	ASSERT_EQ(0, index_attrs(REQ(r), tb, NFV_A_PORT_MAX, -1));
	ASSERT_NE(NULL, tb[NFV_A_PORT_DECAP]);
	EXPECT_EQ(NFV_PORT_DECAP_VLAN, mnl_attr_get_u8(tb[NFV_A_PORT_DECAP]));
	EXPECT_EQ(NULL, tb[NFV_A_PORT_VXLAN_PORT]);
	EXPECT_EQ(NULL, tb[NFV_A_PORT_VNI]);
}

TEST_F(fake, request_port_del_gone)
{
	const char *const args[] = { "port", "del", NO_DEV, NULL };
	const struct nlattr *tb[NFV_A_PORT_MAX + 1];
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, args, ack, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_EQ(NFV_CMD_PORT_DEL, genl(&r)->cmd);
	ASSERT_EQ(0, index_attrs(REQ(r), tb, NFV_A_PORT_MAX, -1));
	EXPECT_EQ(NULL, tb[NFV_A_PORT_IFINDEX]);
	ASSERT_NE(NULL, tb[NFV_A_PORT_NAME]);
	EXPECT_STREQ(NO_DEV, mnl_attr_get_str(tb[NFV_A_PORT_NAME]));
}

TEST_F(fake, request_dump)
{
	static const struct {
		const char *argv[3];
		uint8_t cmd;
	} dumps[] = {
		{ { "port", "show" }, NFV_CMD_PORT_GET },
		{ { "chain", "show" }, NFV_CMD_CHAIN_GET },
		{ { "flow", "show" }, NFV_CMD_FLOW_GET },
		{ { "service", "show" }, NFV_CMD_SERVICE_GET },
		{ { "nf", "show" }, NFV_CMD_NF_GET },
		{ { "nf" }, NFV_CMD_NF_GET },
		{ { "offload", "show" }, NFV_CMD_OFFLOAD_GET },
		{ { "offload" }, NFV_CMD_OFFLOAD_GET },
	};
	size_t i;

	for (i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++) {
		struct result r;

		ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true,
				 dumps[i].argv, empty_dump, &r));
		EXPECT_EQ(0, r.status) TH_LOG("%s: %s", dumps[i].argv[0], r.err);
		EXPECT_EQ(dumps[i].cmd, genl(&r)->cmd);
		EXPECT_EQ(NLM_F_REQUEST | NLM_F_DUMP, REQ(r)->nlmsg_flags);
		EXPECT_EQ(GENL_HDRLEN, mnl_nlmsg_get_payload_len(REQ(r)));
		EXPECT_STREQ("", r.out);
	}
}

TEST_F(fake, request_offload_del)
{
	const char *const v4[] = { "offload", "del", "dport", "5201",
				   "in", "lo", "proto", "tcp",
				   "src", "198.18.0.1", "dst", "198.19.0.2",
				   "sport", "40000", NULL };
	const char *const v6[] = { "offload", "del", "in", "lo",
				   "proto", "udp", "src", "2001:db8::1",
				   "dst", "2001:db8::2", "sport", "0",
				   "dport", "53", NULL };
	const struct nlattr *tb[NFV_A_OFFLOAD_MAX + 1];
	uint8_t src[4] = { 198, 18, 0, 1 }, dst[4] = { 198, 19, 0, 2 };
	struct in6_addr dst6;
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, v4, ack, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_STREQ("", r.out);
	EXPECT_EQ(NFV_CMD_OFFLOAD_DEL, genl(&r)->cmd);
	EXPECT_EQ(NLM_F_REQUEST | NLM_F_ACK, REQ(r)->nlmsg_flags);
	ASSERT_EQ(0, index_attrs(REQ(r), tb, NFV_A_OFFLOAD_MAX, -1));
	ASSERT_NE(NULL, tb[NFV_A_OFFLOAD_IN_IFINDEX]);
	EXPECT_EQ(if_nametoindex("lo"),
		  mnl_attr_get_u32(tb[NFV_A_OFFLOAD_IN_IFINDEX]));
	ASSERT_NE(NULL, tb[NFV_A_OFFLOAD_PROTO]);
	EXPECT_EQ(IPPROTO_TCP, mnl_attr_get_u8(tb[NFV_A_OFFLOAD_PROTO]));
	ASSERT_NE(NULL, tb[NFV_A_OFFLOAD_FAMILY]);
	EXPECT_EQ(AF_INET, mnl_attr_get_u8(tb[NFV_A_OFFLOAD_FAMILY]));
	ASSERT_NE(NULL, tb[NFV_A_OFFLOAD_SRC]);
	ASSERT_EQ(4, mnl_attr_get_payload_len(tb[NFV_A_OFFLOAD_SRC]));
	EXPECT_EQ(0, memcmp(src, mnl_attr_get_payload(tb[NFV_A_OFFLOAD_SRC]), 4));
	ASSERT_NE(NULL, tb[NFV_A_OFFLOAD_DST]);
	ASSERT_EQ(4, mnl_attr_get_payload_len(tb[NFV_A_OFFLOAD_DST]));
	EXPECT_EQ(0, memcmp(dst, mnl_attr_get_payload(tb[NFV_A_OFFLOAD_DST]), 4));
	ASSERT_NE(NULL, tb[NFV_A_OFFLOAD_SPORT]);
	ASSERT_EQ(2, mnl_attr_get_payload_len(tb[NFV_A_OFFLOAD_SPORT]));
	EXPECT_EQ(40000, mnl_attr_get_u16(tb[NFV_A_OFFLOAD_SPORT]));
	ASSERT_NE(NULL, tb[NFV_A_OFFLOAD_DPORT]);
	EXPECT_EQ(5201, mnl_attr_get_u16(tb[NFV_A_OFFLOAD_DPORT]));
	EXPECT_EQ(NULL, tb[NFV_A_OFFLOAD_BOTH]);

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, v6, ack, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	ASSERT_EQ(0, index_attrs(REQ(r), tb, NFV_A_OFFLOAD_MAX, -1));
	EXPECT_EQ(IPPROTO_UDP, mnl_attr_get_u8(tb[NFV_A_OFFLOAD_PROTO]));
	EXPECT_EQ(AF_INET6, mnl_attr_get_u8(tb[NFV_A_OFFLOAD_FAMILY]));
	ASSERT_EQ(16, mnl_attr_get_payload_len(tb[NFV_A_OFFLOAD_DST]));
	inet_pton(AF_INET6, "2001:db8::2", &dst6);
	EXPECT_EQ(0, memcmp(&dst6, mnl_attr_get_payload(tb[NFV_A_OFFLOAD_DST]),
			    16));
	ASSERT_NE(NULL, tb[NFV_A_OFFLOAD_SPORT]) TH_LOG("sport 0 is sent");
	EXPECT_EQ(0, mnl_attr_get_u16(tb[NFV_A_OFFLOAD_SPORT]));
}

/* flush: OFFLOAD_DEL without attributes, which nfvd takes as "all". */
TEST_F(fake, request_offload_flush)
{
	const char *const args[] = { "offload", "flush", NULL };
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, args, ack, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_EQ(NFV_CMD_OFFLOAD_DEL, genl(&r)->cmd);
	EXPECT_EQ(NLM_F_REQUEST | NLM_F_ACK, REQ(r)->nlmsg_flags);
	EXPECT_EQ(GENL_HDRLEN, mnl_nlmsg_get_payload_len(REQ(r)));
}

/*
 * Offloaded flows are nfvd's: with -b kernel they are asked of nfvd's
 * socket all the same (no module is opened: this passes without one).
 */
TEST_F(fake, request_offload_kernel_backend)
{
	const char *const show[] = { "-b", "kernel", "-s", self->f.sock,
				     "offload", "show", NULL };
	const char *const flush[] = { "-b", "kernel", "-s", self->f.sock,
				      "offload", "flush", NULL };
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, NULL, false, show, empty_dump, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_EQ(1, r.connections);
	EXPECT_EQ(NFV_CMD_OFFLOAD_GET, genl(&r)->cmd);
	EXPECT_EQ(NLMSG_MIN_TYPE, REQ(r)->nlmsg_type);
	ASSERT_EQ(0, run(self->f.lfd, NULL, false, flush, ack, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_EQ(NFV_CMD_OFFLOAD_DEL, genl(&r)->cmd);
}

/* ==== replies ==== */

static size_t chains(const struct nlmsghdr *req, char *buf, size_t size)
{
	struct nlmsghdr *nlh;
	struct nlattr *hop;
	size_t len;

	nlh = reply_start(req, buf, NFV_CMD_CHAIN_GET, NLM_F_MULTI);
	mnl_attr_put_u16(nlh, NFV_A_CHAIN_ID, 10);
	mnl_attr_put_u32(nlh, NFV_A_CHAIN_FLAGS, NFV_CHAIN_F_NO_OVERRIDE);
	hop = mnl_attr_nest_start(nlh, NFV_A_CHAIN_HOP);
	mnl_attr_put_u8(nlh, NFV_A_HOP_TYPE, NFV_HOP_SERVICE);
	mnl_attr_put_u16(nlh, NFV_A_HOP_SERVICE, 5);
	mnl_attr_nest_end(nlh, hop);
	hop = mnl_attr_nest_start(nlh, NFV_A_CHAIN_HOP);
	mnl_attr_put_u8(nlh, NFV_A_HOP_TYPE, NFV_HOP_OUT);
	mnl_attr_put_u16(nlh, NFV_A_HOP_PORT, 2);
	mnl_attr_put_u32(nlh, NFV_A_HOP_IFINDEX, if_nametoindex("lo"));
	mnl_attr_nest_end(nlh, hop);
	len = nlh->nlmsg_len;

	nlh = reply_start(req, buf + len, NFV_CMD_CHAIN_GET, NLM_F_MULTI);
	mnl_attr_put_u16(nlh, NFV_A_CHAIN_ID, 11);
	mnl_attr_put_u32(nlh, NFV_A_CHAIN_FLAGS, 0);
	hop = mnl_attr_nest_start(nlh, NFV_A_CHAIN_HOP);
	mnl_attr_put_u8(nlh, NFV_A_HOP_TYPE, NFV_HOP_DROP);
	mnl_attr_nest_end(nlh, hop);
	len += nlh->nlmsg_len;
	return len + put_done(req, buf + len);
}

TEST_F(fake, reply_chain_text)
{
	const char *const args[] = { "chain", "show", NULL };
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, args, chains, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_STREQ("chain 10 service 5 out lo override deny\n"
		     "chain 11 drop override allow\n", r.out);
}

TEST_F(fake, reply_chain_json)
{
	const char *const args[] = { "-j", "chain", "show", NULL };
	char want[512];
	struct result r;

	snprintf(want, sizeof(want),
		 "[{\"id\":10,\"hops\":[{\"type\":\"service\",\"service\":5},"
		 "{\"type\":\"out\",\"port\":\"lo\",\"port_id\":2,\"ifindex\":%u}],"
		 "\"override\":\"deny\"},"
		 "{\"id\":11,\"hops\":[{\"type\":\"drop\"}],\"override\":\"allow\"}]\n",
		 if_nametoindex("lo"));
	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, args, chains, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_STREQ(want, r.out);
}

TEST_F(fake, reply_empty_dump_json)
{
	const char *const args[] = { "-j", "-p", "flow", "show", NULL };
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, args,
			 empty_dump, &r));
	EXPECT_EQ(0, r.status);
	EXPECT_STREQ("[]\n", r.out);
}

/* An NF whose name holds a quote, a backslash, an escape and bad UTF-8. */
#define NASTY_NAME	"fw \"1\"\\\x1b[31m\xff\xc3\xa9"

static size_t nasty_nf(const struct nlmsghdr *req, char *buf, size_t size)
{
	struct nlmsghdr *nlh;
	size_t len;

	nlh = reply_start(req, buf, NFV_CMD_NF_GET, NLM_F_MULTI);
	mnl_attr_put_u16(nlh, NFV_A_NF_ID, 3);
	mnl_attr_put_u16(nlh, NFV_A_NF_SERVICE, 1);
	mnl_attr_put_strz(nlh, NFV_A_NF_NAME, NASTY_NAME);
	mnl_attr_put_u32(nlh, NFV_A_NF_PID, 1234);
	mnl_attr_put_u8(nlh, NFV_A_NF_STATE, NFV_NF_STATE_UP);
	mnl_attr_put_u64(nlh, NFV_A_NF_RX, 100);
	mnl_attr_put_u64(nlh, NFV_A_NF_TX, 90);
	mnl_attr_put_u64(nlh, NFV_A_NF_DROP, 10);
	len = nlh->nlmsg_len;
	return len + put_done(req, buf + len);
}

TEST_F(fake, reply_json_escaping)
{
	const char *const args[] = { "-j", "nf", "show", NULL };
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, args, nasty_nf, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_STREQ("[{\"id\":3,\"name\":\"fw \\\"1\\\"\\\\\\u001b[31m\\ufffd\xc3\xa9\","
		     "\"service\":1,\"pid\":1234,\"state\":\"up\",\"flags\":0,"
		     "\"mode\":\"wakeup\",\"readonly\":false,"
		     "\"rx\":100,\"tx\":90,\"drop\":10}]\n", r.out);
}

TEST_F(fake, reply_text_sanitized)
{
	const char *const args[] = { "nf", "show", NULL };
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, args, nasty_nf, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_STREQ("nf 3 name fw \"1\"\\?[31m?\xc3\xa9 service 1 pid 1234 state up "
		     "mode wakeup rx 100 tx 90 drop 10\n", r.out);
}

static size_t stats(const struct nlmsghdr *req, char *buf, size_t size)
{
	struct nlmsghdr *nlh;
	struct nlattr *n;
	size_t len;

	nlh = reply_start(req, buf, NFV_CMD_STATS_GET, 0);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_TOTAL, 4096);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_FREE, 1000);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_FILL, 2048);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_INFLIGHT, 1048);
	mnl_attr_put_u64(nlh, NFV_A_STATS_BAD_DESC, 1);
	mnl_attr_put_u64(nlh, NFV_A_STATS_RECLAIMED, 2);
	mnl_attr_put_strz(nlh, NFV_A_STATS_BACKEND, "daemon");
	n = mnl_attr_nest_start(nlh, NFV_A_STATS_PORT);
	mnl_attr_put_strz(nlh, NFV_A_PORT_NAME, "f0");
	mnl_attr_put_u16(nlh, NFV_A_PORT_ID, 1);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, NFV_A_STATS_NF);
	mnl_attr_put_u16(nlh, NFV_A_NF_ID, 7);
	mnl_attr_nest_end(nlh, n);
	len = nlh->nlmsg_len;
	return len + put_error(req, buf + len, 0, NULL);
}

TEST_F(fake, reply_stats_json)
{
	const char *const args[] = { "-j", "stats", NULL };
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, args, stats, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_EQ(NFV_CMD_STATS_GET, genl(&r)->cmd);
	EXPECT_EQ(NLM_F_REQUEST | NLM_F_ACK, REQ(r)->nlmsg_flags);
	EXPECT_STREQ("{\"backend\":\"daemon\","
		     "\"frames\":{\"total\":4096,\"free\":1000,\"fill\":2048,\"inflight\":1048},"
		     "\"bad_desc\":1,\"reclaimed\":2,"
		     "\"ports\":[{\"name\":\"f0\",\"id\":1,\"flags\":0,\"fail\":\"open\",\"csum\":\"fix\",\"steer_arp\":false}],"
		     "\"nfs\":[{\"id\":7,\"flags\":0,\"mode\":\"wakeup\",\"readonly\":false}]}\n",
		     r.out);
}

/* Text: the figures' line ends before the first port's line begins. */
TEST_F(fake, reply_stats_text)
{
	const char *const args[] = { "stats", NULL };
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, args, stats, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_STREQ("backend daemon\n"
		     "frames total 4096 free 1000 fill 2048 inflight 1048\n"
		     "bad_desc 1 reclaimed 2\n"
		     "port f0 id 1 fail open csum fix\n"
		     "nf 7 mode wakeup\n", r.out);
}

/* Two ports: decap vxlan with port and VNI, and decap none. */
static size_t ports(const struct nlmsghdr *req, char *buf, size_t size)
{
	struct nlmsghdr *nlh;
	size_t len;

	nlh = reply_start(req, buf, NFV_CMD_PORT_GET, NLM_F_MULTI);
	mnl_attr_put_strz(nlh, NFV_A_PORT_NAME, "f0");
	mnl_attr_put_u16(nlh, NFV_A_PORT_ID, 1);
	mnl_attr_put_u32(nlh, NFV_A_PORT_FLAGS, 0);
	mnl_attr_put_u8(nlh, NFV_A_PORT_DECAP, NFV_PORT_DECAP_VXLAN);
	mnl_attr_put_u16(nlh, NFV_A_PORT_VXLAN_PORT, 4789);
	mnl_attr_put_u32(nlh, NFV_A_PORT_VNI, 42);
	len = nlh->nlmsg_len;
	nlh = reply_start(req, buf + len, NFV_CMD_PORT_GET, NLM_F_MULTI);
	mnl_attr_put_strz(nlh, NFV_A_PORT_NAME, "f1");
	mnl_attr_put_u16(nlh, NFV_A_PORT_ID, 2);
	mnl_attr_put_u32(nlh, NFV_A_PORT_FLAGS, 0);
	mnl_attr_put_u8(nlh, NFV_A_PORT_DECAP, NFV_PORT_DECAP_NONE);
	len += nlh->nlmsg_len;
	return len + put_done(req, buf + len);
}

TEST_F(fake, reply_port_decap)
{
	const char *const text[] = { "port", "show", NULL };
	const char *const json[] = { "-j", "port", "show", NULL };
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, text, ports, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_STREQ("port f0 id 1 fail open csum fix decap vxlan port 4789 vni 42\n"
		     "port f1 id 2 fail open csum fix\n", r.out);
	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, json, ports, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_STREQ("[{\"name\":\"f0\",\"id\":1,\"flags\":0,\"fail\":\"open\","
		     "\"csum\":\"fix\",\"steer_arp\":false,\"decap\":\"vxlan\","
		     "\"vxlan_port\":4789,\"vni\":42},"
		     "{\"name\":\"f1\",\"id\":2,\"flags\":0,\"fail\":\"open\","
		     "\"csum\":\"fix\",\"steer_arp\":false,\"decap\":\"none\"}]\n",
		     r.out);
}

/* Two offloaded flows: TCP over IPv4 from lo to lo, UDP over IPv6 ended. */
static size_t offloads(const struct nlmsghdr *req, char *buf, size_t size)
{
	uint8_t src[4] = { 198, 18, 0, 1 }, dst[4] = { 198, 19, 0, 2 };
	struct in6_addr src6, dst6;
	struct nlmsghdr *nlh;
	size_t len;

	inet_pton(AF_INET6, "2001:db8::1", &src6);
	inet_pton(AF_INET6, "2001:db8::2", &dst6);
	nlh = reply_start(req, buf, NFV_CMD_OFFLOAD_GET, NLM_F_MULTI);
	mnl_attr_put_u32(nlh, NFV_A_OFFLOAD_IN_IFINDEX, if_nametoindex("lo"));
	mnl_attr_put_u8(nlh, NFV_A_OFFLOAD_PROTO, IPPROTO_TCP);
	mnl_attr_put_u8(nlh, NFV_A_OFFLOAD_FAMILY, AF_INET);
	mnl_attr_put(nlh, NFV_A_OFFLOAD_SRC, 4, src);
	mnl_attr_put(nlh, NFV_A_OFFLOAD_DST, 4, dst);
	mnl_attr_put_u16(nlh, NFV_A_OFFLOAD_SPORT, 40000);
	mnl_attr_put_u16(nlh, NFV_A_OFFLOAD_DPORT, 5201);
	mnl_attr_put_u16(nlh, NFV_A_OFFLOAD_CHAIN, 3);
	mnl_attr_put_u32(nlh, NFV_A_OFFLOAD_OUT_IFINDEX, if_nametoindex("lo"));
	mnl_attr_put_u64(nlh, NFV_A_OFFLOAD_PACKETS, 12345);
	mnl_attr_put_u64(nlh, NFV_A_OFFLOAD_BYTES, 18000000000ULL);
	mnl_attr_put_u32(nlh, NFV_A_OFFLOAD_IDLE_MS, 0);
	mnl_attr_put_u16(nlh, NFV_A_OFFLOAD_VOTER, 1);
	mnl_attr_put_u16(nlh, NFV_A_OFFLOAD_VOTER, 2);
	len = nlh->nlmsg_len;
	nlh = reply_start(req, buf + len, NFV_CMD_OFFLOAD_GET, NLM_F_MULTI);
	mnl_attr_put_u32(nlh, NFV_A_OFFLOAD_IN_IFINDEX, if_nametoindex("lo"));
	mnl_attr_put_u8(nlh, NFV_A_OFFLOAD_PROTO, IPPROTO_UDP);
	mnl_attr_put_u8(nlh, NFV_A_OFFLOAD_FAMILY, AF_INET6);
	mnl_attr_put(nlh, NFV_A_OFFLOAD_SRC, 16, &src6);
	mnl_attr_put(nlh, NFV_A_OFFLOAD_DST, 16, &dst6);
	mnl_attr_put_u16(nlh, NFV_A_OFFLOAD_SPORT, 53);
	mnl_attr_put_u16(nlh, NFV_A_OFFLOAD_DPORT, 5353);
	mnl_attr_put_u16(nlh, NFV_A_OFFLOAD_CHAIN, 4);
	mnl_attr_put_u32(nlh, NFV_A_OFFLOAD_OUT_IFINDEX, 4000000);
	mnl_attr_put_u64(nlh, NFV_A_OFFLOAD_PACKETS, 2);
	mnl_attr_put_u64(nlh, NFV_A_OFFLOAD_BYTES, 120);
	mnl_attr_put_u32(nlh, NFV_A_OFFLOAD_IDLE_MS, 750);
	mnl_attr_put(nlh, NFV_A_OFFLOAD_ENDED, 0, NULL);
	mnl_attr_put_u16(nlh, NFV_A_OFFLOAD_VOTER, 3);
	len += nlh->nlmsg_len;
	return len + put_done(req, buf + len);
}

#define OFFLOAD_TEXT							\
	"offload in lo proto tcp src 198.18.0.1 dst 198.19.0.2 sport 40000 "\
	"dport 5201 chain 3 out lo packets 12345 bytes 18000000000 "	\
	"idle_ms 0 voters 1 2\n"						\
	"offload in lo proto udp src 2001:db8::1 dst 2001:db8::2 sport 53 "\
	"dport 5353 chain 4 out if4000000 packets 2 bytes 120 idle_ms 750 "\
	"ended voters 3\n"

#define OFFLOAD_JSON							\
	"[{\"in\":\"lo\",\"proto\":\"tcp\",\"family\":\"inet\","		\
	"\"src\":\"198.18.0.1\",\"dst\":\"198.19.0.2\",\"sport\":40000,"	\
	"\"dport\":5201,\"chain\":3,\"out\":\"lo\",\"packets\":12345,"	\
	"\"bytes\":18000000000,\"idle_ms\":0,\"ended\":false,"		\
	"\"voters\":[1,2]},"							\
	"{\"in\":\"lo\",\"proto\":\"udp\",\"family\":\"inet6\","		\
	"\"src\":\"2001:db8::1\",\"dst\":\"2001:db8::2\",\"sport\":53,"	\
	"\"dport\":5353,\"chain\":4,\"out\":\"if4000000\",\"packets\":2,"	\
	"\"bytes\":120,\"idle_ms\":750,\"ended\":true,\"voters\":[3]}]"

TEST_F(fake, reply_offload)
{
	const char *const text[] = { "offload", "show", NULL };
	const char *const json[] = { "-j", "offload", NULL };
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, text, offloads, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_STREQ(OFFLOAD_TEXT, r.out);
	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, json, offloads, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_STREQ(OFFLOAD_JSON "\n", r.out);
}

/* One exact flow rule (the flow "flow show -s" lists first). */
static size_t one_flow(const struct nlmsghdr *req, char *buf, size_t size)
{
	uint8_t dst[4] = { 198, 19, 0, 0 };
	struct nlmsghdr *nlh;
	size_t len;

	nlh = reply_start(req, buf, NFV_CMD_FLOW_GET, NLM_F_MULTI);
	mnl_attr_put_u8(nlh, NFV_A_FLOW_PROTO, IPPROTO_TCP);
	mnl_attr_put_u8(nlh, NFV_A_FLOW_FAMILY, AF_INET);
	mnl_attr_put(nlh, NFV_A_FLOW_DST, 4, dst);
	mnl_attr_put_u8(nlh, NFV_A_FLOW_DST_PLEN, 24);
	mnl_attr_put_u16(nlh, NFV_A_FLOW_CHAIN, 3);
	len = nlh->nlmsg_len;
	return len + put_done(req, buf + len);
}

/* flow show -s: FLOW_GET, then OFFLOAD_GET on the same socket (nfvd). */
TEST_F(fake, reply_flow_show_offloaded)
{
	const char *const text[] = { "flow", "show", "-s", NULL };
	const char *const json[] = { "-j", "flow", "show", "-stats", NULL };
	const char *const none[] = { "-j", "flow", "show", "-s", NULL };
	struct result r;

	ASSERT_EQ(0, run_more(self->f.lfd, self->f.sock, true, text,
			      one_flow, offloads, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_EQ(NFV_CMD_FLOW_GET, genl(&r)->cmd);
	ASSERT_GE(r.req2_len, (ssize_t)NLMSG_HDRLEN);
	EXPECT_EQ(NFV_CMD_OFFLOAD_GET,
		  ((const struct genlmsghdr *)NLMSG_DATA(r.req2))->cmd);
	EXPECT_EQ(NLM_F_REQUEST | NLM_F_DUMP,
		  ((const struct nlmsghdr *)r.req2)->nlmsg_flags);
	EXPECT_STREQ("flow proto tcp dst 198.19.0.0/24 chain 3\n"
		     OFFLOAD_TEXT, r.out);

	ASSERT_EQ(0, run_more(self->f.lfd, self->f.sock, true, json,
			      one_flow, offloads, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_STREQ("{\"flows\":[{\"proto\":\"tcp\",\"dst\":\"198.19.0.0/24\","
		     "\"chain\":3,\"exact\":false}],"
		     "\"offloaded\":" OFFLOAD_JSON "}\n", r.out);

	ASSERT_EQ(0, run_more(self->f.lfd, self->f.sock, true, none,
			      empty_dump, empty_dump, &r));
	EXPECT_EQ(0, r.status) TH_LOG("stderr: %s", r.err);
	EXPECT_STREQ("{\"flows\":[],\"offloaded\":[]}\n", r.out);
}

/* nfvd refusing the second part: the JSON stays whole, exit 2. */
TEST_F(fake, reply_flow_show_offloaded_refused)
{
	const char *const json[] = { "-j", "flow", "show", "-s", NULL };
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, json, one_flow, &r));
	EXPECT_EQ(2, r.status);
	EXPECT_STREQ("{\"flows\":[{\"proto\":\"tcp\",\"dst\":\"198.19.0.0/24\","
		     "\"chain\":3,\"exact\":false}],\"offloaded\":[]}\n", r.out);
	EXPECT_STREQ("nfvctl: Operation not supported\n", r.err);
}

static size_t enoent_ext(const struct nlmsghdr *req, char *buf, size_t size)
{
	return put_error(req, buf, -ENOENT, "no such chain");
}

static size_t enoent(const struct nlmsghdr *req, char *buf, size_t size)
{
	return put_error(req, buf, -ENOENT, NULL);
}

TEST_F(fake, reply_error_extack)
{
	const char *const args[] = { "chain", "del", "5", NULL };
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, args, enoent_ext, &r));
	EXPECT_EQ(2, r.status);
	EXPECT_STREQ("nfvctl: no such chain\n", r.err);
	EXPECT_STREQ("", r.out);
}

TEST_F(fake, reply_error_errno)
{
	const char *const args[] = { "chain", "del", "5", NULL };
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, args, enoent, &r));
	EXPECT_EQ(2, r.status);
	EXPECT_STREQ("nfvctl: No such file or directory\n", r.err);
}

TEST_F(fake, reply_error_in_dump_keeps_json_valid)
{
	const char *const args[] = { "-j", "chain", "show", NULL };
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, args, enoent_ext, &r));
	EXPECT_EQ(2, r.status);
	EXPECT_STREQ("[]\n", r.out);
	EXPECT_STREQ("nfvctl: no such chain\n", r.err);
}

static size_t malformed(const struct nlmsghdr *req, char *buf, size_t size)
{
	struct nlmsghdr *nlh;
	size_t len;

	/* NFV_A_CHAIN_ID should be a u16: a 1-byte payload is malformed. */
	nlh = reply_start(req, buf, NFV_CMD_CHAIN_GET, NLM_F_MULTI);
	mnl_attr_put_u8(nlh, NFV_A_CHAIN_ID, 1);
	len = nlh->nlmsg_len;
	return len + put_done(req, buf + len);
}

TEST_F(fake, reply_malformed)
{
	const char *const args[] = { "chain", "show", NULL };
	struct result r;

	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, args, malformed, &r));
	EXPECT_EQ(2, r.status);
	EXPECT_STREQ("nfvctl: malformed reply from the daemon backend\n", r.err);
}

TEST_F(fake, batch)
{
	char file[192];
	const char *const args[] = { "-batch", file, NULL };
	struct result r;
	char want[300];
	FILE *f;

	snprintf(file, sizeof(file), "%s/batch", self->f.dir);
	f = fopen(file, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "# comment\n\nchain del 5\nchain frob 1\nchain del 6\n");
	fclose(f);
	ASSERT_EQ(0, run(self->f.lfd, self->f.sock, true, args, ack, &r));
	unlink(file);
	EXPECT_EQ(1, r.status);
	EXPECT_EQ(1, r.connections);
	EXPECT_EQ(NFV_CMD_CHAIN_DEL, genl(&r)->cmd);
	snprintf(want, sizeof(want),
		 "nfvctl: %s:4: unknown command \"frob\" for chain: must be add, replace, del or show\n",
		 file);
	EXPECT_STREQ(want, r.err);
}

TEST_HARNESS_MAIN
