/* newc cpio reader: 110-byte ASCII-hex headers, name and body each padded
 * to 4 bytes, ended by the entry "TRAILER!!!". */
#include <errno.h>
#include <string.h>
#include <uk/cpio.h>

#define HDR_LEN 110

void uk_cpio_iter_init(struct uk_cpio_iter *it, const void *archive, size_t len)
{
	it->base = archive;
	it->len = len;
	it->off = 0;
}

static int hex8(const char *p, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 8; i++) {
		char c = p[i];
		int d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

static size_t pad4(size_t v)
{
	return (v + 3) & ~(size_t)3;
}

int uk_cpio_next(struct uk_cpio_iter *it, struct uk_cpio_entry *e)
{
	for (;;) {
		/* Tolerate zero padding after the trailer or between archives. */
		while (it->off + 4 <= it->len && !memcmp(it->base + it->off, "\0\0\0\0", 4))
			it->off += 4;
		if (it->off >= it->len)
			return 0;
		if (it->len - it->off < HDR_LEN)
			return -EINVAL;
		const char *h = it->base + it->off;
		if (memcmp(h, "070701", 6) && memcmp(h, "070702", 6))
			return -EINVAL;
		uint32_t f[13];
		for (int i = 0; i < 13; i++)
			if (hex8(h + 6 + 8 * i, &f[i]))
				return -EINVAL;
		uint32_t namesize = f[11], filesize = f[6];
		size_t name_off = it->off + HDR_LEN;
		if (namesize == 0 || namesize > it->len - name_off)
			return -EINVAL;
		const char *name = it->base + name_off;
		if (name[namesize - 1] != 0)
			return -EINVAL;
		size_t data_off = pad4(name_off + namesize);
		if (data_off > it->len || filesize > it->len - data_off)
			return -EINVAL;
		it->off = pad4(data_off + filesize);
		if (!strcmp(name, "TRAILER!!!"))
			return 0;
		/* "./" and "/" in any order: "/./etc" is "etc" too. */
		for (;;) {
			if (name[0] == '/')
				name++;
			else if (name[0] == '.' && name[1] == '/')
				name += 2;
			else
				break;
		}
		if (!strcmp(name, "."))
			name = "";
		e->name = name;
		e->data = it->base + data_off;
		e->size = filesize;
		e->ino = f[0];
		e->mode = f[1];
		e->uid = f[2];
		e->gid = f[3];
		e->nlink = f[4];
		e->mtime = f[5];
		e->devmajor = f[7];
		e->devminor = f[8];
		e->rdevmajor = f[9];
		e->rdevminor = f[10];
		return 1;
	}
}

int uk_cpio_find(const void *archive, size_t len, const char *path,
		 struct uk_cpio_entry *e)
{
	struct uk_cpio_iter it;
	int rc;
	while (*path == '/')
		path++;
	uk_cpio_iter_init(&it, archive, len);
	while ((rc = uk_cpio_next(&it, e)) == 1)
		if (!strcmp(e->name, path))
			return 1;
	return rc;
}
