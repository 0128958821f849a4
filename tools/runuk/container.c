/* A container's state: <root>/<id>/state.json (ours: the pid and its
 * start time, the bundle, the creation time, the annotations) and, from
 * create until start, the exec.fifo that the supervisor waits on. The
 * status is worked out, never stored: no process (or another with the
 * same PID, or a zombie) is "stopped", a fifo still there is "created",
 * else "running". */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>
#include "runuk.h"

int container_id_valid(const char *id)
{
	if (!*id || strlen(id) > 200 || !strcmp(id, ".") || !strcmp(id, ".."))
		return 0;
	for (const char *p = id; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_+-.", *p))
			return 0;
	return 1;
}

int container_path(const char *id, const char *name, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s%s%s", g.root, id, name ? "/" : "", name ? name : "");
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Field 22 of /proc/PID/stat, after the command's parenthesis; the
 * state (field 3) 'Z' counts as gone. */
static unsigned long long stat_start_time(pid_t pid, char *state)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	if (!p)
		return 0;
	*state = p[2];
	p += 2;
	for (int field = 3; field < 22 && p; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return p ? strtoull(p, NULL, 10) : 0;
}

unsigned long long pid_start_time(pid_t pid)
{
	char state = 0;
	return stat_start_time(pid, &state);
}

int pid_alive(pid_t pid, unsigned long long start_time)
{
	char state = 0;
	if (pid <= 0)
		return 0;
	unsigned long long t = stat_start_time(pid, &state);
	return t && t == start_time && state != 'Z' && state != 'X';
}

const char *container_status(const struct container *c)
{
	char fifo[4200];
	if (!pid_alive(c->pid, c->start_time))
		return "stopped";
	container_path(c->id, "exec.fifo", fifo, sizeof(fifo));
	return access(fifo, F_OK) == 0 ? "created" : "running";
}

int write_file_atomic(const char *path, const char *text)
{
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	size_t len = strlen(text);
	ssize_t w = write(fd, text, len);
	if (close(fd) || w != (ssize_t)len || rename(tmp, path)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void copy_str(char *dst, size_t len, json_object *o, const char *key)
{
	json_object *v;
	dst[0] = 0;
	if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
		snprintf(dst, len, "%s", json_object_get_string(v));
}

int container_load(const char *id, struct container *c)
{
	char path[4200];
	memset(c, 0, sizeof(*c));
	if (!container_id_valid(id)) {
		log_error("%s: not a valid container ID", id);
		return -EINVAL;
	}
	container_path(id, "state.json", path, sizeof(path));
	if (access(path, F_OK)) {
		log_error("container %s does not exist", id);
		return -ENOENT;
	}
	json_object *o = json_object_from_file(path), *v;
	if (!o) {
		log_error("%s: %s", path, json_util_get_last_err());
		return -EIO;
	}
	snprintf(c->id, sizeof(c->id), "%s", id);
	container_path(id, NULL, c->dir, sizeof(c->dir));
	copy_str(c->bundle, sizeof(c->bundle), o, "bundle");
	copy_str(c->rootfs, sizeof(c->rootfs), o, "rootfs");
	copy_str(c->created, sizeof(c->created), o, "created");
	if (json_object_object_get_ex(o, "pid", &v))
		c->pid = (pid_t)json_object_get_int(v);
	if (json_object_object_get_ex(o, "start_time", &v))
		c->start_time = json_object_get_uint64(v);
	c->annotations = strdup(json_object_object_get_ex(o, "annotations", &v) ?
				json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN) : "{}");
	json_object_put(o);
	return 0;
}

int container_save(const struct container *c)
{
	char path[4200];
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_string(c->id));
	json_object_object_add(o, "pid", json_object_new_int(c->pid));
	json_object_object_add(o, "start_time", json_object_new_uint64(c->start_time));
	json_object_object_add(o, "bundle", json_object_new_string(c->bundle));
	json_object_object_add(o, "rootfs", json_object_new_string(c->rootfs));
	json_object_object_add(o, "created", json_object_new_string(c->created));
	json_object *ann = json_tokener_parse(c->annotations ? c->annotations : "{}");
	json_object_object_add(o, "annotations", ann ? ann : json_object_new_object());
	container_path(c->id, "state.json", path, sizeof(path));
	int rc = write_file_atomic(path, json_object_to_json_string(o));
	json_object_put(o);
	if (rc)
		log_error("%s: cannot write: %s", path, strerror(errno));
	return rc;
}

void container_free(struct container *c)
{
	free(c->annotations);
	c->annotations = NULL;
}
