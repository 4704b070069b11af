// The dispatcher always answers with an envelope: a handler that throws at
// once, one whose promise rejects, and an input whose reading throws (a
// getter in a venue script's object) each answer an error, never a rejected
// promise a host would have to catch; an unexpected error is `internal` and
// reported, an AppError is answered as it is.
import { describe, expect, it } from 'vitest'
import { createDispatcher, type Handlers } from '../../src-main/core/dispatcher'
import { AppError } from '../../src-shared/rpc'

function dispatcherWith(handlers: Partial<Handlers>) {
  const reported: string[] = []
  const dispatch = createDispatcher(handlers as Handlers, { onInternalError: (name) => reported.push(name) })
  return { dispatch, reported }
}

describe('the dispatcher answers every call with an envelope', () => {
  it('a read answers its data; a synchronous throw and a rejection answer errors', async () => {
    const { dispatch, reported } = dispatcherWith({
      'lookup.lots': ({ q }) => {
        if (q === 'boom') throw new Error('a bug')
        if (q === 'gone') throw new AppError('not_found', 'There is no such lot.')
        return []
      },
      'lookup.buyers': async () => {
        throw new Error('a bug, later')
      }
    })
    expect(await dispatch('lookup.lots', { q: '12' })).toEqual({ ok: true, data: [] })
    expect(await dispatch('lookup.lots', { q: 'boom' })).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(await dispatch('lookup.lots', { q: 'gone' })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'There is no such lot.' }
    })
    expect(await dispatch('lookup.buyers', { q: 'x' })).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(reported).toEqual(['lookup.lots', 'lookup.buyers'])
  })

  it('an input whose reading throws answers internal, never a rejected promise', async () => {
    const { dispatch } = dispatcherWith({ 'lookup.lots': () => [] })
    const hostile = Object.defineProperty({}, 'q', {
      enumerable: true,
      get() {
        throw new Error('no reading me')
      }
    })
    await expect(dispatch('lookup.lots', hostile)).resolves.toMatchObject({ ok: false, error: { code: 'internal' } })
  })

  it('queued calls run one at a time, in order, and a failure does not stop the next', async () => {
    const order: string[] = []
    const { dispatch } = dispatcherWith({
      'settings.update': async ({ stationName }) => {
        order.push(`start ${stationName}`)
        await new Promise((r) => setTimeout(r, stationName === 'A' ? 20 : 0))
        order.push(`end ${stationName}`)
        if (stationName === 'A') throw new AppError('conflict', 'A fails')
        return {} as never
      }
    })
    const [a, b] = await Promise.all([
      dispatch('settings.update', { stationName: 'A' }),
      dispatch('settings.update', { stationName: 'B' })
    ])
    expect(a).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(b).toMatchObject({ ok: true })
    expect(order).toEqual(['start A', 'end A', 'start B', 'end B'])
  })
})
