import fs from 'node:fs';
import path from 'node:path';
import { createHmac, hkdfSync } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';
import type { Config } from '../config.js';
import { randomToken } from './random.js';

/**
 * The master secret: GATEHOUSE_SECRET, or a file in the data folder created on first start with
 * mode 0600. Every instance sharing one database must be given the same GATEHOUSE_SECRET.
 */
export function resolveSecret(config: Config): string {
  if (config.secret) return config.secret;
  const file = path.join(config.dataDir, 'secret');
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  try {
    // 'wx' fails if another process created it first; then both use that one.
    fs.writeFileSync(file, `${randomToken(32)}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${file} holds no usable secret; delete it or set GATEHOUSE_SECRET`);
  return secret;
}

/**
 * Encrypts and decrypts small payloads (private JWKs) with a key derived from the master secret,
 * and authenticates values it recomputes rather than stores (with a key of its own).
 */
export class SecretBox {
  private readonly key: Uint8Array;
  private readonly macKey: Uint8Array;

  constructor(secret: string, purpose: string) {
    this.key = new Uint8Array(hkdfSync('sha256', secret, 'gatehouse', purpose, 32));
    this.macKey = new Uint8Array(hkdfSync('sha256', secret, 'gatehouse', `${purpose}/mac`, 32));
  }

  /**
   * HMAC-SHA256 of `value` under `label` (base64url): only the holder of the master secret can
   * compute it, and every instance sharing the secret computes the same one.
   */
  mac(value: string, label: string): string {
    return createHmac('sha256', this.macKey).update(label).update('\0').update(value).digest('base64url');
  }

  /** `label` is bound into the protected header so a ciphertext cannot be moved to another row. */
  async seal(plaintext: string, label: string): Promise<string> {
    return new CompactEncrypt(new TextEncoder().encode(plaintext)).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: label }).encrypt(this.key);
  }

  async open(jwe: string, label: string): Promise<string> {
    const { plaintext, protectedHeader } = await compactDecrypt(jwe, this.key);
    if (protectedHeader.kid !== label) throw new Error('sealed value belongs to another record');
    return new TextDecoder().decode(plaintext);
  }
}
