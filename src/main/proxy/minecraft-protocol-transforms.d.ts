// minecraft-protocol ships no types for its transforms; the one the proxy uses directly.
declare module 'minecraft-protocol/src/transforms/encryption.js' {
  import type { Cipher, Decipher } from 'node:crypto';
  const encryption: { createCipher(secret: Buffer): Cipher; createDecipher(secret: Buffer): Decipher };
  export default encryption;
}
