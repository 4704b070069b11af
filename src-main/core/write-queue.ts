/**
 * Runs mutating calls one at a time, in arrival order. Reads do not queue.
 * A failed task does not stop the ones behind it.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve()
  private depth = 0

  run<T>(task: () => Promise<T> | T): Promise<T> {
    this.depth++
    const next = this.tail.then(task, task)
    this.tail = next.then(
      () => this.depth--,
      () => this.depth--
    )
    return next
  }

  get size(): number {
    return this.depth
  }
}
