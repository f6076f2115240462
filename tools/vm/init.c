// SPDX-License-Identifier: GPL-2.0
/*
 * PID 1 of the nfv test VM (see tools/vm-run).  Static, no libraries but
 * libc, so the initramfs holds this file and a few modules and nothing else.
 *
 * It reads as the steps it takes:
 *   1. mount /proc, /sys, /dev of the initramfs;
 *   2. load the modules listed in /modules.list (virtio, 9p, overlay; the
 *      list is in dependency order, resolved from modules.dep at build);
 *   3. mount the host's / (9p tag "hostroot", read-only) under a tmpfs
 *      overlay and make it the root, as switch_root does (move, chroot);
 *   4. mount what tests expect: bpffs, debugfs, tracefs, cgroup2, tmpfs on
 *      /run and /dev/shm, devpts; bring lo up;
 *   5. write "NFV-VM-UP" on ttyS3 (vm-run's boot watchdog waits for it),
 *      run the script $nfvrun/cmd (written by vm-run: cd to the repo, load
 *      nfv.ko, exec the command) with stdout on ttyS1 and stderr on ttyS2
 *      (ttyS0 is the console: kernel log and this program's messages);
 *   6. write "NFV-VM-STATUS <n>" on ttyS3, drain the ports, power off.
 *
 * Any failure before step 5 reports status 125 and powers off, so vm-run
 * never waits for a timeout because of a broken boot (with nfvshell=1 on
 * the command line, NFV_VM_SHELL=1 for vm-run, it starts a shell instead).
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define STATUS_BOOT_FAILED	125

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("nfv-vm-init: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* One line on ttyS3, the status port vm-run reads. */
static void report(const char *line)
{
	size_t n = strlen(line);
	struct termios t;
	int fd;

	fd = open("/dev/ttyS3", O_WRONLY | O_NOCTTY);
	if (fd < 0) {
		say("status port: %s", strerror(errno));
		return;
	}
	if (!tcgetattr(fd, &t)) {
		cfmakeraw(&t);
		tcsetattr(fd, TCSANOW, &t);
	}
	if (write(fd, line, n) != (ssize_t)n)
		say("status port: %s", strerror(errno));
	tcdrain(fd);
	close(fd);
}

/* Write @status on the status port, wait for every port to drain, stop. */
static void __attribute__((noreturn)) power_off(int status)
{
	char line[32];

	snprintf(line, sizeof(line), "NFV-VM-STATUS %d\n", status);
	report(line);
	tcdrain(STDOUT_FILENO);
	tcdrain(STDERR_FILENO);
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

static void __attribute__((noreturn)) die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("nfv-vm-init: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(errno));
	if (getenv("nfvshell")) {
		execl("/bin/sh", "sh", (char *)NULL);
		say("no rescue shell: %s", strerror(errno));
	}
	power_off(STATUS_BOOT_FAILED);
}

static void do_mount(const char *src, const char *dst, const char *type,
		     unsigned long flags, const char *opts)
{
	mkdir(dst, 0755);
	if (mount(src, dst, type, flags, opts))
		die("mount %s on %s", type ? type : src, dst);
}

/* Optional mounts: a kernel without the filesystem just goes without. */
static void try_mount(const char *src, const char *dst, const char *type,
		      unsigned long flags, const char *opts)
{
	if (mount(src, dst, type, flags, opts) && errno != EBUSY)
		say("mount %s on %s: %s (continuing)", type, dst,
		    strerror(errno));
}

static void mount_early(void)
{
	do_mount("proc", "/proc", "proc", 0, NULL);
	do_mount("sys", "/sys", "sysfs", 0, NULL);
	do_mount("dev", "/dev", "devtmpfs", 0, NULL);
}

static void load_modules(void)
{
	char path[512];
	FILE *f;

	f = fopen("/modules.list", "r");
	if (!f)
		die("/modules.list");
	while (fgets(path, sizeof(path), f)) {
		int fd;

		path[strcspn(path, "\n")] = '\0';
		if (!path[0])
			continue;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die("open %s", path);
		if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST)
			die("load %s", path);
		close(fd);
	}
	fclose(f);
}

/* The host tree, read-only, under a tmpfs overlay; then make it "/". */
static void mount_root(void)
{
	do_mount("hostroot", "/lower", "9p", MS_RDONLY,
		 "trans=virtio,version=9p2000.L,msize=512000,cache=loose");
	do_mount("rw", "/rw", "tmpfs", 0, "mode=0755");
	mkdir("/rw/upper", 0755);
	mkdir("/rw/work", 0755);
	do_mount("overlay", "/newroot", "overlay", 0,
		 "lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work");
	do_mount("/proc", "/newroot/proc", NULL, MS_MOVE, NULL);
	do_mount("/sys", "/newroot/sys", NULL, MS_MOVE, NULL);
	do_mount("/dev", "/newroot/dev", NULL, MS_MOVE, NULL);
	if (chdir("/newroot"))
		die("chdir /newroot");
	if (mount(".", "/", NULL, MS_MOVE, NULL))
		die("move the new root onto /");
	if (chroot(".") || chdir("/"))
		die("chroot");
}

static void mount_system(void)
{
	/*
	 * /tmp stays the host's, seen through the overlay (writes stay in
	 * the VM): a tree checked out under /tmp must remain visible.  /run
	 * is fresh: the host's sockets and pid files mean nothing here.
	 */
	try_mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
	mkdir("/dev/shm", 01777);
	try_mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV,
		  "mode=1777");
	/* What udev would make: bash's <(...) needs /dev/fd. */
	symlink("/proc/self/fd", "/dev/fd");
	symlink("/proc/self/fd/0", "/dev/stdin");
	symlink("/proc/self/fd/1", "/dev/stdout");
	symlink("/proc/self/fd/2", "/dev/stderr");
	mkdir("/dev/pts", 0755);
	try_mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		  "gid=5,mode=620,ptmxmode=666");
	try_mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700");
	try_mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	try_mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL);
	try_mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL);
}

static void lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	if (!ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr))
			say("lo up: %s", strerror(errno));
	}
	close(fd);
}

/* Serial ports pass bytes as they are: no \n -> \r\n, no echo. */
static int open_port(const char *path)
{
	struct termios t;
	int fd = open(path, O_RDWR | O_NOCTTY);

	if (fd < 0)
		die("open %s", path);
	if (!tcgetattr(fd, &t)) {
		cfmakeraw(&t);
		tcsetattr(fd, TCSANOW, &t);
	}
	return fd;
}

static int run_command(const char *rundir)
{
	char script[512];
	int out, err, null, status = STATUS_BOOT_FAILED;
	pid_t pid, w;

	snprintf(script, sizeof(script), "%s/cmd", rundir);
	report("NFV-VM-UP\n");
	out = open_port("/dev/ttyS1");
	err = open_port("/dev/ttyS2");
	null = open("/dev/null", O_RDWR);
	if (null < 0)
		die("/dev/null");

	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		signal(SIGPIPE, SIG_DFL);
		setsid();
		dup2(null, STDIN_FILENO);
		dup2(out, STDOUT_FILENO);
		dup2(err, STDERR_FILENO);
		execl(script, script, (char *)NULL);
		fprintf(stderr, "nfv-vm-init: exec %s: %s\n", script,
			strerror(errno));
		_exit(127);
	}
	/* PID 1 also reaps every orphan until the command itself exits. */
	for (;;) {
		int st;

		w = wait(&st);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			die("wait");
		if (w != pid)
			continue;
		if (WIFEXITED(st))
			status = WEXITSTATUS(st);
		else if (WIFSIGNALED(st))
			status = 128 + WTERMSIG(st);
		break;
	}
	dup2(out, STDOUT_FILENO);
	dup2(err, STDERR_FILENO);
	return status;
}

int main(void)
{
	const char *rundir = getenv("nfvrun");

	if (getpid() != 1)
		return 1;
	mount_early();
	load_modules();
	mount_root();
	mount_system();
	lo_up();
	if (sethostname("nfv-vm", 6))
		say("sethostname: %s", strerror(errno));
	setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
	setenv("HOME", "/root", 1);
	setenv("LANG", "C.UTF-8", 1);
	setenv("TERM", "dumb", 1);
	if (!rundir) {
		errno = EINVAL;
		die("no nfvrun= on the kernel command line");
	}
	signal(SIGPIPE, SIG_IGN);
	power_off(run_command(rundir));
}
