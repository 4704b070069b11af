// The document builders, loaded on demand by the print calls.
export { renderInvoice } from './invoice'
export { renderReceipt } from './receipt'
export { renderCheque } from './cheque'
export { chequeAlignmentPage } from './cheque-alignment'
export { renderPhoneBidderCards } from './phone-bidder-cards'
export { renderClerkSheet } from './clerk-sheet'
export { renderStatement } from './statement'
