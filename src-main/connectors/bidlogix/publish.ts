// Circuit → Bidlogix: the preview and the publish. One lot per request; the
// ledger entry is written before each send, so a lost answer (or a crash)
// never makes a second item: sending again gets Bidlogix's "duplicate lot
// number", which for a lot we had already sent means it is there. A duplicate
// for a lot we never sent is another's: shown as a conflict, never claimed.
import type { BidlogixPreview, ConnectorCounts, PreviewLot } from '../../../src-shared/contract'
import { AppError } from '../../../src-shared/rpc'
import { CircuitHttpError, type CircuitItem } from '../../circuit'
import { houseCurrency } from '../../core/currency'
import type { Kysely } from 'kysely'
import type { ConnectorLinkRow, Database } from '../../db/schema'
import { allSaleLots } from '../circuit-lots'
import { keyFor, storedBidlogix } from '../config'
import { circuitClient, readCircuit, toAppError, type ConnectorDeps } from '../deps'
import { contentHash } from '../hash'
import { checkBaseUrl, ConnectorError } from '../http'
import type { Job } from '../jobs'
import { createBidlogixClient, type BidlogixClient, type BidlogixItem } from './client'
import { mapLot, premiumOf } from './mapping'

interface PlannedPublish {
  item: CircuitItem
  body: BidlogixItem
  hash: string
  /** The ledger row before this run: a duplicate answer for it means the lot is ours. */
  known: boolean
}

interface Plan {
  saleLabel: string
  lotsLocked: boolean
  create: PreviewLot[]
  unchanged: PreviewLot[]
  refused: PreviewLot[]
  notes: string[]
  todo: PlannedPublish[]
}

export interface PublishOptions {
  /** Tries per lot after network trouble, a 5xx or a lost answer (default 8). */
  attempts?: number
  sleep?: (ms: number) => Promise<void>
}

// Written before and after each lot's send: compiled once.
const WRITE_LINK = (
  q: Kysely<Database>,
  a: {
    sourceId: string
    auctionId: string
    lot: string
    targetId: string | null
    hash: string
    sent: string
    state: ConnectorLinkRow['state']
    jobId: string
    at: number
  }
) =>
  q
    .insertInto('connector_links')
    .values({
      source: 'circuit',
      source_id: a.sourceId,
      target: 'bidlogix',
      scope: a.auctionId,
      lot: a.lot,
      target_id: a.targetId,
      hash: a.hash,
      sent: a.sent,
      state: a.state,
      op_id: null,
      job_id: a.jobId,
      note: null,
      created_at: a.at,
      updated_at: a.at
    })
    .onConflict((oc) =>
      oc.columns(['source', 'source_id', 'target', 'scope']).doUpdateSet((eb) => ({
        lot: eb.ref('excluded.lot'),
        // A Bidlogix id once learnt is kept by a write that knows none.
        target_id: eb.fn.coalesce('excluded.target_id', 'connector_links.target_id'),
        hash: eb.ref('excluded.hash'),
        sent: eb.ref('excluded.sent'),
        state: eb.ref('excluded.state'),
        job_id: eb.ref('excluded.job_id'),
        updated_at: eb.ref('excluded.updated_at')
      }))
    )

const DROP_LINK = (q: Kysely<Database>, a: { sourceId: string; auctionId: string }) =>
  q
    .deleteFrom('connector_links')
    .where('source', '=', 'circuit')
    .where('source_id', '=', a.sourceId)
    .where('target', '=', 'bidlogix')
    .where('scope', '=', a.auctionId)

export function bidlogixPublish(deps: ConnectorDeps, o: PublishOptions = {}) {
  const { db } = deps
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))

  async function client(): Promise<{
    bl: BidlogixClient
    webcast: (auctionId: string) => boolean
    settings: ReturnType<typeof storedBidlogix>
  }> {
    const s = storedBidlogix(db, deps.side)
    const env = deps.side?.targets.bidlogix
    const url = env?.url ?? s.url
    const clientId = env?.clientId ?? s.clientId
    const key = await keyFor(deps.side, 'bidlogix')
    if (!url || !clientId || !key)
      throw new AppError(
        'conflict',
        'Bidlogix is not set up: enter its address, client id and API key under Connectors (F8).'
      )
    return {
      bl: createBidlogixClient({ baseUrl: checkBaseUrl(url, 'Bidlogix'), clientId, key, keyTransport: s.keyTransport }),
      webcast: (a) => s.webcastAuctions.includes(a),
      settings: s
    }
  }

  function links(auctionId: string): ConnectorLinkRow[] {
    return db.all(
      db.q
        .selectFrom('connector_links')
        .selectAll()
        .where('source', '=', 'circuit')
        .where('target', '=', 'bidlogix')
        .where('scope', '=', auctionId)
    )
  }

  /** Image addresses kept from FairWarning for lots imported into this sale. */
  function notedImages(saleId: string): Map<string, string[]> {
    const rows = db.all(
      db.q
        .selectFrom('connector_links')
        .select(['target_id', 'note'])
        .where('source', '=', 'fairwarning')
        .where('target', '=', 'circuit')
        .where('scope', '=', saleId)
        .where('target_id', 'is not', null)
        .where('note', 'is not', null)
        .$narrowType<{ target_id: string; note: string }>()
    )
    return new Map(rows.map((r) => [r.target_id, [r.note]]))
  }

  async function plan(
    saleId: string,
    auctionId: string,
    settings: ReturnType<typeof storedBidlogix>,
    webcast: boolean
  ): Promise<Plan> {
    const circuit = circuitClient(deps)
    let sale: Awaited<ReturnType<typeof circuit.sales.get>>
    let lots: CircuitItem[]
    try {
      ;[sale, lots] = await Promise.all([
        readCircuit(() => circuit.sales.get(saleId)),
        readCircuit(() => allSaleLots(circuit, saleId))
      ])
    } catch (err) {
      if (err instanceof CircuitHttpError && err.status === 404)
        throw new AppError('not_found', `Circuit has no sale ${saleId}.`)
      throw toAppError(err)
    }
    const premium = premiumOf(sale.buyersPremium)
    const notes: string[] = []
    if (premium.warning) notes.push(premium.warning)
    if (!sale.lotsLocked)
      notes.push(
        `The lots of ${sale.label} are not locked on Circuit: lot numbers may still change after they are published.`
      )
    if (settings.vendorId === null)
      notes.push('No Bidlogix vendor is set: Bidlogix puts the items under its first vendor.')
    if (settings.categoryId === null)
      notes.push('No Bidlogix category is set: Bidlogix puts the items in its first category.')
    notes.push('Bidlogix creates items as DRAFT: make them live in Bidlogix once they are checked.')
    const decimals = circuit.currencyDecimals()
    const mapping = {
      moneyUnit: settings.moneyUnit,
      vendorId: settings.vendorId,
      categoryId: settings.categoryId,
      webcast,
      // Estimates in the summary read as on screen: Circuit's currency, in the digits its amounts carry.
      currency: { ...houseCurrency(db), decimals },
      decimals
    }
    const images = notedImages(saleId)
    const bySource = new Map(links(auctionId).map((l) => [l.source_id, l]))
    const byLot = new Map([...bySource.values()].map((l) => [l.lot, l]))
    const p: Plan = {
      saleLabel: sale.label,
      lotsLocked: sale.lotsLocked,
      create: [],
      unchanged: [],
      refused: [],
      notes,
      todo: []
    }
    for (const item of lots) {
      const m = mapLot(item, mapping, premium.value, images.get(item.id) ?? [])
      const row = (reason?: string): PreviewLot => ({
        sourceId: item.id,
        lot: item.lot,
        title: item.title,
        ...(reason ? { reason } : {}),
        warnings: m.warnings
      })
      if (!m.ok) {
        p.refused.push(row(m.reason))
        continue
      }
      const hash = contentHash(m.item)
      const link = bySource.get(item.id)
      const other = byLot.get(item.lot)
      if (other && other.source_id !== item.id && other.state !== 'conflict') {
        p.refused.push(row(`lot ${item.lot} of auction ${auctionId} was published from another Circuit lot`))
        continue
      }
      if (link?.state === 'published') {
        if (link.lot !== item.lot)
          p.refused.push(row(`it was published as lot ${link.lot}; Circuit has renumbered it since`))
        else if (link.hash === hash) p.unchanged.push(row())
        else
          p.refused.push(
            row(
              'it changed on Circuit since it was published; the Bidlogix API only creates items, so change it in Bidlogix'
            )
          )
        continue
      }
      p.create.push(row())
      p.todo.push({ item, body: m.item, hash, known: link?.state === 'sending' })
    }
    return p
  }

  async function preview(saleId: string, auctionId: string): Promise<BidlogixPreview> {
    const c = await client()
    const p = await plan(saleId, auctionId, c.settings, c.webcast(auctionId))
    return {
      previewId: deps.ids.next(),
      saleId,
      auctionId,
      saleLabel: p.saleLabel,
      create: p.create,
      update: [],
      unchanged: p.unchanged,
      refused: p.refused,
      lotsLocked: p.lotsLocked,
      notes: p.notes
    }
  }

  function writeLink(
    auctionId: string,
    t: PlannedPublish,
    state: ConnectorLinkRow['state'],
    job: Job,
    targetId: string | null
  ) {
    const now = deps.clock.now()
    db.tx(() =>
      db.prepared(WRITE_LINK).run({
        sourceId: t.item.id,
        auctionId,
        lot: t.item.lot,
        targetId,
        hash: t.hash,
        sent: JSON.stringify(t.body),
        state,
        jobId: job.id,
        at: now
      })
    )
  }

  function dropLink(auctionId: string, t: PlannedPublish) {
    db.tx(() => db.prepared(DROP_LINK).run({ sourceId: t.item.id, auctionId }))
  }

  type Outcome = { kind: 'created'; id: string | null } | { kind: 'conflict' } | { kind: 'refused'; reason: string }

  /** One lot, tried again after trouble; the repeat is safe because the lot number is the key. */
  async function sendOne(bl: BidlogixClient, auctionId: string, t: PlannedPublish): Promise<Outcome> {
    let mayHaveApplied = t.known
    const attempts = o.attempts ?? 8
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await bl.createItems(auctionId, [t.body])
        if (r.kind === 'created') return { kind: 'created', id: r.items[0]?.id ?? null }
        if (!r.lots.includes(t.body.lotNumber) && r.lots.length > 0)
          return { kind: 'refused', reason: `Bidlogix refused it: ${r.message}` }
        return mayHaveApplied ? { kind: 'created', id: null } : { kind: 'conflict' }
      } catch (err) {
        if (!(err instanceof ConnectorError)) throw err
        // Anything but "never sent" or a refusal may have made the item: a later duplicate is then ours.
        if (err.kind === 'unknown-outcome' || err.kind === 'bad-response' || (err.status ?? 0) >= 500)
          mayHaveApplied = true
        if (!err.retryable) {
          if (err.kind === 'auth' || err.kind === 'config') throw err
          return { kind: 'refused', reason: err.message }
        }
        if (attempt >= attempts) throw err
        await sleep(Math.min(2_000, (deps.side?.retryBaseMs ?? 50) * 2 ** (attempt - 1)))
      }
    }
  }

  /** `confirm`: publish although the sale's lots are not locked on Circuit (the caller asked the user). */
  async function publish(saleId: string, auctionId: string, confirm = false): Promise<ConnectorCounts> {
    const c = await client()
    const job = deps.jobs.start(deps.ids.next(), 'bidlogix', saleId, 'A publish to Bidlogix')
    try {
      job.emit({ phase: 'queueing', done: 0, total: 0, message: 'Reading the sale from Circuit…' })
      const p = await plan(saleId, auctionId, c.settings, c.webcast(auctionId))
      if (!p.lotsLocked && !confirm && p.todo.length) {
        // Lot numbers may still change on Circuit: nothing is sent until the user says to go on.
        const reason = `The lots of ${p.saleLabel} are not locked on Circuit: lot numbers may still change after they are published. Publish anyway?`
        throw new AppError('needs_confirmation', reason, { reasons: [reason] })
      }
      const counts: ConnectorCounts = {
        created: 0,
        updated: 0,
        unchanged: p.unchanged.length,
        refused: p.refused.length
      }
      deps.actions.run((tx) => {
        tx.audit({
          action: 'connectors.bidlogix.publish',
          entityType: 'sale',
          entityId: saleId,
          after: {
            job: job.id,
            auction: auctionId,
            toCreate: p.todo.length,
            unchanged: counts.unchanged,
            refused: counts.refused
          }
        })
      })
      job.emit({
        phase: 'sending',
        done: 0,
        total: p.todo.length,
        counts,
        message: `Publishing ${p.todo.length} lots to Bidlogix…`
      })
      let done = 0
      let failure: string | null = null
      for (const t of p.todo) {
        if (job.stopping) break
        // The ledger first: whatever happens to the answer, the next try knows this lot was sent.
        writeLink(auctionId, t, 'sending', job, null)
        let outcome: Outcome
        try {
          outcome = await sendOne(c.bl, auctionId, t)
        } catch (err) {
          failure = toAppError(err).message
          job.problems.push({ lot: t.item.lot, reason: failure })
          break
        }
        if (outcome.kind === 'created') {
          writeLink(auctionId, t, 'published', job, outcome.id)
          counts.created++
        } else if (outcome.kind === 'conflict') {
          writeLink(auctionId, t, 'conflict', job, null)
          counts.refused++
          job.problems.push({
            lot: t.item.lot,
            reason: `Bidlogix already has lot ${t.item.lot} in auction ${auctionId}, not published from here`
          })
        } else {
          if (t.known) writeLink(auctionId, t, 'sending', job, null)
          else dropLink(auctionId, t)
          counts.refused++
          job.problems.push({ lot: t.item.lot, reason: outcome.reason })
        }
        done++
        job.emit({ done, counts, message: `Publishing to Bidlogix: ${done} of ${p.todo.length}…` })
      }
      const draft = counts.created
        ? `${counts.created} lot${counts.created === 1 ? '' : 's'} created in Bidlogix auction ${auctionId} as DRAFT — make them live in Bidlogix.`
        : `Nothing new was created in Bidlogix auction ${auctionId}.`
      const message = failure
        ? `Stopped: ${failure} ${draft} Publish again to go on; nothing is created twice.`
        : `${job.cancelled ? 'Cancelled. ' : ''}${draft} ${counts.unchanged} unchanged, ${counts.refused} refused.`
      deps.actions.run((tx) => {
        tx.audit({
          action: 'connectors.bidlogix.published',
          entityType: 'sale',
          entityId: saleId,
          after: { job: job.id, auction: auctionId, ...counts, cancelled: job.cancelled, failure }
        })
      })
      job.emit({ phase: failure ? 'failed' : job.cancelled ? 'cancelled' : 'done', done, counts, message })
      if (failure && counts.created === 0 && done === 0) throw new AppError('offline', failure)
      return counts
    } catch (err) {
      const e = toAppError(err)
      job.emit({ phase: e.code === 'needs_confirmation' ? 'cancelled' : 'failed', message: e.message })
      throw e
    } finally {
      deps.jobs.finish(job)
    }
  }

  return { preview, publish }
}
