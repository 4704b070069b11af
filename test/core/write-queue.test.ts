import { describe, expect, it } from 'vitest'
import { WriteQueue } from '../../src-main/core/write-queue'

describe('write queue', () => {
  it('runs tasks one at a time in arrival order, and a failure does not stop the next', async () => {
    const q = new WriteQueue()
    const log: string[] = []
    const task =
      (name: string, ms: number, fail = false) =>
      async () => {
        log.push(`start ${name}`)
        await new Promise((r) => setTimeout(r, ms))
        log.push(`end ${name}`)
        if (fail) throw new Error(name)
        return name
      }
    const results = await Promise.allSettled([q.run(task('a', 20)), q.run(task('b', 1, true)), q.run(task('c', 5))])
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c'])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(q.size).toBe(0)
  })
})
