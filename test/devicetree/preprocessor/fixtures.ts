// Preprocessor fixtures: small file sets that exercise one feature each. Every one is run through
// GCC's cpp with the kernel's flags and through xenarm's preprocessor; outputs must be identical.

export interface Fixture {
  name: string;
  /** Files relative to a scratch directory; `main` is the one preprocessed. */
  files: Record<string, string>;
  main: string;
  includeDirs?: string[];
  defines?: Record<string, string>;
}

export const fixtures: Fixture[] = [
  {
    name: 'dts basics: comments, #address-cells passes through, strings keep // and /*',
    main: 'a.dts',
    files: {
      'a.dts': `/dts-v1/;
/* block
   comment */ / {
\t#address-cells = <1>;   // trailing
\t#size-cells = <0>;
\ts = "a // b /* c */";
\tc = 'x';
\tnode@0 { reg = <0>; };
};
`,
    },
  },
  {
    name: 'object-like and function-like macros, nesting, self-reference stays',
    main: 'a.dts',
    files: {
      'a.dts': `#define ONE 1
#define TWO (ONE + ONE)
#define ADD(a, b) ((a) + (b))
#define SELF SELF x
#define f(x) x f
#define g f
/ {
\tp = <TWO ADD(TWO, 3) ADD( ONE , ADD(1,2) )>;
\tq = <SELF>;
\tr = <g(1)(2)(3)>;
\tempty = <ADD(,)>;
};
`,
    },
  },
  {
    name: 'stringize and token pasting, invalid pastes in assembler mode, placemarkers',
    main: 'a.dts',
    files: {
      'a.dts': `#define STR(x) #x
#define XSTR(x) STR(x)
#define CAT(a, b) a ## b
#define PIN(p) pin- ## p { x; }
#define V 42
/ {
\ts1 = STR(hello   world "q\\n" 'c');
\ts2 = XSTR(V);
\tCAT(na, me) = <CAT(0x, 10) CAT(, 7) CAT(8,)>;
\tPIN(gpa0-0);
\tCAT(-, >) = <1>;
};
`,
    },
  },
  {
    name: 'variadic macros, named variadic, GNU comma elision, __VA_OPT__',
    main: 'a.dts',
    files: {
      'a.dts': `#define LIST(...) <__VA_ARGS__>
#define NAMED(first, rest...) first: rest
#define E(fmt, ...) fmt , ## __VA_ARGS__
#define F(a,...) <a __VA_OPT__(, x) __VA_ARGS__>
#define G(...) __VA_OPT__(y ## __VA_ARGS__ z)
/ {
\ta = LIST(1, 2, 3);
\tb = LIST();
\tNAMED(lbl, c) = <1>;
\td = <E(1)>, <E(1, 2, 3)>;
\te = <F(1) F(1,2) G() G(3) G( )>;
};
`,
    },
  },
  {
    name: '#if arithmetic: precedence, unsigned, shifts, ?:, characters, defined forms',
    main: 'a.dts',
    files: {
      'a.dts': `#define A 3
#define B
#if 1 + 2 * 3 == 7 && (1 << 4) == 16 && -1 < 0 && -1 > 0u && 10 / 3 == 3 && -7 % 3 == -1
ok1;
#endif
#if defined A && defined(B) && !defined C && (A ? 1 : 0) && 'a' == 97 && '\\377' < 0
ok2;
#endif
#if 0x7fffffffffffffff + 0 > 0 && 0xffffffffffffffff == -1 && (1 ? -1 : 0u) > 0 && ~0u == 18446744073709551615u
ok3;
#elif 1
bad3;
#endif
#if (2 || 1 / 0) && !(0 && 1 / 0) && (-16 >> 2) == -4 && (1 << 63) < 0 && 0b101 == 5 && 010 == 8
ok4;
#else
bad4;
#endif
#if UNDEFINED_NAME == 0 && 5 - 2 - 1 == 2 && (1, 2) == 2
ok5;
#endif
`,
    },
  },
  {
    name: 'nested conditionals, skipped groups with unbalanced quotes and bad directives',
    main: 'a.dts',
    files: {
      'a.dts': `#ifdef NOPE
#if garbage ((
it's skipped
#bogus directive
#else
also skipped
#endif
#elif 1
#ifndef NOPE
taken;
#else
not;
#endif
#else
no;
#endif
`,
    },
  },
  {
    name: 'includes: quotes relative to the includer, <> through -I, guards, #pragma once, include_next',
    main: 'dts/board.dts',
    includeDirs: ['inc', 'inc2'],
    files: {
      'dts/board.dts': `/dts-v1/;
#include "soc.dtsi"
#include <dt-bindings/irq.h>
#include <dt-bindings/irq.h>
#include "once.h"
#include "once.h"
#include <next.h>
/ { irq = <IRQ_TYPE_LEVEL_HIGH>; n = <NEXT>; };
`,
      'dts/soc.dtsi': `#include <dt-bindings/irq.h>
/ { soc { compatible = "simple-bus"; }; };
`,
      'inc/dt-bindings/irq.h': `/* guard */
#ifndef _IRQ_H
#define _IRQ_H
#define IRQ_TYPE_LEVEL_HIGH 4
#endif
`,
      'dts/once.h': `#pragma once
#define ONCE 1
`,
      'inc/next.h': `#include_next <next.h>
#define NEXT (NEXT2 + 1)
`,
      'inc2/next.h': `#define NEXT2 41
`,
    },
  },
  {
    name: 'line markers: long gaps, multi-line macro calls, line splices, block comments in directives',
    main: 'a.dts',
    files: {
      'a.dts': `#define F(a, b) a b
a;







b;
c = F(1,
      2);
d;
#define LONG 1 + \\
  2
e = <LONG>; lo\\
ng_name;
#define G /* comment
  spanning */ 7
f = <G>;
g;
`,
    },
  },
  {
    name: '#line, __FILE__ and __LINE__ in the main file and includes, __COUNTER__, __INCLUDE_LEVEL__',
    main: 'a.dts',
    files: {
      'a.dts': `f = __FILE__; l = <__LINE__>;
#include "b.h"
#line 100 "renamed.dts"
f2 = __FILE__; l2 = <__LINE__>;
c = <__COUNTER__ __COUNTER__ __INCLUDE_LEVEL__>;
`,
      'b.h': `hf = __FILE__; hl = <__LINE__ __INCLUDE_LEVEL__>;
`,
    },
  },
  {
    name: 'kernel style: dt-bindings constants, GIC_SPI, pinmux macros with arithmetic',
    main: 'a.dts',
    includeDirs: ['include'],
    files: {
      'a.dts': `// SPDX-License-Identifier: GPL-2.0
#include <dt-bindings/interrupt-controller/arm-gic.h>
#define PINMUX(pin, func) (((pin) << 8) | (func))
#define MX6_PAD_X 0x04c 0x360 0x000 0x5 0x0
/ {
\tinterrupts = <GIC_SPI 37 IRQ_TYPE_LEVEL_HIGH>, <GIC_PPI 13 (GIC_CPU_MASK_SIMPLE(4) | IRQ_TYPE_LEVEL_LOW)>;
\tpinmux = <PINMUX(3, 2)>;
\tfsl,pins = <MX6_PAD_X 0x1b0b0>;
};
`,
      'include/dt-bindings/interrupt-controller/arm-gic.h': `#ifndef _DT_BINDINGS_INTERRUPT_CONTROLLER_ARM_GIC_H
#define _DT_BINDINGS_INTERRUPT_CONTROLLER_ARM_GIC_H
#include <dt-bindings/interrupt-controller/irq.h>
#define GIC_SPI 0
#define GIC_PPI 1
#define GIC_CPU_MASK_RAW(x) ((x) << 8)
#define GIC_CPU_MASK_SIMPLE(num) GIC_CPU_MASK_RAW((1 << (num)) - 1)
#endif
`,
      'include/dt-bindings/interrupt-controller/irq.h': `#ifndef _DT_BINDINGS_INTERRUPT_CONTROLLER_IRQ_H
#define _DT_BINDINGS_INTERRUPT_CONTROLLER_IRQ_H
#define IRQ_TYPE_NONE 0
#define IRQ_TYPE_LEVEL_HIGH 4
#define IRQ_TYPE_LEVEL_LOW 8
#endif
`,
    },
  },
  {
    name: 'assembler mode: unterminated quotes, unknown directives, # lines, $ and @ and backslash',
    main: 'a.dts',
    files: {
      'a.dts': `text with it's apostrophe // and more
#address-cells = <1>;
# 5 "other.dts"
#foo bar
  # indented hash
x@1 \\ y $z;
#define H(x) # x #y
H(a)
`,
    },
  },
  {
    name: '__has_include with quotes, brackets and a macro; #include of a macro-expanded name',
    main: 'a.dts',
    includeDirs: ['inc'],
    files: {
      'a.dts': `#define HDR <b.h>
#if __has_include("here.h") && __has_include(<b.h>) && !__has_include(<nope.h>) && __has_include(HDR)
yes;
#endif
#include HDR
#define QUOTED "here.h"
#include QUOTED
`,
      'here.h': `here;
`,
      'inc/b.h': `b;
`,
    },
  },
  {
    name: '-D definitions and redefinition of the same value',
    main: 'a.dts',
    defines: { BOARD: 'rev2', FLAG: '1', EMPTY: '' },
    files: {
      'a.dts': `#define X 1
#define X 1
b = BOARD; f = <FLAG>; e = <EMPTY 1>;
#if FLAG && defined(EMPTY) && __DTS__ == 1 && __ASSEMBLER__ && !defined(__STDC_VERSION__)
yes;
#endif
`,
    },
  },
];

/** Error cases: each message GCC prints must come out with the same line, column and words. */
export const errorFixture = {
  main: 'err.dts',
  source: `#define F(a,b) a
#error hi there
#warning  careful
F(1)
F(1,2,3)
#if 1/0
#endif
#if (1
#endif
#if
#endif
#else
#endif
#define OK
#if 1 +
#endif
#if 2 3
#endif
#ifdef
#endif
#define
#define 3
#undef 4
#if 1
#else
#else
#endif
#elif 1
#if 09
#endif
#if 1.0
#endif
#if 12abc
#endif
#if "s"
#endif
#if ()
#endif
#define G(x,x) x
#define H(x
#define I(x ## y
#define J(x) ## x
#if 1 ? 2
#endif
#if 0x1 : 2
#endif
#include
#include "missing.h"
`,
};
