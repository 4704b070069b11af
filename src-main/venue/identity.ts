// The venue hub's identity: a self-signed TLS certificate made on first
// start and kept in the data folder (so the hub's address and pairing code
// survive a restart), and the pairing code derived from its fingerprint.
// A joining station compares the code the user typed with the code of the
// certificate the hub presents, then pins the certificate's full fingerprint
// for every later connection. Nothing else needs to be trusted: no CA, no
// password on the wire before the certificate is checked.
import { X509Certificate, createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import selfsigned from 'selfsigned'

export interface HubIdentity {
  certPem: string
  keyPem: string
  /** SHA-256 of the certificate (DER), lower-case hex without separators. */
  fingerprint: string
  /** What the user reads out and types on the other stations: "7KQ2-M9XD". */
  pairingCode: string
}

// Crockford's base32: no I, L, O or U, so a code read aloud is not misheard.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** The certificate's SHA-256 fingerprint (hex) from its PEM. */
export function fingerprintOf(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex')
}

/** Eight base32 characters (40 bits) of the fingerprint, as XXXX-XXXX. */
export function pairingCodeOf(fingerprint: string): string {
  const bytes = Buffer.from(fingerprint.slice(0, 10), 'hex')
  let bits = 0n
  for (const b of bytes) bits = (bits << 8n) | BigInt(b)
  let code = ''
  for (let i = 7; i >= 0; i--) code += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)]
  return `${code.slice(0, 4)}-${code.slice(4)}`
}

/** A code as typed: upper case, dashes and spaces ignored, O read as 0, I and L as 1. */
export function normaliseCode(typed: string): string {
  const c = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1')
  return c.length === 8 ? `${c.slice(0, 4)}-${c.slice(4)}` : c
}

function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.partial`, text, { mode: 0o600 })
  renameSync(`${file}.partial`, file)
  chmodSync(file, 0o600)
}

/** The hub's certificate and key from `<dataDir>/venue/`, made once. */
export async function loadOrCreateHubIdentity(
  dataDir: string,
  now: number,
  name = 'Saleroom venue hub'
): Promise<HubIdentity> {
  const dir = join(dataDir, 'venue')
  const certFile = join(dir, 'hub-cert.pem')
  const keyFile = join(dir, 'hub-key.pem')
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    // Valid from a day back (a station's clock a little behind still accepts it) for ten years.
    const pems = await selfsigned.generate([{ name: 'commonName', value: name }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: new Date(now - 86_400_000),
      notAfterDate: new Date(now + 10 * 365 * 86_400_000)
    })
    // The key first: a certificate without its key is made again, never half-used.
    writeAtomically(keyFile, pems.private)
    writeAtomically(certFile, pems.cert)
  }
  const certPem = readFileSync(certFile, 'utf8')
  const keyPem = readFileSync(keyFile, 'utf8')
  const fingerprint = fingerprintOf(certPem)
  return { certPem, keyPem, fingerprint, pairingCode: pairingCodeOf(fingerprint) }
}
