/* The virtio-9p device: one request queue, each request a chain of the
 * T message (read by the device; Twrite's data in more pieces after it)
 * and room for the R message (written by it; Rread's data in pieces
 * after its header). Devices are told apart by their mount tag. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/plat.h>
#include <uk/virtio.h>
#include "9p.h"
#include "9pfs_internal.h"

#define VIRTIO_9P_F_MOUNT_TAG	(1ULL << 0)
#define QUEUE_SIZE		128
/* A reply slower than this means the host is gone (a 1 MiB write to a
 * slow disk takes milliseconds). */
#define TIMEOUT_NS		(60ULL * 1000000000ULL)

struct virtio_9p {
	struct p9_trans trans;
	struct uk_virtio_dev *dev;
	struct uk_virtq *vq;
	char tag[64];
	char name[80];
	int token;
};

static int v9p_rpc(struct p9_trans *t, void *tx, uint32_t tlen,
		   const struct p9_sg *txsg, unsigned ntx, void *rx, uint32_t rcap,
		   const struct p9_sg *rxsg, unsigned nrx)
{
	struct virtio_9p *v = (struct virtio_9p *)t;
	struct uk_virtq_sg sg[QUEUE_SIZE];
	unsigned n = 0;
	if (ntx + nrx > t->max_sg)
		return -EINVAL;
	sg[n].paddr = KPA(tx);
	sg[n++].len = tlen;
	for (unsigned i = 0; i < ntx; i++) {
		sg[n].paddr = txsg[i].paddr;
		sg[n++].len = txsg[i].len;
	}
	sg[n].paddr = KPA(rx);
	sg[n++].len = rcap;
	for (unsigned i = 0; i < nrx; i++) {
		sg[n].paddr = rxsg[i].paddr;
		sg[n++].len = rxsg[i].len;
	}
	int rc = uk_virtq_add(v->vq, sg, 1 + ntx, 1 + nrx, &v->token);
	if (rc)
		return rc;
	uk_virtq_kick(v->vq);
	rc = uk_virtq_wait(v->vq, &v->token, NULL, TIMEOUT_NS);
	if (rc == -ETIMEDOUT)
		printf("9p (%s): no reply within %llu s\n", v->name,
		       (unsigned long long)(TIMEOUT_NS / 1000000000ULL));
	return rc;
}

/* Sets the device up; NULL (with a message) when it cannot be used. */
static struct virtio_9p *start(struct uk_virtio_dev *d)
{
	struct virtio_9p *v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	if (uk_virtio_negotiate(d, VIRTIO_9P_F_MOUNT_TAG))
		goto fail;
	if (d->features & VIRTIO_9P_F_MOUNT_TAG) {
		uint16_t len;
		uk_virtio_config_read(d, 0, &len, 2);
		if (len >= sizeof(v->tag))
			len = sizeof(v->tag) - 1;
		uk_virtio_config_read(d, 2, v->tag, len);
		v->tag[len] = 0;
	}
	v->vq = uk_virtq_new(d, 0, QUEUE_SIZE);
	if (!v->vq) {
		uk_virtio_failed(d);
		goto fail;
	}
	uk_virtio_driver_ok(d);
	v->dev = d;
	v->trans.rpc = v9p_rpc;
	v->trans.max_sg = v->vq->size - 2;
	snprintf(v->name, sizeof(v->name), "%s, %s", v->tag, d->where);
	v->trans.name = v->name;
	d->driver = v;
	return v;
fail:
	free(v);
	return NULL;
}

struct p9_trans *p9_virtio_open(const char *tag)
{
	for (struct uk_virtio_dev *d = uk_virtio_find(UK_VIRTIO_ID_9P, NULL); d;
	     d = uk_virtio_find(UK_VIRTIO_ID_9P, d)) {
		struct virtio_9p *v = d->driver;
		if (!v)
			v = start(d);
		if (v && !strcmp(v->tag, tag))
			return &v->trans;
	}
	return NULL;
}
