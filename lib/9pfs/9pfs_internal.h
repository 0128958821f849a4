/* Internal interfaces of lib/9pfs. */
#pragma once
#include "9p.h"

/* The transport of the virtio-9p device with this mount tag (the device
 * is set up on first use); NULL when there is none. */
struct p9_trans *p9_virtio_open(const char *tag);
