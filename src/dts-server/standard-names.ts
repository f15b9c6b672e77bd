// Property and node names the completion offers: the standard properties of the Devicetree Specification
// (v0.4, chapter 2.3 and the device bindings of chapter 4) and its recommended generic node names (2.2.2).

export const STANDARD_PROPERTIES: { name: string; doc: string; snippet?: string }[] = [
  { name: 'compatible', doc: 'Strings, most specific first, that select the device\'s programming model ("vendor,model").', snippet: 'compatible = "$1";' },
  { name: 'model', doc: 'The manufacturer\'s model of the device ("vendor,model").', snippet: 'model = "$1";' },
  { name: 'phandle', doc: 'A unique numeric identifier for the node, referenced by other nodes (dtc assigns it for &label references).', snippet: 'phandle = <$1>;' },
  { name: 'status', doc: 'Operational status: "okay", "disabled", "reserved", "fail" or "fail-sss".', snippet: 'status = "${1|okay,disabled,reserved,fail|}";' },
  { name: '#address-cells', doc: 'Number of u32 cells encoding an address in the children\'s reg.', snippet: '#address-cells = <${1:1}>;' },
  { name: '#size-cells', doc: 'Number of u32 cells encoding a size in the children\'s reg.', snippet: '#size-cells = <${1:1}>;' },
  { name: 'reg', doc: 'Address and length of the device\'s resources in the parent bus\'s address space (parent\'s #address-cells/#size-cells).', snippet: 'reg = <$1>;' },
  { name: 'virtual-reg', doc: 'An effective address that maps to the first physical address in reg (for boot programs).', snippet: 'virtual-reg = <$1>;' },
  { name: 'ranges', doc: 'Translation between the child bus\'s address space and the parent\'s: (child-address, parent-address, length) triples; empty = identity.', snippet: 'ranges;' },
  { name: 'dma-ranges', doc: 'Translation of DMA addresses from the child bus to the parent bus.', snippet: 'dma-ranges;' },
  { name: 'dma-coherent', doc: 'The device can do coherent DMA.', snippet: 'dma-coherent;' },
  { name: 'name', doc: 'Deprecated: the node name (derived from the node itself).' },
  { name: 'device_type', doc: 'Deprecated except for cpu and memory nodes ("cpu", "memory").', snippet: 'device_type = "${1|cpu,memory|}";' },
  { name: 'interrupts', doc: 'Interrupt specifiers of the device, in the interrupt parent\'s #interrupt-cells format.', snippet: 'interrupts = <$1>;' },
  { name: 'interrupt-parent', doc: 'phandle of the interrupt controller the device\'s interrupts go to (inherited from the parent if absent).', snippet: 'interrupt-parent = <&$1>;' },
  { name: 'interrupts-extended', doc: 'Interrupts with an explicit parent per entry: <&parent specifier...>.', snippet: 'interrupts-extended = <&$1>;' },
  { name: '#interrupt-cells', doc: 'Number of cells in an interrupt specifier for this controller or nexus.', snippet: '#interrupt-cells = <${1:3}>;' },
  { name: 'interrupt-controller', doc: 'Marks the node as an interrupt controller.', snippet: 'interrupt-controller;' },
  { name: 'interrupt-map', doc: 'Maps child interrupt specifiers to parent controllers (nexus node).', snippet: 'interrupt-map = <$1>;' },
  { name: 'interrupt-map-mask', doc: 'Mask applied to child unit address and specifier before lookup in interrupt-map.', snippet: 'interrupt-map-mask = <$1>;' },
  { name: 'interrupt-names', doc: 'Names of the entries of interrupts, in the same order.', snippet: 'interrupt-names = "$1";' },
  { name: 'reg-names', doc: 'Names of the entries of reg, in the same order.', snippet: 'reg-names = "$1";' },
  { name: 'clocks', doc: 'Clock specifiers: <&provider cells...>.', snippet: 'clocks = <&$1>;' },
  { name: 'clock-names', doc: 'Names of the clocks entries.', snippet: 'clock-names = "$1";' },
  { name: '#clock-cells', doc: 'Number of cells in a clock specifier for this provider.', snippet: '#clock-cells = <${1:0}>;' },
  { name: 'clock-frequency', doc: 'Clock frequency in Hz.', snippet: 'clock-frequency = <$1>;' },
  { name: 'bootargs', doc: '/chosen: the kernel command line.', snippet: 'bootargs = "$1";' },
  { name: 'stdout-path', doc: '/chosen: path (or alias) of the boot console, optionally with ":options".', snippet: 'stdout-path = "$1";' },
  { name: 'linux,initrd-start', doc: '/chosen: physical start address of the initrd.', snippet: 'linux,initrd-start = <$1>;' },
  { name: 'linux,initrd-end', doc: '/chosen: physical end address of the initrd.', snippet: 'linux,initrd-end = <$1>;' },
  { name: 'enable-method', doc: 'cpu nodes: how secondary CPUs are started ("psci", "spin-table").', snippet: 'enable-method = "${1|psci,spin-table|}";' },
  { name: 'method', doc: 'psci node: the conduit, "smc" or "hvc".', snippet: 'method = "${1|hvc,smc|}";' },
  { name: 'no-map', doc: 'reserved-memory: the region must not be mapped by the OS.', snippet: 'no-map;' },
  { name: 'reusable', doc: 'reserved-memory: the OS may use the region when its owner does not.', snippet: 'reusable;' },
  { name: 'memory-region', doc: 'phandles of reserved-memory regions the device uses.', snippet: 'memory-region = <&$1>;' },
  { name: 'gpio-controller', doc: 'Marks the node as a GPIO controller.', snippet: 'gpio-controller;' },
  { name: '#gpio-cells', doc: 'Number of cells in a GPIO specifier.', snippet: '#gpio-cells = <${1:2}>;' },
  { name: 'pinctrl-0', doc: 'phandles of pin configuration for the first state.', snippet: 'pinctrl-0 = <&$1>;' },
  { name: 'pinctrl-names', doc: 'Names of the pinctrl states.', snippet: 'pinctrl-names = "${1:default}";' },
];

export const GENERIC_NODE_NAMES = [
  'adc', 'audio-codec', 'bus', 'cache-controller', 'can', 'chosen', 'clock', 'clock-controller', 'cpu', 'cpus', 'crypto', 'display',
  'dma-controller', 'ethernet', 'ethernet-phy', 'firmware', 'flash', 'gpio', 'hypervisor', 'i2c', 'interrupt-controller', 'leds',
  'mailbox', 'memory', 'memory-controller', 'mmc', 'pci', 'pcie', 'pinctrl', 'pmu', 'power-controller', 'psci', 'pwm', 'regulator',
  'reserved-memory', 'rng', 'rtc', 'serial', 'spi', 'syscon', 'timer', 'usb', 'virtio_mmio', 'watchdog', 'aliases', 'soc',
];

export const STATUS_VALUES = ['okay', 'disabled', 'reserved', 'fail'];
