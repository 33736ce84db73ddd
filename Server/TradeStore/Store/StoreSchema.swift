import GRDB

/// The store's tables, as a sequence of versioned migrations.
///
/// Each migration ends by writing its number to `PRAGMA user_version`: that
/// number is the schema version this build records and checks. Opening a file
/// whose version is higher than `currentVersion` is refused (an older build must
/// not write a schema it does not know); a lower one is migrated forward in one
/// transaction per step. Migrations are append-only: never edit a shipped one.
enum StoreSchema {
    /// `PRAGMA application_id` of every tradeengine store ("TRDE"), so an
    /// unrelated SQLite file is recognised and refused instead of migrated.
    static let applicationID: Int32 = 0x5452_4445

    /// The newest schema version this build knows.
    static var currentVersion: Int { migrations.count }

    /// Version n is `migrations[n - 1]`.
    static let migrations: [(name: String, sql: String)] = [
        ("v1-journal-candles", v1),
        ("v2-history", v2),
        ("v3-parameters", v3),
        ("v4-runs", v4),
        ("v5-settings", v5),
        ("v6-history-engine-ids", v6),
    ]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for (index, migration) in migrations.enumerated() {
            let version = index + 1
            migrator.registerMigration(migration.name) { db in
                try db.execute(sql: migration.sql)
                try db.execute(sql: "PRAGMA user_version = \(version)")
            }
        }
        return migrator
    }

    /// Journal, snapshots and candles.
    ///
    /// The journal's `sequence` is the rowid, so appends go to the end of the
    /// B-tree. Triggers make it append-only: a journal that can be edited cannot be
    /// trusted to replay. Candles are keyed by (series, open time) in a
    /// WITHOUT ROWID table, one B-tree holding the rows in replay order; a series
    /// is one (venue, symbol, interval).
    static let v1 = """
        PRAGMA application_id = \(applicationID);
        CREATE TABLE journal (
            sequence INTEGER PRIMARY KEY,
            event_time INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            payload BLOB NOT NULL);
        CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
            BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
        CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
            BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
        CREATE TABLE snapshots (
            sequence INTEGER PRIMARY KEY,
            taken_at INTEGER NOT NULL,
            format INTEGER NOT NULL,
            payload BLOB NOT NULL);
        CREATE TABLE candle_series (
            id INTEGER PRIMARY KEY,
            venue TEXT NOT NULL,
            symbol TEXT NOT NULL,
            interval TEXT NOT NULL,
            UNIQUE (venue, symbol, interval));
        CREATE TABLE candles (
            series_id INTEGER NOT NULL REFERENCES candle_series(id),
            open_time INTEGER NOT NULL,
            open REAL NOT NULL,
            high REAL NOT NULL,
            low REAL NOT NULL,
            close REAL NOT NULL,
            volume REAL NOT NULL,
            PRIMARY KEY (series_id, open_time)) WITHOUT ROWID;
        """

    /// History: orders, fills, round trips, signals, breaker transitions, audit log.
    /// Every list is read newest or oldest first by (time, id), optionally for one
    /// model or symbol, so each table has those three indexes. Money is exact
    /// decimal text (it does not fit 64 bits); prices and quantities are 1e-8 counts.
    static let v2 = """
        CREATE TABLE orders (
            id INTEGER PRIMARY KEY,
            client_order_id TEXT NOT NULL UNIQUE,
            time INTEGER NOT NULL,
            model TEXT NOT NULL,
            symbol TEXT NOT NULL,
            side TEXT NOT NULL,
            type TEXT NOT NULL,
            price INTEGER,
            quantity INTEGER NOT NULL,
            filled_quantity INTEGER NOT NULL,
            status TEXT NOT NULL,
            reason TEXT NOT NULL,
            status_message TEXT NOT NULL,
            updated_at INTEGER NOT NULL);
        CREATE TABLE fills (
            id INTEGER PRIMARY KEY,
            time INTEGER NOT NULL,
            model TEXT NOT NULL,
            symbol TEXT NOT NULL,
            client_order_id TEXT NOT NULL,
            side TEXT NOT NULL,
            price INTEGER NOT NULL,
            quantity INTEGER NOT NULL,
            fee TEXT NOT NULL,
            liquidity TEXT NOT NULL);
        CREATE TABLE trades (
            id INTEGER PRIMARY KEY,
            time INTEGER NOT NULL,
            model TEXT NOT NULL,
            symbol TEXT NOT NULL,
            direction INTEGER NOT NULL,
            entry_time INTEGER NOT NULL,
            quantity INTEGER NOT NULL,
            gross_pnl TEXT NOT NULL,
            fees TEXT NOT NULL,
            net_pnl TEXT NOT NULL);
        CREATE TABLE signals (
            id INTEGER PRIMARY KEY,
            time INTEGER NOT NULL,
            model TEXT NOT NULL,
            symbol TEXT NOT NULL,
            direction TEXT NOT NULL,
            confidence REAL NOT NULL,
            outcome TEXT NOT NULL,
            rule TEXT NOT NULL,
            reasons TEXT NOT NULL);
        CREATE TABLE breaker_transitions (
            id INTEGER PRIMARY KEY,
            time INTEGER NOT NULL,
            model TEXT NOT NULL,
            symbol TEXT NOT NULL,
            breaker TEXT NOT NULL,
            from_state TEXT NOT NULL,
            to_state TEXT NOT NULL,
            reason TEXT NOT NULL);
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            time INTEGER NOT NULL,
            caller TEXT NOT NULL,
            role TEXT NOT NULL,
            method TEXT NOT NULL,
            request TEXT NOT NULL,
            outcome TEXT NOT NULL);
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """ + ["orders", "fills", "trades", "signals", "breaker_transitions"].map { table in
            """
            CREATE INDEX \(table)_time ON \(table)(time, id);
            CREATE INDEX \(table)_model ON \(table)(model, time, id);
            CREATE INDEX \(table)_symbol ON \(table)(symbol, time, id);
            """
        }.joined(separator: "\n") + "\nCREATE INDEX audit_log_time ON audit_log(time, id);"

    /// Parameter versions: immutable rows, one per change or rollback.
    static let v3 = """
        CREATE TABLE parameter_versions (
            version INTEGER PRIMARY KEY,
            created_at INTEGER NOT NULL,
            author TEXT NOT NULL,
            role TEXT NOT NULL,
            reason TEXT NOT NULL,
            parameters TEXT NOT NULL,
            diff TEXT NOT NULL,
            rollback_of INTEGER REFERENCES parameter_versions(version),
            forced INTEGER NOT NULL);
        CREATE TRIGGER parameter_versions_no_update BEFORE UPDATE ON parameter_versions
            BEGIN SELECT RAISE(ABORT, 'parameter versions are immutable'); END;
        CREATE TRIGGER parameter_versions_no_delete BEFORE DELETE ON parameter_versions
            BEGIN SELECT RAISE(ABORT, 'parameter versions are immutable'); END;
        """

    /// Runs: one database holds several consecutive engine runs.
    ///
    /// A run is numbered 1, 2, 3 … in the order started (the store refuses any other
    /// number, so ids are never reused or skipped) and points at the journal entry
    /// that started it. Its state, message and end time are the caller's to
    /// maintain; what started it (id, start sequence, start time, identity) is fixed,
    /// and runs are never deleted. History rows carry the run that wrote them; rows
    /// from before runs existed, or from callers that set none, have run 0. The
    /// audit log has no run: operators act on the server, not on one run.
    static let v4 = """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY CHECK (id > 0),
            start_sequence INTEGER NOT NULL,
            started_at INTEGER NOT NULL,
            identity TEXT NOT NULL,
            state TEXT NOT NULL,
            message TEXT NOT NULL DEFAULT '',
            ended_at INTEGER);
        CREATE TRIGGER runs_no_delete BEFORE DELETE ON runs
            BEGIN SELECT RAISE(ABORT, 'runs are never deleted'); END;
        CREATE TRIGGER runs_fixed_start BEFORE UPDATE OF id, start_sequence, started_at, identity ON runs
            BEGIN SELECT RAISE(ABORT, 'how a run started cannot be changed; only its state, message and end'); END;
        """ + ["orders", "fills", "trades", "signals", "breaker_transitions"].map { table in
            """

            ALTER TABLE \(table) ADD COLUMN run INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX \(table)_run ON \(table)(run, time, id);
            """
        }.joined()

    /// Small named values the engine keeps between runs and restarts (the
    /// operator's market context), each replaced whole.
    static let v5 = """
        CREATE TABLE settings (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at INTEGER NOT NULL) WITHOUT ROWID;
        """

    /// What the API shows of a run's lists, so the current run's lists are read from
    /// the store like any past run's: the engine's own order id (orders; fills and
    /// signals name the order they belong to), a fill's order reason, a signal's
    /// quantity, and the number of each fill and signal in its run (1, 2, …; the id
    /// the API and the live streams give it). Status/outcome indexes serve the lists
    /// filtered by state.
    static let v6 = """
        ALTER TABLE orders ADD COLUMN engine_id INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE fills ADD COLUMN order_id INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE fills ADD COLUMN reason TEXT NOT NULL DEFAULT '';
        ALTER TABLE fills ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE signals ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE signals ADD COLUMN quantity INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE signals ADD COLUMN order_id INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX orders_run_status ON orders(run, status, time, id);
        CREATE INDEX signals_run_outcome ON signals(run, outcome, time, id);
        """
}
