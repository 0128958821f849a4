/* floor.S: the floor guest: a PVH ELF32 that writes one line to COM1 and exits QEMU via isa-debug-exit. */
#define XEN_ELFNOTE_PHYS32_ENTRY 18

	.section .note.Xen, "a"
	.balign 4
	.long 4				/* n_namesz: "Xen\0" */
	.long 4				/* n_descsz */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.long _start			/* 32-bit protected-mode entry, paging off */

	.text
	.code32
	.globl _start
_start:
	cli
	mov	$msg, %esi
	mov	$0x3f8, %dx		/* COM1 data register */
1:	lodsb
	test	%al, %al
	jz	2f
	outb	%al, %dx
	jmp	1b
2:	mov	$0xf4, %dx		/* isa-debug-exit: QEMU exits with (0<<1)|1 */
	xor	%eax, %eax
	outl	%eax, %dx
3:	hlt
	jmp	3b

	.section .rodata
msg:	.asciz "floor: hello from the floor guest\n"
