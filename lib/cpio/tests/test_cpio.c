/* cpio: a hand-made newc archive, and malformed ones. */
#include <errno.h>
#include <string.h>
#include <uk/cpio.h>
#include <uk/test.h>

/* Header fields in order: ino mode uid gid nlink mtime filesize devmajor
 * devminor rdevmajor rdevminor namesize check. */
static const char archive[] =
	"070701" "00000001" "000081a4" "00000000" "00000000" "00000001"
	"00000000" "00000003" "00000000" "00000000" "00000000" "00000000"
	"00000006" "00000000" "./abc\0" "xyz\0"
	"070701" "00000000" "00000000" "00000000" "00000000" "00000001"
	"00000000" "00000000" "00000000" "00000000" "00000000" "00000000"
	"0000000b" "00000000" "TRAILER!!!\0" "\0\0\0";

UK_TESTCASE(cpio, find)
{
	struct uk_cpio_entry e;
	UK_TEST_EQ(uk_cpio_find(archive, sizeof(archive) - 1, "/abc", &e), 1);
	UK_TEST_EQ(e.size, 3);
	UK_TEST_EXPECT(!memcmp(e.data, "xyz", 3));
	UK_TEST_EQ(e.mode, 0100644);
	UK_TEST_EQ(uk_cpio_find(archive, sizeof(archive) - 1, "nope", &e), 0);
}

/* "/" and "./" go in any order (found by make fuzz): "/./etc" was
 * "./etc", which ramfs took for a directory named ".". */
static const char dotted[] =
	"070701" "00000001" "000081a4" "00000000" "00000000" "00000001"
	"00000000" "00000003" "00000000" "00000000" "00000000" "00000000"
	"0000000a" "00000000" "/././/etc\0" "xyz\0"
	"070701" "00000000" "00000000" "00000000" "00000000" "00000001"
	"00000000" "00000000" "00000000" "00000000" "00000000" "00000000"
	"0000000b" "00000000" "TRAILER!!!\0" "\0\0\0";

UK_TESTCASE(cpio, leading_dots)
{
	struct uk_cpio_entry e;
	struct uk_cpio_iter it;
	uk_cpio_iter_init(&it, dotted, sizeof(dotted) - 1);
	UK_TEST_EQ(uk_cpio_next(&it, &e), 1);
	UK_TEST_EXPECT(!strcmp(e.name, "etc"));
	UK_TEST_EXPECT(!memcmp(e.data, "xyz", 3));
	UK_TEST_EQ(uk_cpio_next(&it, &e), 0);
	UK_TEST_EQ(uk_cpio_find(dotted, sizeof(dotted) - 1, "/etc", &e), 1);
}

UK_TESTCASE(cpio, malformed)
{
	char bad[sizeof(archive)];
	struct uk_cpio_entry e;
	memcpy(bad, archive, sizeof(archive));
	bad[0] = 'X';	/* magic */
	UK_TEST_EQ(uk_cpio_find(bad, sizeof(bad) - 1, "abc", &e), -EINVAL);
	memcpy(bad, archive, sizeof(archive));
	bad[6 + 8 * 11] = 'g';	/* namesize not hex */
	UK_TEST_EQ(uk_cpio_find(bad, sizeof(bad) - 1, "abc", &e), -EINVAL);
	/* Cut inside the body. */
	UK_TEST_EQ(uk_cpio_find(archive, 115, "abc", &e), -EINVAL);
}
