// The podium's pace: lots an hour over the recent run of results, the time
// the lots left take at that pace, and a break that is not pace.
import { describe, expect, it } from 'vitest'
import { duration, pace } from './pace'

const MIN = 60_000
const at = (minutes: number[]) => minutes.map((m) => m * MIN)

describe('pace', () => {
  it('reads lots an hour over the recent results and the time the lots left take', () => {
    // 11 results a minute apart: 10 intervals in 10 minutes, 60 an hour.
    const p = pace(at([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 120, 10.5 * MIN)
    expect(p).toEqual({ perHour: 60, leftMs: 120 * MIN })
    expect(duration(p!.leftMs!)).toBe('2 h 00 min')
  })

  it('says nothing before a few results, nor after a long quiet', () => {
    expect(pace(at([0, 1]), 10, 2 * MIN)).toBeNull()
    expect(pace(at([0, 1, 2, 3]), 10, 40 * MIN)).toBeNull()
  })

  it('counts the run since the last break only', () => {
    // A morning at one a minute, lunch, then one every two minutes.
    const times = at([0, 1, 2, 3, 4, 5, 60, 62, 64, 66])
    expect(pace(times, 30, 66 * MIN)!.perHour).toBe(30)
  })

  it('no lots left: no time left', () => {
    expect(pace(at([0, 1, 2, 3]), 0, 3 * MIN)).toEqual({ perHour: 60, leftMs: null })
    expect(duration(40_000)).toBe('under a minute')
    expect(duration(14 * MIN)).toBe('14 min')
  })
})
