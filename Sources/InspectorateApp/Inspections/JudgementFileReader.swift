import Fluent
import InspectorateCore
import SQLKit
import Vapor

/// Reads a judgements file for the writer: the file's encoding and separator found, each
/// row checked as it streams past (`JudgementImportChecker`), good rows handed to the
/// `JudgementWriter` a batch at a time. Problems of the file's own (a bad level, an
/// unknown criterion) and refusals by the workflow rule come back together, by line.
final class JudgementFileReader {
    /// Refusals by the workflow rule start with this, so the import can tell them apart.
    static let refusalMark = "refused: "

    let writer: JudgementWriter
    var input = CSVInput()
    var checker: JudgementImportChecker?
    var malformed: CSVStreamReader.Malformed?
    var headerError: (any Error)?
    var pending: [JudgementWriter.Row] = []

    init(writer: JudgementWriter) {
        self.writer = writer
    }

    var context: JudgementWriter.Context { writer.context }

    /// Reads the whole source and returns what the writer made of it.
    func read(_ source: JudgementImport.Source, progress: @escaping @Sendable (Double) -> Void) async throws -> JudgementImport.Outcome {
        do {
            let total = max(source.size, 1)
            var done = 0
            switch source {
            case .bytes(let bytes):
                for start in stride(from: 0, to: bytes.count, by: context.pieceSize) {
                    bytes[start..<min(bytes.count, start + context.pieceSize)].withUnsafeBufferPointer(take)
                    try await flushIfFull()
                }
            case .file(let path):
                guard let handle = FileHandle(forReadingAtPath: path) else { throw FieldError("file", "cannot read \(path)") }
                defer { try? handle.close() }
                while let piece = try handle.read(upToCount: context.pieceSize), !piece.isEmpty {
                    piece.withUnsafeBytes { take($0.bindMemory(to: UInt8.self)) }
                    try await flushIfFull()
                    done += piece.count
                    progress(0.9 * Double(done) / Double(total))
                }
            }
            let outcome = try await finish()
            progress(1)
            return outcome
        } catch {
            // A batch may still be writing on the transaction's connection: let it end
            // before the transaction is rolled back.
            await writer.settle()
            throw error
        }
    }

    /// Reads and checks the next piece of the file; rows wait in `pending` to be written.
    private func take(_ piece: UnsafeBufferPointer<UInt8>) {
        guard malformed == nil else { return }
        do {
            try input.read(piece, record: record)
        } catch let error as CSVStreamReader.Malformed {
            malformed = error
        } catch {
            // `record` throws only for the header, which is reported as its own problem.
            headerError = error
        }
    }

    private func flushIfFull() async throws {
        if let headerError { throw headerError }
        if pending.count >= context.batchSize { try await flush() }
    }

    private func flush() async throws {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        if !(checker?.problems.isEmpty ?? true) || malformed != nil { writer.stopped = true }
        try await writer.write(batch)
    }

    private func finish() async throws -> JudgementImport.Outcome {
        if let headerError { throw headerError }
        if malformed == nil {
            do { try input.finish(record: record) } catch let error as CSVStreamReader.Malformed { malformed = error }
        }
        try await flush()
        guard let checker else {
            // Text that is not UTF-8 may stop the reading before the header is read: that is
            // what is wrong with the file, not a missing column.
            if let malformed { throw FileInvalid(problems: [.init(line: malformed.line, message: malformed.message)]) }
            throw FileInvalid(
                problems: JudgementImportChecker.requiredColumns.map { .init(line: nil, message: "required column \"\($0)\" is missing") })
        }
        var refusals: [FileProblem] = []
        do {
            try await writer.finish()
        } catch is JudgementWriter.Refusal {
            refusals = writer.refusals.map { FileProblem(line: $0.line, message: Self.refusalMark + $0.error.description) }
        }
        // Problems found by the writer join those found per row, in file order.
        let problems = (checker.problems + refusals + (malformed.map { [.init(line: $0.line, message: $0.message)] } ?? []))
            .enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }.map(\.element)
        if !problems.isEmpty { throw FileInvalid(problems: problems) }
        var outcome = writer.outcome
        outcome.rows = checker.rows
        outcome.organisations = writer.touched.lazy.filter { $0 }.count
        let incomplete = writer.incomplete(limit: 50)
        outcome.incompleteAssessments = incomplete.count
        outcome.incomplete = incomplete.first
        return outcome
    }

    private func record(_ record: CSVRecord) throws {
        guard checker != nil else {
            checker = try JudgementImportChecker(
                header: (0..<record.count).map(record.string), framework: context.framework, organisations: context.codes,
                names: context.names)
            return
        }
        // Mutated where it stands: a copy would copy its table of lines seen.
        if let row = checker?.check(record) {
            pending.append(
                JudgementWriter.Row(
                    line: row.line, organisation: row.organisation, criterion: row.criterion, level: .some(row.level),
                    narrative: row.narrative, rationale: row.rationale, expectedVersion: nil, reason: row.reason))
        }
    }
}
