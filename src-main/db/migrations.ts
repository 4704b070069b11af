// Migrations are an explicit, ordered list (bundling cannot load migration
// files from disk). Each runs in one transaction together with its
// `user_version` bump, so a crash leaves the replica at the old version or the
// new one, never in between. Never edit a shipped migration: add a new one.
import type BetterSqlite3 from 'better-sqlite3'

export interface Migration {
  version: number
  name: string
  up(db: BetterSqlite3.Database): void
}

const v1Core: Migration = {
  version: 1,
  name: 'core replica, outbox, audit',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      -- Synced tables keep Circuit's id, its updated stamp (the base for
      -- conflict detection) and the raw JSON the row came from.
      CREATE TABLE sales (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        sale_number TEXT,
        sale_date TEXT,
        status TEXT NOT NULL,
        item_count INTEGER,
        venue TEXT,
        lots_locked INTEGER NOT NULL DEFAULT 0 CHECK (lots_locked IN (0, 1)),
        buyers_premium TEXT,
        server_updated TEXT,
        raw TEXT NOT NULL,
        pulled_at INTEGER
      ) STRICT;

      CREATE TABLE sale_sessions (
        id TEXT PRIMARY KEY,
        sale_id TEXT NOT NULL REFERENCES sales(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        date TEXT,
        first_lot TEXT,
        last_lot TEXT,
        auctioneer TEXT,
        server_updated TEXT,
        raw TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sale_sessions_sale ON sale_sessions(sale_id, number);

      CREATE TABLE clients (
        id TEXT PRIMARY KEY,
        uuid TEXT,
        first_name TEXT NOT NULL,
        last_name TEXT NOT NULL,
        company TEXT,
        display_name TEXT NOT NULL,
        email TEXT,
        phone TEXT,
        customer_number TEXT,
        status TEXT NOT NULL,
        address TEXT,
        server_updated TEXT,
        raw TEXT NOT NULL
      ) STRICT;
      CREATE INDEX clients_customer_number ON clients(customer_number);
      CREATE INDEX clients_name ON clients(last_name COLLATE NOCASE, first_name COLLATE NOCASE);

      CREATE TABLE items (
        id TEXT PRIMARY KEY,
        sale_id TEXT NOT NULL REFERENCES sales(id) ON DELETE CASCADE,
        lot TEXT NOT NULL,
        lot_number INTEGER,
        lot_letter TEXT NOT NULL DEFAULT '',
        lot_sort TEXT NOT NULL,
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        estimate_low INTEGER,
        estimate_high INTEGER,
        reserve INTEGER,
        opening_price INTEGER,
        hammer INTEGER,
        status TEXT NOT NULL CHECK (status IN ('available', 'sold', 'unsold', 'passed', 'withdrawn')),
        winner_client_id TEXT,
        winner_paddle TEXT,
        consignment_id TEXT,
        consignor_name TEXT,
        category TEXT,
        location TEXT,
        server_updated TEXT,
        raw TEXT NOT NULL
      ) STRICT;
      CREATE INDEX items_sale_lot ON items(sale_id, lot_sort);
      CREATE INDEX items_lot ON items(lot);
      CREATE INDEX items_winner ON items(winner_client_id);

      CREATE TABLE sale_bidders (
        id TEXT PRIMARY KEY,
        sale_id TEXT NOT NULL REFERENCES sales(id) ON DELETE CASCADE,
        client_id TEXT NOT NULL,
        paddle TEXT NOT NULL,
        bidder_type TEXT NOT NULL CHECK (bidder_type IN ('floor', 'phone', 'absentee', 'online', 'agent')),
        server_updated TEXT,
        raw TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX sale_bidders_paddle ON sale_bidders(sale_id, paddle);
      CREATE INDEX sale_bidders_client ON sale_bidders(client_id);

      CREATE TABLE phone_bidder_cards (
        id TEXT PRIMARY KEY,
        sale_id TEXT NOT NULL REFERENCES sales(id) ON DELETE CASCADE,
        session_id TEXT,
        client_id TEXT NOT NULL,
        paddle TEXT,
        phone TEXT,
        staff TEXT,
        server_updated TEXT,
        raw TEXT NOT NULL
      ) STRICT;
      CREATE INDEX phone_cards_session ON phone_bidder_cards(sale_id, session_id);

      CREATE TABLE phone_card_lots (
        card_id TEXT NOT NULL REFERENCES phone_bidder_cards(id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        PRIMARY KEY (card_id, item_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX phone_card_lots_item ON phone_card_lots(item_id);

      -- Orders and transactions may be created offline: their local id is the
      -- primary key and server_id arrives later (see id_map).
      CREATE TABLE orders (
        id TEXT PRIMARY KEY,
        server_id TEXT UNIQUE,
        order_number TEXT,
        provisional_number TEXT,
        type TEXT NOT NULL,
        status TEXT NOT NULL,
        sale_id TEXT,
        client_id TEXT,
        customer_number TEXT,
        grand_total INTEGER,
        amount_due INTEGER,
        payment_received INTEGER,
        created TEXT,
        server_updated TEXT,
        raw TEXT
      ) STRICT;
      CREATE INDEX orders_sale_client ON orders(sale_id, client_id);

      CREATE TABLE order_lines (
        order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        lot TEXT,
        description TEXT,
        hammer INTEGER,
        premium INTEGER,
        tax_id TEXT,
        PRIMARY KEY (order_id, item_id)
      ) STRICT;
      CREATE INDEX order_lines_item ON order_lines(item_id);

      CREATE TABLE order_charges (
        id INTEGER PRIMARY KEY,
        order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        term_id TEXT,
        label TEXT,
        amount INTEGER NOT NULL,
        tax INTEGER,
        description TEXT
      ) STRICT;
      CREATE INDEX order_charges_order ON order_charges(order_id);

      CREATE TABLE transactions (
        id TEXT PRIMARY KEY,
        server_id TEXT UNIQUE,
        order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        amount INTEGER NOT NULL,
        date TEXT,
        card_type TEXT,
        card_last4 TEXT,
        cheque_number TEXT,
        cheque_date TEXT,
        bank_id TEXT,
        info TEXT,
        created TEXT,
        server_updated TEXT,
        raw TEXT
      ) STRICT;
      CREATE INDEX transactions_order ON transactions(order_id);

      -- Payment types, bank accounts, charge terms, bid steps, tax types, VAT amounts.
      CREATE TABLE reference_terms (
        vocabulary TEXT NOT NULL CHECK (vocabulary IN
          ('payment_types', 'bank_accounts', 'additional_charges', 'bid_steps', 'tax_types', 'vat_amounts')),
        id TEXT NOT NULL,
        label TEXT NOT NULL,
        attrs TEXT NOT NULL DEFAULT '{}',
        raw TEXT NOT NULL,
        PRIMARY KEY (vocabulary, id)
      ) STRICT;

      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        op_id TEXT NOT NULL UNIQUE,
        entity_type TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        op TEXT NOT NULL,
        payload TEXT NOT NULL,
        payload_version INTEGER NOT NULL,
        base_version TEXT,
        depends_on TEXT,
        state TEXT NOT NULL DEFAULT 'pending'
          CHECK (state IN ('pending', 'in_flight', 'unknown', 'done', 'needs_attention')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        lease_until INTEGER,
        last_status INTEGER,
        last_error TEXT,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX outbox_ready ON outbox(state, next_attempt_at, seq);
      CREATE INDEX outbox_entity ON outbox(entity_type, entity_id, seq);

      CREATE TABLE id_map (
        entity_type TEXT NOT NULL,
        local_id TEXT NOT NULL,
        server_id TEXT NOT NULL,
        mapped_at INTEGER NOT NULL,
        PRIMARY KEY (entity_type, local_id),
        UNIQUE (entity_type, server_id)
      ) STRICT;

      CREATE TABLE sync_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        station TEXT NOT NULL,
        action TEXT NOT NULL,
        entity_type TEXT,
        entity_id TEXT,
        before TEXT,
        after TEXT
      ) STRICT;
      CREATE INDEX audit_log_entity ON audit_log(entity_type, entity_id);
    `)
  }
}

const v2Search: Migration = {
  version: 2,
  name: 'full-text search for look-ups',
  up(db) {
    // External-content FTS5 tables over items and clients, kept in step by
    // triggers, so look-ups answer from the replica without the server.
    db.exec(`
      CREATE VIRTUAL TABLE items_fts USING fts5(
        lot, title, description, content='items', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER items_fts_ai AFTER INSERT ON items BEGIN
        INSERT INTO items_fts(rowid, lot, title, description) VALUES (new.rowid, new.lot, new.title, new.description);
      END;
      CREATE TRIGGER items_fts_ad AFTER DELETE ON items BEGIN
        INSERT INTO items_fts(items_fts, rowid, lot, title, description)
          VALUES ('delete', old.rowid, old.lot, old.title, old.description);
      END;
      CREATE TRIGGER items_fts_au AFTER UPDATE OF lot, title, description ON items BEGIN
        INSERT INTO items_fts(items_fts, rowid, lot, title, description)
          VALUES ('delete', old.rowid, old.lot, old.title, old.description);
        INSERT INTO items_fts(rowid, lot, title, description) VALUES (new.rowid, new.lot, new.title, new.description);
      END;
      INSERT INTO items_fts(items_fts) VALUES ('rebuild');

      CREATE VIRTUAL TABLE clients_fts USING fts5(
        display_name, company, email, customer_number, content='clients', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER clients_fts_ai AFTER INSERT ON clients BEGIN
        INSERT INTO clients_fts(rowid, display_name, company, email, customer_number)
          VALUES (new.rowid, new.display_name, new.company, new.email, new.customer_number);
      END;
      CREATE TRIGGER clients_fts_ad AFTER DELETE ON clients BEGIN
        INSERT INTO clients_fts(clients_fts, rowid, display_name, company, email, customer_number)
          VALUES ('delete', old.rowid, old.display_name, old.company, old.email, old.customer_number);
      END;
      CREATE TRIGGER clients_fts_au AFTER UPDATE OF display_name, company, email, customer_number ON clients BEGIN
        INSERT INTO clients_fts(clients_fts, rowid, display_name, company, email, customer_number)
          VALUES ('delete', old.rowid, old.display_name, old.company, old.email, old.customer_number);
        INSERT INTO clients_fts(rowid, display_name, company, email, customer_number)
          VALUES (new.rowid, new.display_name, new.company, new.email, new.customer_number);
      END;
      INSERT INTO clients_fts(clients_fts) VALUES ('rebuild');
    `)
  }
}

const v3Outbox: Migration = {
  version: 3,
  name: 'outbox states for the pusher, conflicts, the clerk undo stack',
  up(db) {
    // SQLite cannot change a CHECK constraint in place: rebuild the outbox with
    // the states the pusher needs (conflict, discarded) and the columns it keeps.
    db.exec(`
      CREATE TABLE outbox_v3 (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        op_id TEXT NOT NULL UNIQUE,
        entity_type TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        op TEXT NOT NULL,
        payload TEXT NOT NULL,
        payload_version INTEGER NOT NULL,
        label TEXT NOT NULL DEFAULT '',
        base_version TEXT,
        depends_on TEXT,
        state TEXT NOT NULL DEFAULT 'pending'
          CHECK (state IN ('pending', 'in_flight', 'unknown', 'needs_attention', 'conflict', 'done', 'discarded')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        lease_until INTEGER,
        last_status INTEGER,
        last_error TEXT,
        conflict TEXT,
        station TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        sent_at INTEGER,
        acked_at INTEGER
      ) STRICT;
      INSERT INTO outbox_v3 (seq, op_id, entity_type, entity_id, op, payload, payload_version, base_version,
          depends_on, state, attempts, next_attempt_at, lease_until, last_status, last_error, created_at)
        SELECT seq, op_id, entity_type, entity_id, op, payload, payload_version, base_version,
          depends_on, state, attempts, next_attempt_at, lease_until, last_status, last_error, created_at FROM outbox;
      DROP TABLE outbox;
      ALTER TABLE outbox_v3 RENAME TO outbox;
      CREATE INDEX outbox_ready ON outbox(state, next_attempt_at, seq);
      CREATE INDEX outbox_entity ON outbox(entity_type, entity_id, seq);

      -- This station's clerking actions, newest last: clerking.undo pops from here.
      CREATE TABLE clerk_actions (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        station TEXT NOT NULL,
        item_id TEXT NOT NULL,
        action TEXT NOT NULL,
        before TEXT NOT NULL,
        after TEXT NOT NULL,
        audit_id INTEGER NOT NULL,
        undone_at INTEGER
      ) STRICT;
      CREATE INDEX clerk_actions_open ON clerk_actions(undone_at, id);

      -- Re-index a lot's text only when it changed: every acknowledged hammer
      -- rewrites the row with Circuit's version, usually with the same text.
      DROP TRIGGER items_fts_au;
      CREATE TRIGGER items_fts_au AFTER UPDATE OF lot, title, description ON items
      WHEN old.lot IS NOT new.lot OR old.title IS NOT new.title OR old.description IS NOT new.description
      BEGIN
        INSERT INTO items_fts(items_fts, rowid, lot, title, description)
          VALUES ('delete', old.rowid, old.lot, old.title, old.description);
        INSERT INTO items_fts(rowid, lot, title, description) VALUES (new.rowid, new.lot, new.title, new.description);
      END;
      DROP TRIGGER clients_fts_au;
      CREATE TRIGGER clients_fts_au AFTER UPDATE OF display_name, company, email, customer_number ON clients
      WHEN old.display_name IS NOT new.display_name OR old.company IS NOT new.company OR old.email IS NOT new.email
        OR old.customer_number IS NOT new.customer_number
      BEGIN
        INSERT INTO clients_fts(clients_fts, rowid, display_name, company, email, customer_number)
          VALUES ('delete', old.rowid, old.display_name, old.company, old.email, old.customer_number);
        INSERT INTO clients_fts(rowid, display_name, company, email, customer_number)
          VALUES (new.rowid, new.display_name, new.company, new.email, new.customer_number);
      END;

      -- Ids a full pull has seen so far, page by page with its cursor: at its end, a
      -- sale's rows Circuit no longer has are the ones not seen (deletions).
      CREATE TABLE pull_seen (
        sale_id TEXT NOT NULL,
        entity TEXT NOT NULL,
        id TEXT NOT NULL,
        PRIMARY KEY (sale_id, entity, id)
      ) STRICT, WITHOUT ROWID;

      -- Buyers by digits: a paddle in any sale, and a customer number's digits, by prefix.
      CREATE INDEX sale_bidders_paddle_any ON sale_bidders(paddle);
      CREATE INDEX clients_customer_digits
        ON clients(ltrim(customer_number, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-'));

      -- The podium's "next unclerked lot" without walking the lots already clerked.
      CREATE INDEX items_unclerked ON items(sale_id, lot_sort) WHERE status = 'available';
    `)
  }
}

const v4PhoneCards: Migration = {
  version: 4,
  name: 'phone-bidder cards keyed by client and session, staff, audit entries by sale',
  up(db) {
    db.exec(`
      -- Circuit upserts a card per client and session: one row per pair here too, so a
      -- card made offline (local- id) is replaced in place when Circuit's arrives.
      DELETE FROM phone_bidder_cards WHERE rowid NOT IN (
        SELECT max(rowid) FROM phone_bidder_cards GROUP BY sale_id, coalesce(session_id, ''), client_id);
      CREATE UNIQUE INDEX phone_cards_client_session
        ON phone_bidder_cards(sale_id, coalesce(session_id, ''), client_id);

      -- Circuit's staff (phone-bank staff among them), for assigning callers.
      CREATE TABLE staff (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        roles TEXT NOT NULL DEFAULT '[]',
        raw TEXT NOT NULL
      ) STRICT;

      -- The sale an audit entry belongs to, for the per-sale export.
      ALTER TABLE audit_log ADD COLUMN sale_id TEXT;
      UPDATE audit_log SET sale_id = (SELECT sale_id FROM items WHERE items.id = audit_log.entity_id)
        WHERE entity_type = 'item';
      CREATE INDEX audit_log_sale ON audit_log(sale_id, id);
    `)
  }
}

const v5Printing: Migration = {
  version: 5,
  name: "what an invoice prints from Circuit's orders and transactions, the cheque register",
  up(db) {
    db.exec(`
      -- Circuit's invoice_data: addresses, numbers, its totals as displayed (JSON).
      ALTER TABLE orders ADD COLUMN invoice TEXT;
      ALTER TABLE orders ADD COLUMN owner_name TEXT;
      ALTER TABLE order_lines ADD COLUMN tax INTEGER;
      ALTER TABLE order_lines ADD COLUMN consignment_number TEXT;
      ALTER TABLE order_charges ADD COLUMN date TEXT;
      ALTER TABLE transactions ADD COLUMN bank_name TEXT;
      ALTER TABLE transactions ADD COLUMN bank_account TEXT;
      ALTER TABLE transactions ADD COLUMN bank_branch TEXT;
      CREATE INDEX orders_sale ON orders(sale_id, order_number);

      -- Cheque numbers per bank account only move forward; a spoilt cheque is voided, never reused.
      CREATE TABLE cheque_register (
        bank_account_id TEXT NOT NULL,
        number INTEGER NOT NULL,
        transaction_id TEXT,
        payee TEXT,
        amount INTEGER,
        state TEXT NOT NULL CHECK (state IN ('issued', 'void')),
        void_reason TEXT,
        at INTEGER NOT NULL,
        PRIMARY KEY (bank_account_id, number)
      ) STRICT;
      CREATE INDEX cheque_register_transaction ON cheque_register(transaction_id);
      CREATE TABLE cheque_accounts (
        bank_account_id TEXT PRIMARY KEY,
        next_number INTEGER NOT NULL CHECK (next_number > 0)
      ) STRICT;
    `)
  }
}

const v6ChargeRates: Migration = {
  version: 6,
  name: "an additional charge's tax rate, so a changed list of charges can be sent back whole",
  up(db) {
    db.exec(`ALTER TABLE order_charges ADD COLUMN tax_rate_bp INTEGER;`)
  }
}

const v7ExactlyOnce: Migration = {
  version: 7,
  name: 'idempotency keys for calls (a double Enter answers the first result), and a checksum on each outbox payload',
  up(db) {
    db.exec(`
      -- One row per user action that carried a key: its call, a hash of its input, and (once answered) its result.
      CREATE TABLE idempotency_keys (
        key TEXT PRIMARY KEY,
        call TEXT NOT NULL,
        input_hash TEXT NOT NULL,
        result TEXT,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
      -- SHA-256 of the payload as written; checked before sending (NULL on entries written before this version).
      ALTER TABLE outbox ADD COLUMN payload_sha TEXT;
    `)
  }
}

const v8CheckoutMoney: Migration = {
  version: 8,
  name: "voided payments and receipt numbers, what a credit note credits and why, Circuit's figures behind its grand total",
  up(db) {
    db.exec(`
      -- A payment voided at the desk stays listed (VOID on its receipt, in the audit); it no longer counts as paid.
      ALTER TABLE transactions ADD COLUMN voided_at INTEGER;
      ALTER TABLE transactions ADD COLUMN void_reason TEXT;
      -- The station's own receipt series (R-DESK1-0001) until Circuit's transaction id is known.
      ALTER TABLE transactions ADD COLUMN receipt_number TEXT;
      UPDATE transactions SET receipt_number = 'R-' || upper(substr(id, 7)) WHERE server_id IS NULL AND id LIKE 'local-%';

      -- A credit note's order (the one it credits; a local id until Circuit's replaces it) and its reason.
      ALTER TABLE orders ADD COLUMN credit_for TEXT;
      ALTER TABLE orders ADD COLUMN credit_reason TEXT;
      -- The order a provisional order was made from (split, reissue, credit note): it waits for that order's changes.
      ALTER TABLE orders ADD COLUMN made_from TEXT;
      -- What happened to the order that the cashier should know (a provisional credit note removed, and why).
      ALTER TABLE orders ADD COLUMN notice TEXT;
      -- The lines and charges (with their tax) that Circuit's grand_total was made of, when it sent it:
      -- a change made here since moves the total by the difference until Circuit's figures arrive.
      ALTER TABLE orders ADD COLUMN server_basis INTEGER;
      -- Provisional credit notes made before this version name their order only in their number (P-CN-<number>).
      UPDATE orders SET credit_for = (SELECT s.id FROM orders s WHERE s.sale_id = orders.sale_id
          AND s.client_id = orders.client_id AND s.type = 'bidder'
          AND 'P-CN-' || coalesce(s.order_number, s.id) = orders.provisional_number LIMIT 1),
        made_from = (SELECT s.id FROM orders s WHERE s.sale_id = orders.sale_id
          AND s.client_id = orders.client_id AND s.type = 'bidder'
          AND 'P-CN-' || coalesce(s.order_number, s.id) = orders.provisional_number LIMIT 1)
        WHERE type = 'credit_note' AND server_id IS NULL;
      CREATE INDEX orders_credit_for ON orders(credit_for) WHERE credit_for IS NOT NULL;
    `)
  }
}

const v9Connectors: Migration = {
  version: 9,
  name: 'connectors: the ledger of lots moved to and from other platforms, and their settings',
  up(db) {
    db.exec(`
      -- One row per record moved by a connector: FairWarning item -> Circuit item (scope: the
      -- Circuit sale), Circuit item -> Bidlogix item (scope: the Bidlogix auction). The hash is
      -- of what was sent, so a re-run sends nothing unchanged and creates nothing twice.
      CREATE TABLE connector_links (
        source TEXT NOT NULL,
        source_id TEXT NOT NULL,
        target TEXT NOT NULL,
        scope TEXT NOT NULL,
        lot TEXT NOT NULL,
        target_id TEXT,
        hash TEXT NOT NULL,
        -- JSON of what was sent (the base of the next update), never a secret.
        sent TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'done', 'sending', 'published', 'conflict')),
        -- The outbox entry that carries it (imports), and the import or publish run.
        op_id TEXT,
        job_id TEXT,
        -- What the target could not take, kept with the link (an image URL the API cannot attach).
        note TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (source, source_id, target, scope)
      ) STRICT;
      CREATE INDEX connector_links_lot ON connector_links(target, scope, lot);
      CREATE INDEX connector_links_job ON connector_links(job_id);

      -- Each connector's settings (address, readings of its docs, mapping tables) as JSON.
      -- Keys are never here: they live in the secret store.
      CREATE TABLE connector_config (
        connector TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `)
  }
}

const v10Warehouse: Migration = {
  version: 10,
  name: 'warehouse: lots collected at the desk, shipments and shipping boxes on their way to Circuit, shipping areas',
  up(db) {
    db.exec(`
      -- A lot handed to its buyer (or their agent) at the collection desk. Kept on this station only:
      -- Circuit has no field for it. One row per lot: a lot goes out once. Lots released together
      -- share a release id (one gate pass).
      CREATE TABLE collections (
        item_id TEXT PRIMARY KEY,
        sale_id TEXT NOT NULL,
        release_id TEXT NOT NULL,
        client_id TEXT,
        paddle TEXT,
        lot TEXT NOT NULL,
        collected_by TEXT NOT NULL,
        note TEXT,
        -- Released although the desk saw it unpaid (or packed to ship): the reason the user confirmed.
        confirmed_reason TEXT,
        released_by TEXT NOT NULL,
        station TEXT NOT NULL,
        at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX collections_sale ON collections(sale_id, at);
      CREATE INDEX collections_release ON collections(release_id);

      -- A shipment made here (a local id; Circuit's id once it has it), and its lots.
      CREATE TABLE shipments (
        id TEXT PRIMARY KEY,
        server_id TEXT UNIQUE,
        sale_id TEXT,
        order_id TEXT NOT NULL,
        method TEXT NOT NULL,
        tracking_number TEXT,
        cost INTEGER,
        weight_grams INTEGER,
        -- Lengths in whole millimetres (typed in centimetres with at most one decimal).
        length_mm INTEGER,
        width_mm INTEGER,
        height_mm INTEGER,
        status TEXT,
        created_at INTEGER NOT NULL,
        server_updated TEXT,
        raw TEXT
      ) STRICT;
      CREATE INDEX shipments_order ON shipments(order_id);
      CREATE TABLE shipment_items (
        shipment_id TEXT NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        PRIMARY KEY (shipment_id, item_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX shipment_items_item ON shipment_items(item_id);

      -- A box of an order (Circuit creates or updates it by order and box number).
      CREATE TABLE shipping_boxes (
        id TEXT PRIMARY KEY,
        server_id TEXT,
        sale_id TEXT,
        order_id TEXT NOT NULL,
        box_number INTEGER NOT NULL CHECK (box_number > 0),
        weight_grams INTEGER,
        length_mm INTEGER,
        width_mm INTEGER,
        height_mm INTEGER,
        -- JSON array of item ids, in the order they were packed.
        items TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        server_updated TEXT,
        raw TEXT
      ) STRICT;
      CREATE UNIQUE INDEX shipping_boxes_number ON shipping_boxes(order_id, box_number);

      -- Circuit's shipping zones and their base rates (pulled with the reference lists).
      CREATE TABLE shipping_areas (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        description TEXT,
        base_rate INTEGER,
        raw TEXT NOT NULL
      ) STRICT;
    `)
  }
}

const v11Consignors: Migration = {
  version: 11,
  name: "consignors: the sale's consignments and Circuit's consignment statements, and the cheque runs that pay them",
  up(db) {
    db.exec(`
      -- A sale's consignments as Circuit sends them (datatable-consignments): the consignor, the
      -- commission rate (basis points) and steps, the payment instructions.
      CREATE TABLE consignments (
        id TEXT PRIMARY KEY,
        sale_id TEXT,
        owner_id TEXT,
        number TEXT,
        label TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT '',
        commission_bp INTEGER,
        -- JSON [{from, commission, rateBp}] as Circuit sent them.
        commission_steps TEXT NOT NULL DEFAULT '[]',
        payment_instructions TEXT,
        owner_name TEXT,
        customer_number TEXT,
        total_hammer INTEGER,
        item_count INTEGER,
        server_updated TEXT,
        raw TEXT NOT NULL
      ) STRICT;
      CREATE INDEX consignments_sale_owner ON consignments(sale_id, owner_id);

      -- Circuit's consignment statements (the legacy datatable-consignment-statements), one row per
      -- consignment: Circuit's own total for it, to check ours against. Replaced whole at each pull.
      CREATE TABLE consignment_statements (
        consignment_id TEXT PRIMARY KEY,
        sale_id TEXT NOT NULL,
        owner_id TEXT,
        order_number TEXT,
        status TEXT NOT NULL DEFAULT '',
        total INTEGER,
        actually_paid INTEGER,
        received_from_buyers INTEGER,
        consignor_label TEXT,
        customer_number TEXT,
        raw TEXT NOT NULL
      ) STRICT;
      CREATE INDEX consignment_statements_sale ON consignment_statements(sale_id);

      -- A cheque run: who it paid and who it passed by (and why). The cheques themselves are in the
      -- cheque register, by payment.
      CREATE TABLE consignor_runs (
        id TEXT PRIMARY KEY,
        sale_id TEXT NOT NULL,
        bank_account_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        station TEXT NOT NULL,
        actor TEXT NOT NULL,
        report_path TEXT,
        report_pages INTEGER,
        positive_pay_path TEXT,
        problem TEXT
      ) STRICT;
      CREATE INDEX consignor_runs_sale ON consignor_runs(sale_id, at);
      CREATE TABLE consignor_run_lines (
        run_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        client_id TEXT NOT NULL,
        name TEXT NOT NULL,
        payee TEXT NOT NULL,
        order_number TEXT,
        amount INTEGER NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('paid', 'skipped', 'failed')),
        reason TEXT,
        transaction_id TEXT,
        -- JSON list of the consignor's payment instructions.
        instructions TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (run_id, position)
      ) STRICT;
    `)
  }
}

const v12VenueHub: Migration = {
  version: 12,
  name: "the venue hub's change log: what changed in its replica, in order, for the stations that follow it",
  up(db) {
    db.exec(`
      -- One row per record (the latest change wins its row): the hub answers "updated" in its own
      -- order (seq), so a station's delta pull through the hub never depends on two clocks, and
      -- its live feed replays what a station missed. Written by triggers that exist only while the
      -- station hosts the venue (src-main/venue/changes.ts).
      CREATE TABLE hub_changes (
        entity TEXT NOT NULL,
        id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
        PRIMARY KEY (entity, id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX hub_changes_seq ON hub_changes(seq);
    `)
  }
}

const v13SharedCollections: Migration = {
  version: 13,
  name: 'collections shared through the venue hub: a lot may hold two releases made on two stations at once',
  up(db) {
    db.exec(`
      -- Stations at a venue share their releases through the hub. Two stations cut off from each
      -- other may release the same lot: both records are kept (the desk shows the first), so a
      -- collection is one lot of one release, not one lot.
      CREATE TABLE collections_v13 (
        item_id TEXT NOT NULL,
        sale_id TEXT NOT NULL,
        release_id TEXT NOT NULL,
        client_id TEXT,
        paddle TEXT,
        lot TEXT NOT NULL,
        collected_by TEXT NOT NULL,
        note TEXT,
        confirmed_reason TEXT,
        released_by TEXT NOT NULL,
        station TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (release_id, item_id)
      ) STRICT;
      INSERT INTO collections_v13 (item_id, sale_id, release_id, client_id, paddle, lot, collected_by, note,
        confirmed_reason, released_by, station, at)
        SELECT item_id, sale_id, release_id, client_id, paddle, lot, collected_by, note, confirmed_reason,
          released_by, station, at FROM collections;
      DROP TABLE collections;
      ALTER TABLE collections_v13 RENAME TO collections;
      CREATE INDEX collections_sale ON collections(sale_id, at);
      CREATE INDEX collections_item ON collections(item_id, at);
    `)
  }
}

const v14TaxedLines: Migration = {
  version: 14,
  name: 'an index of the order lines that carry a tax type',
  up(db) {
    db.exec(`
      -- Every hammer asks which tax type Circuit puts on a sale's lines (checkout/order-mirror.ts):
      -- with this index that is a probe per order, and nothing at all while no line has one,
      -- rather than a walk through every line of every order.
      CREATE INDEX order_lines_taxed ON order_lines(order_id, tax_id) WHERE tax_id IS NOT NULL;
    `)
  }
}

export const MIGRATIONS: readonly Migration[] = [
  v1Core,
  v2Search,
  v3Outbox,
  v4PhoneCards,
  v5Printing,
  v6ChargeRates,
  v7ExactlyOnce,
  v8CheckoutMoney,
  v9Connectors,
  v10Warehouse,
  v11Consignors,
  v12VenueHub,
  v13SharedCollections,
  v14TaxedLines
]

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version
