/* getrandom: a ChaCha20 stream seeded from RDSEED/RDRAND (and the TSC as
 * a last resort), rekeyed from the hardware every 1 MiB. */
#include <errno.h>
#include <string.h>
#include <stdint.h>
#include <uk/plat.h>
#include <uk/plat/cpu.h>
#include <uk/syscall.h>
#include <uk/random.h>
#include <uk/uaccess.h>

#define GRND_NONBLOCK 1
#define GRND_RANDOM 2
#define GRND_INSECURE 4

static uint32_t key[8];
static uint64_t counter, since_rekey;
static int seeded;

#define ROTL(a, b) (((a) << (b)) | ((a) >> (32 - (b))))
#define QR(a, b, c, d) (a += b, d ^= a, d = ROTL(d, 16), c += d, b ^= c, \
	b = ROTL(b, 12), a += b, d ^= a, d = ROTL(d, 8), c += d, b ^= c,  \
	b = ROTL(b, 7))

void uk_chacha20_block(const uint32_t k[8], uint64_t ctr, uint32_t out[16])
{
	uint32_t in[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 };
	memcpy(&in[4], k, 32);
	in[12] = (uint32_t)ctr;
	in[13] = (uint32_t)(ctr >> 32);
	in[14] = in[15] = 0;
	uint32_t x[16];
	memcpy(x, in, sizeof(x));
	for (int i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++)
		out[i] = x[i] + in[i];
}

static void chacha_block(uint32_t out[16])
{
	uk_chacha20_block(key, counter++, out);
}

static void reseed(void)
{
	for (int i = 0; i < 4; i++) {
		uint64_t v;
		if (!ukplat_hw_random(&v))
			v = rdtsc() * 0x9e3779b97f4a7c15ULL ^ ((uint64_t)i << 56);
		key[2 * i] ^= (uint32_t)v;
		key[2 * i + 1] ^= (uint32_t)(v >> 32);
	}
	/* Forward secrecy: the next key comes out of the stream itself. */
	uint32_t blk[16];
	chacha_block(blk);
	memcpy(key, blk, sizeof(key));
	since_rekey = 0;
	seeded = 1;
}

size_t uk_random_fill(void *buf, size_t len)
{
	uint8_t *p = buf;
	size_t done = 0;
	if (!seeded || since_rekey > (1 << 20))
		reseed();
	while (done < len) {
		uint32_t blk[16];
		chacha_block(blk);
		size_t n = len - done < sizeof(blk) ? len - done : sizeof(blk);
		size_t got = uk_copy_out_part(p + done, blk, n);
		done += got;
		since_rekey += got;
		if (got < n)
			break;
	}
	return done;
}

UK_SYSCALL_R_DEFINE(long, getrandom, void *, buf, size_t, len,
		    unsigned int, flags)
{
	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if (len > 33554431)
		len = 33554431;	/* Linux's per-call cap */
	if (!uk_user_range_ok(buf, len))
		return -EFAULT;
	size_t n = uk_random_fill(buf, len);
	return n || !len ? (long)n : -EFAULT;
}
