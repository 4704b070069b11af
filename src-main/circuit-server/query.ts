// The datatable query engine: filter / sort / fields / paging over in-memory
// records, producing Circuit's list envelope. Filtering and sorting run on the
// internal records; only the requested page is serialized.

import { badRequest, type Json, type JsonObject, type QueryObject, type QueryValue } from './http'
import { parseDecimalMinor } from '../../src-shared/money'
import { parseDateBound } from './time'

export type Scalar = string | number | boolean | null

/**
 * id: exact string (references); exact: case-insensitive equality (enums);
 * text: case-insensitive regex by default (the docs call these "regex search");
 * number / money (cents) / date (epoch ms) support ranges; bool accepts 1/0/true/false.
 */
export type Kind = 'id' | 'exact' | 'text' | 'number' | 'money' | 'date' | 'bool'

export interface FieldDef<T> {
  kind: Kind
  /** arrays match when any element matches */
  get: (record: T) => Scalar | Scalar[]
}

export interface ListDef<T> {
  resource: string
  filters: Record<string, FieldDef<T>>
  /** sortable fields; defaults to the filters */
  sorts?: Record<string, FieldDef<T>>
  defaultSort: string
  /** Decimals of money filters ("250.00" with 2); the simulator's currency. Default 2. */
  decimals?: number
  serialize: (record: T) => JsonObject
  /** text used by `global_search` */
  search?: (record: T) => string
}

type Op = '=' | '<>' | 'IN' | 'NOT IN' | 'REGEXP' | 'LIKE' | '>' | '>=' | '<' | '<=' | 'RANGE'

export interface Condition {
  field: string
  op: Op
  values: string[]
  from?: string
  to?: string
}

const OPERATORS: Record<string, Op> = {
  '=': '=',
  '==': '=',
  EQ: '=',
  '<>': '<>',
  '!=': '<>',
  IN: 'IN',
  'NOT IN': 'NOT IN',
  REGEXP: 'REGEXP',
  LIKE: 'LIKE',
  CONTAINS: 'LIKE',
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
  BETWEEN: 'RANGE'
}

export const DEFAULT_RANGE = 25
export const MAX_RANGE = 500

function valuesOf(v: QueryValue): string[] {
  return typeof v === 'string' ? [v] : Object.values(v).filter((x): x is string => typeof x === 'string')
}

/** Normalise every documented filter spelling into conditions. */
export function parseFilters(filter: QueryValue | undefined): Condition[] {
  if (filter === undefined) return []
  if (typeof filter === 'string') throw badRequest('Parameter "filter" must be of the form filter[field]=value.')
  const out: Condition[] = []
  for (const [field, spec] of Object.entries(filter)) {
    if (typeof spec === 'string') {
      out.push({ field, op: '=', values: [spec] })
      continue
    }
    const hasValue = 'value' in spec
    const rawOp = typeof spec.operator === 'string' ? spec.operator.trim().toUpperCase() : undefined
    const op = rawOp === undefined ? undefined : OPERATORS[rawOp]
    if (rawOp !== undefined && op === undefined)
      throw badRequest(`Unsupported filter operator "${spec.operator}" on "${field}".`)
    // filter[f][0]=a&filter[f][1]=b (no "value" level) is treated as IN
    const value: QueryValue = hasValue
      ? spec.value
      : Object.fromEntries(Object.entries(spec).filter(([k]) => /^\d+$/.test(k)))
    if (typeof value === 'object' && ('from' in value || 'to' in value)) {
      out.push({
        field,
        op: 'RANGE',
        values: [],
        from: typeof value.from === 'string' && value.from !== '' ? value.from : undefined,
        to: typeof value.to === 'string' && value.to !== '' ? value.to : undefined
      })
      continue
    }
    const values = valuesOf(value)
    if (values.length === 0) throw badRequest(`Filter "${field}" has no value.`)
    if (op === 'RANGE') {
      out.push({ field, op, values: [], from: values[0], to: values[1] })
    } else {
      out.push({ field, op: op ?? (values.length > 1 ? 'IN' : '='), values })
    }
  }
  return out
}

type Comparable = string | number | boolean

function convertValue(
  kind: Kind,
  field: string,
  raw: string,
  bound: 'from' | 'to' | 'eq',
  decimals: number
): Comparable {
  switch (kind) {
    case 'number': {
      const n = Number(raw)
      if (raw.trim() === '' || !Number.isFinite(n))
        throw badRequest(`Filter "${field}" expects a number, got "${raw}".`)
      return n
    }
    case 'money': {
      const c = parseDecimalMinor(raw, { decimals })
      if (c === null) throw badRequest(`Filter "${field}" expects an amount like "250.00", got "${raw}".`)
      return c
    }
    case 'date': {
      const ms = parseDateBound(raw, bound)
      if (ms === null) throw badRequest(`Filter "${field}" expects an ISO 8601 date or YYYY-MM-DD, got "${raw}".`)
      return ms
    }
    case 'bool':
      if (['1', 'true'].includes(raw.toLowerCase())) return true
      if (['0', 'false'].includes(raw.toLowerCase())) return false
      throw badRequest(`Filter "${field}" expects 1/0/true/false, got "${raw}".`)
    case 'exact':
    case 'text':
      return raw.toLowerCase()
    case 'id':
      return raw
  }
}

function regexFor(field: string, pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'i')
  } catch {
    throw badRequest(`Filter "${field}" has an invalid regular expression.`)
  }
}

function likeRegex(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.')
  return new RegExp(pattern.includes('%') ? `^${escaped}$` : escaped, 'i')
}

type Predicate<T> = (record: T) => boolean

function normalizeField(kind: Kind, v: Scalar): Comparable | null {
  if (v === null) return null
  if ((kind === 'text' || kind === 'exact') && typeof v === 'string') return v.toLowerCase()
  return v
}

function compile<T>(cond: Condition, def: FieldDef<T>, decimals: number): Predicate<T> {
  const { kind } = def
  const convert = (k: Kind, field: string, raw: string, bound: 'from' | 'to' | 'eq') =>
    convertValue(k, field, raw, bound, decimals)
  const fieldValues = (r: T): (Comparable | null)[] => {
    const v = def.get(r)
    return Array.isArray(v) ? v.map((x) => normalizeField(kind, x)) : [normalizeField(kind, v)]
  }
  const any = (r: T, test: (v: Comparable) => boolean): boolean => fieldValues(r).some((v) => v !== null && test(v))

  switch (cond.op) {
    case 'RANGE': {
      const from = cond.from === undefined ? undefined : convert(kind, cond.field, cond.from, 'from')
      const to = cond.to === undefined ? undefined : convert(kind, cond.field, cond.to, 'to')
      return (r) => any(r, (v) => (from === undefined || v >= from) && (to === undefined || v <= to))
    }
    case 'REGEXP': {
      const re = regexFor(cond.field, cond.values[0])
      return (r) => any(r, (v) => re.test(String(v)))
    }
    case 'LIKE': {
      const re = likeRegex(cond.values[0])
      return (r) => any(r, (v) => re.test(String(v)))
    }
    case '>':
    case '>=':
    case '<':
    case '<=': {
      const bound = convert(kind, cond.field, cond.values[0], cond.op.startsWith('>') ? 'from' : 'to')
      const op = cond.op
      return (r) =>
        any(r, (v) => (op === '>' ? v > bound : op === '>=' ? v >= bound : op === '<' ? v < bound : v <= bound))
    }
    case '=':
    case 'IN':
    case '<>':
    case 'NOT IN': {
      const negate = cond.op === '<>' || cond.op === 'NOT IN'
      if (kind === 'text' && cond.op === '=') {
        // documented "regex search" for free-text fields
        const re = regexFor(cond.field, cond.values[0])
        return (r) => any(r, (v) => re.test(String(v)))
      }
      if (kind === 'date' && cond.values.length === 1 && /^\d{4}-\d{2}-\d{2}$/.test(cond.values[0])) {
        // a bare day matches the whole day
        const from = convert(kind, cond.field, cond.values[0], 'from')
        const to = convert(kind, cond.field, cond.values[0], 'to')
        const inDay: Predicate<T> = (r) => any(r, (v) => v >= from && v <= to)
        return negate ? (r) => !inDay(r) : inDay
      }
      const wanted = new Set<Comparable>(cond.values.map((v) => convert(kind, cond.field, v, 'eq')))
      const hit: Predicate<T> = (r) => any(r, (v) => wanted.has(v))
      return negate ? (r) => !hit(r) : hit
    }
  }
}

export interface ListOptions<T> {
  /** narrower candidate set when an index can answer a filter (e.g. items of one sale) */
  candidates?: Iterable<T>
  /** filters handled by the caller, ignored here */
  extraFilters?: string[]
}

export interface ListContext {
  query: QueryObject
  /** absolute URL of the request, e.g. http://127.0.0.1:4010/api/v1.0/datatable-items?page=0 */
  url: URL
}

function intParam(query: QueryObject, name: string, fallback: number): number {
  const raw = query[name]
  if (raw === undefined || raw === '') return fallback
  if (typeof raw !== 'string' || !/^\d+$/.test(raw))
    throw badRequest(`Parameter "${name}" must be a non-negative integer.`)
  return Number(raw)
}

export function parseSort<T>(def: ListDef<T>, raw: QueryValue | undefined): { key: FieldDef<T>; desc: boolean }[] {
  const text = typeof raw === 'string' && raw.trim() !== '' ? raw : def.defaultSort
  const sorts = def.sorts ?? def.filters
  return text.split(',').map((part) => {
    const p = part.trim()
    const desc = p.startsWith('-')
    const name = desc ? p.slice(1) : p
    const key = sorts[name]
    if (!key) throw badRequest(`Unknown sort field "${name}" for ${def.resource}.`)
    return { key, desc }
  })
}

const NUMERIC = /^\d{1,15}$/

function compareScalar(a: Scalar | Scalar[], b: Scalar | Scalar[]): number {
  const x = Array.isArray(a) ? (a[0] ?? null) : a
  const y = Array.isArray(b) ? (b[0] ?? null) : b
  if (x === y) return 0
  if (x === null) return 1 // nulls last
  if (y === null) return -1
  if (typeof x === 'number' && typeof y === 'number') return x - y
  // ids and other numeric strings sort numerically ("99" < "100")
  if (typeof x === 'string' && typeof y === 'string' && NUMERIC.test(x) && NUMERIC.test(y)) return Number(x) - Number(y)
  const sx = String(x).toLowerCase()
  const sy = String(y).toLowerCase()
  return sx < sy ? -1 : sx > sy ? 1 : 0
}

/** `fields=a,b` keeps only those keys (and always `id`). */
export function pickFields(row: JsonObject, fields: QueryValue | undefined): JsonObject {
  if (typeof fields !== 'string' || fields.trim() === '') return row
  const keep = new Set(fields.split(',').map((f) => f.trim()))
  keep.add('id')
  const out: JsonObject = {}
  for (const key of Object.keys(row)) if (keep.has(key)) out[key] = row[key]
  return out
}

export function buildPredicate<T>(def: ListDef<T>, query: QueryObject, extraFilters: string[] = []): Predicate<T> {
  const conditions = parseFilters(query.filter)
  const preds: Predicate<T>[] = []
  for (const cond of conditions) {
    if (extraFilters.includes(cond.field)) continue
    const fd = def.filters[cond.field]
    if (!fd) {
      throw badRequest(`The filter "${cond.field}" is not allowed for ${def.resource}.`, {
        [`filter[${cond.field}]`]: [`Unknown filter field. Allowed: ${Object.keys(def.filters).join(', ')}`]
      })
    }
    preds.push(compile(cond, fd, def.decimals ?? 2))
  }
  const search = query.global_search
  if (typeof search === 'string' && search.trim() !== '' && def.search) {
    const needle = search.trim().toLowerCase()
    const text = def.search
    preds.push((r) => text(r).toLowerCase().includes(needle))
  }
  return (r) => preds.every((p) => p(r))
}

/** Run a list query and build Circuit's envelope {data,count,self,next?}. */
export function listResponse<T>(
  ctx: ListContext,
  def: ListDef<T>,
  all: Iterable<T>,
  opts: ListOptions<T> = {}
): JsonObject {
  const { query } = ctx
  const range = Math.min(intParam(query, 'range', DEFAULT_RANGE), MAX_RANGE)
  if (range === 0) throw badRequest('Parameter "range" must be at least 1.')
  const page = intParam(query, 'page', 0)
  const predicate = buildPredicate(def, query, opts.extraFilters)
  const sort = parseSort(def, query.sort)

  const matched: T[] = []
  for (const r of opts.candidates ?? all) if (predicate(r)) matched.push(r)
  matched.sort((a, b) => {
    for (const s of sort) {
      const c = compareScalar(s.key.get(a), s.key.get(b))
      if (c !== 0) return s.desc ? -c : c
    }
    return 0
  })

  const start = page * range
  const data: Json[] = matched.slice(start, start + range).map((r) => pickFields(def.serialize(r), query.fields))
  const envelope: JsonObject = {
    data,
    count: matched.length,
    self: { title: 'Self', href: ctx.url.href }
  }
  if (start + range < matched.length) {
    const next = new URL(ctx.url.href)
    next.searchParams.set('page', String(page + 1))
    if (!next.searchParams.has('range')) next.searchParams.set('range', String(range))
    envelope.next = { title: 'Next', href: next.href }
  }
  if (page > 0) {
    const prev = new URL(ctx.url.href)
    prev.searchParams.set('page', String(page - 1))
    envelope.previous = { title: 'Previous', href: prev.href }
  }
  return envelope
}

/** Filter value of a simple equality filter (`filter[sale]=1` or `filter[sale][value]=1`), for index lookups. */
export function simpleFilterValue(query: QueryObject, field: string): string | undefined {
  const f = query.filter
  if (typeof f !== 'object') return undefined
  const spec = f[field]
  if (typeof spec === 'string') return spec
  if (
    typeof spec === 'object' &&
    typeof spec.value === 'string' &&
    (spec.operator === undefined || spec.operator === '=')
  )
    return spec.value
  return undefined
}
