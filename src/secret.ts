import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from './config.js';
import { generateSecret } from './store/crypto.js';

/**
 * The secret that keys person ids and seals phone numbers. Production sets HUELLA_SECRET; local
 * mode without it keeps one in DATA_DIR/secret (readable by the owner only), made on first start.
 */
export function resolveSecret(config: Readonly<Config>): string {
  if (config.secret) return config.secret;
  if (!config.localMode) throw new Error('HUELLA_SECRET is required with Twilio credentials.');
  const file = resolve(config.dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const secret = generateSecret();
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
