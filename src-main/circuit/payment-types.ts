// How a payment method is written to Circuit's `transaction_type`: the one
// table. The docs (README.txt) name "Payment", "Cheque" and "Wire Transfer";
// Circuit's own apps write cash | bank_transfer | cheque | credit_card |
// paypal. Cash is not among the docs' words, so cash is sent as Circuit's
// own `cash`; a card as the docs' "Payment" with its card fields. Reading
// accepts both vocabularies (normaliseTransactionType in decoders.ts).
export type PaymentMethod = 'cash' | 'card' | 'cheque' | 'wire'

export const TRANSACTION_TYPE_FOR: Record<PaymentMethod, string> = {
  cash: 'cash',
  card: 'Payment',
  cheque: 'Cheque',
  wire: 'Wire Transfer'
}

/** Our reference in a payment's `info`, so a read-back recognises our own payment after a lost answer. */
export function paymentReference(localId: string): string {
  return `[saleroom:${localId}]`
}
