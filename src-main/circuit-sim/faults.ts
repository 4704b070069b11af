// Fault injection and rate limiting. Faults draw from a seeded PRNG that is
// re-seeded whenever the fault config is set, so a test that sets faults and
// then sends the same requests sees the same failures every run.

import { badRequest, isObject, type Json, type JsonObject } from '../circuit-server/http'
import { mulberry32, subSeed, type Rng } from './prng'

export interface FaultConfig {
  /** delay before every /api answer */
  latencyMs: number
  /** probability 0..1 of a 500 (request not applied) */
  error500Rate: number
  /** probability 0..1 of a 429 (request not applied) */
  rate429: number
  /** probability 0..1, mutating requests only: apply the change, then destroy the socket without answering */
  dropAfterApplyRate: number
  /** retry_after / Retry-After on simulated 429s */
  retryAfterSeconds: number
  /** real fixed-window limit per minute (X-RateLimit-*), across all callers */
  rateLimitPerMinute: number
}

export const DEFAULT_FAULTS: FaultConfig = {
  latencyMs: 0,
  error500Rate: 0,
  rate429: 0,
  dropAfterApplyRate: 0,
  retryAfterSeconds: 1,
  rateLimitPerMinute: 100_000
}

const RATES = ['error500Rate', 'rate429', 'dropAfterApplyRate'] as const
const LIMITS: Record<'latencyMs' | 'retryAfterSeconds' | 'rateLimitPerMinute', [number, number]> = {
  latencyMs: [0, 60_000],
  retryAfterSeconds: [0, 3600],
  rateLimitPerMinute: [1, 10_000_000]
}

export interface RateState {
  limit: number
  remaining: number
  /** unix seconds when the window resets */
  reset: number
  exceeded: boolean
}

export class Faults {
  config: FaultConfig = { ...DEFAULT_FAULTS }
  private rng: Rng
  private windowStart = 0
  private windowCount = 0

  constructor(
    private readonly seed: number,
    private readonly now: () => number
  ) {
    this.rng = mulberry32(subSeed(seed, 'faults'))
  }

  /** Validate and merge a partial config (POST /_sim/faults). Unknown keys or out-of-range values -> 400. */
  update(body: Json | undefined): FaultConfig {
    if (!isObject(body)) throw badRequest('Body must be a JSON object of fault settings.')
    const errors: Record<string, string[]> = {}
    const next: FaultConfig = { ...this.config }
    for (const [key, value] of Object.entries(body as JsonObject)) {
      if ((RATES as readonly string[]).includes(key)) {
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1)
          errors[key] = ['Must be a number between 0 and 1.']
        else next[key as (typeof RATES)[number]] = value
      } else if (key in LIMITS) {
        const [min, max] = LIMITS[key as keyof typeof LIMITS]
        if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
          errors[key] = [`Must be an integer between ${min} and ${max}.`]
        else next[key as keyof typeof LIMITS] = value
      } else {
        errors[key] = [`Unknown fault setting. Known: ${[...RATES, ...Object.keys(LIMITS)].join(', ')}.`]
      }
    }
    if (Object.keys(errors).length) throw badRequest('Invalid fault settings.', errors)
    this.config = next
    this.rng = mulberry32(subSeed(this.seed, 'faults'))
    return this.config
  }

  reset(): void {
    this.config = { ...DEFAULT_FAULTS }
    this.rng = mulberry32(subSeed(this.seed, 'faults'))
    this.windowStart = 0
    this.windowCount = 0
  }

  /** Rate 1 always fires, 0 never; in between draws from the seeded PRNG. */
  roll(rate: number): boolean {
    if (rate <= 0) return false
    if (rate >= 1) return true
    return this.rng.next() < rate
  }

  /** Count one request in the current fixed 60 s window. */
  countRequest(): RateState {
    const now = this.now()
    if (now - this.windowStart >= 60_000 || now < this.windowStart) {
      this.windowStart = now
      this.windowCount = 0
    }
    this.windowCount++
    const limit = this.config.rateLimitPerMinute
    return {
      limit,
      remaining: Math.max(0, limit - this.windowCount),
      reset: Math.ceil((this.windowStart + 60_000) / 1000),
      exceeded: this.windowCount > limit
    }
  }
}
