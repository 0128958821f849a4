/* runuk's log lines: to the --log file, as text or as the JSON lines
 * runc writes ({"level":..,"msg":..,"time":..}, which containerd's shim
 * reads back on a failure). Without --log, warnings and errors go to
 * stderr (runc's default), info only with --debug: create's stderr is the
 * container's, so what every container meets would fill its log. Errors
 * reach stderr in any case, where podman and ctr show a runtime's words. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>
#include "runuk.h"

void rfc3339_now(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%09ldZ", ts.tv_nsec);
}

void log_msg(const char *level, const char *fmt, ...)
{
	char msg[2048], when[64];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rfc3339_now(when, sizeof(when));
	FILE *f = g.log ? fopen(g.log, "a") : NULL;
	if (f && g.log_json) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "level", json_object_new_string(level));
		json_object_object_add(o, "msg", json_object_new_string(msg));
		json_object_object_add(o, "time", json_object_new_string(when));
		fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
	} else if (f) {
		fprintf(f, "time=\"%s\" level=%s msg=\"%s\" pid=%d\n", when, level, msg,
			(int)getpid());
	}
	if (f)
		fclose(f);
	int error = !strcmp(level, "error");
	if (error || (!g.log && (g.debug || !strcmp(level, "warning"))))
		fprintf(stderr, "runuk: %s%s%s\n", error ? "" : level, error ? "" : ": ", msg);
}
