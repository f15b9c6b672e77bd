// Errors of the dom0 builder and the hypervisor's set-up: one clear line each, naming the input.

/** Bad input to Dom0.create (kernel, initrd, tree, options): a message fit to show the user as is. */
export class Dom0Error extends Error {
  constructor(message: string, readonly kind: 'input' | 'usage' = 'input') {
    super(message);
    this.name = 'Dom0Error';
  }
}
