// Where the access token (+ expiry) is kept. The password is never stored.
// The Electron shell provides a safeStorage-backed store; this file provides
// a JSON-file store for the web host and tests.

import { chmod, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { randomBytes } from 'node:crypto'

export interface SecretStore {
  get(key: string): Promise<string | null>
  set(key: string, value: string): Promise<void>
  delete(key: string): Promise<void>
  /** Where the secrets are kept, in words (and why, when it is not the OS keychain). */
  where?: string
}

/** In-memory store (tests, or when persistence is not wanted). */
export function createMemorySecretStore(initial: Record<string, string> = {}): SecretStore {
  const m = new Map(Object.entries(initial))
  return {
    where: 'memory only, for this run',
    get: async (k) => m.get(k) ?? null,
    set: async (k, v) => {
      m.set(k, v)
    },
    delete: async (k) => {
      m.delete(k)
    }
  }
}

/**
 * A JSON file `{key: value}` written with mode 0600. Writes go to a temp file
 * in the same directory and are renamed over the target, so a crash never
 * leaves a half-written file. Writes are serialised within this process.
 */
export function createFileSecretStore(path: string): SecretStore {
  let chain: Promise<unknown> = Promise.resolve()
  // When the file cannot be written at all, the token lives in memory for this run:
  // a broken store costs a log-in next time, never this one.
  let memory: Record<string, string> | null = null
  const warn = (msg: string, e: unknown) =>
    console.warn(
      JSON.stringify({ level: 'warn', msg, file: path, error: (e as NodeJS.ErrnoException).code ?? String(e) })
    )

  async function load(): Promise<Record<string, string>> {
    if (memory) return { ...memory }
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {}
      // Unreadable (a directory, no permission, a keychain change): treat as empty; the next save overwrites it.
      warn('token store unreadable; treated as empty', e)
      return {}
    }
    try {
      const parsed: unknown = JSON.parse(text)
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {}
      const out: Record<string, string> = {}
      for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v
      return out
    } catch {
      // A corrupt file only costs a re-login; do not crash the app over it.
      return {}
    }
  }

  async function save(data: Record<string, string>): Promise<void> {
    try {
      await write(data)
    } catch (e) {
      // Something is in the way (say a directory of that name): move it aside and write again.
      warn('token store could not be written; moving it aside', e)
      try {
        await rename(path, `${path}.broken-${Date.now()}`)
        await write(data)
      } catch (again) {
        warn('token store still cannot be written; keeping the token in memory for this run', again)
        memory = { ...data }
      }
    }
  }

  async function write(data: Record<string, string>): Promise<void> {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 })
    const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
    try {
      await writeFile(tmp, JSON.stringify(data), { mode: 0o600, flag: 'wx' })
      await chmod(tmp, 0o600) // in case the umask widened it
      await rename(tmp, path)
    } catch (e) {
      await unlink(tmp).catch(() => undefined)
      throw e
    }
  }

  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = chain.then(fn, fn)
    chain = next.catch(() => undefined)
    return next
  }

  return {
    where: `a file only this user can read (0600): ${path}`,
    get: (key) => exclusive(async () => (await load())[key] ?? null),
    set: (key, value) =>
      exclusive(async () => {
        const data = await load()
        data[key] = value
        await save(data)
      }),
    delete: (key) =>
      exclusive(async () => {
        const data = await load()
        if (!(key in data)) return
        delete data[key]
        await save(data)
      })
  }
}
