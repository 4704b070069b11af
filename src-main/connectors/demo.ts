// Demo mode: the FairWarning and Bidlogix simulators start in-process beside
// the Circuit demo, with a FairWarning catalogue for the demo's "Winter
// Interiors" sale and a Bidlogix auction to publish it to. Their keys are
// demo keys, held in memory only.
import { startBidlogixSimulator } from './bidlogix/simulator'
import type { ConnectorSide, ConnectorTargets } from './config'
import { DEMO_CATEGORY_MAP, DEMO_FAIRWARNING_KEY, demoCatalogue } from './fairwarning/catalogue'
import { startFairWarningSimulator } from './fairwarning/simulator'

export const DEMO_BIDLOGIX = { clientId: '7', key: 'demo-bidlogix-key', auction: '1001', webcastAuction: '1002' }

export async function startConnectorDemo(): Promise<{
  targets: ConnectorTargets
  demo: NonNullable<ConnectorSide['demo']>
  close(): Promise<void>
}> {
  const fw = await startFairWarningSimulator({ key: DEMO_FAIRWARNING_KEY, items: demoCatalogue() })
  const bl = await startBidlogixSimulator({ clientId: DEMO_BIDLOGIX.clientId, key: DEMO_BIDLOGIX.key }).catch(
    async (err: unknown) => {
      await fw.close()
      throw err
    }
  )
  return {
    targets: {
      fairwarning: { url: fw.url, key: DEMO_FAIRWARNING_KEY },
      bidlogix: { url: bl.url, clientId: DEMO_BIDLOGIX.clientId, key: DEMO_BIDLOGIX.key }
    },
    demo: {
      fairwarning: { categories: DEMO_CATEGORY_MAP, dimensionUnit: 'in' },
      bidlogix: { vendorId: 10, categoryId: 1, webcastAuctions: [DEMO_BIDLOGIX.webcastAuction] }
    },
    close: async () => {
      await Promise.all([fw.close(), bl.close()])
    }
  }
}
