// Bid-step maths shared by the podium's check and its screen.
import { describe, expect, it } from 'vitest'
import { isOnBidSteps, nearestSteps, nextStep, stepAtOrAbove, type BidStepRange } from '../../src-shared/bid-steps'

// The demo's "Standard" table (the simulator's seed), in minor units.
const STANDARD: BidStepRange[] = [
  { from: 0, increment: 5_00 },
  { from: 100_00, increment: 10_00 },
  { from: 200_00, increment: 20_00 },
  { from: 500_00, increment: 50_00 },
  { from: 1_000_00, increment: 100_00 },
  { from: 2_000_00, increment: 200_00 },
  { from: 5_000_00, increment: 500_00 },
  { from: 10_000_00, increment: 1_000_00 }
]

describe('bid steps', () => {
  it('takes the steps of the range an amount is in', () => {
    for (const on of [5_00, 60_00, 100_00, 110_00, 220_00, 550_00, 1_100_00, 8_001_000_00]) {
      expect(isOnBidSteps(on, STANDARD), String(on)).toBe(true)
    }
    for (const off of [63_00, 41_00, 12_345_00, 105_00, 210_00, 60_50]) {
      expect(isOnBidSteps(off, STANDARD), String(off)).toBe(false)
    }
  })

  it('names the step below and the step above', () => {
    expect(nearestSteps(63_00, STANDARD)).toEqual([60_00, 65_00])
    expect(nearestSteps(41_00, STANDARD)).toEqual([40_00, 45_00])
    expect(nearestSteps(12_345_00, STANDARD)).toEqual([12_000_00, 13_000_00])
    expect(nearestSteps(480_50, STANDARD)).toEqual([480_00, 500_00])
  })

  it('the step above never passes the next range’s start', () => {
    const odd: BidStepRange[] = [
      { from: 0, increment: 3_00 },
      { from: 10_00, increment: 5_00 }
    ]
    expect(isOnBidSteps(9_50, odd)).toBe(false)
    expect(nearestSteps(9_50, odd)).toEqual([9_00, 10_00])
    // The table's order does not matter.
    expect(nearestSteps(9_50, [...odd].reverse())).toEqual([9_00, 10_00])
  })

  it('an amount below the first range, or no table, is never off the steps', () => {
    const fromTen: BidStepRange[] = [{ from: 10_00, increment: 5_00 }]
    expect(isOnBidSteps(3_00, fromTen)).toBe(true)
    expect(nearestSteps(3_00, fromTen)).toBeNull()
    expect(isOnBidSteps(63_00, [])).toBe(true)
  })
})

describe('the podium’s asking price and next step', () => {
  it('asks from the step at or above an amount, and the next bid is one increment up', () => {
    expect(stepAtOrAbove(1_200_00, STANDARD)).toBe(1_200_00)
    expect(stepAtOrAbove(1_230_00, STANDARD)).toBe(1_300_00)
    expect(nextStep(1_200_00, STANDARD)).toBe(1_300_00)
    expect(nextStep(1_230_00, STANDARD)).toBe(1_400_00)
    expect(nextStep(95_00, STANDARD)).toBe(100_00)
    // Across a range's start: 480 goes up by 20 to 500, and 500 by 50.
    expect(nextStep(480_00, STANDARD)).toBe(500_00)
    expect(nextStep(500_00, STANDARD)).toBe(550_00)
  })

  it('never passes the next range’s start, and says nothing without steps', () => {
    const odd: BidStepRange[] = [
      { from: 0, increment: 3_00 },
      { from: 10_00, increment: 5_00 }
    ]
    expect(nextStep(9_00, odd)).toBe(10_00)
    expect(nextStep(10_00, odd)).toBe(15_00)
    expect(nextStep(1_00, [])).toBeNull()
    expect(stepAtOrAbove(1_00, [])).toBe(1_00)
  })
})
