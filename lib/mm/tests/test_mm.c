/* mm: mmap placement, splitting by munmap and mprotect, demand paging. */
#include <errno.h>
#include <linux/mman.h>
#include <uk/mm.h>
#include <uk/plat/paging.h>
#include <string.h>
#include <uk/uaccess.h>
#include <uk/test.h>

UK_TESTCASE(mm, map_split_unmap)
{
	long a = uk_mm_mmap(0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	UK_TEST_EXPECT(a > 0);
	volatile char *p = (char *)a;
	p[0] = 1;	/* demand-paged */
	p[3 * PAGE_SIZE] = 2;
	UK_TEST_EQ(uk_mm_mprotect(a + PAGE_SIZE, PAGE_SIZE, PROT_READ), 0);
	struct uk_vma *v = uk_mm_find(a + PAGE_SIZE);
	UK_TEST_EXPECT(v && v->start == (unsigned long)a + PAGE_SIZE &&
		       v->end == (unsigned long)a + 2 * PAGE_SIZE && v->prot == PROT_READ);
	UK_TEST_EQ(uk_mm_munmap(a + 2 * PAGE_SIZE, PAGE_SIZE), 0);
	UK_TEST_EXPECT(uk_mm_find(a + 2 * PAGE_SIZE) == NULL);
	UK_TEST_EQ(p[3 * PAGE_SIZE], 2);	/* the rest survives */
	UK_TEST_EQ(uk_mm_munmap(a, 4 * PAGE_SIZE), 0);
	UK_TEST_EXPECT(!ukplat_page_lookup(a, NULL));
}

UK_TESTCASE(mm, errors)
{
	UK_TEST_EQ(uk_mm_mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), -EINVAL);
	UK_TEST_EQ(uk_mm_mmap(0x10001, PAGE_SIZE, PROT_READ,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), -EINVAL);
	UK_TEST_EQ(uk_mm_munmap(0x1001, PAGE_SIZE), -EINVAL);
	UK_TEST_EQ(uk_mm_mprotect(0x200000000UL, PAGE_SIZE, PROT_READ), -ENOMEM);
	long a = uk_mm_mmap(0x300000000UL, PAGE_SIZE, PROT_READ,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	UK_TEST_EQ(a, 0x300000000L);
	UK_TEST_EQ(uk_mm_mmap(0x300000000UL, PAGE_SIZE, PROT_READ,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0), -EEXIST);
	uk_mm_munmap(a, PAGE_SIZE);
}

/* The user-memory helpers: whole copies, faults on unmapped and read-only
 * pages and on ranges that cross into them, kernel addresses refused. */
UK_TESTCASE(mm, uaccess)
{
	long a = uk_mm_mmap(0, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	UK_TEST_EXPECT(a > 0);
	char *p = (char *)a, buf[64];
	UK_TEST_EQ(uk_mm_munmap(a + 2 * PAGE_SIZE, PAGE_SIZE), 0);
	memset(p + 2 * PAGE_SIZE - 4, 'a', 4);	/* no NUL before the hole */
	UK_TEST_EQ(uk_mm_mprotect(a + PAGE_SIZE, PAGE_SIZE, PROT_READ), 0);
	UK_TEST_EQ(uk_copy_to_user(p, "hello", 6), 0);
	UK_TEST_EQ(uk_copy_from_user(buf, p, 6), 0);
	UK_TEST_EQ(buf[4], 'o');
	UK_TEST_EQ(uk_strncpy_from_user(buf, p, sizeof(buf)), 5);
	UK_TEST_EQ(uk_strncpy_from_user(buf, p, 3), -ENAMETOOLONG);
	UK_TEST_EQ(uk_copy_to_user(p + PAGE_SIZE, "x", 1), -EFAULT);	/* read-only */
	UK_TEST_EQ(uk_copy_from_user(buf, p + PAGE_SIZE, 8), 0);	/* readable */
	UK_TEST_EQ(uk_copy_from_user(buf, p + 2 * PAGE_SIZE, 1), -EFAULT);
	UK_TEST_EQ(uk_copy_from_user(buf, p + 2 * PAGE_SIZE - 13, 20), -EFAULT);
	UK_TEST_EQ(uk_clear_user(p + PAGE_SIZE - 5, 10), -EFAULT);
	UK_TEST_EQ(p[PAGE_SIZE - 1], 0);	/* what was writable got cleared */
	UK_TEST_EQ(uk_copy_from_user(buf, (void *)KERNEL_VBASE, 1), -EFAULT);
	UK_TEST_EQ(uk_copy_from_user(buf, (void *)(USER_TOP - 4), 8), -EFAULT);
	UK_TEST_EQ(uk_strncpy_from_user(buf, (char *)-1L, 8), -EFAULT);
	UK_TEST_EQ(uk_strncpy_from_user(buf, p + PAGE_SIZE * 2 - 4, 64), -EFAULT);
	int v = 0;
	UK_TEST_EQ(uk_put_user(42, (int *)p), 0);
	UK_TEST_EQ(uk_get_user(v, (int *)p), 0);
	UK_TEST_EQ(v, 42);
	UK_TEST_EQ(uk_get_user(v, (int *)(p + 2 * PAGE_SIZE)), -EFAULT);

	/* Short counts are exact to the byte, quadwords straddling the
	 * hole or not; kernel buffers are plain copies. */
	char big[64];
	memset(big, 'b', sizeof(big));
	UK_TEST_EQ(uk_copy_in_part(buf, p + 2 * PAGE_SIZE - 13, 20), 13);
	UK_TEST_EQ(buf[12], 'a');
	UK_TEST_EQ(uk_copy_in_part(buf, p + 2 * PAGE_SIZE - 16, 40), 16);
	UK_TEST_EQ(uk_copy_out_part(p + PAGE_SIZE - 3, big, 20), 3);
	UK_TEST_EQ(p[PAGE_SIZE - 3], 'b');
	UK_TEST_EQ(uk_clear_out_part(p + PAGE_SIZE - 11, 30), 11);
	UK_TEST_EQ(p[PAGE_SIZE - 3], 0);
	UK_TEST_EQ(uk_copy_out_part(p, big, 40), 40);
	UK_TEST_EQ(uk_copy_out_part(buf, big, 8), 8);
	UK_TEST_EQ(uk_user_readable(p, 3 * PAGE_SIZE), 2 * PAGE_SIZE);
	UK_TEST_EQ(uk_user_readable(p + 5, PAGE_SIZE), PAGE_SIZE);
	UK_TEST_EQ(uk_user_readable(p + 2 * PAGE_SIZE, 1), 0);
	uk_mm_munmap(a, 2 * PAGE_SIZE);
}
