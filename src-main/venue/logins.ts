// Who may use the venue hub. Staff log in with their Circuit credentials.
// While Circuit answers, the hub asks Circuit (the password is checked where
// it lives); after a successful log-in it keeps a salted scrypt verifier of
// the password — never the password — so the same person can log in while
// the venue is offline. Wrong passwords are refused, and repeated failures
// slow down: after a few, the next attempt must wait, longer each time.
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Clock } from '../core/clock'

const scrypt = promisify(scryptCb) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number }
) => Promise<Buffer>

/** Cost: about 50 ms and 16 MB per check on a laptop; a stolen file costs an attacker as much per guess. */
const COST = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }
const KEY_LENGTH = 32
/** Failures allowed before the hub makes the next attempt wait. */
const FREE_FAILURES = 3
const MAX_WAIT_MS = 5 * 60_000
export const TOKEN_LIFETIME_MS = 12 * 3_600_000

interface Verifier {
  salt: string
  hash: string
  N: number
  r: number
  p: number
  /** When the password was last confirmed by Circuit (epoch ms). */
  confirmedAt: number
}

export type UpstreamCheck = (email: string, password: string) => Promise<'ok' | 'wrong' | 'unreachable'>

export type LoginOutcome =
  | { ok: true; token: string; expiresAt: number; checkedBy: 'circuit' | 'verifier' }
  | { ok: false; reason: 'wrong'; message: string }
  | { ok: false; reason: 'slow-down'; retryAfterMs: number; message: string }
  | { ok: false; reason: 'unreachable'; message: string }

interface Session {
  email: string
  expiresAt: number
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex')

function writeJson(file: string, value: unknown): void {
  writeFileSync(`${file}.partial`, JSON.stringify(value), { mode: 0o600 })
  renameSync(`${file}.partial`, file)
  chmodSync(file, 0o600)
}

const B64 = /^[A-Za-z0-9+/]+={0,2}$/

/** A verifier as it may arrive from elsewhere (another hub): well formed, or nothing. */
function validVerifier(v: unknown): Verifier | null {
  if (!v || typeof v !== 'object') return null
  const o = v as Record<string, unknown>
  const int = (x: unknown, min: number, max: number) =>
    typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max
  if (typeof o.salt !== 'string' || !B64.test(o.salt) || o.salt.length > 64) return null
  if (typeof o.hash !== 'string' || !B64.test(o.hash) || o.hash.length > 128) return null
  // The cost is bounded: a verifier is checked at log-in, and a huge N would stall the hub.
  const n = o.N as number
  if (!int(n, 1024, 1 << 20) || (n & (n - 1)) !== 0) return null
  if (!int(o.r, 1, 32) || !int(o.p, 1, 16) || !int(o.confirmedAt, 0, Number.MAX_SAFE_INTEGER)) return null
  return { salt: o.salt, hash: o.hash, N: n, r: o.r as number, p: o.p as number, confirmedAt: o.confirmedAt as number }
}

const verifierFileOf = (dataDir: string) => join(dataDir, 'venue', 'verifiers.json')

function readVerifiers(file: string): Record<string, Verifier> {
  if (!existsSync(file)) return {}
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
    const out: Record<string, Verifier> = {}
    for (const [email, v] of Object.entries(raw)) {
      const ok = validVerifier(v)
      if (ok) out[email] = ok
    }
    return out
  } catch {
    return {}
  }
}

/**
 * Keep the verifiers a hub shares with the stations joined to it (never a password: salted
 * scrypt hashes), so that any of them, made hub in a handover, lets the same people log in while
 * Circuit is away. For each person the one Circuit confirmed last wins. Answers how many changed.
 */
export function mergeVerifiers(dataDir: string, incoming: unknown): number {
  if (!incoming || typeof incoming !== 'object') return 0
  const file = verifierFileOf(dataDir)
  const mine = readVerifiers(file)
  let changed = 0
  for (const [email, v] of Object.entries(incoming as Record<string, unknown>)) {
    const ok = validVerifier(v)
    const key = email.trim().toLowerCase()
    if (!ok || !key || key.length > 254) continue
    const have = mine[key]
    if (have && (have.confirmedAt > ok.confirmedAt || (have.salt === ok.salt && have.hash === ok.hash))) continue
    mine[key] = ok
    changed++
  }
  if (changed) {
    mkdirSync(join(dataDir, 'venue'), { recursive: true, mode: 0o700 })
    writeJson(file, mine)
  }
  return changed
}

export class HubLogins {
  private readonly verifierFile: string
  private readonly tokenFile: string
  private verifiers: Record<string, Verifier>
  /** Tokens by their SHA-256 (the file never holds a usable token). */
  private sessions: Record<string, Session>
  private readonly failures = new Map<string, { count: number; until: number }>()

  constructor(
    dataDir: string,
    private readonly clock: Clock,
    private readonly upstream: UpstreamCheck,
    /** Told when a verifier is kept or dropped (the hub tells its stations to fetch them again). */
    private readonly onVerifiersChanged: () => void = () => {}
  ) {
    const dir = join(dataDir, 'venue')
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    this.verifierFile = verifierFileOf(dataDir)
    this.tokenFile = join(dir, 'sessions.json')
    this.verifiers = readVerifiers(this.verifierFile)
    const now = clock.now()
    const saved = existsSync(this.tokenFile)
      ? (JSON.parse(readFileSync(this.tokenFile, 'utf8')) as Record<string, Session>)
      : {}
    this.sessions = Object.fromEntries(Object.entries(saved).filter(([, s]) => s.expiresAt > now))
  }

  private key(email: string): string {
    return email.trim().toLowerCase()
  }

  /** Wait still owed by this e-mail or address after failures, in ms (0: none). */
  private owed(keys: string[]): number {
    const now = this.clock.now()
    return Math.max(0, ...keys.map((k) => (this.failures.get(k)?.until ?? 0) - now))
  }

  private failed(keys: string[]): void {
    const now = this.clock.now()
    for (const k of keys) {
      const f = this.failures.get(k) ?? { count: 0, until: 0 }
      f.count++
      if (f.count > FREE_FAILURES) f.until = now + Math.min(MAX_WAIT_MS, 1_000 * 2 ** (f.count - FREE_FAILURES - 1))
      this.failures.set(k, f)
    }
  }

  private async derive(password: string, v: Pick<Verifier, 'N' | 'r' | 'p'>, salt: Buffer): Promise<Buffer> {
    return scrypt(password, salt, KEY_LENGTH, { N: v.N, r: v.r, p: v.p, maxmem: COST.maxmem })
  }

  private async remember(email: string, password: string): Promise<void> {
    const salt = randomBytes(16)
    const hash = await this.derive(password, COST, salt)
    this.verifiers[this.key(email)] = {
      salt: salt.toString('base64'),
      hash: hash.toString('base64'),
      N: COST.N,
      r: COST.r,
      p: COST.p,
      confirmedAt: this.clock.now()
    }
    writeJson(this.verifierFile, this.verifiers)
    this.onVerifiersChanged()
  }

  private async matchesVerifier(email: string, password: string): Promise<boolean | null> {
    const v = this.verifiers[this.key(email)]
    if (!v) return null
    const got = await this.derive(password, v, Buffer.from(v.salt, 'base64'))
    const want = Buffer.from(v.hash, 'base64')
    return got.length === want.length && timingSafeEqual(got, want)
  }

  /** Check a log-in: against Circuit while it answers, else against the verifier of an earlier one. */
  async login(email: string, password: string, from: string): Promise<LoginOutcome> {
    const keys = [`email:${this.key(email)}`, `from:${from}`]
    const wait = this.owed(keys)
    if (wait > 0) {
      return {
        ok: false,
        reason: 'slow-down',
        retryAfterMs: wait,
        message: `Too many wrong passwords: try again in ${Math.ceil(wait / 1000)} s.`
      }
    }
    let checkedBy: 'circuit' | 'verifier'
    const upstream = await this.upstream(email, password)
    if (upstream === 'ok') {
      await this.remember(email, password)
      checkedBy = 'circuit'
    } else if (upstream === 'wrong') {
      // Circuit says no: an old verifier for this person no longer holds either.
      if (this.verifiers[this.key(email)]) {
        delete this.verifiers[this.key(email)]
        writeJson(this.verifierFile, this.verifiers)
        this.onVerifiersChanged()
      }
      this.failed(keys)
      return { ok: false, reason: 'wrong', message: 'Wrong e-mail or password (Circuit refused them).' }
    } else {
      const match = await this.matchesVerifier(email, password)
      if (match === null) {
        return {
          ok: false,
          reason: 'unreachable',
          message:
            'Circuit cannot be reached and this person has not logged in at this hub before: log in once while Circuit answers.'
        }
      }
      if (!match) {
        this.failed(keys)
        return { ok: false, reason: 'wrong', message: 'Wrong e-mail or password.' }
      }
      checkedBy = 'verifier'
    }
    for (const k of keys) this.failures.delete(k)
    const token = randomBytes(32).toString('base64url')
    const expiresAt = this.clock.now() + TOKEN_LIFETIME_MS
    this.sessions[sha(token)] = { email: this.key(email), expiresAt }
    writeJson(this.tokenFile, this.sessions)
    return { ok: true, token, expiresAt, checkedBy }
  }

  /** The verifiers kept here, to share with the stations joined to this hub (no password in them). */
  verifiersToShare(): Record<string, Verifier> {
    return { ...this.verifiers }
  }

  /** The session a token opens, or null (unknown or expired). */
  session(token: string | null | undefined): Session | null {
    if (!token) return null
    const s = this.sessions[sha(token)]
    if (!s || s.expiresAt <= this.clock.now()) return null
    return s
  }

  logout(token: string): void {
    if (delete this.sessions[sha(token)]) writeJson(this.tokenFile, this.sessions)
  }
}
