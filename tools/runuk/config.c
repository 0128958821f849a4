/* The bundle's config.json (the OCI runtime spec), read with json-c: the
 * process (args, env, cwd, terminal, user, rlimits), the root, hostname,
 * mounts, the memory and CPU limits and the network namespace. What is
 * missing takes the spec's default; a wrong type is an error naming the
 * field. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "runuk.h"

static int wrong_types;	/* fields of the wrong type met by get() */

static json_object *get(json_object *o, const char *key, json_type type)
{
	json_object *v;
	if (!o || !json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return NULL;
	if (!json_object_is_type(v, type) &&
	    !(type == json_type_double && json_object_is_type(v, json_type_int))) {
		log_error("config.json: %s: expected a %s", key, json_type_to_name(type));
		wrong_types++;
		return NULL;
	}
	return v;
}

static char *dup_str(json_object *o, const char *key)
{
	json_object *v = get(o, key, json_type_string);
	return v ? strdup(json_object_get_string(v)) : NULL;
}

/* A string array as a NULL-terminated vector; -1 when an item is no string. */
static int str_array(json_object *arr, const char *what, char ***out, size_t *n)
{
	size_t len = arr ? json_object_array_length(arr) : 0;
	char **v = calloc(len + 1, sizeof(char *));
	if (!v)
		return -1;
	for (size_t i = 0; i < len; i++) {
		json_object *s = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(s, json_type_string)) {
			log_error("config.json: %s[%zu]: expected a string", what, i);
			free(v);
			return -1;
		}
		v[i] = strdup(json_object_get_string(s));
	}
	*out = v;
	*n = len;
	return 0;
}

static int has_option(json_object *opts, const char *name)
{
	size_t n = opts ? json_object_array_length(opts) : 0;
	for (size_t i = 0; i < n; i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(opts, i));
		if (s && !strcmp(s, name))
			return 1;
	}
	return 0;
}

static void load_mounts(json_object *arr, struct oci_config *c)
{
	size_t n = arr ? json_object_array_length(arr) : 0;
	c->mounts = calloc(n ? n : 1, sizeof(*c->mounts));
	for (size_t i = 0; i < n && c->mounts; i++) {
		json_object *m = json_object_array_get_idx(arr, i);
		json_object *opts = get(m, "options", json_type_array);
		struct oci_mount *om = &c->mounts[c->nmounts];
		om->dest = dup_str(m, "destination");
		if (!om->dest)
			continue;
		om->src = dup_str(m, "source");
		om->type = dup_str(m, "type");
		om->bind = (om->type && !strcmp(om->type, "bind")) || has_option(opts, "bind") ||
			   has_option(opts, "rbind");
		om->ro = has_option(opts, "ro");
		c->nmounts++;
	}
}

static void load_rlimits(json_object *arr, struct oci_config *c)
{
	size_t n = arr ? json_object_array_length(arr) : 0;
	c->rlimits = calloc(n ? n : 1, sizeof(*c->rlimits));
	for (size_t i = 0; i < n && c->rlimits; i++) {
		json_object *r = json_object_array_get_idx(arr, i);
		json_object *hard = get(r, "hard", json_type_int), *soft = get(r, "soft", json_type_int);
		char *type = dup_str(r, "type");
		if (!type || !hard || !soft) {
			free(type);
			continue;
		}
		c->rlimits[c->nrlimits++] = (struct oci_rlimit){
			type, json_object_get_uint64(soft), json_object_get_uint64(hard)
		};
	}
}

/* CPUs: quota/period, else the cpuset's count ("0-3,6"). */
static double cpu_count(json_object *cpu)
{
	json_object *q = get(cpu, "quota", json_type_int), *p = get(cpu, "period", json_type_int);
	if (q && p && json_object_get_int64(q) > 0 && json_object_get_int64(p) > 0)
		return (double)json_object_get_int64(q) / (double)json_object_get_int64(p);
	json_object *set = get(cpu, "cpus", json_type_string);
	if (!set)
		return 0;
	int count = 0;
	for (const char *s = json_object_get_string(set); *s;) {
		char *end;
		long a = strtol(s, &end, 10), b = a;
		if (end == s)
			break;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		count += b >= a ? (int)(b - a + 1) : 0;
		s = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			break;
	}
	return count;
}

static void load_linux(json_object *lx, struct oci_config *c)
{
	json_object *res = get(lx, "resources", json_type_object);
	json_object *mem = get(res, "memory", json_type_object);
	json_object *limit = get(mem, "limit", json_type_int);
	if (limit && json_object_get_int64(limit) > 0)
		c->mem_limit = json_object_get_int64(limit);
	c->cpus = cpu_count(get(res, "cpu", json_type_object));
	json_object *ns = get(lx, "namespaces", json_type_array);
	size_t n = ns ? json_object_array_length(ns) : 0;
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(ns, i);
		json_object *type = get(e, "type", json_type_string);
		if (!type || strcmp(json_object_get_string(type), "network"))
			continue;
		c->netns = dup_str(e, "path");
		c->netns_new = !c->netns;
	}
}

int oci_config_load(const char *bundle, struct oci_config *c)
{
	char path[PATH_MAX];
	memset(c, 0, sizeof(*c));
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	json_object *root = json_object_from_file(path);
	if (!root) {
		log_error("%s: %s", path, json_util_get_last_err());
		return -1;
	}
	int rc = -1;
	wrong_types = 0;
	json_object *proc = get(root, "process", json_type_object);
	if (!proc) {
		log_error("config.json: no process");
		goto out;
	}
	if (str_array(get(proc, "args", json_type_array), "process.args", &c->args, &c->nargs) ||
	    str_array(get(proc, "env", json_type_array), "process.env", &c->env, &c->nenv))
		goto out;
	if (!c->nargs) {
		log_error("config.json: process.args is empty");
		goto out;
	}
	c->cwd = dup_str(proc, "cwd");
	json_object *term = get(proc, "terminal", json_type_boolean);
	c->terminal = term && json_object_get_boolean(term);
	json_object *user = get(proc, "user", json_type_object);
	json_object *uid = get(user, "uid", json_type_int), *gid = get(user, "gid", json_type_int);
	c->uid = uid ? (unsigned)json_object_get_int64(uid) : 0;
	c->gid = gid ? (unsigned)json_object_get_int64(gid) : 0;
	load_rlimits(get(proc, "rlimits", json_type_array), c);

	json_object *r = get(root, "root", json_type_object);
	char *rp = dup_str(r, "path");
	if (!rp) {
		log_error("config.json: no root.path");
		goto out;
	}
	/* A relative root is the bundle's. */
	if (rp[0] != '/') {
		snprintf(path, sizeof(path), "%s/%s", bundle, rp);
		free(rp);
		rp = strdup(path);
	}
	c->root = realpath(rp, NULL);
	if (!c->root) {
		log_error("root.path %s: %s", rp, strerror(errno));
		free(rp);
		goto out;
	}
	free(rp);
	json_object *ro = get(r, "readonly", json_type_boolean);
	c->root_ro = ro && json_object_get_boolean(ro);
	c->hostname = dup_str(root, "hostname");
	load_mounts(get(root, "mounts", json_type_array), c);
	load_linux(get(root, "linux", json_type_object), c);
	json_object *ann = get(root, "annotations", json_type_object);
	c->annotations = strdup(ann ? json_object_to_json_string_ext(ann, JSON_C_TO_STRING_PLAIN) : "{}");
	c->ports = dup_str(ann, RUNUK_PORTS_ANNOTATION);
	rc = wrong_types ? -1 : 0;
out:
	json_object_put(root);
	return rc;
}

static void free_vec(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

void oci_config_free(struct oci_config *c)
{
	free_vec(c->args, c->nargs);
	free_vec(c->env, c->nenv);
	free(c->cwd);
	free(c->hostname);
	free(c->root);
	for (size_t i = 0; i < c->nmounts; i++) {
		free(c->mounts[i].dest);
		free(c->mounts[i].src);
		free(c->mounts[i].type);
	}
	free(c->mounts);
	for (size_t i = 0; i < c->nrlimits; i++)
		free(c->rlimits[i].type);
	free(c->rlimits);
	free(c->netns);
	free(c->annotations);
	free(c->ports);
	memset(c, 0, sizeof(*c));
}
