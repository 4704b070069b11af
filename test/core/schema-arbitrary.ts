// fast-check inputs from a call's own schema (through its JSON Schema), so a
// fuzz run reaches the handlers: valid inputs, and near-valid ones that break
// exactly one rule (a missing key, an extra key, a wrong type, out of range).
import fc from 'fast-check'

type Schema = {
  type?: string
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  minItems?: number
  maxItems?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  const?: unknown
  enum?: unknown[]
  anyOf?: Schema[]
  oneOf?: Schema[]
  format?: string
}

/** Values for keys with these names come from `pools` (ids that exist), mixed with made-up ones. */
export type Pools = Record<string, readonly (string | number)[]>

function stringFor(s: Schema): fc.Arbitrary<string> {
  const max = Math.min(s.maxLength ?? 40, 80)
  const min = s.minLength ?? 0
  if (s.format === 'uri') return fc.constantFrom('http://127.0.0.1:9/', 'https://localhost:9/x')
  if (s.pattern === '^[A-Za-z0-9_-]+$')
    return fc.stringMatching(/^[A-Za-z0-9_-]+$/).filter((v) => v.length >= Math.max(min, 1) && v.length <= max)
  if (s.pattern === '^[A-Za-z0-9-]+$')
    return fc.stringMatching(/^[A-Za-z0-9-]+$/).filter((v) => v.length >= Math.max(min, 1) && v.length <= max)
  // Any other pattern (a FairWarning category id, a date): strings that match it, so the handler runs.
  if (s.pattern) {
    const re = new RegExp(s.pattern, 'u')
    return fc.stringMatching(re).filter((v) => v.length >= min && v.length <= max && v.trim() === v)
  }
  return fc.string({ minLength: min, maxLength: max, unit: 'grapheme' })
}

function numberFor(s: Schema): fc.Arbitrary<number> {
  const min = s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : (s.minimum ?? -1_000_000)
  const max = Math.min(s.maximum ?? 1_000_000_000, 1_000_000_000)
  return fc.integer({ min, max })
}

export function valid(s: Schema, pools: Pools = {}, key = ''): fc.Arbitrary<unknown> {
  const pool = pools[key]
  if (s.const !== undefined) return fc.constant(s.const)
  if (s.enum) return fc.constantFrom(...s.enum)
  if (s.anyOf) return fc.oneof(...s.anyOf.map((x) => valid(x, pools, key)))
  if (s.oneOf) return fc.oneof(...s.oneOf.map((x) => valid(x, pools, key)))
  switch (s.type) {
    case 'string':
      // Mostly values that exist, so handlers run past their look-ups; sometimes made-up ones.
      return pool
        ? fc.oneof(
            { arbitrary: fc.constantFrom(...pool.map(String)), weight: 3 },
            { arbitrary: stringFor(s), weight: 1 }
          )
        : stringFor(s)
    case 'integer':
    case 'number':
      return pool ? fc.oneof(fc.constantFrom(...pool.map(Number)), numberFor(s)) : numberFor(s)
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    case 'array':
      return fc.array(valid(s.items ?? {}, pools, key), {
        minLength: s.minItems ?? 0,
        maxLength: Math.min(s.maxItems ?? 5, 5)
      })
    case 'object': {
      const props = s.properties ?? {}
      const required = new Set(s.required ?? [])
      const shape: Record<string, fc.Arbitrary<unknown>> = {}
      for (const [k, v] of Object.entries(props)) shape[k] = valid(v, pools, k)
      return fc.record(shape, { requiredKeys: [...required] })
    }
    default:
      return fc.anything()
  }
}

/** One broken rule on top of a valid object. */
export function nearValid(s: Schema, pools: Pools = {}): fc.Arbitrary<unknown> {
  const base = valid(s, pools) as fc.Arbitrary<Record<string, unknown>>
  const keys = Object.keys(s.properties ?? {})
  const required = s.required ?? []
  const breaks: fc.Arbitrary<unknown>[] = [
    base.map((o) => ({ ...o, unexpected: 1 })),
    fc.constant(null),
    fc.constant([])
  ]
  if (required.length) {
    breaks.push(
      fc.tuple(base, fc.constantFrom(...required)).map(([o, k]) => {
        const c = { ...o }
        delete c[k]
        return c
      })
    )
  }
  if (keys.length) {
    const wrong = fc.oneof(
      fc.constant(null),
      fc.constant(''),
      fc.constant(-1),
      fc.constant(1.5),
      fc.constant('x'.repeat(10_001)),
      fc.constant('\u0000'),
      fc.constant({}),
      fc.constant(Number.MAX_SAFE_INTEGER + 2)
    )
    breaks.push(fc.tuple(base, fc.constantFrom(...keys), wrong).map(([o, k, v]) => ({ ...o, [k]: v })))
  }
  return fc.oneof(...breaks)
}
