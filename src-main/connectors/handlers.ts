// The connectors capability's calls: settings (keys to the secret store,
// never the replica, the audit or the logs), the mapping tables, and the
// FairWarning import and Bidlogix publish with their previews.
import type { ConnectorsStatus } from '../../src-shared/contract'
import type { connectorsCalls } from '../../src-shared/contract/connectors'
import { AppError } from '../../src-shared/rpc'
import type { HandlersFor } from '../core/dispatcher'
import {
  bidlogixSettings,
  fairWarningSettings,
  SECRET_KEYS,
  storedBidlogix,
  storedFairWarning,
  writeStored,
  type StoredBidlogix,
  type StoredFairWarning
} from './config'
import { circuitClient, readCircuit, toAppError, type ConnectorDeps } from './deps'
import { checkBaseUrl } from './http'
import { bidlogixPublish, type PublishOptions } from './bidlogix/publish'
import { fairWarningImport } from './fairwarning/import'

export function connectorHandlers(deps: ConnectorDeps, o: { publish?: PublishOptions } = {}) {
  const { db, actions } = deps
  const imports = fairWarningImport(deps)
  const publishes = bidlogixPublish(deps, o.publish)

  async function status(): Promise<ConnectorsStatus> {
    return {
      demo: deps.side?.demo !== null && deps.side?.demo !== undefined,
      keyStore: deps.side?.keyStore ?? 'nowhere: this station has no secret store, so keys cannot be kept',
      fairwarning: await fairWarningSettings(db, deps.side),
      bidlogix: await bidlogixSettings(db, deps.side)
    }
  }

  function requireSide() {
    if (!deps.side) throw new AppError('conflict', 'This station cannot keep connector keys (no secret store).')
    return deps.side
  }

  /** A key goes to the secret store first; the settings and the audit entry (which says only "key changed") follow. */
  async function saveKey(connector: 'fairwarning' | 'bidlogix', key: string | null | undefined) {
    if (key === undefined) return
    const side = requireSide()
    if (side.targets[connector]?.key)
      throw new AppError(
        'conflict',
        `The ${connector === 'fairwarning' ? 'FairWarning' : 'Bidlogix'} key comes from the environment on this station and cannot be changed here.`
      )
    if (key === null) await side.secrets.delete(SECRET_KEYS[connector])
    else await side.secrets.set(SECRET_KEYS[connector], key)
  }

  function checkUrl(url: string | null | undefined, platform: string, fromEnv: boolean): string | null | undefined {
    if (url === undefined || url === null) return url
    if (fromEnv)
      throw new AppError(
        'conflict',
        `The ${platform} address comes from the environment on this station and cannot be changed here.`
      )
    try {
      return checkBaseUrl(url, platform)
    } catch (err) {
      throw toAppError(err)
    }
  }

  function saveFairWarning(next: StoredFairWarning, audit: Record<string, unknown>) {
    actions.run((tx) => {
      writeStored(db, 'fairwarning', next, tx.now)
      tx.audit({
        action: 'connectors.fairwarning.configure',
        entityType: 'connector',
        entityId: 'fairwarning',
        after: audit
      })
      tx.changed('settings', null)
    })
  }

  function saveBidlogix(next: StoredBidlogix, audit: Record<string, unknown>) {
    actions.run((tx) => {
      writeStored(db, 'bidlogix', next, tx.now)
      tx.audit({ action: 'connectors.bidlogix.configure', entityType: 'connector', entityId: 'bidlogix', after: audit })
      tx.changed('settings', null)
    })
  }

  const handlers: HandlersFor<typeof connectorsCalls> = {
    'connectors.status': status,

    'connectors.fairwarning.configure': async ({ key, ...rest }) => {
      const current = storedFairWarning(db, deps.side)
      const url = checkUrl(rest.url, 'FairWarning', deps.side?.targets.fairwarning !== undefined)
      await saveKey('fairwarning', key)
      const { url: _u, ...others } = rest
      saveFairWarning(
        { ...current, ...others, ...(url !== undefined ? { url } : {}) },
        {
          ...others,
          ...(url !== undefined ? { url } : {}),
          ...(key !== undefined ? { key: key === null ? 'forgotten' : 'changed' } : {})
        }
      )
      return status()
    },

    'connectors.fairwarning.mapCategory': async ({ fairwarningCategory, circuitCategory }) => {
      const current = storedFairWarning(db, deps.side)
      const categories = { ...current.categories }
      if (circuitCategory === null) delete categories[fairwarningCategory]
      else categories[fairwarningCategory] = circuitCategory
      saveFairWarning({ ...current, categories }, { category: fairwarningCategory, circuitCategory })
      return status()
    },

    'connectors.fairwarning.mapConsignor': async ({ saleId, consignor, consignmentId }) => {
      const current = storedFairWarning(db, deps.side)
      const table = { ...(current.consignments[saleId] ?? {}) }
      if (consignmentId === null) delete table[consignor]
      else table[consignor] = consignmentId
      saveFairWarning(
        { ...current, consignments: { ...current.consignments, [saleId]: table } },
        { sale: saleId, consignor, consignmentId }
      )
      return status()
    },

    'connectors.circuitChoices': async ({ saleId }) => {
      const circuit = circuitClient(deps)
      try {
        const [sale, categories, consignments] = await Promise.all([
          readCircuit(() => circuit.sales.get(saleId)),
          readCircuit(() => circuit.categories.all()),
          readCircuit(() => circuit.listAll('consignments.list', { params: { sale_id: saleId } }, { range: 100 }))
        ])
        return {
          saleLabel: sale.label,
          categories: categories.map((c) => ({ id: c.id, label: c.label })),
          consignments: consignments
            .filter((c) => c.saleId === null || c.saleId === saleId)
            .map((c) => ({ id: c.id, label: c.label || c.consignmentNumber || c.id }))
        }
      } catch (err) {
        throw toAppError(err)
      }
    },

    'connectors.fairwarning.preview': ({ saleId, filters }) => imports.preview(saleId, filters),

    'connectors.fairwarning.import': ({ saleId, previewId }) => imports.importLots(saleId, previewId),

    'connectors.bidlogix.configure': async ({ key, ...rest }) => {
      const current = storedBidlogix(db, deps.side)
      const env = deps.side?.targets.bidlogix
      const url = checkUrl(rest.url, 'Bidlogix', env !== undefined)
      if (rest.clientId !== undefined && env?.clientId)
        throw new AppError(
          'conflict',
          'The Bidlogix client id comes from the environment on this station and cannot be changed here.'
        )
      await saveKey('bidlogix', key)
      const { url: _u, ...others } = rest
      saveBidlogix(
        { ...current, ...others, ...(url !== undefined ? { url } : {}) },
        {
          ...others,
          ...(url !== undefined ? { url } : {}),
          ...(key !== undefined ? { key: key === null ? 'forgotten' : 'changed' } : {})
        }
      )
      return status()
    },

    'connectors.bidlogix.setWebcast': async ({ auctionId, webcast }) => {
      const current = storedBidlogix(db, deps.side)
      const id = String(auctionId)
      const set = new Set(current.webcastAuctions)
      if (webcast) set.add(id)
      else set.delete(id)
      saveBidlogix({ ...current, webcastAuctions: [...set].sort() }, { auction: id, webcast })
      return status()
    },

    'connectors.bidlogix.preview': ({ saleId, auctionId }) => publishes.preview(saleId, String(auctionId)),

    'connectors.bidlogix.publish': ({ saleId, auctionId, confirm }) =>
      publishes.publish(saleId, String(auctionId), confirm === true),

    'connectors.cancel': ({ jobId }) => {
      const job = deps.jobs.get(jobId)
      if (!job) throw new AppError('not_found', 'That import or publish has already ended.')
      job.cancel()
      return { jobId, cancelled: true }
    }
  }

  return {
    handlers,
    close: () => {
      deps.jobs.haltAll()
      imports.close()
    }
  }
}
