/* ACPI, read once at boot for the CPUs: the RSDP (from the PVH start
 * info, else found in the BIOS area as the specification says), the
 * RSDT or XSDT, and the MADT's enabled local APICs. Tables are read
 * through the direct map and checked by their checksums. */
#include <stdint.h>
#include <string.h>
#include <uk/plat.h>
#include "x86.h"

#define MADT_LAPIC 0
#define MADT_X2APIC 9
#define MADT_ENABLED 1	/* flags: usable now (not only online-capable) */

struct rsdp {
	char sig[8];
	uint8_t checksum;
	char oem[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;	/* revision 2 and later */
	uint64_t xsdt;
	uint8_t xchecksum;
	uint8_t reserved[3];
} __attribute__((packed));

struct sdt {
	char sig[4];
	uint32_t length;
	uint8_t revision, checksum;
	char oem[6], oem_table[8];
	uint32_t oem_rev, creator, creator_rev;
} __attribute__((packed));

struct madt {
	struct sdt h;
	uint32_t lapic_addr, flags;
	uint8_t entries[];
} __attribute__((packed));

/* The direct map covers the first GiB from boot on, and whole GiBs up
 * to the top of RAM after paging's init: QEMU's tables sit in them. */
static const void *phys(uint64_t pa, uint64_t len)
{
	const uint64_t gib = 1ULL << 30;
	uint64_t top = (x86_ram_top() + gib - 1) & ~(gib - 1);
	if (top < gib)
		top = gib;
	if (pa + len < pa || pa + len > top)
		return NULL;
	return KVA(pa);
}

static int sum_ok(const void *p, size_t len)
{
	uint8_t s = 0;
	for (size_t i = 0; i < len; i++)
		s += ((const uint8_t *)p)[i];
	return s == 0;
}

static const struct rsdp *rsdp_at(uint64_t pa)
{
	const struct rsdp *r = phys(pa, sizeof(*r));
	if (!r || memcmp(r->sig, "RSD PTR ", 8) || !sum_ok(r, 20))
		return NULL;
	return r;
}

/* The first KiB of the EBDA, then 0xE0000-0xFFFFF, on 16-byte bounds. */
static const struct rsdp *rsdp_scan(void)
{
	const struct rsdp *r;
	uint64_t ebda = (uint64_t)*(const uint16_t *)KVA(0x40e) << 4;
	if (ebda >= 0x80000 && ebda < 0xa0000)
		for (uint64_t pa = ebda; pa < ebda + 1024; pa += 16)
			if ((r = rsdp_at(pa)))
				return r;
	for (uint64_t pa = 0xe0000; pa < 0x100000; pa += 16)
		if ((r = rsdp_at(pa)))
			return r;
	return NULL;
}

/* The table at pa if it has signature sig (NULL: any) and adds up. */
static const struct sdt *table_at(uint64_t pa, const char *sig)
{
	const struct sdt *t = phys(pa, sizeof(*t));
	if (!t || (sig && memcmp(t->sig, sig, 4)) || t->length < sizeof(*t) ||
	    !phys(pa, t->length) || !sum_ok(t, t->length))
		return NULL;
	return t;
}

static const struct madt *find_madt(void)
{
	const struct rsdp *r = x86_rsdp_paddr ? rsdp_at(x86_rsdp_paddr) : NULL;
	if (!r)
		r = rsdp_scan();
	if (!r)
		return NULL;
	/* The XSDT (64-bit entries) where there is one, else the RSDT. The
	 * extended checksum covers the 36 bytes of ACPI 2.0's RSDP. */
	int wide = r->revision >= 2 && r->xsdt && sum_ok(r, sizeof(*r));
	const struct sdt *root = table_at(wide ? r->xsdt : r->rsdt, NULL);
	if (!root)
		return NULL;
	size_t esize = wide ? 8 : 4;
	size_t n = (root->length - sizeof(*root)) / esize;
	const uint8_t *e = (const uint8_t *)(root + 1);
	for (size_t i = 0; i < n; i++) {
		uint64_t pa = 0;
		memcpy(&pa, e + i * esize, esize);
		const struct sdt *t = table_at(pa, "APIC");
		if (t && t->length >= sizeof(struct madt))
			return (const struct madt *)t;
	}
	return NULL;
}

int x86_acpi_cpus(uint32_t *apic_ids, int max)
{
	const struct madt *m = find_madt();
	if (!m)
		return 0;
	int n = 0;
	const uint8_t *p = m->entries, *end = (const uint8_t *)m + m->h.length;
	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		uint32_t id, flags;
		if (p[0] == MADT_LAPIC && p[1] >= 8) {
			id = p[3];
			memcpy(&flags, p + 4, 4);
		} else if (p[0] == MADT_X2APIC && p[1] >= 16) {
			memcpy(&id, p + 4, 4);
			memcpy(&flags, p + 8, 4);
		} else {
			p += p[1];
			continue;
		}
		p += p[1];
		if (!(flags & MADT_ENABLED))
			continue;
		if (n < max)
			apic_ids[n] = id;
		n++;
	}
	return n;
}
