import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from './config.js';
import { generateSecret } from './store/crypto.js';

/**
 * The secret that keys person ids and seals phone numbers. Production sets HUELLA_SECRET; local
 * mode without it keeps one in DATA_DIR/secret (readable by the owner only), made on first start.
 *
 * Returns a key ring for PersonCrypto: the current secret, then HUELLA_SECRET_PREVIOUS when a
 * rotation is under way ("current,previous"; base64 has no commas).
 */
export function resolveSecret(config: Readonly<Config>): string {
  const current = currentSecret(config);
  return config.secretPrevious ? `${current},${config.secretPrevious}` : current;
}

function currentSecret(config: Readonly<Config>): string {
  if (config.secret) return config.secret;
  if (!config.localMode) throw new Error('HUELLA_SECRET is required with Twilio credentials.');
  const file = resolve(config.dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const secret = generateSecret();
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
