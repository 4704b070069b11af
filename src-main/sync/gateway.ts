// The core's view of its Circuit connection: which server, whether it answers,
// and the client to talk to it. The demo simulator and a real server look the
// same from here.
import type { CircuitGateway, GatewayState } from '../core/ports'

export type { CircuitGateway, GatewayState }

/** No server and no demo: every look-up still answers from the replica. */
export function disconnectedGateway(): CircuitGateway<never> {
  const s: GatewayState = { connection: 'not-configured', demo: false, serverUrl: null, lastError: null }
  return {
    state: () => ({ ...s }),
    onChange: () => () => {},
    connect: async () => {
      throw new Error('This station cannot connect to Circuit.')
    },
    disconnect: async () => {},
    joinHub: async () => {
      throw new Error('This station cannot connect to a venue hub.')
    },
    leaveHub: async () => {},
    reportVenueCircuit: () => {},
    client: () => null,
    reportReachable: () => {},
    close: async () => {}
  }
}
