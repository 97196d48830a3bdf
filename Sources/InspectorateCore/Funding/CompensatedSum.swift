/// A running sum of Doubles with Neumaier's compensation: the rounding error of each
/// addition is kept apart and added back at the end, so the total of 50,000 terms from
/// £1 to £10¹² (or of terms of both signs, as the breakpoint walk adds and removes) is
/// as good as if it were rounded once. Plain summation loses up to n·ε of the largest
/// partial sum (Higham, *Accuracy and Stability of Numerical Algorithms*, §4.3).
public struct CompensatedSum: Sendable, Equatable {
    private var sum = 0.0
    private var compensation = 0.0

    public init() {}

    public init<S: Sequence>(_ terms: S) where S.Element == Double {
        for term in terms { add(term) }
    }

    public mutating func add(_ term: Double) {
        let next = sum + term
        if abs(sum) >= abs(term) {
            compensation += (sum - next) + term
        } else {
            compensation += (term - next) + sum
        }
        sum = next
    }

    public static func += (lhs: inout CompensatedSum, rhs: Double) { lhs.add(rhs) }
    public static func -= (lhs: inout CompensatedSum, rhs: Double) { lhs.add(-rhs) }

    /// The sum, with the accumulated rounding errors added back.
    public var value: Double { sum + compensation }

    /// `whole` − the sum, without first rounding `whole` to a Double: above 2⁵³ pounds a
    /// Double has no units digit, so the part of `whole` that a Double drops is added back.
    public func subtracted(from whole: Int) -> Double {
        let high = Double(whole)
        let dropped = high < 9.2e18 && high > -9.2e18 ? Double(whole - Int(high)) : 0
        return ((high - sum) - compensation) + dropped
    }
}
