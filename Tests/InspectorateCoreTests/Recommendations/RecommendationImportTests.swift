import Foundation
import Testing

@testable import InspectorateCore

extension Recommendations {
    @Suite("Importing a spreadsheet tracker")
    struct RecommendationImportTests {
        static let known: Set<String> = ["kent", "essex", "home-office", "acpo"]

        func check(_ text: String, isHeld: @escaping (RecommendationReference) -> Bool = { _ in false }) throws -> [ImportedRecommendation]
        {
            try RecommendationImport.check(
                text, isKnownOrganisation: { Self.known.contains($0) }, isKnownCriterion: { $1 != "made-up" }, isHeld: isHeld)
        }

        func problems(_ text: String) -> [String] {
            do {
                _ = try check(text)
                return []
            } catch let invalid as RecommendationImportInvalid {
                return invalid.problems.map(\.description)
            } catch {
                return ["unexpected \(error)"]
            }
        }

        @Test func goodRowsComeBackWithTheirLines() throws {
            let rows = try check(
                """
                Reference,Text,Addressees,Due,Priority,Status,Criteria,Depends_on_another_body,Published
                prevent-2009/national/3,"Define what forces should do, by risk level",acpo,2009-09-30,yes,In progress,local-risk-ctlp,no,2009-06-24
                \u{20}
                peel-2023/kent/1,Publish the plan,"kent; essex",2024-03-31,,open,,,
                """)
            #expect(rows.map(\.line) == [2, 4])
            #expect(rows[0].reference.description == "prevent-2009/national/3")
            #expect(rows[0].text == "Define what forces should do, by risk level")
            #expect(rows[0].status == .inProgress && rows[0].priority && rows[0].criteria == ["local-risk-ctlp"])
            #expect(rows[0].publishedOn == Fixture.date("2009-06-24"))
            #expect(rows[1].addressees == ["kent", "essex"] && !rows[1].priority && rows[1].status == .open)
        }

        @Test func everyBadRowIsNamedWithItsLineAndNothingIsImported() {
            let found = problems(
                """
                reference,text,addressees,due,priority,status
                peel-2023/kent/1,Fine,kent,2024-03-31,no,open
                peel-2023/kent/2,No addressee,,2024-03-31,no,open
                peel-2023/kent/3,No due date,kent,,no,open
                peel-2023/kent/4,Bad date,kent,31/03/2024,no,open
                peel-2023/kent/5,Unknown organisation,"kent;narnia",2024-03-31,no,open
                peel-2023/kent/6,Unknown status,kent,2024-03-31,no,amber
                peel-2023/kent/1,Repeated,kent,2024-03-31,no,open
                peel-2023/narnia/1,Unknown in the reference,kent,2024-03-31,no,open
                not a reference,Bad reference,kent,2024-03-31,maybe,open
                peel-2023/kent/7,Impossible date,kent,2024-02-30,no,open
                """)
            #expect(
                found == [
                    "line 3: addressees is empty: name at least one organisation code",
                    "line 4: due is empty: give the date as YYYY-MM-DD",
                    "line 5: due: \"31/03/2024\" is not a date like 2027-07-31",
                    "line 6: addressees: no organisation has the code narnia",
                    "line 7: status \"amber\" is not one of: open, in progress, reported complete, verified, closed: implemented, closed: not implemented, closed: superseded",
                    "line 8: reference peel-2023/kent/1 is already given on line 2",
                    "line 9: reference peel-2023/narnia/1: no organisation has the code narnia",
                    "line 10: reference: \"not a reference\" is not a reference like prevent-2009/national/4 or peel-2023/kent/2",
                    "line 10: priority \"maybe\" is not yes or no",
                    "line 11: due: 2024-02-30 is not a date: there is no such day",
                ])
        }

        @Test func closedAndVerifiedRowsNeedTheirVerification() {
            let found = problems(
                """
                reference,text,addressees,due,priority,status,status_reason,superseded_by,verified_on,verified_by,progress
                peel-2023/kent/1,A,kent,2024-03-31,no,closed implemented,,,,,
                peel-2023/kent/2,B,kent,2024-03-31,no,Closed: not implemented,,,2024-05-01,A. Inspector,no meaningful progress
                peel-2023/kent/3,C,kent,2024-03-31,no,closed_superseded,,,2024-05-01,A. Inspector,insufficient
                peel-2023/kent/4,D,kent,2024-03-31,no,verified,,,2024-05-01,A. Inspector,insufficient
                peel-2023/kent/5,E,kent,2024-03-31,no,closed superseded,,peel-2023/kent/5,2024-05-01,A. Inspector,insufficient
                peel-2023/kent/6,F,kent,2024-03-31,no,verified,,,2024-05-01,A. Inspector,splendid
                """)
            #expect(
                found == [
                    "line 2: status closed: implemented needs verified_on, verified_by, progress: nothing is verified or closed without a verification",
                    "line 3: status closed: not implemented needs status_reason, saying why",
                    "line 4: status closed: superseded needs superseded_by, the reference of the recommendation that replaces it",
                    "line 5: status verified needs progress reasonable or good, not insufficient progress",
                    "line 6: superseded_by: a recommendation is not superseded by itself",
                    "line 7: progress \"splendid\" is not one of: no meaningful, insufficient, reasonable, good",
                ])
        }

        @Test func aVerifiedClosureIsImportedWithItsVerification() throws {
            let rows = try check(
                """
                reference,text,addressees,due,priority,status,verified_on,verified_by,progress
                peel-2023/kent/1,A,kent,2024-03-31,no,Closed: implemented,2024-05-01,a.inspector@example.org,Good
                """)
            #expect(rows.first?.status == .closedImplemented)
            #expect(
                rows.first?.verification
                    == ImportedVerification(on: Fixture.date("2024-05-01"), by: "a.inspector@example.org", progress: .good))
            let recommendation = try #require(rows.first).recommendation(marking: Marking(level: "OFFICIAL"), importedAt: Fixture.at(0))
            #expect(recommendation.due.current == Fixture.date("2024-03-31"))
            #expect(recommendation.due.versions.first?.reason == "Imported from a spreadsheet tracker (line 2)")
            #expect(recommendation.author == nil && recommendation.addressees == ["kent"])
        }

        @Test func headerProblemsAreOnLineOne() {
            #expect(
                problems("reference,text,due,priority,status,colour\n") == [
                    "line 1: column \"colour\" is not one this import reads: use reference, text, addressees, due, priority, status, criteria, depends_on_another_body, published, status_reason, superseded_by, verified_on, verified_by, progress",
                    "line 1: required column \"addressees\" is missing",
                ])
            #expect(problems("reference,text,addressees,due,priority,status,status\n").first == "line 1: column \"status\" is given twice")
            #expect(problems("") == ["The file is empty: its first line names the columns"])
            #expect(problems("reference,text,addressees,due,priority,status\n") == ["The file has no recommendations below its header"])
        }

        @Test func unknownCriteriaAndReferencesAlreadyHeldAreRefused() {
            #expect(
                problems("reference,text,addressees,due,priority,status,criteria\npeel-2023/kent/1,A,kent,2024-03-31,no,open,made-up\n")
                    == [
                        "line 2: criteria: made-up is not a criterion of peel-2023's framework"
                    ])
            do {
                _ = try check(
                    "reference,text,addressees,due,priority,status\npeel-2023/kent/1,A,kent,2024-03-31,no,open\n", isHeld: { _ in true })
                Issue.record("a held reference was imported again")
            } catch let invalid as RecommendationImportInvalid {
                #expect(invalid.problems.map(\.line) == [2])
                #expect(invalid.description.hasPrefix("1 problem; nothing was imported:"))
            } catch { Issue.record("unexpected \(error)") }
        }

        @Test func anUnclosedQuoteIsReportedWhereItStarts() {
            #expect(
                problems("reference,text,addressees,due,priority,status\npeel-2023/kent/1,\"A,kent,2024-03-31,no,open\n") == [
                    "line 2: a quoted field is not closed before the end of the file"
                ])
        }
    }
}
