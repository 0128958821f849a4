/* state (the OCI state JSON), list (every container, runc's table or
 * --format json) and ps (the container's host processes: the
 * supervisor, QEMU's relay). */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include "runuk.h"

static json_object *state_json(const struct container *c)
{
	const char *status = container_status(c);
	json_object *o = json_object_new_object();
	json_object_object_add(o, "ociVersion", json_object_new_string(RUNUK_OCI_VERSION));
	json_object_object_add(o, "id", json_object_new_string(c->id));
	json_object_object_add(o, "pid", json_object_new_int(strcmp(status, "stopped") ? c->pid : 0));
	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(o, "bundle", json_object_new_string(c->bundle));
	json_object_object_add(o, "rootfs", json_object_new_string(c->rootfs));
	json_object_object_add(o, "created", json_object_new_string(c->created));
	json_object_object_add(o, "owner", json_object_new_string(""));
	json_object *ann = json_tokener_parse(c->annotations ? c->annotations : "{}");
	json_object_object_add(o, "annotations", ann ? ann : json_object_new_object());
	return o;
}

int cmd_state(int argc, char **argv)
{
	struct container c;
	if (argc < 2) {
		log_error("state: no container ID");
		return -1;
	}
	if (container_load(argv[argc - 1], &c))
		return -1;
	json_object *o = state_json(&c);
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						      JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	container_free(&c);
	return 0;
}

int cmd_list(int argc, char **argv)
{
	const char *fmt = "table";
	int quiet = 0;
	for (int i = 1; i < argc; i++)
		if (!opt_value(argv, argc, &i, "format", &fmt) && !opt_value(argv, argc, &i, "f", &fmt))
			quiet |= opt_flag(argv, &i, "quiet") || opt_flag(argv, &i, "q");
	json_object *arr = json_object_new_array();
	DIR *d = opendir(g.root);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		struct container c;
		if (e->d_name[0] == '.' || !container_id_valid(e->d_name))
			continue;
		if (container_load(e->d_name, &c))
			continue;
		json_object_array_add(arr, state_json(&c));
		container_free(&c);
	}
	if (d)
		closedir(d);
	if (!strcmp(fmt, "json")) {
		printf("%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN |
							      JSON_C_TO_STRING_NOSLASHESCAPE));
	} else {
		if (!quiet)
			printf("%-20s %-8s %-10s %-40s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED");
		for (size_t i = 0; i < json_object_array_length(arr); i++) {
			json_object *o = json_object_array_get_idx(arr, i), *v;
			const char *f[5] = { "id", "pid", "status", "bundle", "created" };
			const char *s[5];
			for (int k = 0; k < 5; k++)
				s[k] = json_object_object_get_ex(o, f[k], &v) ? json_object_get_string(v) : "";
			if (quiet)
				printf("%s\n", s[0]);
			else
				printf("%-20s %-8s %-10s %-40s %s\n", s[0], s[1], s[2], s[3], s[4]);
		}
	}
	json_object_put(arr);
	return 0;
}

int cmd_ps(int argc, char **argv)
{
	const char *fmt = "table";
	struct container c;
	for (int i = 1; i < argc - 1; i++)
		if (!opt_value(argv, argc, &i, "format", &fmt))
			opt_value(argv, argc, &i, "f", &fmt);
	if (argc < 2 || container_load(argv[argc - 1], &c))
		return -1;
	int alive = strcmp(container_status(&c), "stopped") != 0;
	if (!strcmp(fmt, "json"))
		printf(alive ? "[%d]\n" : "[]\n", (int)c.pid);
	else if (alive)
		printf("PID\n%d\n", (int)c.pid);
	container_free(&c);
	return 0;
}
