// FairWarning → Circuit: the preview (what would be created, updated, left
// alone, refused and why) and the import (lots queued in the outbox in small
// transactions, then followed until Circuit has them), with progress and a
// cancel that never leaves a half-written lot.
import type { ConnectorCounts, FairWarningFilters, FairWarningPreview, PreviewLot } from '../../../src-shared/contract'
import { AppError } from '../../../src-shared/rpc'
import { CircuitHttpError, type CircuitItem } from '../../circuit'
import type { Kysely } from 'kysely'
import { OPEN_OUTBOX_STATES, type ConnectorLinkRow, type Database } from '../../db/schema'
import { allSaleLots, holds, lotFieldsOf } from '../circuit-lots'
import { IMPORTED_ITEM, importKey, type ImportPayload } from '../circuit-item-sync'
import { keyFor, storedFairWarning } from '../config'
import { circuitClient, readCircuit, toAppError, type ConnectorDeps } from '../deps'
import { contentHash } from '../hash'
import { checkBaseUrl } from '../http'
import type { Job } from '../jobs'
import { createFairWarningClient } from './client'
import { mapItem, type CircuitLotFields, type MappingTables } from './mapping'

/** Lots written to the outbox per transaction: small enough that a cancel waits for little. */
export const QUEUE_CHUNK = 100

interface PlannedLot {
  kind: 'create' | 'update' | 'adopt'
  sourceId: string
  lot: string
  title: string
  fields: CircuitLotFields
  hash: string
  base: CircuitLotFields | null
  /** adopt: the Circuit item that already holds exactly this lot. */
  circuitItemId: string | null
  imageUrl: string | null
}

interface StoredPreview {
  saleId: string
  saleLabel: string
  planned: PlannedLot[]
  unchanged: number
  refused: number
}

/** The link as it was before a job changed it, so a cancel can put it back. */
type PreviousLink = Pick<ConnectorLinkRow, 'hash' | 'sent' | 'state' | 'op_id' | 'job_id' | 'target_id'> | null

interface QueuedPayload extends ImportPayload {
  previous: PreviousLink
}

// Run per lot of a chunk, per discarded entry, and on every change while a job is followed:
// compiled once.
const WRITE_LINK = (
  q: Kysely<Database>,
  a: {
    sourceId: string
    saleId: string
    lot: string
    targetId: string | null
    hash: string
    sent: string
    state: ConnectorLinkRow['state']
    opId: string | null
    jobId: string | null
    note: string | null
    at: number
  }
) =>
  q
    .insertInto('connector_links')
    .values({
      source: 'fairwarning',
      source_id: a.sourceId,
      target: 'circuit',
      scope: a.saleId,
      lot: a.lot,
      target_id: a.targetId,
      hash: a.hash,
      sent: a.sent,
      state: a.state,
      op_id: a.opId,
      job_id: a.jobId,
      note: a.note,
      created_at: a.at,
      updated_at: a.at
    })
    .onConflict((oc) =>
      oc.columns(['source', 'source_id', 'target', 'scope']).doUpdateSet((eb) => ({
        lot: eb.ref('excluded.lot'),
        target_id: eb.fn.coalesce('excluded.target_id', 'connector_links.target_id'),
        hash: eb.ref('excluded.hash'),
        sent: eb.ref('excluded.sent'),
        state: eb.ref('excluded.state'),
        op_id: eb.ref('excluded.op_id'),
        job_id: eb.ref('excluded.job_id'),
        note: eb.ref('excluded.note'),
        updated_at: eb.ref('excluded.updated_at')
      }))
    )

const DISCARD_PENDING = (q: Kysely<Database>, a: { seq: number }) =>
  q
    .updateTable('outbox')
    .set({ state: 'discarded', lease_until: null })
    .where('seq', '=', a.seq)
    .where('state', '=', 'pending')

const DROP_LINK = (q: Kysely<Database>, a: { sourceId: string; saleId: string }) =>
  q
    .deleteFrom('connector_links')
    .where('source', '=', 'fairwarning')
    .where('source_id', '=', a.sourceId)
    .where('target', '=', 'circuit')
    .where('scope', '=', a.saleId)

const RESTORE_LINK = (
  q: Kysely<Database>,
  a: {
    hash: string
    sent: string
    state: ConnectorLinkRow['state']
    opId: string | null
    jobId: string | null
    targetId: string | null
    sourceId: string
    saleId: string
  }
) =>
  q
    .updateTable('connector_links')
    .set({ hash: a.hash, sent: a.sent, state: a.state, op_id: a.opId, job_id: a.jobId, target_id: a.targetId })
    .where('source', '=', 'fairwarning')
    .where('source_id', '=', a.sourceId)
    .where('target', '=', 'circuit')
    .where('scope', '=', a.saleId)

const JOB_STATES = (q: Kysely<Database>, a: { jobId: string }) =>
  q
    .selectFrom('connector_links as l')
    .innerJoin('outbox as o', 'o.op_id', 'l.op_id')
    .select((eb) => ['o.state', 'o.op', eb.fn.countAll<number>().as('n')])
    .where('l.job_id', '=', a.jobId)
    .groupBy(['o.state', 'o.op'])

const JOB_PROBLEMS = (q: Kysely<Database>, a: { jobId: string }) =>
  q
    .selectFrom('connector_links as l')
    .innerJoin('outbox as o', 'o.op_id', 'l.op_id')
    .select(['l.lot', 'o.state', 'o.last_error'])
    .where('l.job_id', '=', a.jobId)
    .where('o.state', 'in', ['needs_attention', 'conflict'])
    .orderBy('l.lot')
    .limit(50)

export function fairWarningImport(deps: ConnectorDeps) {
  const { db } = deps
  const previews = new Map<string, StoredPreview>()
  const watchers = new Set<() => void>()

  function links(saleId: string): ConnectorLinkRow[] {
    return db.all(
      db.q
        .selectFrom('connector_links')
        .selectAll()
        .where('source', '=', 'fairwarning')
        .where('target', '=', 'circuit')
        .where('scope', '=', saleId)
    )
  }

  /** The import entries not yet settled, by op id, with their state. */
  function openOps(): Map<string, string> {
    const rows = db.all(
      db.q
        .selectFrom('outbox')
        .select(['op_id', 'state'])
        .where('entity_type', '=', IMPORTED_ITEM)
        .where('state', 'in', OPEN_OUTBOX_STATES)
    )
    return new Map(rows.map((r) => [r.op_id, r.state]))
  }

  /** A link that stands: the lot is on Circuit, or its entry is still on its way. */
  const live = (link: ConnectorLinkRow | undefined, open: Map<string, string>): boolean =>
    !!link && (link.state === 'done' || (link.state === 'queued' && link.op_id !== null && open.has(link.op_id)))

  /** The link's last change stopped on the Sync screen (refused by Circuit, or a conflict). */
  const stuck = (link: ConnectorLinkRow | undefined, open: Map<string, string>): string | null => {
    const state = link?.state === 'queued' && link.op_id ? open.get(link.op_id) : undefined
    return state === 'needs_attention' || state === 'conflict' ? state.replace('_', ' ') : null
  }

  async function client() {
    const s = storedFairWarning(db, deps.side)
    const url = deps.side?.targets.fairwarning?.url ?? s.url
    const key = await keyFor(deps.side, 'fairwarning')
    if (!url || !key)
      throw new AppError('conflict', 'FairWarning is not set up: enter its address and API key under Connectors (F8).')
    return {
      settings: s,
      fw: createFairWarningClient({
        baseUrl: checkBaseUrl(url, 'FairWarning'),
        key,
        keyTransport: s.keyTransport,
        limitMeaning: s.limitMeaning,
        pageSize: s.pageSize,
        retryBaseMs: deps.side?.retryBaseMs
      })
    }
  }

  async function preview(saleId: string, filters: FairWarningFilters): Promise<FairWarningPreview> {
    const { settings, fw } = await client()
    const circuit = circuitClient(deps)
    let fetched: [
      Awaited<ReturnType<typeof fw.listAll>>,
      string,
      CircuitItem[],
      { id: string; number: string | null }[]
    ]
    try {
      fetched = await Promise.all([
        fw.listAll(filters),
        readCircuit(() => circuit.sales.get(saleId)).then((s) => s.label),
        readCircuit(() => allSaleLots(circuit, saleId)),
        readCircuit(() => circuit.listAll('consignments.list', { params: { sale_id: saleId } }, { range: 100 })).then(
          (cs) =>
            cs
              .filter((c) => c.saleId === null || c.saleId === saleId)
              .map((c) => ({ id: c.id, number: c.consignmentNumber }))
        )
      ])
    } catch (err) {
      if (err instanceof CircuitHttpError && err.status === 404)
        throw new AppError('not_found', `Circuit has no sale ${saleId}.`)
      throw toAppError(err)
    }
    const [list, saleLabel, circuitLots, consignments] = fetched
    const tables: MappingTables = {
      categories: settings.categories,
      consignors: settings.consignments[saleId] ?? {},
      consignmentsByNumber: Object.fromEntries(
        consignments.filter((c) => c.number).map((c) => [c.number!.toUpperCase(), c.id])
      ),
      dimensionUnit: settings.dimensionUnit,
      decimals: circuit.currencyDecimals()
    }
    const circuitByLot = new Map(circuitLots.map((l) => [l.lot.toUpperCase(), l]))
    const all = links(saleId)
    const bySource = new Map(all.map((l) => [l.source_id, l]))
    const byLot = new Map(all.map((l) => [l.lot, l]))
    const open = openOps()

    const out: Pick<FairWarningPreview, 'create' | 'update' | 'unchanged' | 'refused' | 'collisions'> = {
      create: [],
      update: [],
      unchanged: [],
      refused: [],
      collisions: []
    }
    const unmapped = { categories: new Set<string>(), consignors: new Set<string>() }
    const planned: PlannedLot[] = []
    const firstAt = new Map<string, string>()

    for (const u of list.unreadable)
      out.refused.push({
        sourceId: u.itemId ?? '?',
        lot: u.lot ?? '?',
        title: '',
        reason: `FairWarning sent it in a form that cannot be read (${u.problem})`,
        warnings: []
      })
    const items = [...list.items].sort(
      (a, b) =>
        Number(a.lot ?? 0) - Number(b.lot ?? 0) ||
        (a.lotSuffix ?? '').localeCompare(b.lotSuffix ?? '') ||
        Number(a.itemId) - Number(b.itemId)
    )
    for (const item of items) {
      const m = mapItem(item, tables)
      if (!m.ok) {
        if (m.unmapped?.category) unmapped.categories.add(m.unmapped.category)
        if (m.unmapped?.consignor) unmapped.consignors.add(m.unmapped.consignor)
        out.refused.push({ sourceId: item.itemId, lot: m.lot, title: m.title, reason: m.reason, warnings: m.warnings })
        continue
      }
      const f = m.fields
      const row = (reason?: string): PreviewLot => ({
        sourceId: item.itemId,
        lot: f.lot,
        title: f.title,
        ...(reason ? { reason } : {}),
        warnings: m.warnings
      })
      const first = firstAt.get(f.lot)
      if (first) {
        out.refused.push(
          row(`FairWarning holds lot ${f.lot} twice (items ${first} and ${item.itemId}); only the first is imported`)
        )
        continue
      }
      firstAt.set(f.lot, item.itemId)
      const hash = contentHash(f)
      const link = bySource.get(item.itemId)
      const other = byLot.get(f.lot)
      const onCircuit = circuitByLot.get(f.lot)
      const plan = (kind: PlannedLot['kind'], base: CircuitLotFields | null, circuitItemId: string | null = null) =>
        planned.push({
          kind,
          sourceId: item.itemId,
          lot: f.lot,
          title: f.title,
          fields: f,
          hash,
          base,
          circuitItemId,
          imageUrl: m.imageUrl
        })

      if (other && other.source_id !== item.itemId && live(other, open)) {
        out.refused.push(row(`lot ${f.lot} of this sale was imported from FairWarning item ${other.source_id}`))
        continue
      }
      if (link && link.lot !== f.lot && live(link, open)) {
        out.refused.push(
          row(
            `FairWarning moved it from lot ${link.lot} to lot ${f.lot}; renumber lot ${link.lot} in Circuit, then preview again`
          )
        )
        continue
      }
      const stopped = stuck(link, open)
      if (stopped) {
        out.refused.push(row(`its last change waits on the Sync screen (F4): ${stopped}; settle it there first`))
        continue
      }
      if (link && live(link, open)) {
        if (link.state === 'done' && !onCircuit) {
          out.refused.push(row(`it was imported as lot ${f.lot}, which Circuit no longer has in this sale`))
          continue
        }
        if (link.hash === hash) {
          out.unchanged.push(row())
          continue
        }
        const base = JSON.parse(link.sent) as CircuitLotFields
        const moved =
          base.consignmentId !== f.consignmentId ? 'consignment' : base.categoryId !== f.categoryId ? 'category' : null
        if (moved) {
          out.refused.push(
            row(`its ${moved} changed since it was imported; an item's ${moved} is changed in Circuit itself`)
          )
          continue
        }
        out.update.push(row())
        plan('update', base)
        continue
      }
      if (onCircuit) {
        if (holds(onCircuit, f)) {
          out.unchanged.push(row())
          plan('adopt', null, onCircuit.id)
        } else if (link && link.target_id === onCircuit.id) {
          // Ours, but its last change never reached Circuit (discarded on the Sync screen).
          out.update.push(row())
          plan('update', lotFieldsOf(onCircuit, f.dimensions?.unit ?? settings.dimensionUnit))
        } else {
          out.collisions.push(f.lot)
          out.refused.push(row(`lot ${f.lot} is already in this sale on Circuit ("${onCircuit.title}")`))
        }
        continue
      }
      out.create.push(row())
      plan('create', null)
    }

    const notes: string[] = []
    if (list.duplicates > 0)
      notes.push(
        `FairWarning sent ${list.duplicates} item${list.duplicates === 1 ? '' : 's'} more than once across pages; each is taken once.`
      )
    if (list.items.length + list.unreadable.length === 0) notes.push('FairWarning has no items matching these filters.')
    if (unmapped.categories.size || unmapped.consignors.size)
      notes.push('Some lots wait for a row in the category or consignor table; add it and preview again.')

    const previewId = deps.ids.next()
    previews.set(previewId, {
      saleId,
      saleLabel,
      planned,
      unchanged: out.unchanged.length - planned.filter((p) => p.kind === 'adopt').length,
      refused: out.refused.length
    })
    // Keep the last few: a preview is cheap to make again.
    while (previews.size > 20) previews.delete(previews.keys().next().value!)
    return {
      previewId,
      saleId,
      saleLabel,
      ...out,
      unmapped: { categories: [...unmapped.categories].sort(), consignors: [...unmapped.consignors].sort() },
      notes,
      total: list.items.length + list.unreadable.length
    }
  }

  function linkOf(saleId: string, sourceId: string): ConnectorLinkRow | undefined {
    return db.first(
      db.q
        .selectFrom('connector_links')
        .selectAll()
        .where('source', '=', 'fairwarning')
        .where('source_id', '=', sourceId)
        .where('target', '=', 'circuit')
        .where('scope', '=', saleId)
    )
  }

  function writeLink(
    saleId: string,
    p: PlannedLot,
    v: Pick<ConnectorLinkRow, 'state' | 'op_id' | 'job_id' | 'target_id'>,
    now: number
  ): void {
    // A link that already knows its Circuit item keeps it when this write knows none (a queued update).
    db.prepared(WRITE_LINK).run({
      sourceId: p.sourceId,
      saleId,
      lot: p.lot,
      targetId: v.target_id,
      hash: p.hash,
      sent: JSON.stringify(p.fields),
      state: v.state,
      opId: v.op_id,
      jobId: v.job_id,
      note: p.imageUrl,
      at: now
    })
  }

  /** Queue one chunk in one transaction: ledger rows, outbox entries and the audit entry together. */
  function queueChunk(job: Job, stored: StoredPreview, chunk: PlannedLot[], counts: ConnectorCounts): number {
    const { saleId, saleLabel } = stored
    return deps.actions.run((tx) => {
      const open = openOps()
      let queued = 0
      const lots: string[] = []
      for (const p of chunk) {
        const link = linkOf(saleId, p.sourceId)
        // Run twice, or overtaken by another import: what stands already is not sent again.
        if (live(link, open) && link!.hash === p.hash) {
          counts.unchanged++
          continue
        }
        if (p.kind === 'adopt') {
          writeLink(saleId, p, { state: 'done', op_id: null, job_id: job.id, target_id: p.circuitItemId }, tx.now)
          counts.unchanged++
          continue
        }
        // A create needs no standing link; an update needs one (on its way, done, or once made on Circuit).
        const standing = live(link, open) || (!!link && link.target_id !== null)
        if (p.kind === 'create' ? live(link, open) : !standing || stuck(link, open) !== null) {
          counts.refused++
          job.problems.push({ lot: p.lot, reason: 'changed since the preview; preview again' })
          continue
        }
        const payload: QueuedPayload = {
          kind: p.kind,
          saleId,
          saleLabel,
          lot: p.lot,
          source: 'fairwarning',
          sourceId: p.sourceId,
          jobId: job.id,
          target: p.fields,
          base: p.base,
          previous: link
            ? {
                hash: link.hash,
                sent: link.sent,
                state: link.state,
                op_id: link.op_id,
                job_id: link.job_id,
                target_id: link.target_id
              }
            : null
        }
        const opId = tx.enqueue({
          entityType: IMPORTED_ITEM,
          entityId: importKey(saleId, p.lot),
          op: p.kind === 'create' ? 'connector.createItem' : 'connector.updateItem',
          payload,
          label: `${p.kind === 'create' ? 'Create' : 'Update'} lot ${p.lot} “${p.title}” in ${saleLabel} (from FairWarning)`
        })
        writeLink(saleId, p, { state: 'queued', op_id: opId, job_id: job.id, target_id: null }, tx.now)
        if (p.kind === 'create') counts.created++
        else counts.updated++
        queued++
        lots.push(p.lot)
      }
      tx.audit({
        action: 'connectors.fairwarning.import',
        entityType: 'sale',
        entityId: saleId,
        after: { job: job.id, queued, lots }
      })
      tx.changed('imported_item', null, saleId)
      return queued
    })
  }

  /**
   * Cancel: entries of the job not yet sent are discarded and their ledger rows
   * put back as they were; entries already on their way finish (the read-back
   * decides them), so no lot is ever half written.
   */
  function discardUnsent(job: Job): number {
    return deps.actions.run((tx) => {
      const rows = db.all(
        db.q
          .selectFrom('connector_links as l')
          .innerJoin('outbox as o', 'o.op_id', 'l.op_id')
          .select(['o.seq', 'o.payload'])
          .where('l.job_id', '=', job.id)
          .where('o.state', '=', 'pending')
          .where('o.sent_at', 'is', null)
      )
      for (const r of rows) {
        const p = JSON.parse(r.payload) as QueuedPayload
        db.prepared(DISCARD_PENDING).run({ seq: r.seq })
        if (p.previous === null) db.prepared(DROP_LINK).run({ sourceId: p.sourceId, saleId: p.saleId })
        else
          // A payload is JSON written by an earlier version: a field it lacks is NULL, as it always was.
          db.prepared(RESTORE_LINK).run({
            hash: p.previous.hash,
            sent: p.previous.sent,
            state: p.previous.state,
            opId: p.previous.op_id ?? null,
            jobId: p.previous.job_id ?? null,
            targetId: p.previous.target_id ?? null,
            sourceId: p.sourceId,
            saleId: p.saleId
          })
      }
      tx.audit({
        action: 'connectors.cancel',
        entityType: 'sale',
        entityId: job.saleId,
        after: { job: job.id, discarded: rows.length }
      })
      tx.changed('outbox', null)
      return rows.length
    })
  }

  /** Where the job's entries stand. */
  function delivery(job: Job) {
    const rows = db.prepared(JOB_STATES).all({ jobId: job.id })
    let open = 0
    let settled = 0
    let created = 0
    let updated = 0
    let stopped = 0
    for (const r of rows) {
      if (r.state === 'discarded') continue
      if (r.state === 'needs_attention' || r.state === 'conflict') {
        stopped += r.n
        settled += r.n
        continue
      }
      if (r.state === 'done') settled += r.n
      else open += r.n
      if (r.op === 'connector.createItem') created += r.n
      else updated += r.n
    }
    const problems = db
      .prepared(JOB_PROBLEMS)
      .all({ jobId: job.id })
      .map((r) => ({
        lot: r.lot,
        reason: r.last_error ?? (r.state === 'conflict' ? 'conflict with Circuit' : 'needs attention')
      }))
    return { open, settled, created, updated, stopped, problems }
  }

  /**
   * Follow the job's entries through the outbox. Answers when every one is
   * settled — or sooner, when Circuit is not answering or sending is paused
   * (the lots wait safely in the outbox); progress goes on being reported.
   */
  function follow(job: Job, base: ConnectorCounts, saleLabel: string): Promise<ConnectorCounts> {
    return new Promise((resolve) => {
      let answered = false
      let scheduled = false
      const offs: (() => void)[] = []
      const stop = () => {
        for (const o of offs) o()
        watchers.delete(stop)
        deps.jobs.finish(job)
      }
      const countsNow = (d: ReturnType<typeof delivery>): ConnectorCounts => ({
        created: d.created,
        updated: d.updated,
        unchanged: base.unchanged,
        refused: base.refused + d.stopped
      })
      const check = () => {
        scheduled = false
        const d = delivery(job)
        const counts = countsNow(d)
        const total = d.open + d.settled
        const blocked =
          deps.circuit.state().connection !== 'online'
            ? 'Circuit is not answering'
            : (deps.sender?.state().paused?.reason ?? null)
        if (d.open === 0) {
          const parts = [`${counts.created} created`, `${counts.updated} updated`, `${counts.unchanged} unchanged`]
          const tail = d.stopped ? `; ${d.stopped} need attention on the Sync screen (F4)` : ''
          job.emit({
            phase: job.cancelled ? 'cancelled' : 'done',
            done: total,
            total,
            counts,
            problems: [...job.problems.filter((p) => !d.problems.some((q) => q.lot === p.lot)), ...d.problems],
            message: `${job.cancelled ? 'Cancelled. ' : ''}${saleLabel}: ${parts.join(', ')} on Circuit, ${counts.refused} refused${tail}.`
          })
          stop()
          if (!answered) resolve(counts)
          answered = true
          return
        }
        job.emit({
          phase: 'sending',
          done: d.settled,
          total,
          counts,
          problems: d.problems,
          message: blocked
            ? `${d.open} lots wait in the outbox (${blocked}); they go to Circuit by themselves.`
            : `Sending to Circuit: ${d.settled} of ${total}.`
        })
        if (blocked && !answered) {
          answered = true
          resolve(counts)
        }
      }
      const soon = () => {
        if (scheduled) return
        scheduled = true
        setImmediate(check)
      }
      offs.push(
        deps.events.subscribe((name, payload) => {
          if (name !== 'data.changed') return
          const e = (payload as { entity: string }).entity
          if (e === IMPORTED_ITEM || e === 'outbox') soon()
        }),
        deps.circuit.onChange(soon),
        ...(deps.sender ? [deps.sender.onChange(soon)] : [])
      )
      job.onCancel(() => {
        discardUnsent(job)
        soon()
      })
      watchers.add(stop)
      check()
    })
  }

  async function importLots(saleId: string, previewId: string): Promise<ConnectorCounts> {
    const stored = previews.get(previewId)
    if (!stored)
      throw new AppError(
        'not_found',
        'That preview is no longer here (Saleroom restarted, or it is too old): preview again.'
      )
    if (stored.saleId !== saleId)
      throw new AppError('invalid_input', `That preview is of sale ${stored.saleId}, not ${saleId}.`)
    const job = deps.jobs.start(deps.ids.next(), 'fairwarning', saleId, 'An import from FairWarning')
    let following = false
    try {
      const counts: ConnectorCounts = { created: 0, updated: 0, unchanged: stored.unchanged, refused: stored.refused }
      const todo = stored.planned
      job.emit({
        phase: 'queueing',
        done: 0,
        total: todo.length,
        counts,
        message: `Queueing ${todo.length} lots for Circuit…`
      })
      let queued = 0
      for (let i = 0; i < todo.length && !job.stopping; i += QUEUE_CHUNK) {
        const chunk = todo.slice(i, i + QUEUE_CHUNK)
        queued += queueChunk(job, stored, chunk, counts)
        job.emit({
          done: Math.min(i + chunk.length, todo.length),
          counts,
          message: `Queued ${queued} of ${todo.length} lots…`
        })
        // Let the sender, the screen and a cancel in between two chunks.
        await new Promise((r) => setImmediate(r))
      }
      if (job.cancelled) discardUnsent(job)
      // Queued: another import may start; this one stays cancellable until Circuit has its lots.
      job.exclusive = false
      following = true
      return await follow(job, { ...counts, created: 0, updated: 0 }, stored.saleLabel)
    } finally {
      if (!following) deps.jobs.finish(job)
    }
  }

  return {
    preview,
    importLots,
    close: () => {
      for (const stop of [...watchers]) stop()
    }
  }
}
