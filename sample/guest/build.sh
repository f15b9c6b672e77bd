#!/bin/sh
# Builds the example guests with Debian's cross compiler (package gcc-arm-linux-gnueabihf):
#   hello.elf  a bare-metal guest with semihosting (xenarm run --machine virt --semihosting)
#   dom0.elf   a Xen dom0 guest: PV console, device tree, event channels (xenarm run, npm run demo)
set -e
cd "$(dirname "$0")"
arm-linux-gnueabihf-gcc -marm -march=armv7-a -mfpu=vfpv3-d16 -mfloat-abi=hard -O1 -g -ffreestanding -nostdlib -static \
  -fno-pic -fno-stack-protector -Wl,--build-id=none -N -Wl,-Ttext=0x40000000 -Wl,--no-warn-rwx-segments -e _start \
  hello.c -o hello.elf
arm-linux-gnueabihf-gcc -marm -march=armv7ve -mfloat-abi=soft -O1 -g -ffreestanding -nostdlib -static -fno-builtin \
  -fno-pic -fno-stack-protector -mno-unaligned-access -Wall -Wl,--build-id=none -N -Wl,--no-warn-rwx-segments \
  -fdebug-prefix-map="$(pwd)"=. -T dom0.ld dom0-start.S dom0.c -o dom0.elf
