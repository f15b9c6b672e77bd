// DTS sources that trip dtc 1.6.1's non-structural checks, one family each. The expected output is
// whatever Debian's dtc prints for them at test time; these only make sure every check fires.

export interface CheckFixture {
  name: string;
  source: string;
  /** Extra dtc switches (-W / -E). */
  args?: string[];
}

export const checkFixtures: CheckFixture[] = [
  {
    name: 'property types: cells, strings, string lists, -names',
    source: `/dts-v1/;
/ {
	#address-cells = <1 2>;
	#size-cells = "one";
	model = <1>;
	compatible = "a", [00 41];
	node {
		device_type = <7>;
		status = "okay", "disabled";
		label = [41 42];
		clock-names = "a", [42];
		reg-names = "ok";
	};
};
`,
  },
  {
    name: 'reg, ranges and dma-ranges formats, root reg, empty reg, default cells',
    source: `/dts-v1/;
/ {
	reg = <0 0>;
	a {
		b@1 { reg = <1 2 3>; };
		c@0 { reg; };
	};
	bus@0 {
		#address-cells = <1>;
		#size-cells = <1>;
		ranges;
		dma-ranges = <0 0 0 1 2>;
		sub@10 {
			#address-cells = <2>;
			#size-cells = <1>;
			reg = <0x10 0x10>;
			ranges;
		};
	};
};
`,
  },
  {
    name: 'unit addresses: vs reg, leading 0x and 0s, duplicates, unnecessary cells',
    source: `/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	a@0x10 { reg = <0x10 1>; };
	b@010 { reg = <0x10 1>; };
	c { reg = <0x20 1>; };
	d@30 { };
	e@40 { reg = <0x40 1>; };
	e@40 { status = "disabled"; };
	dup@50 { reg = <0x50 1>; };
	dup2@50 { reg = <0x50 1>; status = "disabled"; };
	empty {
		#address-cells = <1>;
		#size-cells = <0>;
		child { };
	};
};
`,
    args: ['-Wunique_unit_address_if_enabled'],
  },
  {
    name: 'simple-bus, I2C and SPI buses',
    source: `/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	soc {
		compatible = "simple-bus";
		#address-cells = <1>;
		#size-cells = <1>;
		ranges;
		uart@1000 { reg = <0x1001 0x100>; };
		noreg { };
		sub@2000 { #address-cells = <1>; #size-cells = <1>; ranges = <0 0x2000 0x100>; };
		i2c@3000 {
			reg = <0x3000 0x100>;
			#address-cells = <2>;
			#size-cells = <1>;
			eeprom@50 { reg = <0x51 0>; };
		};
		i2c@4000 {
			reg = <0x4000 0x100>;
			#address-cells = <1>;
			#size-cells = <0>;
			big@100 { reg = <0x100>; };
			ten@80000123 { reg = <0x80000123>; };
			tenbad@80000800 { reg = <0x80000800>; };
			own@40000010 { reg = <0x40000010>; };
			none { };
		};
		spi@5000 {
			reg = <0x5000 0x100>;
			#address-cells = <1>;
			#size-cells = <1>;
			flash@0 { reg = <1 0>; };
		};
		serial-bus@6000 {
			reg = <0x6000 0x100>;
			#address-cells = <1>;
			#size-cells = <0>;
			dev@0 { reg = <0>; spi-max-frequency = <1000>; };
		};
	};
};
`,
  },
  {
    name: 'PCI bridges and devices',
    source: `/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	pcie@10000000 {
		device_type = "pci";
		#address-cells = <3>;
		#size-cells = <2>;
		ranges = <0x2000000 0 0x10000000 0 0x10000000 0 0x1000000>;
		bus-range = <0 0x1ff>;
		dev@1,0 { reg = <0x800 0 0 0 0>; };
		dev@2 { reg = <0x1101 0 1 0 0>; };
		dev@3,1 { reg = <0x11800 0 0 0 0>; };
	};
	bridge {
		device_type = "pci";
		#address-cells = <2>;
		bus-range = <2 1>;
	};
};
`,
  },
  {
    name: '/chosen and /aliases',
    source: `/dts-v1/;
/ {
	chosen {
		bootargs = <1>;
		linux,stdout-path = <2>;
		interrupt-controller;
	};
	aliases {
		serial0 = "/uart";
		Serial1 = "/uart";
		bad = "/nowhere";
		empty;
	};
	uart { };
	sub {
		chosen { stdout-path = "/uart"; };
	};
};
`,
  },
  {
    name: 'provider specifiers: clocks, resets, dmas, gpios (with -Wdeprecated_gpio_property)',
    source: `/dts-v1/;
/ {
	clk: clock { #clock-cells = <1>; };
	rst: reset { #reset-cells = "x"; };
	dma: dma { };
	gpio: gpio { #gpio-cells = <2>; };
	consumer {
		clocks = <&clk 1 &clk>, <0>, <&clk 2>;
		resets = <&rst 1>;
		dmas = <&dma 1>;
		pwms = <&clk 1 2>;
		enable-gpios = <&gpio 1>;
		reset-gpio = <&gpio 1 0>;
		foo,nr-gpios = <3>;
		msi-parent = <&dma>;
		power-domains = [00 00 01];
		phys = <5 6>;
	};
	hog {
		gpio-hog;
		gpios = <1>;
	};
};
`,
    args: ['-Wdeprecated_gpio_property'],
  },
  {
    name: 'interrupts: parent walk, bad phandles, providers, sizes',
    source: `/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	intc: intc@1000 { reg = <0x1000 0x100>; interrupt-controller; #interrupt-cells = <3>; };
	notintc: thing@2000 { reg = <0x2000 0x100>; #interrupt-cells = <1>; };
	nexus { interrupt-map = <0>; };
	a@3000 { reg = <0x3000 4>; interrupts = <1 2>; interrupt-parent = <&intc>; };
	b@4000 { reg = <0x4000 4>; interrupts = <1>; };
	c@5000 { reg = <0x5000 4>; interrupts = <1>; interrupt-parent = <&notintc>; };
	d@6000 { reg = <0x6000 4>; interrupts = [01 02 03]; interrupt-parent = <0x77>; };
	e@7000 { reg = <0x7000 4>; interrupts = <1>; interrupt-parent = <0>; };
	f@8000 { reg = <0x8000 4>; interrupts-extended = <&intc 1 2 3>, <&notintc 1>; };
};
`,
  },
  {
    name: 'OF graph: ports, port, endpoint, remote links',
    source: `/dts-v1/;
/ {
	dev1 {
		ports {
			#address-cells = <1>;
			#size-cells = <0>;
			port@0 {
				reg = <0>;
				ep1: endpoint { remote-endpoint = <&ep2>; };
			};
		};
	};
	dev2 {
		#address-cells = <1>;
		#size-cells = <0>;
		conn@1 {
			reg = <2>;
			ep2: endpoint@0 { reg = <0>; remote-endpoint = <&ep3>; };
		};
	};
	dev3 {
		port {
			ep3: ep { remote-endpoint = <&ep1>; };
			ep4: endpoint { remote-endpoint = <0x55>; };
		};
	};
};
`,
  },
  {
    name: 'strict name characters and node/property name conflicts (-W node_name_chars_strict etc.)',
    source: `/dts-v1/;
/ {
	conflict = <1>;
	Upper_Node { Bad_Prop = <1>; vendor,#cells = <1>; #good-cells = <1>; device_type = "x"; bad#mid = <1>; };
	conflict { };
};
`,
    args: ['-Wnode_name_chars_strict', '-Wproperty_name_chars_strict'],
  },
  {
    name: 'checks raised to errors with -E',
    source: `/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	a@0x1 { reg = <1 1>; };
	b@2 { };
};
`,
    args: ['-Eunit_address_format', '-Eno-unit_address_vs_reg', '-Wno-avoid_unnecessary_addr_size'],
  },
];
