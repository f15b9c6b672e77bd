#!/bin/sh
# Builds the example guest with Debian's cross compiler (package gcc-arm-linux-gnueabihf).
set -e
cd "$(dirname "$0")"
arm-linux-gnueabihf-gcc -marm -march=armv7-a -mfpu=vfpv3-d16 -mfloat-abi=hard -O1 -g -ffreestanding -nostdlib -static \
  -fno-pic -fno-stack-protector -Wl,--build-id=none -N -Wl,-Ttext=0x40000000 -Wl,--no-warn-rwx-segments -e _start \
  hello.c -o hello.elf
