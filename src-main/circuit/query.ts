// Query-string encoder for Circuit's Drupal RESTful conventions:
//   filter[f]=v
//   filter[f][value][0]=a&filter[f][value][1]=b&filter[f][operator]=IN
//   filter[f][value][from]=x&filter[f][value][to]=y
//   filter[f][value]=re&filter[f][operator]=REGEXP   (any operator, optional conjunction)
//   fields=a,b  sort=-created,id  range=25  page=0  global_search=…
// Brackets are left literal (readable in logs; PHP and WHATWG parsers accept both).

export type Scalar = string | number | boolean

export type FilterSpec =
  | Scalar
  | { in: Scalar[] }
  | { from?: Scalar; to?: Scalar }
  | { value: Scalar | Scalar[]; operator?: string; conjunction?: string }

export interface CircuitQuery {
  filter?: Record<string, FilterSpec | undefined>
  fields?: string[]
  /** "-created" or ["-created", "id"]; a leading "-" sorts descending. */
  sort?: string | string[]
  range?: number
  page?: number
  globalSearch?: string
  /** Plain top-level parameters, e.g. `sale` for items-lots, `sale_id` for consignments. */
  params?: Record<string, Scalar | undefined>
}

const enc = (s: string): string => encodeURIComponent(s)
const scalar = (v: Scalar): string => (typeof v === 'boolean' ? (v ? '1' : '0') : String(v))
const key = (base: string, ...parts: (string | number)[]): string =>
  enc(base) + parts.map((p) => `[${enc(String(p))}]`).join('')

function filterPairs(field: string, spec: FilterSpec): [string, string][] {
  if (typeof spec !== 'object') return [[key('filter', field), scalar(spec)]]
  if ('in' in spec) {
    const out: [string, string][] = spec.in.map((v, i) => [key('filter', field, 'value', i), scalar(v)])
    out.push([key('filter', field, 'operator'), 'IN'])
    return out
  }
  if ('value' in spec) {
    const out: [string, string][] = Array.isArray(spec.value)
      ? spec.value.map((v, i) => [key('filter', field, 'value', i), scalar(v)])
      : [[key('filter', field, 'value'), scalar(spec.value)]]
    if (spec.operator) out.push([key('filter', field, 'operator'), spec.operator])
    if (spec.conjunction) out.push([key('filter', field, 'conjunction'), spec.conjunction])
    return out
  }
  const out: [string, string][] = []
  if (spec.from !== undefined) out.push([key('filter', field, 'value', 'from'), scalar(spec.from)])
  if (spec.to !== undefined) out.push([key('filter', field, 'value', 'to'), scalar(spec.to)])
  return out
}

/** Ordered key/value pairs (not yet joined). */
export function queryPairs(q: CircuitQuery = {}): [string, string][] {
  const out: [string, string][] = []
  for (const [field, spec] of Object.entries(q.filter ?? {}))
    if (spec !== undefined) out.push(...filterPairs(field, spec))
  if (q.fields && q.fields.length > 0) out.push(['fields', q.fields.join(',')])
  if (q.sort !== undefined) {
    const s = Array.isArray(q.sort) ? q.sort.join(',') : q.sort
    if (s !== '') out.push(['sort', s])
  }
  if (q.range !== undefined) out.push(['range', String(q.range)])
  if (q.page !== undefined) out.push(['page', String(q.page)])
  if (q.globalSearch !== undefined && q.globalSearch !== '') out.push(['global_search', q.globalSearch])
  for (const [k, v] of Object.entries(q.params ?? {})) if (v !== undefined) out.push([enc(k), scalar(v)])
  return out
}

/** "filter[sale]=456&range=25" (no leading "?"); values are percent-encoded, keys keep brackets. */
export function encodeQuery(q: CircuitQuery = {}): string {
  return queryPairs(q)
    .map(([k, v]) => `${k}=${enc(v)}`)
    .join('&')
}

/** Append an encoded query to a URL that may already carry one. */
export function withQuery(url: string, qs: string): string {
  if (qs === '') return url
  return url + (url.includes('?') ? '&' : '?') + qs
}
