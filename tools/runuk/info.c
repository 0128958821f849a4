/* features (what this runtime supports, runc's JSON) and spec (a
 * default config.json to edit, as runc spec writes). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>
#include "runuk.h"

static json_object *strings(const char *const *v)
{
	json_object *a = json_object_new_array();
	for (; *v; v++)
		json_object_array_add(a, json_object_new_string(*v));
	return a;
}

static void print_json(json_object *o, FILE *f)
{
	fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
							  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

int cmd_features(int argc, char **argv)
{
	static const char *const mount_opts[] = { "bind", "rbind", "ro", "rw", NULL };
	static const char *const ns[] = { "network", NULL };
	static const char *const none[] = { NULL };
	(void)argc, (void)argv;
	json_object *o = json_object_new_object(), *lx = json_object_new_object();
	json_object_object_add(o, "ociVersionMin", json_object_new_string("1.0.0"));
	json_object_object_add(o, "ociVersionMax", json_object_new_string(RUNUK_OCI_VERSION));
	json_object_object_add(o, "hooks", strings(none));
	json_object_object_add(o, "mountOptions", strings(mount_opts));
	json_object_object_add(lx, "namespaces", strings(ns));
	json_object_object_add(lx, "capabilities", strings(none));
	json_object *cg = json_object_new_object();
	json_object_object_add(cg, "v1", json_object_new_boolean(0));
	json_object_object_add(cg, "v2", json_object_new_boolean(0));
	json_object_object_add(cg, "systemd", json_object_new_boolean(0));
	json_object_object_add(lx, "cgroup", cg);
	json_object *sc = json_object_new_object();
	json_object_object_add(sc, "enabled", json_object_new_boolean(0));
	json_object_object_add(lx, "seccomp", sc);
	json_object *am = json_object_new_object();
	json_object_object_add(am, "enabled", json_object_new_boolean(0));
	json_object_object_add(lx, "apparmor", am);
	json_object_object_add(lx, "selinux", json_object_get(am));
	json_object_object_add(o, "linux", lx);
	json_object *ann = json_object_new_object();
	json_object_object_add(ann, "org.opencontainers.runc.version", json_object_new_string(RUNUK_VERSION));
	json_object_object_add(ann, "io.runuk.guest", json_object_new_string("unikernel under QEMU"));
	json_object_object_add(o, "annotations", ann);
	print_json(o, stdout);
	return 0;
}

int cmd_spec(int argc, char **argv)
{
	static const char *const args[] = { "sh", NULL };
	static const char *const env[] = {
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm", NULL,
	};
	const char *bundle = ".";
	for (int i = 1; i < argc; i++)
		if (!opt_value(argv, argc, &i, "bundle", &bundle))
			opt_value(argv, argc, &i, "b", &bundle);
	char path[4200];
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	if (access(path, F_OK) == 0) {
		log_error("%s exists: remove it first", path);
		return -1;
	}
	json_object *o = json_object_new_object(), *p = json_object_new_object();
	json_object_object_add(o, "ociVersion", json_object_new_string(RUNUK_OCI_VERSION));
	json_object_object_add(p, "terminal", json_object_new_boolean(1));
	json_object *user = json_object_new_object();
	json_object_object_add(user, "uid", json_object_new_int(0));
	json_object_object_add(user, "gid", json_object_new_int(0));
	json_object_object_add(p, "user", user);
	json_object_object_add(p, "args", strings(args));
	json_object_object_add(p, "env", strings(env));
	json_object_object_add(p, "cwd", json_object_new_string("/"));
	json_object_object_add(o, "process", p);
	json_object *root = json_object_new_object();
	json_object_object_add(root, "path", json_object_new_string("rootfs"));
	json_object_object_add(root, "readonly", json_object_new_boolean(0));
	json_object_object_add(o, "root", root);
	json_object_object_add(o, "hostname", json_object_new_string("runuk"));
	json_object *lx = json_object_new_object(), *nss = json_object_new_array();
	json_object *net = json_object_new_object();
	json_object_object_add(net, "type", json_object_new_string("network"));
	json_object_array_add(nss, net);
	json_object_object_add(lx, "namespaces", nss);
	json_object_object_add(o, "linux", lx);
	FILE *f = fopen(path, "w");
	if (!f) {
		log_error("%s: cannot write", path);
		json_object_put(o);
		return -1;
	}
	print_json(o, f);
	return fclose(f) ? -1 : 0;
}
