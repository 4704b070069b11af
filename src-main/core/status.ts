import type { StatusSnapshot } from '../../src-shared/events'
import type { Replica } from '../db/replica'
import type { GatewayState } from '../sync/gateway'

export function readStatus(db: Replica, gw: GatewayState): StatusSnapshot {
  const counts = db.first(
    db.q
      .selectFrom('outbox')
      .select((eb) => [
        eb.fn.count<number>('seq').filterWhere('state', 'in', ['pending', 'in_flight', 'unknown']).as('pending'),
        eb.fn.count<number>('seq').filterWhere('state', '=', 'needs_attention').as('attention')
      ])
  )
  const last = db.first(db.q.selectFrom('sync_state').select('value').where('key', '=', 'last_sync_at'))
  return {
    connection: gw.connection,
    demo: gw.demo,
    serverUrl: gw.serverUrl,
    pending: Number(counts?.pending ?? 0),
    needsAttention: Number(counts?.attention ?? 0),
    lastSyncAt: last ? (JSON.parse(last.value) as string) : null,
    lastError: gw.lastError
  }
}
