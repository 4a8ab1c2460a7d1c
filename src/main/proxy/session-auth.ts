// client_only authentication, as a vanilla online-mode server does it: the proxy's RSA key in an
// encryption request, the client's shared secret (RSA, PKCS#1 v1.5), then `hasJoined` on the configured
// Mojang-compatible session server, which answers with the player's real profile.

import { createHash, generateKeyPairSync, privateDecrypt, constants, randomBytes, type KeyObject } from 'node:crypto';
import type { GameProfile } from '../contract/guest-types.ts';
import { ProtocolError } from './packet-codec.ts';

export interface ProxyKey {
  /** DER (SubjectPublicKeyInfo), as the encryption request carries it. */
  publicDer: Buffer;
  privateKey: KeyObject;
}

let key: ProxyKey | undefined;

/** One 1024-bit key per process, made on first use (as vanilla servers do at start). */
export function proxyKey(): ProxyKey {
  if (!key) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 1024 });
    key = { publicDer: pair.publicKey.export({ type: 'spki', format: 'der' }), privateKey: pair.privateKey };
  }
  return key;
}

export function newVerifyToken(): Buffer {
  return randomBytes(4);
}

/**
 * RSA-decrypts a PKCS#1 v1.5 block. Node refuses PKCS#1 padding for private decryption (CVE-2023-46809),
 * so the raw block is decrypted and unpadded here; every malformed block is the same ProtocolError.
 */
export function rsaDecrypt(k: ProxyKey, data: Buffer): Buffer {
  let block: Buffer;
  try {
    block = privateDecrypt({ key: k.privateKey, padding: constants.RSA_NO_PADDING }, data);
  } catch {
    throw new ProtocolError('undecryptable encryption response');
  }
  const sep = block.indexOf(0, 2);
  if (block[0] !== 0 || block[1] !== 2 || sep < 10) throw new ProtocolError('undecryptable encryption response');
  return block.subarray(sep + 1);
}

/** Minecraft's server hash: SHA-1 of serverId + secret + key as a signed (two's complement) hex number. */
export function serverHash(serverId: string, sharedSecret: Buffer, publicDer: Buffer): string {
  const digest = createHash('sha1').update(serverId, 'latin1').update(sharedSecret).update(publicDer).digest();
  const negative = (digest[0] & 0x80) !== 0;
  if (negative) {
    let carry = 1;
    for (let i = digest.length - 1; i >= 0; i--) {
      const v = (~digest[i] & 0xff) + carry;
      digest[i] = v & 0xff;
      carry = v >> 8;
    }
  }
  return (negative ? '-' : '') + digest.toString('hex').replace(/^0+/, '');
}

export class AuthFailed extends Error {}

/** GET <sessionServer>/session/minecraft/hasJoined; the profile, or AuthFailed with the reason. */
export async function hasJoined(sessionServer: string, username: string, hash: string, timeoutMs: number): Promise<GameProfile> {
  const url = `${sessionServer}/session/minecraft/hasJoined?username=${encodeURIComponent(username)}&serverId=${encodeURIComponent(hash)}`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new AuthFailed(`session server unreachable: ${(err as Error).message}`);
  }
  if (res.status === 204 || res.status === 403) throw new AuthFailed('the session server does not know this login (not authenticated)');
  if (!res.ok) throw new AuthFailed(`session server answered HTTP ${res.status}`);
  let body: { id?: unknown; name?: unknown; properties?: unknown };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new AuthFailed('session server answered with invalid JSON');
  }
  if (typeof body.id !== 'string' || !/^[0-9a-f]{32}$/i.test(body.id) || typeof body.name !== 'string') {
    throw new AuthFailed('session server answered without a profile');
  }
  const id = body.id.toLowerCase();
  const properties = Array.isArray(body.properties)
    ? body.properties
        .filter((p): p is { name: string; value: string; signature?: string } => typeof p?.name === 'string' && typeof p?.value === 'string')
        .map((p) => ({ name: p.name, value: p.value, signature: typeof p.signature === 'string' ? p.signature : undefined }))
    : [];
  return { uuid: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`, username: body.name, properties };
}
