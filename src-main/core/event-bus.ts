import type { EventName, Events } from '../../src-shared/events'

type Listener = (name: EventName, payload: Events[EventName]) => void

/** The core's outgoing events; each host forwards them to its windows. */
export class EventBus {
  private readonly listeners = new Set<Listener>()

  emit<E extends EventName>(name: E, payload: Events[E]): void {
    for (const l of this.listeners) {
      try {
        l(name, payload)
      } catch {
        // One broken listener (a closed window) must not stop the others.
      }
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
