/// Rounds the continuous optimum to whole pounds by the largest-remainder method
/// (Hamilton's), keeping the total exactly B and every bound.
///
/// The rule: each organisation first gets ⌊xᵢ⌋ (kept within [loᵢ, hiᵢ]); the pounds left,
/// D = B − Σ⌊xᵢ⌋, go one each to the organisations with the largest fractional parts
/// xᵢ − ⌊xᵢ⌋, ties going to the organisation whose code sorts first. Because the bounds are
/// whole pounds (`FundingBounds`) and loᵢ ≤ xᵢ ≤ hiᵢ, both ⌊xᵢ⌋ and ⌈xᵢ⌉ lie within them, so
/// every bound holds: a whole-pound allocation never goes below ⌈lo⌉ nor above ⌊hi⌋.
///
/// In exact arithmetic 0 ≤ D < n and one pass suffices. With Doubles, Σ xᵢ can miss B by
/// a few pounds when the budget is near 10¹⁸ (beyond 2⁵³ a Double has no units digit), so
/// D may be negative, or larger than the number of fractional parts: then pounds are
/// taken back from the smallest fractional parts first (ties: the code that sorts last),
/// or handed out in further passes, never past a bound. Organisations at a bound are
/// skipped. A pound taken back comes from the smallest fractional part and, among equal
/// ones, from the organisation whose last pound is worth least, w/(c + x), so that the
/// pound lost costs the objective least. The total is exact in every case because it is
/// counted in integers.
///
/// Known property of the method (the "Alabama paradox"): one more pound of budget can
/// cost an organisation one pound of its rounded share, because the fractional parts
/// change order. The continuous optimum never decreases with the budget; the rounded
/// allocation never decreases by more than £1.
enum WholePoundRounding {
    /// - Parameters:
    ///   - exact: the continuous optimum of `model`, in the round's order (by code), within bounds.
    ///   - budget: B, with Σ lo ≤ B ≤ Σ hi.
    static func round(_ exact: [Double], model: AllocationModel, budget: Int) -> [Int] {
        let lower = model.lower
        let upper = model.upper
        let count = exact.count
        var allocation = [Int](repeating: 0, count: count)
        var remainders = [Double](repeating: 0, count: count)
        var total = 0
        for index in 0..<count {
            let value = exact[index]
            let down = value.isFinite ? value.rounded(.down) : 0
            var whole = down < 9e18 ? (down > -9e18 ? Int(down) : 0) : Int.max / 4
            whole = max(whole, lower[index])
            if let upper = upper[index] { whole = min(whole, upper) }
            allocation[index] = whole
            remainders[index] = value - Double(whole)
            total += whole
        }
        var left = budget - total
        if left > 0 {
            func roomAbove(_ index: Int) -> Bool { upper[index].map { cap in allocation[index] < cap } ?? true }
            let candidates = (0..<count).filter(roomAbove)
            // Largest fractional part first, ties by position (the code's order): a stable sort
            // of the complement of the parts' bit patterns (parts in [0, 1] sort as their bits).
            let keys = candidates.map { UInt64.max - min(max(remainders[$0], 0), 1).bitPattern }
            let order = RadixSort.order(keys).map { candidates[Int($0)] }
            while left > 0 {
                var gave = false
                for index in order where left > 0 && roomAbove(index) {
                    allocation[index] += 1
                    left -= 1
                    gave = true
                }
                if !gave { break }
            }
        } else if left < 0 {
            var order = (0..<count).filter { allocation[$0] > lower[$0] }
            func marginal(_ index: Int) -> Double { model.weights[index] / (model.scales[index] + Double(allocation[index])) }
            order.sort { first, second in
                if remainders[first] != remainders[second] { return remainders[first] < remainders[second] }
                let (one, other) = (marginal(first), marginal(second))
                return one < other || (one == other && first > second)
            }
            while left < 0 {
                var took = false
                for index in order where left < 0 && allocation[index] > lower[index] {
                    allocation[index] -= 1
                    left += 1
                    took = true
                }
                if !took { break }
            }
        }
        return allocation
    }
}
