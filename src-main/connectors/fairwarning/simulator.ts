// The FairWarning simulator, from the item page only: `GET items/[start]/[limit]`
// with the JSON search body, the documented 401/403/500 bodies, the page's
// ambiguities as switches (how the keys travel, what `[limit]` means, where
// record_count sits) and faults (500s, answers lost after applying).
// Also `GET /_sim/state` (the items held) and `POST /_sim/items` (replace them).
import type { FairWarningKeyTransport, LimitMeaning } from '../../../src-shared/contract'
import { Faults, startJsonServer, type Reply, type RunningSim, type SimRequest } from '../sim-kit'
import { credentialsFor, DEFAULT_KEY_TRANSPORT, DEFAULT_LIMIT_MEANING, DOCS_DEFAULT_PAGE, pageWindow } from './protocol'

/** One item in the docs' wire form (snake_case, doubles as JSON numbers). */
export type WireItem = Record<string, unknown> & { item_id: number }

export interface FairWarningSimOptions {
  port?: number
  host?: string
  key: string
  keyTransport?: FairWarningKeyTransport
  limitMeaning?: LimitMeaning
  /** 'in-array': as the docs' sample, record_count inside the items list; 'top': beside it, as the field table. */
  recordCount?: 'top' | 'in-array'
  items: WireItem[]
  seed?: number
  quiet?: boolean
}

export interface RunningFairWarningSim extends RunningSim {
  items: WireItem[]
  faults: Faults
}

const OPERATORS = [
  'equals',
  'not_equals',
  'in',
  'not_in',
  'greater_than',
  'greater_than_equal',
  'less_than',
  'less_than_equal',
  'contains'
] as const

type Condition = { operator: string; value: unknown }

const error = (status: number, text: string): Reply => ({ status, body: { error: text } })

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1
  if (b === null || b === undefined) return 1
  const na = Number(a)
  const nb = Number(b)
  if (Number.isFinite(na) && Number.isFinite(nb) && String(a).trim() !== '' && String(b).trim() !== '') return na - nb
  return String(a).localeCompare(String(b))
}

function matches(v: unknown, c: Condition): boolean {
  switch (c.operator) {
    case 'equals':
      return compare(v, c.value) === 0
    case 'not_equals':
      return compare(v, c.value) !== 0
    case 'in':
      return Array.isArray(c.value) && c.value.some((x) => compare(v, x) === 0)
    case 'not_in':
      return Array.isArray(c.value) && !c.value.some((x) => compare(v, x) === 0)
    case 'greater_than':
      return compare(v, c.value) > 0
    case 'greater_than_equal':
      return compare(v, c.value) >= 0
    case 'less_than':
      return compare(v, c.value) < 0
    case 'less_than_equal':
      return compare(v, c.value) <= 0
    default:
      return String(v ?? '')
        .toLowerCase()
        .includes(String(c.value ?? '').toLowerCase())
  }
}

export async function startFairWarningSimulator(o: FairWarningSimOptions): Promise<RunningFairWarningSim> {
  const transport = o.keyTransport ?? DEFAULT_KEY_TRANSPORT
  const meaning = o.limitMeaning ?? DEFAULT_LIMIT_MEANING
  const placement = o.recordCount ?? 'in-array'
  const faults = new Faults(o.seed ?? 1)
  let items = o.items.map((i) => ({ ...i }))
  const expected = credentialsFor(o.key, transport)

  /** 403 when the keys are not there at all, 401 when they are there but wrong (the docs' two errors). */
  function checkKeys(req: SimRequest): Reply | null {
    const presented: string[] = []
    const wanted: string[] = []
    for (const [h, v] of Object.entries(expected.headers)) {
      const got = req.headers[h]
      presented.push(typeof got === 'string' ? got : '')
      wanted.push(v)
    }
    for (const [q, v] of Object.entries(expected.query)) {
      presented.push(req.query.get(q) ?? '')
      wanted.push(v)
    }
    const body = (req.body ?? {}) as Record<string, unknown>
    for (const [b, v] of Object.entries(expected.body)) {
      presented.push(typeof body[b] === 'string' ? (body[b] as string) : '')
      wanted.push(v)
    }
    if (presented.some((p) => p === '')) return error(403, 'API keys are missing.')
    if (presented.some((p, i) => p !== wanted[i])) return error(401, 'The API keys provided are invalid.')
    return null
  }

  function search(req: SimRequest): Reply {
    if (req.badJson) return error(500, 'The search data is not valid JSON.')
    const body = (req.body ?? {}) as Record<string, unknown>
    if (typeof body !== 'object' || Array.isArray(body)) return error(500, 'The search data must be a JSON object.')
    const conditions: [string, Condition][] = []
    let sort: [string, 'asc' | 'desc'][] = [
      ['item_lot', 'asc'],
      ['item_lot_suffix', 'asc'],
      ['item_title', 'asc']
    ]
    for (const [field, spec] of Object.entries(body)) {
      if (field === 'api_key' || field === 'user_id') continue
      if (field === 'sort_by') {
        if (spec === null || typeof spec !== 'object' || Array.isArray(spec))
          return error(500, 'sort_by must be an object.')
        const s: [string, 'asc' | 'desc'][] = []
        for (const [f, dir] of Object.entries(spec)) {
          if (dir !== 'asc' && dir !== 'desc') return error(500, `Sort direction for ${f} must be "asc" or "desc".`)
          s.push([f, dir])
        }
        sort = s
        continue
      }
      const list = Array.isArray(spec) ? spec : [spec]
      for (const c of list) {
        if (c === null || typeof c !== 'object' || typeof (c as Condition).operator !== 'string')
          return error(500, `Search on ${field} needs {"operator": …, "value": …}.`)
        if (!(OPERATORS as readonly string[]).includes((c as Condition).operator))
          return error(500, `Unknown search operator "${(c as Condition).operator}".`)
        conditions.push([field, c as Condition])
      }
    }
    const found = items.filter((it) => conditions.every(([f, c]) => matches(it[f], c)))
    found.sort((a, b) => {
      for (const [f, dir] of sort) {
        const c = compare(a[f] ?? '', b[f] ?? '')
        if (c !== 0) return dir === 'asc' ? c : -c
      }
      return a.item_id - b.item_id
    })
    return { status: 200, body: found }
  }

  function api(req: SimRequest): Reply {
    const m = /^(?:\/v[\d.]+)?\/items(?:\/(\d+)(?:\/(\d+))?)?\/?$/.exec(req.path)
    if (!m) return error(500, `No such API call: ${req.method} ${req.path}`)
    if (req.method !== 'GET') return error(500, `${req.method} is not supported on items.`)
    const denied = checkKeys(req)
    if (denied) return denied
    const found = search(req)
    if (found.status !== 200) return found
    const all = found.body as WireItem[]
    const start = m[1] === undefined ? 0 : Number(m[1])
    const second =
      m[2] === undefined ? (meaning === 'end' ? start + DOCS_DEFAULT_PAGE : DOCS_DEFAULT_PAGE) : Number(m[2])
    const w = pageWindow(start, second, meaning)
    const page = all.slice(w.from, w.to)
    return {
      status: 200,
      body:
        placement === 'top'
          ? { items: page, record_count: all.length }
          : { items: [...page, { record_count: all.length }] }
    }
  }

  function control(req: SimRequest): Reply | null {
    if (req.path === '/_sim/state' && req.method === 'GET') return { status: 200, body: { items } }
    if (req.path === '/_sim/items' && req.method === 'POST') {
      const b = req.body as { items?: unknown } | undefined
      if (!b || !Array.isArray(b.items) || b.items.some((i) => typeof (i as WireItem)?.item_id !== 'number'))
        return { status: 400, body: { error: 'Send {"items": [...]} with a numeric item_id on each.' } }
      items = (b.items as WireItem[]).map((i) => ({ ...i }))
      running.items = items
      return { status: 200, body: { items: items.length } }
    }
    return null
  }

  const sim = await startJsonServer({
    name: 'FairWarning',
    port: o.port ?? 0,
    host: o.host ?? '127.0.0.1',
    faults,
    api,
    control,
    error500: () => ({ error: 'Simulated server error (fault injection); nothing was read.' })
  })
  const running: RunningFairWarningSim = { ...sim, items, faults }
  return running
}
