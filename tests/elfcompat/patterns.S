/* Code patterns elfcompat must resolve (never run: only disassembled by
 * tests/elfcompat/test-elfcompat.sh). Each comment gives the number(s) the
 * syscall site next to it must yield; test-elfcompat.sh checks the report
 * names exactly these numbers and exactly one unresolved site. */
	.intel_syntax noprefix
	.text
	.globl _start
_start:
	mov	eax, 39			/* 39: immediate */
	syscall
	xor	eax, eax		/* 0: xor zeroing */
	syscall
	mov	dword ptr [rsp - 8], 102	/* 102: through a stack slot */
	mov	eax, dword ptr [rsp - 8]
	syscall
	mov	eax, 104		/* 104, 107: cmov */
	mov	ecx, 107
	test	edi, edi
	cmovne	eax, ecx
	syscall
	mov	eax, 110		/* 110, 111: two paths */
	test	edi, edi
	je	1f
	mov	eax, 111
1:	syscall
	mov	ecx, 200		/* 201: lea */
	lea	eax, [rcx + 1]
	syscall
	push	35			/* 35: push / pop */
	pop	rax
	syscall
	sub	rsp, 16			/* 60: slot above a moved stack pointer */
	mov	qword ptr [rsp + 8], 60
	push	rbx
	mov	rax, qword ptr [rsp + 16]
	pop	rbx
	add	rsp, 16
	syscall
	mov	edi, 186		/* 186, 96: the number as an argument */
	call	mysys
	mov	edi, 96
	call	mysys
	mov	edi, 97			/* 97: an argument passed on twice */
	call	outer
	mov	edi, 63			/* 63: a tail call */
	jmp	mysys

	.p2align 4
mysys:	mov	rax, rdi
	syscall
	ret

	.p2align 4
outer:	push	rbx
	mov	ebx, edi
	call	nothing
	mov	edi, ebx
	call	mysys
	pop	rbx
	ret

	.p2align 4
nothing:
	ret

	.p2align 4
	.globl	unknown
unknown:
	mov	eax, dword ptr [rip + counter]	/* unresolved: loaded from memory */
	syscall
	ret

	.bss
counter:
	.long	0
	.section .note.GNU-stack, "", @progbits
