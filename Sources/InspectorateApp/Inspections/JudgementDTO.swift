import Fluent
import InspectorateCore
import Vapor

/// One criterion's judgement as it stands: level, narrative, rationale and version, with
/// the marking of the assessment's narratives. A domain value: every response that carries
/// a judgement (a read, a write's answer, a stale write's conflict) shows it through
/// `JudgementDTO(_:reader:)`, which withholds the text from a reader whose vetting or
/// groups do not cover its marking.
struct JudgementState: StalePresentable {
    var criterion: Criterion
    var level: Int?
    var narrative: String
    var rationale: String
    var version: Int
    /// The assessment's narratives as a marked record (marking, need-to-know, organisation).
    var narratives: MarkedRecord

    init(_ judgement: Judgement?, criterion: Criterion, narratives: MarkedRecord) {
        self.criterion = criterion
        level = judgement?.level
        narrative = judgement?.narrative ?? ""
        rationale = judgement?.rationale ?? ""
        version = judgement?.version ?? 0
        self.narratives = narratives
    }

    func presentation(for reader: Reader?, at now: Date) -> any Encodable & Sendable {
        JudgementDTO(self, reader: reader)
    }
}

/// A judgement as the API shows it.
struct JudgementDTO: Content {
    var criterion: String
    var title: String
    var level: Int?
    /// Null when the reader's vetting or groups do not cover the narratives' marking.
    var narrative: String?
    var rationale: String?
    var version: Int
    var narrativesWithheld: Bool

    enum CodingKeys: String, CodingKey {
        case criterion, title, level, narrative, rationale, version
        case narrativesWithheld = "narratives_withheld"
    }

    /// The one serializer of a judgement: text only for a reader who may read it.
    init(_ state: JudgementState, reader: Reader?) {
        criterion = state.criterion.code
        title = state.criterion.title
        level = state.level
        version = state.version
        let readable = reader?.canRead(state.narratives) ?? false
        narrative = readable ? state.narrative : nil
        rationale = readable ? state.rationale : nil
        narrativesWithheld = !readable
    }
}
