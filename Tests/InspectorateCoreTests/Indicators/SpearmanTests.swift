import Foundation
import PropertyBased
import Testing

@testable import InspectorateCore

extension Indicators {
    @Suite("Spearman's rank correlation against SciPy")
    struct SpearmanTests {
        struct Fixture: Decodable {
            struct Case: Decodable {
                var name: String
                var n: Int
                var x: [Double]
                var y: [Double]
                var defined: Bool
                var reason: String?
                var rho: Double?
                var p_value: Double?
                var ci_low: Double?
                var ci_high: Double?
            }
            var cases: [Case]
        }

        struct StudentFixture: Decodable {
            struct Case: Decodable { var df: Double; var t: Double; var cdf: Double }
            var cases: [Case]
        }

        static let fixture: Fixture? = try? IndicatorFixture.decode(Fixture.self, from: "spearman-scipy.json")

        @Test func fixtureHasTheCasesTheBriefAsksFor() throws {
            let cases = try #require(Self.fixture).cases
            #expect(cases.count >= 30)
            #expect(cases.contains { $0.reason == "constant_x" } && cases.contains { $0.reason == "constant_y" })
            #expect(cases.contains { $0.reason == "too_few_pairs" })
            #expect(cases.contains { $0.rho == 1 } && cases.contains { $0.rho == -1 })
            #expect(cases.contains { $0.n == 4 && $0.defined } && cases.contains { $0.n == 200 })
        }

        @Test(arguments: 0..<30) func agreesWithSciPy(index: Int) throws {
            let cases = try #require(Self.fixture).cases
            let fixture = cases[index]
            let result = Spearman.correlate(fixture.x, fixture.y)
            if !fixture.defined {
                switch (result, fixture.reason) {
                case (.failure(.constant(variable: "x")), "constant_x"), (.failure(.constant(variable: "y")), "constant_y"),
                    (.failure(.tooFewPairs(_, 4)), "too_few_pairs"):
                    break
                default: Issue.record("\(fixture.name): expected \(fixture.reason ?? "?"), got \(result)")
                }
                return
            }
            guard case .success(let correlation) = result else {
                Issue.record("\(fixture.name): \(result)")
                return
            }
            let rho = try #require(fixture.rho)
            let p = try #require(fixture.p_value)
            let low = try #require(fixture.ci_low)
            let high = try #require(fixture.ci_high)
            #expect(correlation.n == fixture.n)
            #expect(abs(correlation.rho - rho) <= 1e-9, "\(fixture.name): rho \(correlation.rho) against \(rho)")
            #expect(
                IndicatorFixture.close(correlation.pValue, p, relative: 1e-9, absolute: 1e-12),
                "\(fixture.name): p \(correlation.pValue) against \(p)")
            #expect(abs(correlation.ciLow - low) <= 1e-9, "\(fixture.name): low \(correlation.ciLow) against \(low)")
            #expect(abs(correlation.ciHigh - high) <= 1e-9, "\(fixture.name): high \(correlation.ciHigh) against \(high)")
        }

        @Test func studentTAgreesWithSciPyStdtr() throws {
            let cases = try IndicatorFixture.decode(StudentFixture.self, from: "student-t-scipy.json").cases
            #expect(cases.count > 100)
            for fixture in cases {
                let cdf = StudentT.cdf(fixture.t, degreesOfFreedom: fixture.df)
                #expect(
                    IndicatorFixture.close(cdf, fixture.cdf, relative: 1e-11, absolute: 1e-15),
                    "df \(fixture.df), t \(fixture.t): \(cdf) against \(fixture.cdf)")
            }
        }

        @Test func averageRanksShareTies() {
            // Written by hand: the two 20s take ranks 2 and 3, so 2.5 each.
            #expect(Spearman.averageRanks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4])
            #expect(Spearman.averageRanks([3, 1, 2]) == [3, 1, 2])
            #expect(Spearman.averageRanks([5, 5, 5]) == [2, 2, 2])
            #expect(Spearman.averageRanks([]) == [])
        }

        @Test func handComputedCaseWithoutTies() throws {
            // x = 1..5, y ranks 2,1,4,3,5: d² = 1+1+1+1+0 = 4, rho = 1 − 6·4/(5·24) = 0.8.
            let result = try Spearman.correlate([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]).get()
            #expect(abs(result.rho - 0.8) < 1e-15)
            // t = 0.8·sqrt(3/0.36) = 2.3094; two-sided p on 3 df = 0.104088 (tables).
            #expect(abs(result.pValue - 0.10408803866182788) < 1e-12)
        }

        @Test func perfectCorrelationHasNoSpread() throws {
            let up = try Spearman.correlate([1, 2, 3, 4, 5], [1, 4, 9, 16, 25]).get()
            #expect(up.rho == 1 && up.pValue == 0 && up.ciLow == 1 && up.ciHigh == 1)
            let down = try Spearman.correlate([1, 2, 3, 4, 5], [9, 7, 5, 3, 1]).get()
            #expect(down.rho == -1 && down.pValue == 0 && down.ciLow == -1 && down.ciHigh == -1)
        }

        @Test func undefinedCasesSaySoInsteadOfNaN() {
            #expect(Spearman.correlate([1, 2, 3], [3, 1, 2]) == .failure(.tooFewPairs(n: 3, minimum: 4)))
            #expect(Spearman.correlate([], []) == .failure(.tooFewPairs(n: 0, minimum: 4)))
            #expect(Spearman.correlate([2, 2, 2, 2], [1, 2, 3, 4]) == .failure(.constant(variable: "x")))
            #expect(Spearman.correlate([1, 2, 3], [4, 5]) == .failure(.unequalLengths(x: 3, y: 2)))
            #expect(Spearman.correlate([1, .nan, 3, 4], [1, 2, 3, 4]) == .failure(.notFinite(variable: "x", position: 1)))
            #expect(CorrelationUnavailable.constant(variable: "capability").description.contains("every capability is the same"))
        }

        static let sample = Gen.int(in: -20...20).array(of: 4...40)

        @Test func rhoStaysInRangeAndTheIntervalHoldsIt() async {
            await propertyCheck(count: 300, input: Self.sample, Gen.int(in: 0...1000)) { xs, seed in
                var random = SplitMix64(seed: UInt64(seed))
                let x = xs.map(Double.init)
                let y = x.map { _ in Double(Int(random.next() % 9)) }
                guard case .success(let result) = Spearman.correlate(x, y) else { return }
                #expect(result.rho >= -1 && result.rho <= 1)
                #expect(result.ciLow <= result.rho && result.rho <= result.ciHigh)
                #expect(result.ciLow >= -1 && result.ciHigh <= 1)
                #expect(result.pValue >= 0 && result.pValue <= 1)
            }
        }

        @Test func unchangedByMonotoneTransformsAndRowOrder() async {
            await propertyCheck(count: 300, input: Self.sample, Gen.int(in: 0...1000)) { xs, seed in
                var random = SplitMix64(seed: UInt64(seed))
                let x = xs.map(Double.init)
                let y = x.map { $0 + Double(Int(random.next() % 21)) - 10 }
                let base = Spearman.correlate(x, y)
                // Strictly increasing transforms keep every rank.
                let transformed = Spearman.correlate(x.map { exp($0 / 5) }, y.map { $0 * $0 * $0 + 7 })
                // The same pairs in another order.
                let order = Array(x.indices).shuffled(using: &random)
                let shuffled = Spearman.correlate(order.map { x[$0] }, order.map { y[$0] })
                switch (base, transformed, shuffled) {
                case (.success(let a), .success(let b), .success(let c)):
                    #expect(abs(a.rho - b.rho) < 1e-12 && abs(a.rho - c.rho) < 1e-12)
                    #expect(abs(a.pValue - c.pValue) < 1e-12)
                case (.failure(let a), .failure(let b), .failure(let c)):
                    #expect(a == b && b == c)
                default:
                    Issue.record("\(base) \(transformed) \(shuffled)")
                }
            }
        }

        @Test func swappingTheVariablesOrNegatingOneMirrorsRho() throws {
            let x: [Double] = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]
            let y: [Double] = [2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4]
            let forward = try Spearman.correlate(x, y).get()
            let backward = try Spearman.correlate(y, x).get()
            let negated = try Spearman.correlate(x, y.map { -$0 }).get()
            #expect(abs(forward.rho - backward.rho) < 1e-15)
            #expect(abs(forward.rho + negated.rho) < 1e-15)
            #expect(abs(forward.ciLow + negated.ciHigh) < 1e-12)
        }
    }
}
