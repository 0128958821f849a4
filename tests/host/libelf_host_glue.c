/* Host stand-in for what lib/libelf/glue.c gives the guest's libelf subset:
 * elf_compress.c is not built, so compressed sections are refused.
 */
#include <config.h>
#include "libelfP.h"

void *__libelf_decompress_elf(Elf_Scn *scn, size_t *size_out,
			      size_t *addralign)
{
	(void)scn;
	(void)size_out;
	(void)addralign;
	__libelf_seterrno(ELF_E_UNKNOWN_COMPRESSION_TYPE);
	return NULL;
}
