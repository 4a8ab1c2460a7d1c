// preview2-shim refuses to follow a symlink out of the preopened root, but lets a guest create one;
// a link to `../..` left in the data folder would then be a trap for anything on the host that walks
// it. Links are refused unless their target is a plain relative path with no `..` segment.

interface DescriptorClass {
  prototype: { symlinkAt(target: string, path: string): void };
}

export function isContainedLinkTarget(target: string): boolean {
  if (target === '' || target.startsWith('/') || target.includes('\\') || target.includes('\0')) return false;
  return !target.split('/').includes('..');
}

export function confineSymlinks(Descriptor: DescriptorClass): void {
  const original = Descriptor.prototype.symlinkAt;
  Descriptor.prototype.symlinkAt = function (target: string, path: string) {
    // Thrown strings are WASI error-code payloads: the guest sees err(not-permitted).
    if (!isContainedLinkTarget(target)) throw 'not-permitted';
    return original.call(this, target, path);
  };
}
