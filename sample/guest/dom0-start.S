@ Start-up of the example dom0: vectors, stacks, bss cleared, then main(r0, r1, r2) with the boot
@ registers Xen set (r0 = 0, r1 = 0xffffffff, r2 = the device tree). IRQs go to irq_entry in C.
	.file "dom0-start.S"          @ a stable file symbol, so rebuilds are byte-identical
	.syntax unified
	.arm
	.arch_extension virt
	.section .vectors, "ax"
vectors:
	b _start
	b .                 @ undefined instruction
	b .                 @ SVC
	b .                 @ prefetch abort
	b .                 @ data abort
	b .
	b irq_vector
	b .                 @ FIQ

	.text
	.global _start
_start:
	ldr r4, =vectors
	mcr p15, 0, r4, c12, c0, 0      @ VBAR
	cps #0x12                       @ IRQ mode stack
	ldr sp, =__irq_stack_top
	cps #0x13                       @ back to SVC
	ldr sp, =__stack_top
	ldr r4, =__bss_start
	ldr r5, =__bss_end
	mov r6, #0
1:	cmp r4, r5
	strlo r6, [r4], #4
	blo 1b
	bl main
2:	wfi
	b 2b

irq_vector:
	sub lr, lr, #4
	push {r0-r3, r12, lr}
	bl irq_entry
	pop {r0-r3, r12, lr}
	movs pc, lr

@ long xen_hypercall(nr, a0, a1, a2): HVC #0xEA1 with the hypercall number in r12.
	.global xen_hypercall
xen_hypercall:
	mov r12, r0
	mov r0, r1
	mov r1, r2
	mov r2, r3
	hvc #0xea1
	bx lr
	.section .note.GNU-stack, "", %progbits
