@ Start-up code shared by every test guest: vectors, per-mode stacks, VFP on, bss cleared, main(),
@ then semihosting exit with main's return value. Exceptions go to the C function exc_dispatch
@ (kind, saved frame), which a guest may override; the default prints the exception and exits 1.
	.syntax unified
	.arm
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

	.section .text.start, "ax"
	.global _start
	.type _start, %function
_start:
	mrs r0, cpsr                        @ QEMU with virtualization=on starts in Hyp: drop to SVC
	and r1, r0, #0x1f
	cmp r1, #0x1a
	bne 2f
	bic r0, r0, #0x1f
	orr r0, r0, #0x13
	msr spsr_cxsf, r0                    @ SPSR_hyp (the current mode's)
	adr r1, 2f
	msr elr_hyp, r1
	eret
2:	ldr r0, =_vectors
	mcr p15, 0, r0, c12, c0, 0          @ VBAR
	ldr r0, =__stack_top
	cps #0x11                           @ FIQ
	mov sp, r0
	sub r0, r0, #0x1000
	cps #0x12                           @ IRQ
	mov sp, r0
	sub r0, r0, #0x1000
	cps #0x17                           @ ABT
	mov sp, r0
	sub r0, r0, #0x1000
	cps #0x1b                           @ UND
	mov sp, r0
	sub r0, r0, #0x1000
	cps #0x1f                           @ SYS (and USR)
	mov sp, r0
	sub r0, r0, #0x1000
	cps #0x13                           @ SVC
	mov sp, r0
	mrc p15, 0, r0, c1, c0, 2           @ CPACR: full access to cp10/cp11
	orr r0, r0, #(0xf << 20)
	mcr p15, 0, r0, c1, c0, 2
	isb
	mov r0, #0x40000000                 @ FPEXC.EN
	vmsr fpexc, r0
	ldr r0, =__bss_start
	ldr r1, =__bss_end
	mov r2, #0
1:	cmp r0, r1
	strlo r2, [r0], #4
	blo 1b
	bl main
	b semi_exit

@ Each vector saves r0-r12, lr on its mode's stack and calls exc_dispatch(kind, frame);
@ the handler's return value (0 = return to the faulting instruction + adjust) is the new lr offset.
	.macro VEC name, kind, adjust
\name:
	sub lr, lr, #\adjust
	push {r0-r12, lr}
	mov r0, #\kind
	mov r1, sp
	bl exc_dispatch
	pop {r0-r12, lr}
	movs pc, lr
	.endm
	VEC vec_und, 1, 4
	VEC vec_svc, 2, 0
	VEC vec_pabt, 3, 4
	VEC vec_dabt, 4, 8
	VEC vec_irq, 6, 4
	VEC vec_fiq, 7, 4

@ int semi_call(int op, void *arg): the ARM semihosting trap.
	.global semi_call
	.type semi_call, %function
semi_call:
	svc 0x123456
	bx lr

	.global semi_exit
	.type semi_exit, %function
semi_exit:
	ldr r1, =exit_block
	str r0, [r1, #4]
	mov r0, #0x20                       @ SYS_EXIT_EXTENDED
	svc 0x123456
	b .
	.ltorg
	.data
exit_block:
	.word 0x20026, 0                    @ ADP_Stopped_ApplicationExit, status
