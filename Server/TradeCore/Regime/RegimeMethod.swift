/// Which regime detector a strategy uses, chosen in configuration by its
/// Codable name: `"rule"` (`RuleRegimeClassifier`, from indicator values) or
/// `"hmm"` (`HMMRegimeDetector`, from a Gaussian HMM over log returns).
public enum RegimeMethod: String, CaseIterable, Codable, Sendable, Hashable {
    case rule
    case hmm
}
