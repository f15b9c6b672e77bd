@ Start-up of the Xen test guests: vectors, a stack per vCPU (by MPIDR.Aff0), bss cleared on the boot
@ vCPU, then main(r0, r1, r2) with the boot registers; main's return value becomes the shutdown:
@ 0 → SCHEDOP_shutdown(poweroff), otherwise crash. Secondary vCPUs (PSCI CPU_ON) enter at
@ secondary_entry with r0 = context and call secondary_main(context).
	.syntax unified
	.arm
	.arch_extension virt
	.section .vectors, "ax"
	.global _vectors
_vectors:
	b _start
	b vec_und
	b vec_svc
	b vec_pabt
	b vec_dabt
	b .
	b vec_irq
	b vec_fiq
@ A zImage header (as Linux's arch/arm/boot/compressed/head.S lays it out), so the raw binary of a
@ guest (objcopy -O binary) boots as a zImage linked at its load address: magic, start, end.
	b _start
	.word 0x016f2818
	.word _vectors
	.word _edata

	.section .text.start, "ax"
	.global _start
_start:
	mov r4, r0
	mov r5, r1
	mov r6, r2
	bl setup_stacks
	ldr r0, =__bss_start
	ldr r1, =__bss_end
	mov r2, #0
1:	cmp r0, r1
	strlo r2, [r0], #4
	blo 1b
	mov r0, r4
	mov r1, r5
	mov r2, r6
	bl main
	bl guest_exit
	b .

	.global secondary_entry
secondary_entry:
	mov r4, r0
	bl setup_stacks
	mov r0, r4
	bl secondary_main
	b .

@ Stacks for this vCPU: SVC at the top of its 24 KiB slot, IRQ and UND/ABT below.
setup_stacks:
	ldr r0, =_vectors
	mcr p15, 0, r0, c12, c0, 0          @ VBAR
	mrc p15, 0, r1, c0, c0, 5           @ MPIDR
	and r1, r1, #0xf
	ldr r0, =__stacks_base
	mov r2, #0x6000
	mla r0, r1, r2, r0
	add r0, r0, #0x6000
	cps #0x12
	sub sp, r0, #0x4000                 @ IRQ: 4 KiB
	cps #0x1b
	sub sp, r0, #0x5000                 @ UND
	cps #0x17
	sub sp, r0, #0x5800                 @ ABT
	cps #0x13
	mov sp, r0                          @ SVC: 16 KiB
	bx lr

@ Exceptions: save r0-r12 and the adjusted lr, call exc_dispatch(kind, frame), return to frame[13].
	.macro vector name, kind, adjust
\name:
	sub lr, lr, #\adjust
	push {r0-r12, lr}
	mov r0, #\kind
	mov r1, sp
	bl exc_dispatch
	pop {r0-r12, lr}
	movs pc, lr
	.endm
	vector vec_und, 1, 4
	vector vec_svc, 2, 0
	vector vec_pabt, 3, 4
	vector vec_dabt, 4, 8
	vector vec_irq, 6, 4
	vector vec_fiq, 7, 4

@ long hypercall(nr, a0, a1, a2, a3, a4): HVC #0xEA1 with the number in r12.
	.global hypercall
hypercall:
	push {r4, lr}
	mov r12, r0
	mov r0, r1
	mov r1, r2
	mov r2, r3
	ldr r3, [sp, #8]
	ldr r4, [sp, #12]
	hvc #0xea1
	pop {r4, pc}

@ long smccc(fid, a1, a2, a3): HVC #0.
	.global smccc
smccc:
	hvc #0
	bx lr

@ hvc_imm1(): an HVC with an immediate Xen does not know (the guest gets an undefined instruction).
	.global hvc_imm1
hvc_imm1:
	hvc #1
	bx lr
	.section .note.GNU-stack, "", %progbits
