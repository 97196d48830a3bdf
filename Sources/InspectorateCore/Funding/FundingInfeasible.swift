/// A round that no allocation can satisfy: Σ lo > B, Σ hi < B, or an organisation whose
/// lower bound is above its upper one. Says by how much, and which kind of constraint
/// holds the money ("floors exceed the budget by £412,000").
public struct FundingInfeasible: Error, Equatable, Sendable, CustomStringConvertible {
    /// Money held by one kind of bound: the sum of the bounds it sets and on how many organisations.
    public struct Held: Equatable, Sendable {
        public var total: Int
        public var organisations: Int
    }

    public enum Reason: Equatable, Sendable {
        /// Σ lo − B > 0, split by what sets each lower bound.
        case lowerBoundsExceedBudget(excess: Int, floors: Held, damping: Held)
        /// B − Σ hi > 0, split by what sets each upper bound (every organisation has one).
        case upperBoundsShortOfBudget(shortfall: Int, caps: Held, damping: Held)
        /// lo > hi for one organisation.
        case emptyRange(organisation: String, bounds: FundingBounds, previous: Int?)
    }

    public var budget: Int
    public var damping: DampingBand?
    public var reasons: [Reason]

    /// Checks the bounds against the budget; nil when an allocation exists.
    static func check(round: FundingRound, bounds: [FundingBounds]) -> FundingInfeasible? {
        var reasons: [Reason] = []
        for (organisation, bound) in zip(round.organisations, bounds) where bound.isEmpty {
            reasons.append(.emptyRange(organisation: organisation.code, bounds: bound, previous: organisation.previous))
        }
        var floors = Held(total: 0, organisations: 0)
        var lowBand = Held(total: 0, organisations: 0)
        var caps = Held(total: 0, organisations: 0)
        var highBand = Held(total: 0, organisations: 0)
        var upperTotal: Int? = 0
        for bound in bounds {
            switch bound.lowerSource {
            case .floor: floors.total += bound.lower; floors.organisations += 1
            case .dampingBelow: lowBand.total += bound.lower; lowBand.organisations += 1
            default: break
            }
            switch bound.upperSource {
            case .cap: caps.total += bound.upper ?? 0; caps.organisations += 1
            case .dampingAbove: highBand.total += bound.upper ?? 0; highBand.organisations += 1
            default: break
            }
            upperTotal = zip2(upperTotal, bound.upper).map { $0 + $1 }
        }
        let lowerTotal = floors.total + lowBand.total
        if lowerTotal > round.budget {
            reasons.append(.lowerBoundsExceedBudget(excess: lowerTotal - round.budget, floors: floors, damping: lowBand))
        }
        if let upperTotal, upperTotal < round.budget {
            reasons.append(.upperBoundsShortOfBudget(shortfall: round.budget - upperTotal, caps: caps, damping: highBand))
        }
        return reasons.isEmpty ? nil : FundingInfeasible(budget: round.budget, damping: round.damping, reasons: reasons)
    }

    public var description: String {
        "The round is infeasible with a budget of \(Pounds.format(budget)):\n" + reasons.map { "  " + sentence($0) }.joined(separator: "\n")
    }

    /// The first reason's sentence, for a one-line message.
    public var headline: String { reasons.first.map(sentence) ?? "The round is infeasible" }

    /// The command line's and the HTTP edge's form of it.
    public var domainError: DomainError {
        .refused(
            field: "budget", message: "The round is infeasible with a budget of \(Pounds.format(budget))", needed: reasons.map(sentence))
    }

    public func sentence(_ reason: Reason) -> String {
        let band = damping.map { "the damping band (\($0))" } ?? "the damping band"
        func place(_ held: Held, _ what: String) -> String {
            "\(what) \(Pounds.format(held.total)) on \(held.organisations) organisation\(held.organisations == 1 ? "" : "s")"
        }
        switch reason {
        case .lowerBoundsExceedBudget(let excess, let floors, let low):
            let amount = Pounds.format(excess)
            let detail = [
                floors.organisations > 0 ? place(floors, "floors hold") : nil, low.organisations > 0 ? place(low, "\(band) holds") : nil,
            ]
            .compactMap { $0 }.joined(separator: "; ")
            let cause: String
            switch (floors.organisations > 0, low.organisations > 0) {
            case (true, false): cause = "floors exceed the budget by \(amount)"
            case (false, true): cause = "\(band)'s lower limits exceed the budget by \(amount)"
            default: cause = "floors and \(band)'s lower limits together exceed the budget by \(amount)"
            }
            return "\(cause) (\(detail)); the budget must be at least \(Pounds.format(budget + excess))"
        case .upperBoundsShortOfBudget(let shortfall, let caps, let high):
            let amount = Pounds.format(shortfall)
            let detail = [
                caps.organisations > 0 ? place(caps, "caps allow") : nil, high.organisations > 0 ? place(high, "\(band) allows") : nil,
            ]
            .compactMap { $0 }.joined(separator: "; ")
            let cause: String
            switch (caps.organisations > 0, high.organisations > 0) {
            case (true, false): cause = "caps fall short of the budget by \(amount)"
            case (false, true): cause = "\(band)'s upper limits fall short of the budget by \(amount)"
            default: cause = "caps and \(band)'s upper limits together fall short of the budget by \(amount)"
            }
            return "\(cause) (\(detail)); the budget can be at most \(Pounds.format(budget - shortfall))"
        case .emptyRange(let organisation, let bounds, let previous):
            let last = previous.map { " last year's \(Pounds.format($0))" } ?? " last year's allocation"
            let low =
                bounds.lowerSource == .floor
                ? "its floor \(Pounds.format(bounds.lower))" : "\(band)'s lower limit \(Pounds.format(bounds.lower)) (below\(last))"
            let high =
                bounds.upperSource == .cap
                ? "its cap \(Pounds.format(bounds.upper ?? 0))" : "\(band)'s upper limit \(Pounds.format(bounds.upper ?? 0)) (above\(last))"
            return "\(organisation): \(low) is above \(high)"
        }
    }
}

private func zip2(_ a: Int?, _ b: Int?) -> (Int, Int)? {
    guard let a, let b else { return nil }
    return (a, b)
}
