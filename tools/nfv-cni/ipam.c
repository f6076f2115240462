// SPDX-License-Identifier: GPL-2.0
/* Run the IPAM plugin: fork, exec, configuration in, result out. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "error.h"
#include "ipam.h"

#define IPAM_OUT_MAX	(1 << 20)

/* The first CNI_PATH directory that holds an executable @type. */
static int find_plugin(const char *type, char path[PATH_MAX])
{
	const char *dirs = getenv("CNI_PATH"), *d, *end;

	if (!dirs || !*dirs)
		return cni_fail(CNI_ERR_ENV, "CNI_PATH",
				"CNI_PATH is not set: cannot find IPAM plugin %s",
				type);
	for (d = dirs; *d; d = *end ? end + 1 : end) {
		end = strchrnul(d, ':');
		if (end == d)
			continue;
		if (snprintf(path, PATH_MAX, "%.*s/%s", (int)(end - d), d,
			     type) >= PATH_MAX)
			continue;
		if (!access(path, X_OK))
			return 0;
	}
	return cni_fail(CNI_ERR_IO, dirs,
			"IPAM plugin %s not found in CNI_PATH", type);
}

static void child(const char *path, const char *command, int in, int out)
{
	if (dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0)
		_exit(127);
	setenv("CNI_COMMAND", command, 1);
	execl(path, path, (char *)NULL);
	_exit(127);
}

/* Feed @c->raw to @fd, then read all of @out into a string. */
static char *talk(const struct cni_conf *c, int in, int out, size_t *len)
{
	size_t off = 0, size = 4096;
	char *buf = malloc(size);
	ssize_t n;

	/* The configuration is small: the pipe takes it whole (64 KiB). */
	while (buf && off < c->raw_len) {
		n = write(in, c->raw + off, c->raw_len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;	/* the plugin exited early: its output says */
		off += (size_t)n;
	}
	close(in);
	off = 0;
	while (buf) {
		if (off + 1 == size) {
			char *p = size < IPAM_OUT_MAX ? realloc(buf, size * 2) : NULL;

			if (!p) {
				free(buf);
				return NULL;
			}
			buf = p;
			size *= 2;
		}
		n = read(out, buf + off, size - off - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (buf)
		buf[off] = 0;
	*len = off;
	return buf;
}

/* The delegate failed: keep its own code and message. */
static int delegate_error(const char *type, const char *out, int status)
{
	json_t *e = json_loads(out, 0, NULL);
	json_t *code = json_object_get(e, "code");
	json_t *msg = json_object_get(e, "msg");
	json_t *details = json_object_get(e, "details");
	int ret;

	if (json_is_integer(code) && json_is_string(msg))
		ret = cni_fail((int)json_integer_value(code),
			       json_is_string(details) ?
			       json_string_value(details) : NULL,
			       "IPAM plugin %s: %s", type,
			       json_string_value(msg));
	else
		ret = cni_fail(CNI_ERR_IO, NULL,
			       "IPAM plugin %s failed (%s %d) without an error object",
			       type, WIFEXITED(status) ? "exit" : "signal",
			       WIFEXITED(status) ? WEXITSTATUS(status) :
			       WTERMSIG(status));
	json_decref(e);
	return ret;
}

int ipam_exec(const struct cni_conf *c, const char *command, json_t **result)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, status;
	char path[PATH_MAX], *buf;
	json_error_t jerr;
	size_t len = 0;
	pid_t pid;

	if (result)
		*result = NULL;
	if (find_plugin(c->ipam_type, path))
		return -1;
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC)) {
		cni_fail(CNI_ERR_IO, NULL, "pipe: %s", strerror(errno));
		goto fail_pipes;
	}
	pid = fork();
	if (pid < 0) {
		cni_fail(CNI_ERR_IO, NULL, "fork: %s", strerror(errno));
		goto fail_pipes;
	}
	if (!pid)
		child(path, command, in[0], out[1]);
	close(in[0]);
	close(out[1]);
	signal(SIGPIPE, SIG_IGN);
	buf = talk(c, in[1], out[0], &len);
	close(out[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!buf)
		return cni_fail(CNI_ERR_IO, NULL, "IPAM plugin %s: out of memory",
				c->ipam_type);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		delegate_error(c->ipam_type, buf, status);
		free(buf);
		return -1;
	}
	if (result) {
		*result = json_loadb(buf, len, 0, &jerr);
		if (!json_is_object(*result)) {
			json_decref(*result);
			*result = NULL;
			free(buf);
			return cni_fail(CNI_ERR_DECODE, jerr.text,
					"cannot decode the result of IPAM plugin %s",
					c->ipam_type);
		}
	}
	free(buf);
	return 0;

fail_pipes:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
	}
	return -1;
}
