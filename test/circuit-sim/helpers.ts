// Shared helpers for the simulator tests: start on port 0, log in, call JSON endpoints.

import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src-main/circuit-sim/index'

export const USER = 'demo@saleroom.test'
export const PASSWORD = 'demo'

export interface Api {
  sim: RunningSimulator
  token: string
  /** authenticated JSON call against /api/v1.0/<path> */
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>
  ): Promise<{ status: number; body: any; headers: Headers }>
  get(path: string): Promise<any>
  control(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>
}

export const basic = (user = USER, password = PASSWORD): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`

export async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/api/login-token`, { headers: { authorization: basic() } })
  if (res.status !== 200) throw new Error(`login failed ${res.status}`)
  const json = (await res.json()) as { data: { token: string }[] }
  return json.data[0].token
}

export async function startApi(opts: SimulatorOptions = {}): Promise<Api> {
  const sim = await startSimulator({ quiet: true, lots: 300, clients: 400, ...opts })
  const token = await login(sim.url)
  const call: Api['call'] = async (method, path, body, headers = {}) => {
    const res = await fetch(`${sim.url}/api/v1.0/${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers }
  }
  const get: Api['get'] = async (path) => {
    const r = await call('GET', path)
    if (r.status !== 200) throw new Error(`GET ${path} -> ${r.status} ${JSON.stringify(r.body)}`)
    return r.body
  }
  const control: Api['control'] = async (method, path, body) => {
    const res = await fetch(`${sim.url}/_sim/${path}`, {
      method,
      headers: body !== undefined ? { 'content-type': 'application/json' } : {},
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : undefined }
  }
  return { sim, token, call, get, control }
}

/** First available lot of sale 1 not yet used by a test (keeps tests independent). */
export async function availableLots(api: Api, n: number, skip = 0): Promise<any[]> {
  const list = await api.get(
    `datatable-items?filter[sale]=1&filter[status]=available&range=${n}&page=0&sort=position&filter[position][value][from]=${skip + 1}`
  )
  return list.data
}

export async function paddle(api: Api, number: string): Promise<{ clientId: string; number: string }> {
  const list = await api.get(`bidder_ids?filter[sale]=1&filter[bidder_number]=${number}`)
  return { clientId: list.data[0].client.id, number }
}
