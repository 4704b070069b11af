// The document layer: plain data in, PDF bytes out. No Electron here; the
// shell hands the bytes to a Printer or saves them.
export { renderInvoice } from './documents/invoice'
export { renderReceipt } from './documents/receipt'
export { renderCheque, DEFAULT_CHEQUE_LAYOUT } from './documents/cheque'
export { chequeAlignmentPage } from './documents/cheque-alignment'
export { renderPhoneBidderCards } from './documents/phone-bidder-cards'
export { renderClerkSheet } from './documents/clerk-sheet'
export { renderStatement } from './documents/statement'
export { formatAmount, formatMoney, formatEstimate } from './money-format'
export { amountInWords } from './amount-in-words'
export { formatDate } from './date-format'
export { fontsDir } from './fonts'
export type * from './types'
