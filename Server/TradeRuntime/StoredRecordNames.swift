import TradeStore

// The store's history records share names with TradeCore types (SignalRecord,
// BreakerTransition), and the module shares its name with its main class, so
// `TradeStore.SignalRecord` does not parse as "the module's type". This file
// imports only the store, which makes these names unambiguous here.
public typealias StoredSignalRecord = SignalRecord
public typealias StoredBreakerTransition = BreakerTransition
