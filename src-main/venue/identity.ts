// The venue hub's identity: a self-signed TLS certificate made on first
// start and kept in the data folder (so the hub's address and pairing code
// survive a restart), and the pairing code derived from its fingerprint.
// A joining station compares the code the user typed with the code of the
// certificate the hub presents, then pins the certificate's full fingerprint
// for every later connection. Nothing else needs to be trusted: no CA, no
// password on the wire before the certificate is checked.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import selfsigned from 'selfsigned'
import { fingerprintOf, pairingCodeOf } from '../circuit/pinning'

export interface HubIdentity {
  certPem: string
  keyPem: string
  /** SHA-256 of the certificate (DER), lower-case hex without separators. */
  fingerprint: string
  /** What the user reads out and types on the other stations: "7KQ2-M9XD". */
  pairingCode: string
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
