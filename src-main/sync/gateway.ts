// The core's view of its Circuit connection: which server, whether it answers,
// and the client to talk to it. The demo simulator and a real server look the
// same from here.
import type { ConnectionState } from '../../src-shared/events'

export interface GatewayState {
  connection: ConnectionState
  demo: boolean
  serverUrl: string | null
  lastError: string | null
}

export interface CircuitGateway<Client = unknown> {
  state(): GatewayState
  onChange(cb: (s: GatewayState) => void): () => void
  /** Log in; the password is used once and never stored. Throws AppError. */
  connect(url: string, email: string, password: string): Promise<void>
  disconnect(): Promise<void>
  /** The client, or null when no server is configured. */
  client(): Client | null
  /** Record how the last request went, so the status bar tells the truth. */
  reportReachable(ok: boolean, error?: string): void
  close(): Promise<void>
}

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
    client: () => null,
    reportReachable: () => {},
    close: async () => {}
  }
}
