/* The runtime of the Xen test guests: hypercalls, PV console output, checks, GIC helpers. Structure
   layouts follow Xen 4.17's public headers for ARM (64-bit xen_ulong_t and handles). */
#ifndef XRT_H
#define XRT_H
typedef unsigned int u32;
typedef int s32;
typedef unsigned long long u64;
typedef unsigned short u16;
typedef unsigned char u8;
typedef short s16;

long hypercall(long nr, long a0, long a1, long a2, long a3, long a4);
long smccc(u32 fid, u32 a1, u32 a2, u32 a3);
void hvc_imm1(void);
void secondary_entry(void);

#define HC(nr, a, b, c) hypercall(nr, (long)(a), (long)(b), (long)(c), 0, 0)
enum { HYP_platform_op = 7, HYP_memory_op = 12, HYP_multicall = 13, HYP_xen_version = 17, HYP_console_io = 18,
       HYP_grant_table_op = 20, HYP_vm_assist = 21, HYP_vcpu_op = 24, HYP_sched_op = 29, HYP_event_channel_op = 32,
       HYP_physdev_op = 33, HYP_hvm_op = 34 };
enum { EPERM = 1, ENOENT = 2, ESRCH = 3, EFAULT = 14, EEXIST = 17, EINVAL = 22, ENOSPC = 28, ENOSYS = 38, EACCES = 13, ENOBUFS = 105 };

void print(const char *s);
void print_n(const char *s, u32 n);
void print_hex(u32 v);
void print_dec(long v);
void show(const char *name, long v);  /* "name = <dec>\n" */
/* check("what", got, expected): prints "ok what" or "FAIL what: got X expected Y" and counts failures. */
void check(const char *what, long got, long expected);
extern int failures;
/* Ends the run: prints the summary, then SCHEDOP_shutdown(poweroff) if no check failed, else crash. */
void guest_exit(int status) __attribute__((noreturn));
void shutdown(u32 reason) __attribute__((noreturn));

void exc_dispatch(int kind, u32 *frame);
/* Set by a guest to handle IRQs (the GIC interrupt id is passed; EOI is done by the runtime). */
extern void (*irq_handler)(u32 irq);
extern volatile u32 exc_count[8];

#define GICD 0x03001000u
#define GICC 0x03002000u
#define mmio32(a) (*(volatile u32 *)(a))
void gic_init_cpu(void);           /* enables the distributor (once) and this CPU's interface, PMR 0xf0 */
void gic_enable(u32 irq);
static inline void irq_on(void) { __asm__ volatile("cpsie i" ::: "memory"); }
static inline void irq_off(void) { __asm__ volatile("cpsid i" ::: "memory"); }
static inline void wfi(void) { __asm__ volatile("wfi" ::: "memory"); }
static inline u32 mpidr(void) { u32 v; __asm__ volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(v)); return v; }

u32 strlen_(const char *s);
void memset_(void *p, int c, u32 n);
int memcmp_(const void *a, const void *b, u32 n);
#endif
