/* The tiny runtime of the bare-metal test guests: semihosting output and exit, hex printing. */
#ifndef RT_H
#define RT_H
typedef unsigned int u32;
typedef int s32;
typedef unsigned long long u64;
typedef unsigned short u16;
typedef unsigned char u8;

int semi_call(int op, const void *arg);
void semi_exit(int status) __attribute__((noreturn));
void puts_(const char *s);
void put_hex(u32 v);
void put_dec(u32 v);
/* Prints "name=XXXXXXXX\n". */
void show(const char *name, u32 v);
void show64(const char *name, u64 v);
/* Called for every exception with kind 1 und, 2 svc, 3 pabt, 4 dabt, 6 irq, 7 fiq; frame = r0-r12, lr
   (lr already adjusted to the faulting/return instruction). Guests override it (weak default). */
void exc_dispatch(int kind, u32 *frame);

#define read_cp15(opc1, crn, crm, opc2) ({ u32 v_; __asm__ volatile("mrc p15, " #opc1 ", %0, " #crn ", " #crm ", " #opc2 : "=r"(v_)); v_; })
#define write_cp15(opc1, crn, crm, opc2, v) __asm__ volatile("mcr p15, " #opc1 ", %0, " #crn ", " #crm ", " #opc2 :: "r"((u32)(v)) : "memory")
#define mmio32(a) (*(volatile u32 *)(a))
#define mmio8(a) (*(volatile u8 *)(a))
/* Ends a top-level __asm__ block that switched instruction set: back to the one this file is built for. */
#ifdef __thumb__
#define ASM_POP_SECTION "\t.thumb\n\t.popsection\n"
#else
#define ASM_POP_SECTION "\t.arm\n\t.popsection\n"
#endif
static inline u32 get_cpsr(void) { u32 v; __asm__ volatile("mrs %0, cpsr" : "=r"(v)); return v; }
#endif
